#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pjats::model {

struct Location {
    std::string address;
    std::string postal_code;
    std::string city;
    std::string region;
    std::string country_code;

    bool empty() const {
        return address.empty() && postal_code.empty() && city.empty() && region.empty()
               && country_code.empty();
    }
};

struct SocialProfile {
    std::string network;
    std::string username;
    std::string url;
};

struct Salary {
    std::optional<double> min;
    std::optional<double> max;
    std::string currency;
    std::string period; // "year", "hour", ...
};

// A Purpose Jobs candidate, decoded from a JSON Resume document (see docs/mapping.md).
// Strings are empty when absent. Everything here is candidate PII: never log it raw.
struct Candidate {
    std::string id;          // meta.purposeJobs.id, always as a string
    std::string name;        // basics.name
    std::string first_name;  // meta.purposeJobs.firstName, else all but the last word of name
    std::string last_name;   // meta.purposeJobs.lastName, else the last word of name
    std::string headline;    // basics.label
    std::string email;       // basics.email
    std::string phone;       // basics.phone
    std::string website;     // basics.url
    std::string summary;     // basics.summary
    Location location;       // basics.location
    std::vector<SocialProfile> profiles; // basics.profiles
    std::string company;     // current work entry (no endDate, else first): name/company
    std::string title;       // current work entry: position
    std::vector<std::string> skills;     // skills[].name
    std::vector<std::string> values;     // meta.purposeJobs.values
    std::vector<std::string> interests;  // meta.purposeJobs.interests, else interests[].name
    std::optional<Salary> salary;        // meta.purposeJobs.salary
    std::string resume_url;  // meta.purposeJobs.resumeUrl
    std::string resume_file; // meta.purposeJobs.resumeFile, resolved against the record's dir
    std::string exported_by; // meta.purposeJobs.exportedBy: the recruiter credited (an e-mail)
    std::string origin;      // where the record came from ("candidates/42.json", "stdin")
};

// An application to a Purpose Jobs job, as found in a source (sync).
struct Application {
    std::string id;          // the application's own id (file stem or "id" field)
    std::string job_id;      // the Purpose Jobs job
    std::string cursor;      // opaque ordering key: applications are processed in cursor order
    Candidate candidate;
};

} // namespace pjats::model

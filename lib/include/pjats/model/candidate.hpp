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

// One skills[] entry: its name, level and keywords (any may be empty).
struct Skill {
    std::string name;
    std::string level;
    std::vector<std::string> keywords;
};

// One work[] entry (JSON Resume 1.x `name`, older documents `company`).
struct WorkEntry {
    std::string position;
    std::string company;
    std::string start_date; // as written ("2019-03", "2019-03-01")
    std::string end_date;   // empty, or "present"/"current" as written, for an ongoing job
    std::string summary;
    std::vector<std::string> highlights;
};

// One education[] entry.
struct EducationEntry {
    std::string study_type; // degree ("Bachelor")
    std::string area;       // field ("Computer Science")
    std::string institution;
    std::string start_date;
    std::string end_date;
};

// One languages[] entry (`language`, older documents `name`; `fluency`, older `level`).
struct Language {
    std::string language;
    std::string fluency;
};

// One certificates[] entry.
struct Certificate {
    std::string name;
    std::string issuer;
    std::string date;
};

// A Purpose Jobs candidate, decoded from a JSON Resume document (see docs/mapping.md).
// Strings are empty when absent. Everything here is candidate PII: never log it raw.
struct Candidate {
    std::string id;          // meta.purposeJobs.id, always as a string
    std::string name;        // basics.name
    std::string first_name;  // meta.purposeJobs.firstName, else all but the last word of name
                             // (a one-word name: that word)
    std::string last_name;   // meta.purposeJobs.lastName, else the last word of a name of
                             // two or more words, else empty
    std::string headline;    // basics.label
    std::string email;       // basics.email
    std::string phone;       // basics.phone
    std::string website;     // basics.url, else the pre-1.0 basics.website
    std::string summary;     // basics.summary
    Location location;       // basics.location
    std::vector<SocialProfile> profiles; // basics.profiles
    std::string company;     // current work entry (no endDate, else first): name/company
    std::string title;       // current work entry: position
    std::vector<std::string> skills;     // skills[].name
    std::vector<Skill> skill_details;    // skills[] with level and keywords (non-empty ones)
    std::vector<WorkEntry> work;         // every work[] entry, in the record's order
    std::vector<EducationEntry> education;   // education[]
    std::vector<Language> languages;         // languages[]
    std::vector<Certificate> certificates;   // certificates[]
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

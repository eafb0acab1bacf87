#pragma once

#include <pjats/lever/model.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pjats::lever {

// schema.org JobPosting for employmentType, from a Lever commitment (case-insensitive):
// Full-time → FULL_TIME, Part-time → PART_TIME, Contract(or) → CONTRACTOR,
// Intern(ship) → INTERN, Temporary → TEMPORARY, anything else → OTHER, "" → "".
std::string employment_type(std::string_view commitment);

// schema.org unitText for a Lever salary interval: per-year-salary → YEAR,
// per-month-salary → MONTH, per-week-salary → WEEK, per-day-wage → DAY,
// per-hour-wage → HOUR; "" for intervals schema.org cannot express (one-time, bi-week...).
std::string salary_unit(std::string_view interval);

// "YYYY-MM-DD" (UTC) for a Lever timestamp in ms since the epoch.
std::string iso_date(std::int64_t epoch_ms);

// A schema.org JobPosting JSON-LD object (one line) for `posting`, the format job boards
// and Google for Jobs ingest: @context, @type, title, description (descriptionHtml, the
// lists as <h3>/<ul> sections, closingHtml; else the plain text; never the title),
// datePosted (createdAt, else updatedAt), employmentType, hiringOrganization
// {Organization, `hiring_org_name`}, jobLocation {Place, PostalAddress with
// addressLocality and addressCountry} unless the location is only "Remote",
// jobLocationType TELECOMMUTE with applicantLocationRequirements {Country} for remote
// postings with a country, baseSalary (MonetaryAmount with a QuantitativeValue, numbers
// exact) only with a known unit, an ISO 4217 currency, no negative amount and min <= max,
// identifier {PropertyValue, name = `hiring_org_name`, value = posting id}, url
// (urls.show) and directApply false (applications go through Lever's form). Lever has no
// closing date, so validThrough is never written. Fields without data are omitted. Use
// job_posting() to publish: this writes whatever the posting has, valid or not.
std::string posting_jsonld(const Posting& posting, const std::string& hiring_org_name);

// A JobPosting document that meets Google's requirements, or why it cannot.
struct JobPostingDocument {
    std::string json;                   // posting_jsonld(); "" when `problems` is not empty
    std::vector<std::string> problems;  // required parts missing: the posting is not valid
    std::vector<std::string> omitted;   // left out to stay valid ("baseSalary (…)")
};

// Checks Google's required JobPosting properties — title, description, datePosted,
// hiringOrganization name (`organization`, never a placeholder), and jobLocation or
// TELECOMMUTE with applicantLocationRequirements (a remote posting needs a country) —
// and writes the document when they are all there.
JobPostingDocument job_posting(const Posting& posting, const std::string& organization);

// Whether `code` is an active ISO 4217 currency code (case-insensitive).
bool is_currency(std::string_view code);

} // namespace pjats::lever

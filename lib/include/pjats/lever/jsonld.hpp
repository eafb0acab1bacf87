#pragma once

#include <pjats/lever/model.hpp>

#include <string>
#include <string_view>

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
// lists as <h3>/<ul> sections, closingHtml; plain text or the title when there is no
// HTML), datePosted (createdAt, else updatedAt), employmentType, hiringOrganization
// {Organization, `hiring_org_name`}, jobLocation {Place, PostalAddress with
// addressLocality and addressCountry} unless the location is only "Remote",
// jobLocationType TELECOMMUTE and applicantLocationRequirements {Country} for remote
// postings, baseSalary (MonetaryAmount with a QuantitativeValue) when the salary range
// has a known unit, identifier {PropertyValue, value = posting id}, url (urls.show) and
// directApply false (applications go through Lever's form). Lever has no closing date, so
// validThrough is never written. Fields without data are omitted.
std::string posting_jsonld(const Posting& posting, const std::string& hiring_org_name);

} // namespace pjats::lever

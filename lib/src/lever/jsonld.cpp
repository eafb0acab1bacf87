// Lever posting → schema.org JobPosting (https://schema.org/JobPosting), the structured
// data Google for Jobs and job boards read. Google requires title, description,
// datePosted, hiringOrganization and jobLocation (or, for fully remote jobs,
// jobLocationType TELECOMMUTE with applicantLocationRequirements).

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/jsonld.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace pjats::lever {

namespace {

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

// Keeps only letters so "Full-time", "full time" and "FULLTIME" compare equal.
std::string letters_of(std::string_view text) {
    std::string out;
    for (const char c : lowercase(text)) {
        if (c >= 'a' && c <= 'z') {
            out += c;
        }
    }
    return out;
}

std::string description_of(const Posting& posting) {
    const PostingContent& content = posting.content;
    std::string html = content.description_html;
    for (const PostingList& list : content.lists) {
        if (!list.text.empty()) {
            html += "<h3>" + list.text + "</h3>";
        }
        if (!list.content.empty()) {
            html += "<ul>" + list.content + "</ul>";
        }
    }
    html += content.closing_html;
    if (!html.empty()) {
        return html;
    }
    if (!content.description.empty() || !content.closing.empty()) {
        std::string text = content.description;
        if (!content.closing.empty()) {
            text += (text.empty() ? "" : "\n\n") + content.closing;
        }
        return text;
    }
    return posting.text; // Google rejects an empty description
}

// "key": "text", unless `text` is empty.
void field(JsonWriter& w, std::string_view key, std::string_view text) {
    if (!text.empty()) {
        w.key(key);
        w.value(text);
    }
}

bool is_remote(const Posting& posting) {
    return lowercase(posting.workplace_type) == "remote";
}

// A location string that names no place ("Remote", "Anywhere").
bool is_placeless(std::string_view location) {
    const std::string letters = letters_of(location);
    return letters.empty() || letters == "remote" || letters == "anywhere";
}

void write_number(JsonWriter& w, std::string_view key, double value) {
    w.key(key);
    if (std::trunc(value) == value && std::fabs(value) < 9.0e15) {
        w.value(static_cast<std::int64_t>(value));
    } else {
        w.value(value);
    }
}

void write_location(JsonWriter& w, const Posting& posting) {
    const std::string& location = posting.categories.location;
    const bool has_place = !is_placeless(location);
    if (has_place || (!is_remote(posting) && !posting.country.empty())) {
        w.key("jobLocation");
        w.begin_object();
        field(w, "@type", "Place");
        w.key("address");
        w.begin_object();
        field(w, "@type", "PostalAddress");
        if (has_place) {
            field(w, "addressLocality", location);
        }
        field(w, "addressCountry", posting.country);
        w.end_object();
        w.end_object();
    }
    if (is_remote(posting)) {
        field(w, "jobLocationType", "TELECOMMUTE");
        if (!posting.country.empty()) {
            w.key("applicantLocationRequirements");
            w.begin_object();
            field(w, "@type", "Country");
            field(w, "name", posting.country);
            w.end_object();
        }
    }
}

void write_salary(JsonWriter& w, const Posting& posting) {
    if (!posting.salary_range) {
        return;
    }
    const SalaryRange& range = *posting.salary_range;
    const std::string unit = salary_unit(range.interval);
    if (unit.empty() || (!range.min && !range.max)) {
        return;
    }
    w.key("baseSalary");
    w.begin_object();
    field(w, "@type", "MonetaryAmount");
    field(w, "currency", range.currency);
    w.key("value");
    w.begin_object();
    field(w, "@type", "QuantitativeValue");
    if (range.min && range.max && *range.min == *range.max) {
        write_number(w, "value", *range.min);
    } else {
        if (range.min) {
            write_number(w, "minValue", *range.min);
        }
        if (range.max) {
            write_number(w, "maxValue", *range.max);
        }
    }
    field(w, "unitText", unit);
    w.end_object();
    w.end_object();
}

} // namespace

std::string employment_type(std::string_view commitment) {
    const std::string key = letters_of(commitment);
    if (key.empty()) {
        return "";
    }
    if (key == "fulltime" || key == "permanent") {
        return "FULL_TIME";
    }
    if (key == "parttime") {
        return "PART_TIME";
    }
    if (key == "contract" || key == "contractor" || key == "freelance") {
        return "CONTRACTOR";
    }
    if (key == "intern" || key == "internship") {
        return "INTERN";
    }
    if (key == "temporary" || key == "temp" || key == "seasonal") {
        return "TEMPORARY";
    }
    return "OTHER";
}

std::string salary_unit(std::string_view interval) {
    const std::string key = lowercase(interval);
    if (key == "per-year-salary") {
        return "YEAR";
    }
    if (key == "per-month-salary") {
        return "MONTH";
    }
    if (key == "per-week-salary") {
        return "WEEK";
    }
    if (key == "per-day-wage") {
        return "DAY";
    }
    if (key == "per-hour-wage") {
        return "HOUR";
    }
    return "";
}

std::string iso_date(std::int64_t epoch_ms) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(epoch_ms)));
    const year_month_day ymd(day);
    char buffer[16];
    std::snprintf(buffer,
                  sizeof(buffer),
                  "%04d-%02u-%02u",
                  static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return buffer;
}

std::string posting_jsonld(const Posting& posting, const std::string& hiring_org_name) {
    JsonWriter w;
    w.begin_object();
    field(w, "@context", "https://schema.org/");
    field(w, "@type", "JobPosting");
    field(w, "title", posting.text);
    field(w, "description", description_of(posting));
    const std::int64_t posted = posting.created_at != 0 ? posting.created_at : posting.updated_at;
    if (posted != 0) {
        field(w, "datePosted", iso_date(posted));
    }
    field(w, "employmentType", employment_type(posting.categories.commitment));
    w.key("hiringOrganization");
    w.begin_object();
    field(w, "@type", "Organization");
    field(w, "name", hiring_org_name);
    w.end_object();
    write_location(w, posting);
    write_salary(w, posting);
    w.key("identifier");
    w.begin_object();
    field(w, "@type", "PropertyValue");
    field(w, "name", hiring_org_name);
    field(w, "value", posting.id);
    w.end_object();
    field(w, "url", posting.urls.show);
    w.key("directApply");
    w.value(false);
    w.end_object();
    return w.str();
}

} // namespace pjats::lever

// Lever posting → schema.org JobPosting (https://schema.org/JobPosting), the structured
// data Google for Jobs and job boards read. Google requires title, description,
// datePosted, hiringOrganization and jobLocation (or, for fully remote jobs,
// jobLocationType TELECOMMUTE with applicantLocationRequirements).

#include <pjats/core/json_writer.hpp>
#include <pjats/lever/jsonld.hpp>

#include <algorithm>
#include <array>
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
    std::string text = content.description;
    if (!content.closing.empty()) {
        text += (text.empty() ? "" : "\n\n") + content.closing;
    }
    return text; // "" when the posting has no content: never the title standing in
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
    // Google accepts TELECOMMUTE only with the countries applicants may live in.
    if (is_remote(posting) && !posting.country.empty()) {
        field(w, "jobLocationType", "TELECOMMUTE");
        w.key("applicantLocationRequirements");
        w.begin_object();
        field(w, "@type", "Country");
        field(w, "name", posting.country);
        w.end_object();
    }
}

// Active ISO 4217 codes a salary can be paid in (no funds, metals or test codes).
constexpr std::array<std::string_view, 167> k_currencies = {
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    "CUC", "SLL", "VED", "ZWL", "UYW", "MXV", "CLF", "BOV", "COU", "CHE", "CHW"};

std::string uppercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

// Why the salary range cannot go out as baseSalary; "" when it can (or there is none).
std::string salary_problem(const Posting& posting) {
    if (!posting.salary_range) {
        return "";
    }
    const SalaryRange& range = *posting.salary_range;
    if (!range.min && !range.max) {
        return "";
    }
    if (salary_unit(range.interval).empty()) {
        return "salary interval \"" + range.interval + "\" has no schema.org unit";
    }
    if (!is_currency(range.currency)) {
        return range.currency.empty() ? "salary has no currency"
                                      : "salary currency \"" + range.currency
                                            + "\" is not an ISO 4217 code";
    }
    if ((range.min && *range.min < 0) || (range.max && *range.max < 0)) {
        return "salary is negative";
    }
    if (range.min && range.max && *range.min > *range.max) {
        return "salary minimum is above its maximum";
    }
    return "";
}

void write_salary(JsonWriter& w, const Posting& posting) {
    if (!posting.salary_range || !salary_problem(posting).empty()) {
        return;
    }
    const SalaryRange& range = *posting.salary_range;
    if (!range.min && !range.max) {
        return;
    }
    const std::string unit = salary_unit(range.interval);
    w.key("baseSalary");
    w.begin_object();
    field(w, "@type", "MonetaryAmount");
    field(w, "currency", uppercase(range.currency));
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

bool is_currency(std::string_view code) {
    const std::string upper = uppercase(code);
    return std::find(k_currencies.begin(), k_currencies.end(), upper) != k_currencies.end();
}

JobPostingDocument job_posting(const Posting& posting, const std::string& organization) {
    JobPostingDocument doc;
    if (posting.text.empty()) {
        doc.problems.emplace_back("no title");
    }
    if (description_of(posting).empty()) {
        doc.problems.emplace_back("no description (the posting has no content)");
    }
    if (posting.created_at == 0 && posting.updated_at == 0) {
        doc.problems.emplace_back("no date (createdAt)");
    }
    if (organization.empty()) {
        doc.problems.emplace_back("no hiring organization name");
    }
    const bool has_place = !is_placeless(posting.categories.location);
    if (is_remote(posting)) {
        if (posting.country.empty()) {
            doc.problems.emplace_back("remote without a country: Google needs the countries "
                                      "applicants may live in (applicantLocationRequirements)");
        }
    } else if (!has_place && posting.country.empty()) {
        doc.problems.emplace_back("no location");
    }
    if (const std::string problem = salary_problem(posting); !problem.empty()) {
        doc.omitted.push_back("baseSalary (" + problem + ")");
    }
    if (doc.problems.empty()) {
        doc.json = posting_jsonld(posting, organization);
    }
    return doc;
}

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

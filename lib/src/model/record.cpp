// Decodes a Purpose Jobs record (a JSON Resume document plus meta.purposeJobs) into a
// model::Candidate. Every member is type-checked before it is read; all problems found
// are collected and reported together, the first one in the error message.

#include "json/reader.hpp"
#include "model/format.hpp"
#include "model/resume_path.hpp"

#include <pjats/model/record.hpp>
#include <pjats/source/source.hpp>

#include <rapidjson/document.h>

#include <cctype>
#include <optional>

namespace pjats::model {

namespace {

using json::Problems;
using rapidjson::Value;

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i]))
            != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

bool starts_with_icase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

void read_location(const Value& basics, Candidate& c, Problems& problems) {
    const Value* location = json::read_object(basics, "location", "basics", problems);
    if (location == nullptr) {
        return;
    }
    const std::string path = "basics.location";
    c.location.address = json::read_string(*location, "address", path, problems);
    c.location.postal_code = json::read_string(*location, "postalCode", path, problems);
    c.location.city = json::read_string(*location, "city", path, problems);
    c.location.region = json::read_string(*location, "region", path, problems);
    c.location.country_code = json::read_string(*location, "countryCode", path, problems);
}

void read_profiles(const Value& basics, Candidate& c, Problems& problems) {
    const Value* profiles = json::read_array(basics, "profiles", "basics", problems);
    if (profiles == nullptr) {
        return;
    }
    for (rapidjson::SizeType i = 0; i < profiles->Size(); ++i) {
        const Value& item = (*profiles)[i];
        const std::string path = json::index_path("basics.profiles", i);
        if (!item.IsObject()) {
            problems.add(path, std::string("expected an object, got ") + json::type_name(item));
            continue;
        }
        SocialProfile profile;
        profile.network = json::read_string(item, "network", path, problems);
        profile.username = json::read_string(item, "username", path, problems);
        profile.url = json::read_string(item, "url", path, problems);
        if (!profile.network.empty() || !profile.username.empty() || !profile.url.empty()) {
            c.profiles.push_back(std::move(profile));
        }
    }
}

void read_basics(const Value& root, Candidate& c, Problems& problems) {
    const Value* basics = json::read_object(root, "basics", "", problems);
    if (basics == nullptr) {
        return;
    }
    const std::string path = "basics";
    c.name = json::read_string(*basics, "name", path, problems);
    c.headline = json::read_string(*basics, "label", path, problems);
    c.email = json::read_string(*basics, "email", path, problems);
    c.phone = json::read_string(*basics, "phone", path, problems);
    c.website = json::read_string(*basics, "url", path, problems);
    if (c.website.empty()) {
        c.website = json::read_string(*basics, "website", path, problems); // before JSON Resume 1.0
    }
    c.summary = json::read_string(*basics, "summary", path, problems);
    read_location(*basics, c, problems);
    read_profiles(*basics, c, problems);
}

// `key` of `object`, else `fallback` (an older schema's name for the same thing).
std::string read_either(const Value& object,
                        const char* key,
                        const char* fallback,
                        const std::string& path,
                        Problems& problems) {
    std::string value = json::read_string(object, key, path, problems);
    return value.empty() ? json::read_string(object, fallback, path, problems) : value;
}

WorkEntry read_work_entry(const Value& item, const std::string& path, Problems& problems) {
    WorkEntry entry;
    entry.position = json::read_string(item, "position", path, problems);
    entry.company = read_either(item, "name", "company", path, problems);
    entry.start_date = json::read_string(item, "startDate", path, problems);
    entry.end_date = json::read_string(item, "endDate", path, problems);
    entry.summary = json::read_string(item, "summary", path, problems);
    entry.highlights = json::read_string_array(item, "highlights", path, problems);
    return entry;
}

// The objects of array `key` of `root`, each read by `read`; entries for which `read`
// returns std::nullopt (nothing in them) are skipped.
template <typename Read>
void read_objects(const Value& root, const char* key, Problems& problems, Read read) {
    const Value* array = json::read_array(root, key, "", problems);
    if (array == nullptr) {
        return;
    }
    for (rapidjson::SizeType i = 0; i < array->Size(); ++i) {
        const Value& item = (*array)[i];
        const std::string path = json::index_path(key, i);
        if (!item.IsObject()) {
            problems.add(path, std::string("expected an object, got ") + json::type_name(item));
            continue;
        }
        read(item, path);
    }
}

// skills[] (names, and each with level and keywords), education[], languages[] and certificates[]: what the
// notes carry besides the work history (docs/mapping.md, "Résumé in the notes").
void read_resume_sections(const Value& root, Candidate& c, Problems& problems) {
    read_objects(root, "skills", problems, [&](const Value& item, const std::string& path) {
        Skill skill;
        skill.name = json::read_string(item, "name", path, problems);
        skill.level = json::read_string(item, "level", path, problems);
        skill.keywords = json::read_string_array(item, "keywords", path, problems);
        if (!skill.name.empty()) {
            c.skills.push_back(skill.name);
        }
        if (!skill.name.empty() || !skill.level.empty() || !skill.keywords.empty()) {
            c.skill_details.push_back(std::move(skill));
        }
    });
    read_objects(root, "education", problems, [&](const Value& item, const std::string& path) {
        EducationEntry entry;
        entry.study_type = json::read_string(item, "studyType", path, problems);
        entry.area = json::read_string(item, "area", path, problems);
        entry.institution = json::read_string(item, "institution", path, problems);
        entry.start_date = json::read_string(item, "startDate", path, problems);
        entry.end_date = json::read_string(item, "endDate", path, problems);
        if (!entry.study_type.empty() || !entry.area.empty() || !entry.institution.empty()) {
            c.education.push_back(std::move(entry));
        }
    });
    read_objects(root, "languages", problems, [&](const Value& item, const std::string& path) {
        Language language;
        language.language = read_either(item, "language", "name", path, problems);
        language.fluency = read_either(item, "fluency", "level", path, problems);
        if (!language.language.empty()) {
            c.languages.push_back(std::move(language));
        }
    });
    read_objects(root, "certificates", problems, [&](const Value& item, const std::string& path) {
        Certificate certificate;
        certificate.name = json::read_string(item, "name", path, problems);
        certificate.issuer = json::read_string(item, "issuer", path, problems);
        certificate.date = json::read_string(item, "date", path, problems);
        if (!certificate.name.empty()) {
            c.certificates.push_back(std::move(certificate));
        }
    });
}

// Every work entry, and the current job: the first entry without an end date, else the
// first entry.
void read_work(const Value& root, Candidate& c, Problems& problems) {
    read_objects(root, "work", problems, [&](const Value& item, const std::string& path) {
        c.work.push_back(read_work_entry(item, path, problems));
    });
    const WorkEntry* chosen = c.work.empty() ? nullptr : &c.work.front();
    for (const WorkEntry& entry : c.work) {
        if (entry.end_date.empty() || iequals(entry.end_date, "present")
            || iequals(entry.end_date, "current")) {
            chosen = &entry;
            break;
        }
    }
    if (chosen != nullptr) {
        c.company = chosen->company;
        c.title = chosen->position;
    }
}

// Names of the objects in array `key` of `root` (interests[].name).
std::vector<std::string> read_names(const Value& root, const char* key, Problems& problems) {
    std::vector<std::string> names;
    const Value* array = json::read_array(root, key, "", problems);
    if (array == nullptr) {
        return names;
    }
    for (rapidjson::SizeType i = 0; i < array->Size(); ++i) {
        const Value& item = (*array)[i];
        const std::string path = json::index_path(key, i);
        if (!item.IsObject()) {
            problems.add(path, std::string("expected an object, got ") + json::type_name(item));
            continue;
        }
        std::string name = json::read_string(item, "name", path, problems);
        if (!name.empty()) {
            names.push_back(std::move(name));
        }
    }
    return names;
}

std::string read_id(const Value* purpose_jobs, Problems& problems) {
    const std::string path = "meta.purposeJobs.id";
    const Value* id = purpose_jobs ? json::find_member(*purpose_jobs, "id") : nullptr;
    if (id == nullptr) {
        problems.add(path, "missing (every record needs its Purpose Jobs id)");
        return {};
    }
    std::string text;
    if (id->IsString()) {
        const std::string_view raw(id->GetString(), id->GetStringLength());
        if (raw.find('\0') != std::string_view::npos) {
            problems.add(path, "contains a NUL character");
            return {};
        }
        text = json::trim(raw);
        if (text.empty()) {
            problems.add(path, "is empty");
            return {};
        }
    } else if (id->IsInt64()) {
        text = std::to_string(id->GetInt64());
    } else if (id->IsUint64()) {
        text = std::to_string(id->GetUint64());
    } else {
        problems.add(path,
                     std::string("expected a string or an integer, got ")
                         + (id->IsNumber() ? "a non-integer number" : json::type_name(*id)));
        return {};
    }
    if (!source::check_record_id(text)) {
        problems.add(path,
                     "must be 1 to 128 characters from A-Z a-z 0-9 . _ - (and not \".\" or "
                     "\"..\")");
        return {};
    }
    return text;
}

void read_salary(const Value& purpose_jobs, Candidate& c, Problems& problems) {
    const std::string parent = "meta.purposeJobs";
    const Value* object = json::read_object(purpose_jobs, "salary", parent, problems);
    if (object == nullptr) {
        return;
    }
    const std::string path = "meta.purposeJobs.salary";
    Salary salary;
    salary.min = json::read_number(*object, "min", path, problems);
    salary.max = json::read_number(*object, "max", path, problems);
    salary.currency = json::read_string(*object, "currency", path, problems);
    salary.period = json::read_string(*object, "period", path, problems);
    if (salary.min && *salary.min < 0) {
        problems.add(path + ".min", "must not be negative");
    }
    if (salary.max && *salary.max < 0) {
        problems.add(path + ".max", "must not be negative");
    }
    if (salary.min && salary.max && *salary.min > *salary.max) {
        problems.add(path, "min is greater than max");
    }
    if (salary.min || salary.max || !salary.currency.empty() || !salary.period.empty()) {
        c.salary = std::move(salary);
    }
}

struct MetaNames {
    std::string first;
    std::string last;
};

// Where a record's local files may come from: relative names resolve against `base`, and
// the résumé file must stay inside `root` (see resume_path.hpp).
struct RecordDirs {
    const std::string& base;
    const std::string& root;
};

MetaNames read_meta(const Value& root, Candidate& c, const RecordDirs& dirs, Problems& problems) {
    MetaNames names;
    const Value* meta = json::read_object(root, "meta", "", problems);
    const Value* purpose_jobs =
        meta ? json::read_object(*meta, "purposeJobs", "meta", problems) : nullptr;
    c.id = read_id(purpose_jobs, problems);
    if (purpose_jobs == nullptr) {
        return names;
    }
    const std::string path = "meta.purposeJobs";
    names.first = json::read_string(*purpose_jobs, "firstName", path, problems);
    names.last = json::read_string(*purpose_jobs, "lastName", path, problems);
    c.values = json::read_string_array(*purpose_jobs, "values", path, problems);
    if (json::find_member(*purpose_jobs, "interests") != nullptr) {
        c.interests = json::read_string_array(*purpose_jobs, "interests", path, problems);
    }
    read_salary(*purpose_jobs, c, problems);
    c.resume_url = json::read_string(*purpose_jobs, "resumeUrl", path, problems);
    if (!c.resume_url.empty() && !starts_with_icase(c.resume_url, "https://")
        && !starts_with_icase(c.resume_url, "http://")) {
        problems.add(path + ".resumeUrl", "expected an http:// or https:// URL");
        c.resume_url.clear();
    }
    c.exported_by = json::read_string(*purpose_jobs, "exportedBy", path, problems);
    if (!c.exported_by.empty() && !looks_like_email(c.exported_by)) {
        problems.add(path + ".exportedBy", "expected the e-mail address of the exporting user");
        c.exported_by.clear();
    }
    const std::string resume_file = json::read_string(*purpose_jobs, "resumeFile", path, problems);
    if (!resume_file.empty()) {
        ResumePath resolved = resolve_resume_file(resume_file, dirs.base, dirs.root);
        if (!resolved.problem.empty()) {
            problems.add(path + ".resumeFile", resolved.problem);
        } else {
            c.resume_file = std::move(resolved.path);
        }
    }
    return names;
}

} // namespace

Result<Candidate>
parse_record(std::string_view json_text, const std::string& origin, const std::string& base_dir) {
    return parse_record(json_text, origin, base_dir, base_dir);
}

Result<Candidate> parse_record(std::string_view json_text,
                               const std::string& origin,
                               const std::string& base_dir,
                               const std::string& root_dir) {
    rapidjson::Document doc;
    PJATS_TRY(json::parse_document(doc, json_text, origin, k_max_record_bytes));
    if (!doc.IsObject()) {
        return make_error(ErrorKind::validation,
                          origin + ": expected a JSON Resume object at the top level, got "
                              + json::type_name(doc));
    }
    Problems problems(origin);
    Candidate c;
    c.origin = origin;
    read_basics(doc, c, problems);
    read_work(doc, c, problems);
    c.interests = read_names(doc, "interests", problems);
    read_resume_sections(doc, c, problems);
    const MetaNames meta_names = read_meta(doc, c, RecordDirs{base_dir, root_dir}, problems);
    if (!problems.empty()) {
        return problems.to_error();
    }
    NameParts parts = split_name(c.name);
    if (parts.first.empty()) {
        std::swap(parts.first, parts.last); // one word ("Zendaya", "郭海旭"): a first name only
    }
    c.first_name = meta_names.first.empty() ? parts.first : meta_names.first;
    c.last_name = meta_names.last.empty() ? parts.last : meta_names.last;
    if (c.name.empty()) {
        c.name = c.first_name;
        if (!c.first_name.empty() && !c.last_name.empty()) {
            c.name += ' ';
        }
        c.name += c.last_name;
    }
    return c;
}

bool looks_like_email(std::string_view text) {
    const std::size_t at = text.find('@');
    if (at == 0 || at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos
        || text.size() > 254) {
        return false;
    }
    const std::string_view domain = text.substr(at + 1);
    const std::size_t dot = domain.find('.');
    if (dot == 0 || dot == std::string_view::npos || domain.back() == '.') {
        return false;
    }
    for (const char ch : text) {
        if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f) {
            return false;
        }
    }
    return true;
}

Status validate_for_send(const Candidate& candidate) {
    const std::string origin = candidate.origin.empty() ? "record" : candidate.origin;
    if (candidate.id.empty()) {
        return make_error(ErrorKind::validation,
                          origin
                              + ": meta.purposeJobs.id: missing (every record needs its "
                                "Purpose Jobs id)",
                          "meta.purposeJobs.id");
    }
    if (!source::check_record_id(candidate.id)) {
        return make_error(ErrorKind::validation,
                          origin + ": meta.purposeJobs.id: not a valid record id",
                          "meta.purposeJobs.id");
    }
    if (candidate.name.empty() && candidate.first_name.empty() && candidate.last_name.empty()) {
        return make_error(ErrorKind::validation,
                          origin
                              + ": basics.name: missing; every record needs a name (set "
                                "basics.name, or meta.purposeJobs.firstName and "
                                "meta.purposeJobs.lastName)",
                          "basics.name");
    }
    return {};
}

} // namespace pjats::model

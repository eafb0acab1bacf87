// Validation of POST /v1/partner/candidates candidate objects.
#include "greenhouse_validation.hpp"

#include "fake_data.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

namespace pjats::fakes {

namespace {

using rapidjson::Value;

constexpr std::array<std::string_view, 18> k_fields = {"prospect",
                                                       "job_id",
                                                       "first_name",
                                                       "last_name",
                                                       "external_id",
                                                       "company",
                                                       "title",
                                                       "resume",
                                                       "phone_numbers",
                                                       "emails",
                                                       "addresses",
                                                       "social_media",
                                                       "websites",
                                                       "referrer",
                                                       "notes",
                                                       "prospect_pool_id",
                                                       "prospect_pool_stage_id",
                                                       "prospect_owner_email"};

// An array field: elements are objects {value_key: string, type: one of types}.
struct ArraySpec {
    std::string_view name;
    std::string_view value_key;
    std::vector<std::string_view> types; // empty: the element has no `type`
};

const std::array<ArraySpec, 5>& array_specs() {
    static const std::array<ArraySpec, 5> specs = {{
        {"phone_numbers", "phone_number", {"mobile", "home", "work", "other"}},
        {"emails", "email", {"personal", "work", "other"}},
        {"addresses", "address", {"home", "work", "other"}},
        {"social_media", "url", {}},
        {"websites", "url", {"personal", "company", "portfolio", "blog", "other"}},
    }};
    return specs;
}

std::string joined(const std::vector<std::string_view>& items) {
    std::string out;
    for (const std::string_view item : items) {
        out += (out.empty() ? "" : ", ") + std::string(item);
    }
    return out;
}

bool is_http_url(std::string_view s) {
    return (s.rfind("http://", 0) == 0 && s.size() > 7)
           || (s.rfind("https://", 0) == 0 && s.size() > 8);
}

class Checker {
  public:
    explicit Checker(const Value& c)
        : m_c(c) {}

    std::vector<FieldError> run() {
        for (auto it = m_c.MemberBegin(); it != m_c.MemberEnd(); ++it) {
            const std::string_view name(it->name.GetString(), it->name.GetStringLength());
            if (std::find(k_fields.begin(), k_fields.end(), name) == k_fields.end()) {
                fail(std::string(name), "Unknown field: " + std::string(name));
            }
        }
        for (const char* name : {"first_name", "last_name", "external_id"}) {
            required_string(name);
        }
        for (const char* name : {"company", "title", "notes", "prospect_owner_email"}) {
            optional_string(name);
        }
        check_prospect_and_job();
        check_resume();
        for (const ArraySpec& spec : array_specs()) {
            check_array(spec);
        }
        check_referrer();
        check_pool();
        return m_errors;
    }

  private:
    void fail(std::string field, std::string message) {
        m_errors.push_back(FieldError{std::move(message), std::move(field)});
    }

    const Value* get(const char* name) const {
        const auto it = m_c.FindMember(name);
        return it == m_c.MemberEnd() ? nullptr : &it->value;
    }

    // Present and not null.
    const Value* given(const char* name) const {
        const Value* v = get(name);
        return v != nullptr && !v->IsNull() ? v : nullptr;
    }

    void required_string(const char* name) {
        const Value* v = given(name);
        if (v == nullptr) {
            fail(name, std::string(name) + " is required");
        } else if (!v->IsString()) {
            fail(name, std::string(name) + " must be a string, not " + type_name(*v));
        } else if (v->GetStringLength() == 0) {
            fail(name, std::string(name) + " must not be empty");
        }
    }

    void optional_string(const char* name) {
        const Value* v = given(name);
        if (v != nullptr && !v->IsString()) {
            fail(name, std::string(name) + " must be a string, not " + type_name(*v));
        }
    }

    std::optional<std::int64_t> optional_integer(const char* name) {
        const Value* v = given(name);
        if (v == nullptr) {
            return std::nullopt;
        }
        if (!is_integer(*v)) {
            fail(name, std::string(name) + " must be an integer, not " + type_name(*v));
            return std::nullopt;
        }
        return v->GetInt64();
    }

    // Default true; a present `prospect` must be a JSON boolean (not "true").
    bool prospect() const {
        const Value* v = get("prospect");
        return v == nullptr || !v->IsBool() || v->GetBool();
    }

    void check_prospect_and_job() {
        const Value* p = get("prospect");
        if (p != nullptr && !p->IsBool()) {
            fail("prospect", "prospect must be a boolean, not " + type_name(*p));
        }
        const Value* raw_job = given("job_id");
        const std::optional<std::int64_t> job = optional_integer("job_id");
        if (p != nullptr && p->IsBool() && !p->GetBool() && raw_job == nullptr) {
            fail("job_id", "job_id is required when prospect is false");
        }
        if (job) {
            const bool known = std::any_of(k_greenhouse_jobs.begin(),
                                           k_greenhouse_jobs.end(),
                                           [&](const GreenhouseJob& j) { return j.id == *job; });
            if (!known) {
                fail("job_id", "Job " + std::to_string(*job) + " not found or not accessible");
            }
        }
    }

    void check_resume() {
        const Value* v = given("resume");
        if (v == nullptr) {
            return;
        }
        if (!v->IsString() || !is_http_url(v->GetString())) {
            fail("resume", "resume must be the URL of the resume (http or https)");
        }
    }

    void check_array(const ArraySpec& spec) {
        const std::string name(spec.name);
        const Value* v = given(name.c_str());
        if (v == nullptr) {
            return;
        }
        if (!v->IsArray()) {
            fail(name, name + " must be an array, not " + type_name(*v));
            return;
        }
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
            check_element((*v)[i], spec, name + "[" + std::to_string(i) + "]");
        }
    }

    void check_element(const Value& e, const ArraySpec& spec, const std::string& path) {
        if (!e.IsObject()) {
            fail(path, path + " must be an object, not " + type_name(e));
            return;
        }
        for (auto it = e.MemberBegin(); it != e.MemberEnd(); ++it) {
            const std::string_view key(it->name.GetString(), it->name.GetStringLength());
            if (key != spec.value_key && (spec.types.empty() || key != "type")) {
                fail(path + "." + std::string(key), "Unknown field: " + std::string(key));
            }
        }
        const std::string value_path = path + "." + std::string(spec.value_key);
        const auto value = e.FindMember(std::string(spec.value_key).c_str());
        if (value == e.MemberEnd() || !value->value.IsString()
            || value->value.GetStringLength() == 0) {
            fail(value_path, value_path + " is required and must be a non-empty string");
        }
        if (spec.types.empty()) {
            return;
        }
        const auto type = e.FindMember("type");
        const bool ok = type != e.MemberEnd() && type->value.IsString()
                        && std::find(spec.types.begin(), spec.types.end(), type->value.GetString())
                               != spec.types.end();
        if (!ok) {
            fail(path + ".type", path + ".type must be one of " + joined(spec.types));
        }
    }

    void check_referrer() {
        const Value* v = given("referrer");
        if (v == nullptr) {
            return;
        }
        if (!v->IsObject()) {
            fail("referrer", "referrer must be an object, not " + type_name(*v));
            return;
        }
        for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
            const std::string key = it->name.GetString();
            if (key != "email" && key != "first_name" && key != "last_name") {
                fail("referrer." + key, "Unknown field: " + key);
            } else if (!it->value.IsString()) {
                fail("referrer." + key, "referrer." + key + " must be a string");
            }
        }
        const bool has_email = v->HasMember("email");
        const bool has_names = v->HasMember("first_name") && v->HasMember("last_name");
        if (!has_email && !has_names) {
            fail("referrer", "referrer needs an email, or a first_name and last_name");
        }
    }

    void check_pool() {
        const std::optional<std::int64_t> pool = optional_integer("prospect_pool_id");
        const std::optional<std::int64_t> stage = optional_integer("prospect_pool_stage_id");
        for (const char* name :
             {"prospect_pool_id", "prospect_pool_stage_id", "prospect_owner_email"}) {
            if (given(name) != nullptr && !prospect()) {
                fail(name, std::string(name) + " requires prospect to be true");
            }
        }
        if (stage && given("prospect_pool_id") == nullptr) {
            fail("prospect_pool_id", "prospect_pool_id is required with prospect_pool_stage_id");
        }
        if (pool) {
            const auto it = std::find_if(k_greenhouse_pools.begin(),
                                         k_greenhouse_pools.end(),
                                         [&](const GreenhousePool& p) { return p.id == *pool; });
            if (it == k_greenhouse_pools.end()) {
                fail("prospect_pool_id", "Prospect pool " + std::to_string(*pool) + " not found");
            } else if (stage && std::none_of(it->stages.begin(), it->stages.end(), [&](auto& s) {
                           return s.id == *stage;
                       })) {
                fail("prospect_pool_stage_id",
                     "Stage " + std::to_string(*stage) + " does not belong to the prospect pool");
            }
        }
        const Value* owner = given("prospect_owner_email");
        if (owner != nullptr && owner->IsString()) {
            const std::string email = owner->GetString();
            const bool known =
                std::any_of(k_greenhouse_users.begin(),
                            k_greenhouse_users.end(),
                            [&](const auto& u) { return u.active && u.email == email; });
            if (!known) {
                fail("prospect_owner_email", "prospect_owner_email is not a Greenhouse user");
            }
        }
    }

    const Value& m_c;
    std::vector<FieldError> m_errors;
};

} // namespace

std::vector<FieldError> check_candidate(const rapidjson::Value& candidate) {
    if (!candidate.IsObject()) {
        return {FieldError{"each candidate must be a JSON object", ""}};
    }
    return Checker(candidate).run();
}

} // namespace pjats::fakes

// A strict fake of the Greenhouse Candidate Ingestion API.
#include "fake_greenhouse.hpp"

#include "connection_drop.hpp"
#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"
#include "greenhouse_validation.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";

void reply_error(httplib::Response& res,
                 int status,
                 std::string_view message,
                 std::string_view field = {}) {
    res.status = status;
    res.set_content(greenhouse_error(message, field), k_json);
}

std::string profile_url(std::int64_t id, std::int64_t application_id) {
    return "https://app.greenhouse.io/people/" + std::to_string(id)
           + "?application_id=" + std::to_string(application_id);
}

std::optional<std::string> job_name(std::optional<std::int64_t> job_id) {
    for (const GreenhouseJob& job : k_greenhouse_jobs) {
        if (job_id && job.id == *job_id) {
            return std::string(job.name);
        }
    }
    return std::nullopt;
}

// True when the request carries a body (GET bodies are refused, as Harvest documents).
bool has_body(const httplib::Request& req) {
    if (!req.body.empty() || req.has_header("Transfer-Encoding")) {
        return true;
    }
    const std::optional<std::int64_t> length = parse_int(req.get_header_value("Content-Length"));
    return length && *length > 0;
}

// The organization of the user `email` (candidates belong to their creator's).
std::string_view organization_of(const std::string& email) {
    for (const GreenhouseUser& u : k_greenhouse_users) {
        if (u.email == email) {
            return u.organization;
        }
    }
    return {};
}

} // namespace

FakeGreenhouse::FakeGreenhouse(double rate, double burst)
    : m_buckets(rate, burst) {}

void FakeGreenhouse::add_routes(RouteTable& table) {
    const auto bind =
        [this](void (FakeGreenhouse::*method)(const httplib::Request&, httplib::Response&)) {
            return [this, method](const httplib::Request& req, httplib::Response& res) {
                (this->*method)(req, res);
            };
        };
    const ApiFlavor gh = ApiFlavor::greenhouse;
    table.add("GET",
              "/v1/partner/current_user",
              "GET /v1/partner/current_user",
              gh,
              bind(&FakeGreenhouse::current_user));
    table.add("GET", "/v1/partner/jobs", "GET /v1/partner/jobs", gh, bind(&FakeGreenhouse::jobs));
    table.add("GET",
              "/v1/partner/prospect_pools",
              "GET /v1/partner/prospect_pools",
              gh,
              bind(&FakeGreenhouse::prospect_pools));
    table.add("GET",
              "/v1/partner/candidates",
              "GET /v1/partner/candidates",
              gh,
              bind(&FakeGreenhouse::get_candidates));
    table.add("POST",
              "/v1/partner/candidates",
              "POST /v1/partner/candidates",
              gh,
              bind(&FakeGreenhouse::post_candidates));
}

void FakeGreenhouse::reset() {
    m_buckets.reset();
    std::lock_guard lock(m_mutex);
    m_candidates.clear();
    m_next_id = 100000001;
}

const GreenhouseUser* FakeGreenhouse::authorize(const httplib::Request& req,
                                                httplib::Response& res) {
    const auto key = std::find_if(k_greenhouse_keys.begin(), k_greenhouse_keys.end(),
                                  [&](const ApiKey& k) {
                                      return is_basic_auth_for(req.get_header_value("Authorization"),
                                                               k.key);
                                  });
    if (key == k_greenhouse_keys.end()) {
        reply_error(res, 401, "Invalid Basic Auth credentials");
        return nullptr;
    }
    if (!req.has_header("On-Behalf-Of")) {
        reply_error(res, 401, "Missing On-Behalf-Of header: the email of a Greenhouse user");
        return nullptr;
    }
    const std::string email = lower(req.get_header_value("On-Behalf-Of"));
    const auto user = std::find_if(k_greenhouse_users.begin(),
                                   k_greenhouse_users.end(),
                                   [&](const GreenhouseUser& u) {
                                       return u.email == email
                                              && u.organization == key->organization;
                                   });
    if (user == k_greenhouse_users.end()) {
        reply_error(res, 401, "The On-Behalf-Of user was not found");
        return nullptr;
    }
    if (!user->active) {
        reply_error(res, 401, "The On-Behalf-Of user is disabled");
        return nullptr;
    }
    if (m_buckets.enabled()) {
        const BucketDecision d = m_buckets.take(std::string(key->key));
        res.set_header("X-RateLimit-Limit", std::to_string(static_cast<int>(m_buckets.burst())));
        res.set_header("X-RateLimit-Remaining",
                       std::to_string(static_cast<int>(std::floor(d.remaining))));
        if (!d.allowed) {
            const auto wait = static_cast<long>(std::max(1.0, std::ceil(d.retry_after_s)));
            res.set_header("Retry-After", std::to_string(wait));
            res.set_header("X-RateLimit-Reset", std::to_string(std::time(nullptr) + wait));
            reply_error(res, 429, "Rate limit exceeded");
            return nullptr;
        }
    }
    if (req.method == "GET" && has_body(req)) {
        reply_error(res, 403, "GET requests must not have a body");
        close_after_response(req, res);
        return nullptr;
    }
    return &*user;
}

void FakeGreenhouse::current_user(const httplib::Request& req, httplib::Response& res) {
    const GreenhouseUser* user = authorize(req, res);
    if (user == nullptr) {
        return;
    }
    res.set_content(
        build_json([&](JsonWriter& w) {
            w.StartObject();
            write_string(
                w, "full_name", std::string(user->first_name) + " " + std::string(user->last_name));
            write_string(w, "first_name", user->first_name);
            write_string(w, "last_name", user->last_name);
            write_string(w, "email", user->email);
            write_int(w, "id", user->id);
            w.EndObject();
        }),
        k_json);
}

void FakeGreenhouse::jobs(const httplib::Request& req, httplib::Response& res) {
    if (authorize(req, res) == nullptr) {
        return;
    }
    res.set_content(build_json([&](JsonWriter& w) {
                        w.StartArray();
                        for (const GreenhouseJob& job : k_greenhouse_jobs) {
                            w.StartObject();
                            write_int(w, "id", job.id);
                            write_string(w, "name", job.name);
                            write_string(w, "status", "open");
                            write_bool(w, "public", job.is_public);
                            w.EndObject();
                        }
                        w.EndArray();
                    }),
                    k_json);
}

void FakeGreenhouse::prospect_pools(const httplib::Request& req, httplib::Response& res) {
    if (authorize(req, res) == nullptr) {
        return;
    }
    res.set_content(build_json([&](JsonWriter& w) {
                        w.StartArray();
                        for (const GreenhousePool& pool : k_greenhouse_pools) {
                            w.StartObject();
                            write_int(w, "id", pool.id);
                            write_string(w, "name", pool.name);
                            w.Key("stages");
                            w.StartArray();
                            for (const GreenhousePoolStage& stage : pool.stages) {
                                w.StartObject();
                                write_int(w, "id", stage.id);
                                write_string(w, "name", stage.name);
                                w.EndObject();
                            }
                            w.EndArray();
                            w.EndObject();
                        }
                        w.EndArray();
                    }),
                    k_json);
}

std::string FakeGreenhouse::candidate_json(const Candidate& c) const {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_int(w, "id", c.id);
        write_string(w, "name", c.name);
        write_string(w, "external_id", c.external_id);
        w.Key("applications");
        w.StartArray();
        w.StartObject();
        write_int(w, "id", c.application_id);
        write_optional_string(w, "job", job_name(c.job_id));
        write_string(w, "status", c.status);
        write_optional_string(w,
                              "stage",
                              !c.stage.empty() ? std::optional<std::string>(c.stage)
                              : c.job_id       ? std::optional<std::string>("Application Review")
                                               : std::nullopt);
        write_string(w, "profile_url", profile_url(c.id, c.application_id));
        w.EndObject();
        w.EndArray();
        w.EndObject();
    });
}

void FakeGreenhouse::get_candidates(const httplib::Request& req, httplib::Response& res) {
    const GreenhouseUser* user = authorize(req, res);
    if (user == nullptr) {
        return;
    }
    if (user->basic) {
        reply_error(res, 403, "The On-Behalf-Of user does not have permission to view candidates");
        return;
    }
    if (!req.has_param("candidate_ids") || req.get_param_value("candidate_ids").empty()) {
        reply_error(res, 400, "candidate_ids is required", "candidate_ids");
        return;
    }
    std::vector<std::int64_t> ids;
    std::string list = req.get_param_value("candidate_ids");
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        std::string item = list.substr(start, comma - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        const std::optional<std::int64_t> id = parse_int(item);
        if (!id) {
            reply_error(
                res, 400, "candidate_ids must be comma-separated integers", "candidate_ids");
            return;
        }
        ids.push_back(*id);
        start = comma + 1;
    }
    std::lock_guard lock(m_mutex);
    res.set_content(build_json([&](JsonWriter& w) {
                        w.StartArray();
                        for (const Candidate& c : m_candidates) {
                            if (std::find(ids.begin(), ids.end(), c.id) != ids.end()
                                && organization_of(c.on_behalf_of) == user->organization) {
                                write_raw(w, candidate_json(c));
                            }
                        }
                        w.EndArray();
                    }),
                    k_json);
}

void FakeGreenhouse::post_candidates(const httplib::Request& req, httplib::Response& res) {
    const GreenhouseUser* user = authorize(req, res);
    if (user == nullptr) {
        return;
    }
    if (!has_media_type(req, "application/json")) {
        reply_error(res, 400, "Content-Type must be application/json");
        return;
    }
    rapidjson::Document doc;
    doc.Parse(req.body.c_str(), req.body.size());
    if (doc.HasParseError()) {
        reply_error(res, 400, "Your request included invalid JSON.");
        return;
    }
    const bool many = doc.IsArray();
    if (!doc.IsObject() && !(many && !doc.Empty())) {
        reply_error(res, 400, "The body must be a candidate object or a non-empty array of them");
        return;
    }
    std::vector<const rapidjson::Value*> items;
    if (many) {
        for (const rapidjson::Value& v : doc.GetArray()) {
            items.push_back(&v);
        }
    } else {
        items.push_back(&doc);
    }
    std::vector<FieldError> errors;
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (FieldError& e : check_candidate(*items[i])) {
            if (many) {
                e.message = "candidate " + std::to_string(i) + ": " + e.message;
            }
            errors.push_back(std::move(e));
        }
    }
    if (!errors.empty()) {
        res.status = 400;
        res.set_content(build_json([&](JsonWriter& w) {
                            w.StartObject();
                            w.Key("errors");
                            w.StartArray();
                            for (const FieldError& e : errors) {
                                w.StartObject();
                                write_string(w, "message", e.message);
                                if (!e.field.empty()) {
                                    write_string(w, "field", e.field);
                                }
                                w.EndObject();
                            }
                            w.EndArray();
                            w.EndObject();
                        }),
                        k_json);
        return;
    }
    std::vector<Candidate> created;
    {
        std::lock_guard lock(m_mutex);
        for (const rapidjson::Value* item : items) {
            Candidate c;
            c.id = m_next_id;
            c.application_id = m_next_id + 100000000;
            ++m_next_id;
            c.external_id = (*item)["external_id"].GetString();
            c.name = std::string((*item)["first_name"].GetString()) + " "
                     + (*item)["last_name"].GetString();
            const auto job = item->FindMember("job_id");
            if (job != item->MemberEnd() && job->value.IsInt64()) {
                c.job_id = job->value.GetInt64();
            }
            c.on_behalf_of = std::string(user->email);
            c.body_json = to_json(*item);
            m_candidates.push_back(c);
            created.push_back(c);
        }
    }
    res.status = 200;
    res.set_content(build_json([&](JsonWriter& w) {
                        if (many) {
                            w.StartArray();
                        }
                        for (const Candidate& c : created) {
                            w.StartObject();
                            write_int(w, "id", c.id);
                            write_int(w, "application_id", c.application_id);
                            write_string(w, "external_id", c.external_id);
                            write_string(w, "profile_url", profile_url(c.id, c.application_id));
                            w.EndObject();
                        }
                        if (many) {
                            w.EndArray();
                        }
                    }),
                    k_json);
}

std::string FakeGreenhouse::change_candidate(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id") || !doc["id"].IsInt64()) {
        return R"(expected {"id": candidate id, "status"?, "stage"?, "merge"?: true})";
    }
    const std::int64_t id = doc["id"].GetInt64();
    std::lock_guard lock(m_mutex);
    for (Candidate& c : m_candidates) {
        if (c.id != id) {
            continue;
        }
        if (doc.HasMember("status")) {
            const std::string status = doc["status"].IsString() ? doc["status"].GetString() : "";
            if (status != "active" && status != "rejected" && status != "hired") {
                return "status must be active, rejected or hired";
            }
            c.status = status;
        }
        if (doc.HasMember("stage")) {
            if (!doc["stage"].IsString()) {
                return "stage must be a stage name";
            }
            c.stage = doc["stage"].GetString();
        }
        if (doc.HasMember("merge") && doc["merge"].IsBool() && doc["merge"].GetBool()) {
            c.id = m_next_id++; // Greenhouse: a merge generates a new candidate id
        }
        return {};
    }
    return "no candidate " + std::to_string(id);
}

std::string FakeGreenhouse::state_json() const {
    std::lock_guard lock(m_mutex);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("candidates");
        w.StartArray();
        for (const Candidate& c : m_candidates) {
            w.StartObject();
            write_int(w, "id", c.id);
            write_int(w, "application_id", c.application_id);
            write_string(w, "external_id", c.external_id);
            write_string(w, "on_behalf_of", c.on_behalf_of);
            write_string(w, "organization", organization_of(c.on_behalf_of));
            w.Key("body");
            write_raw(w, c.body_json);
            w.EndObject();
        }
        w.EndArray();
        w.EndObject();
    });
}

} // namespace pjats::fakes

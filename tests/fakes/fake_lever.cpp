// A strict fake of the Lever v1 Data API.
#include "fake_lever.hpp"

#include "fake_data.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"
#include "lever_pagination.hpp"
#include "lever_posting_query.hpp"

#include <algorithm>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";

void reply(httplib::Response& res, int status, std::string_view code, std::string_view message) {
    res.status = status;
    res.set_content(lever_error(code, message), k_json);
}

void bad_request(httplib::Response& res, std::string_view message) {
    reply(res, 400, "BadRequestError", message);
}

void not_found(httplib::Response& res, const std::string& kind, const std::string& id) {
    reply(res, 404, "ResourceNotFound", kind + " " + id + " was not found");
}

std::string user_json(const LeverUser& u) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "id", u.id);
        write_string(w, "name", u.name);
        write_string(w, "username", u.email.substr(0, u.email.find('@')));
        write_string(w, "email", u.email);
        write_int(w, "createdAt", u.created_at);
        if (u.deactivated) {
            write_int(w, "deactivatedAt", u.created_at + 86400000);
        } else {
            write_null(w, "deactivatedAt");
        }
        write_string(w, "accessRole", u.access_role);
        write_null(w, "photo");
        write_null(w, "externalDirectoryId");
        write_null(w, "linkedContactIds");
        write_null(w, "jobTitle");
        write_null(w, "managerId");
        w.EndObject();
    });
}

// Reads an optional boolean query parameter ("true"/"false").
bool bool_param(const httplib::Request& req, const char* name, bool& out, std::string& error) {
    if (!req.has_param(name)) {
        return true;
    }
    if (req.get_param_value_count(name) > 1) {
        error = std::string(name) + " given more than once";
        return false;
    }
    const std::string value = req.get_param_value(name);
    if (value != "true" && value != "false") {
        error = std::string(name) + " must be true or false";
        return false;
    }
    out = value == "true";
    return true;
}

// True when `name` is absent or one of its values equals `value`.
bool matches(const httplib::Request& req, const char* name, const std::string& value) {
    const std::size_t n = req.get_param_value_count(name);
    for (std::size_t i = 0; i < n; ++i) {
        if (req.get_param_value(name, i) == value) {
            return true;
        }
    }
    return n == 0;
}

// `matches`, also accepting the `name[]` spelling (Lever's own users example uses it).
bool matches_any(const httplib::Request& req, const std::string& name, const std::string& value) {
    const bool plain = req.has_param(name.c_str());
    const bool bracket = req.has_param((name + "[]").c_str());
    if (!plain && !bracket) {
        return true;
    }
    return (plain && matches(req, name.c_str(), value))
           || (bracket && matches(req, (name + "[]").c_str(), value));
}

} // namespace

FakeLever::FakeLever(FakeLeverOAuth& oauth, int posting_count, double rate, double burst)
    : m_oauth(oauth),
      m_postings(generate_postings(posting_count)),
      m_store(m_postings),
      m_buckets(rate, burst) {
    for (const Posting& p : m_postings) {
        m_initial_states.push_back(p.state);
    }
}

void FakeLever::add_routes(RouteTable& table) {
    const auto bind =
        [this](void (FakeLever::*method)(const httplib::Request&, httplib::Response&)) {
            return [this, method](const httplib::Request& req, httplib::Response& res) {
                (this->*method)(req, res);
            };
        };
    const ApiFlavor lv = ApiFlavor::lever;
    table.add("POST",
              "/v1/opportunities",
              "POST /v1/opportunities",
              lv,
              bind(&FakeLever::create_opportunity));
    table.add("GET",
              "/v1/opportunities",
              "GET /v1/opportunities",
              lv,
              bind(&FakeLever::list_opportunities));
    table.add("GET",
              R"(/v1/opportunities/([^/]+))",
              "GET /v1/opportunities/:id",
              lv,
              bind(&FakeLever::get_opportunity));
    table.add("GET", "/v1/users", "GET /v1/users", lv, bind(&FakeLever::list_users));
    table.add("GET", R"(/v1/users/([^/]+))", "GET /v1/users/:id", lv, bind(&FakeLever::get_user));
    table.add("GET", "/v1/postings", "GET /v1/postings", lv, bind(&FakeLever::list_postings));
    table.add("GET",
              R"(/v1/postings/([^/]+))",
              "GET /v1/postings/:id",
              lv,
              bind(&FakeLever::get_posting));
    table.add("GET", "/v1/stages", "GET /v1/stages", lv, bind(&FakeLever::list_stages));
    table.add("GET",
              "/v1/archive_reasons",
              "GET /v1/archive_reasons",
              lv,
              bind(&FakeLever::list_archive_reasons));
    add_card_routes(table);
}

std::string FakeLever::change_opportunity(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id") || !doc["id"].IsString()) {
        return R"(expected {"id": opportunity id, "stage"?: stage id, "archive_reason"?: id})";
    }
    std::optional<std::string> stage;
    std::optional<std::string> reason;
    if (doc.HasMember("stage")) {
        if (!doc["stage"].IsString()) {
            return "stage must be a stage id";
        }
        stage = doc["stage"].GetString();
    }
    if (doc.HasMember("archive_reason")) {
        if (!doc["archive_reason"].IsString()) {
            return "archive_reason must be a string";
        }
        reason = doc["archive_reason"].GetString();
    }
    return m_store.change(doc["id"].GetString(), stage, reason);
}

std::string FakeLever::set_posting_state(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("id") || !doc["id"].IsString()
        || !doc.HasMember("state") || !doc["state"].IsString()) {
        return R"(expected {"id": "...", "state": "published|closed|internal|draft|..."})";
    }
    std::lock_guard lock(m_postings_mutex);
    for (Posting& p : m_postings) {
        if (p.id == doc["id"].GetString()) {
            p.state = doc["state"].GetString();
            return {};
        }
    }
    return "no posting " + std::string(doc["id"].GetString());
}

void FakeLever::reset() {
    {
        std::lock_guard lock(m_postings_mutex);
        for (std::size_t i = 0; i < m_postings.size(); ++i) {
            m_postings[i].state = m_initial_states[i];
        }
    }
    m_buckets.reset();
    m_store.reset();
    m_card.reset();
}

std::string FakeLever::state_json() const {
    std::string state = m_store.state_json(); // {"opportunities":[...],"contacts":[...]}
    state.pop_back();
    return state + "," + m_card.state_members() + "}";
}

std::string_view FakeLever::organization_of(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    for (const ApiKey& key : k_lever_keys) {
        if (is_basic_auth_for(header, key.key)) {
            return key.organization;
        }
    }
    return bearer_token(header) ? std::string_view("acme") : std::string_view();
}

std::optional<std::string> FakeLever::authorize(const httplib::Request& req,
                                                httplib::Response& res,
                                                const std::string& resource,
                                                bool write) {
    const std::string header = req.get_header_value("Authorization");
    std::string kind;
    std::string bucket;
    const auto key = std::find_if(k_lever_keys.begin(), k_lever_keys.end(),
                                  [&](const ApiKey& k) { return is_basic_auth_for(header, k.key); });
    if (key != k_lever_keys.end()) {
        kind = "api_key";
        bucket = "key:" + std::string(key->key);
    } else if (const std::optional<std::string> token = bearer_token(header)) {
        const TokenCheck check = m_oauth.check_access_token(*token);
        switch (check.status) {
        case TokenStatus::unknown:
            reply(res, 401, "UnauthorizedError", "Invalid access token");
            return std::nullopt;
        case TokenStatus::expired:
            reply(res, 401, "UnauthorizedError", "The access token has expired");
            return std::nullopt;
        case TokenStatus::revoked:
            reply(res, 401, "UnauthorizedError", "The access token has been revoked");
            return std::nullopt;
        case TokenStatus::valid:
            break;
        }
        if (!grants_scope(check.scope, resource, write)) {
            reply(res,
                  403,
                  "Forbidden",
                  "The access token lacks the scope " + resource
                      + (write ? ":write:admin" : ":read:admin"));
            return std::nullopt;
        }
        kind = "oauth";
        bucket = "grant:" + check.grant;
    } else {
        reply(res, 401, "UnauthorizedError", "The request requires authentication.");
        return std::nullopt;
    }
    if (!m_buckets.take(bucket).allowed) {
        reply(res, 429, "TooManyRequests", "Rate limit exceeded. Retry with exponential backoff.");
        return std::nullopt;
    }
    return kind;
}

void FakeLever::create_opportunity(const httplib::Request& req, httplib::Response& res) {
    const std::optional<std::string> kind = authorize(req, res, "opportunities", true);
    if (!kind) {
        return;
    }
    CreateContext ctx;
    ctx.credential = *kind;
    if (!req.has_param("perform_as") || req.get_param_value("perform_as").empty()) {
        return bad_request(res,
                           "Missing perform_as parameter. Please specify a user for which to "
                           "perform this create.");
    }
    if (req.get_param_value_count("perform_as") > 1) {
        return bad_request(res, "perform_as given more than once");
    }
    ctx.perform_as = req.get_param_value("perform_as");
    const auto user = std::find_if(k_lever_users.begin(), k_lever_users.end(), [&](auto& u) {
        return u.id == ctx.perform_as && u.organization == organization_of(req);
    });
    if (user == k_lever_users.end()) {
        return bad_request(res, "perform_as user " + ctx.perform_as + " was not found");
    }
    if (user->deactivated) {
        return bad_request(res, "perform_as user " + ctx.perform_as + " is deactivated");
    }
    std::string error;
    if (!bool_param(req, "parse", ctx.parse, error)
        || !bool_param(req, "perform_as_posting_owner", ctx.perform_as_posting_owner, error)) {
        return bad_request(res, error);
    }
    std::optional<OpportunityInput> input;
    if (has_media_type(req, "application/json")) {
        input = parse_opportunity_json(req.body, error);
    } else if (req.is_multipart_form_data()) {
        input = parse_opportunity_form(req.files, error);
    } else {
        return bad_request(res, "Content-Type must be application/json or multipart/form-data");
    }
    if (!input) {
        return bad_request(res, error);
    }
    const std::optional<std::string> body = m_store.create(*input, ctx, error);
    if (!body) {
        return bad_request(res, error);
    }
    res.status = 201;
    res.set_content(*body, k_json);
}

void FakeLever::list_opportunities(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "opportunities", false)) {
        return;
    }
    std::string error;
    const std::optional<std::string> body = m_store.list(req, error);
    if (!body) {
        return bad_request(res, error);
    }
    res.set_content(*body, k_json);
}

void FakeLever::get_opportunity(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "opportunities", false)) {
        return;
    }
    const std::string id = req.matches[1];
    const std::optional<std::string> body = m_store.find(id);
    if (!body) {
        return not_found(res, "opportunities", id);
    }
    res.set_content(*body, k_json);
}

void FakeLever::list_users(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "users", false)) {
        return;
    }
    bool include_deactivated = false;
    std::string error;
    if (!bool_param(req, "includeDeactivated", include_deactivated, error)) {
        return bad_request(res, error);
    }
    std::vector<const LeverUser*> hits;
    std::vector<PageKey> keys;
    for (const LeverUser& u : k_lever_users) {
        const bool ok =
            u.organization == organization_of(req) && (include_deactivated || !u.deactivated)
            && (!req.has_param("email") || lower(req.get_param_value("email")) == u.email)
            && matches_any(req, "accessRole", std::string(u.access_role));
        if (ok) {
            hits.push_back(&u);
            keys.push_back(PageKey{u.created_at, std::string(u.id)});
        }
    }
    const std::optional<Page> page = read_page(req, keys, error);
    if (!page) {
        return bad_request(res, error);
    }
    res.set_content(page_json(*page, keys, [&](std::size_t i) { return user_json(*hits[i]); }),
                    k_json);
}

void FakeLever::get_user(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "users", false)) {
        return;
    }
    const std::string id = req.matches[1];
    for (const LeverUser& u : k_lever_users) {
        if (u.id == id && u.organization == organization_of(req)) {
            res.set_content("{\"data\":" + user_json(u) + "}", k_json);
            return;
        }
    }
    not_found(res, "users", id);
}

void FakeLever::list_postings(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "postings", false)) {
        return;
    }
    std::string error;
    const std::optional<PostingQuery> query = PostingQuery::parse(req, error);
    if (!query) {
        return bad_request(res, error);
    }
    std::vector<const Posting*> hits;
    std::vector<PageKey> keys;
    std::lock_guard lock(m_postings_mutex);
    for (const Posting& p : m_postings) {
        if (query->matches(p)) {
            hits.push_back(&p);
            keys.push_back(PageKey{p.created_at, p.id});
        }
    }
    const std::optional<Page> page = read_page(req, keys, error);
    if (!page) {
        return bad_request(res, error);
    }
    res.set_content(page_json(*page, keys, [&](std::size_t i) { return posting_json(*hits[i]); }),
                    k_json);
}

void FakeLever::get_posting(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "postings", false)) {
        return;
    }
    const std::string id = req.matches[1];
    std::lock_guard lock(m_postings_mutex);
    for (const Posting& p : m_postings) {
        if (p.id == id) {
            res.set_content("{\"data\":" + posting_json(p) + "}", k_json);
            return;
        }
    }
    not_found(res, "postings", id);
}

void FakeLever::list_stages(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "stages", false)) {
        return;
    }
    res.set_content(build_json([&](JsonWriter& w) {
                        w.StartObject();
                        w.Key("data");
                        w.StartArray();
                        for (const LeverStage& s : k_lever_stages) {
                            w.StartObject();
                            write_string(w, "id", s.id);
                            write_string(w, "text", s.text);
                            w.EndObject();
                        }
                        w.EndArray();
                        write_bool(w, "hasNext", false);
                        w.EndObject();
                    }),
                    k_json);
}

void FakeLever::list_archive_reasons(const httplib::Request& req, httplib::Response& res) {
    if (!authorize(req, res, "archive_reasons", false)) {
        return;
    }
    const std::string type = req.get_param_value("type");
    if (req.has_param("type") && type != "hired" && type != "non-hired") {
        res.status = 400;
        res.set_content(lever_error("BadRequestError", "type must be hired or non-hired"), k_json);
        return;
    }
    res.set_content(build_json([&](JsonWriter& w) {
                        w.StartObject();
                        w.Key("data");
                        w.StartArray();
                        for (const LeverArchiveReason& r : k_lever_archive_reasons) {
                            if (!type.empty() && r.type != type) {
                                continue;
                            }
                            w.StartObject();
                            write_string(w, "id", r.id);
                            write_string(w, "text", r.text);
                            write_string(w, "status", "active");
                            write_string(w, "type", r.type);
                            w.EndObject();
                        }
                        w.EndArray();
                        write_bool(w, "hasNext", false);
                        w.EndObject();
                    }),
                    k_json);
}

} // namespace pjats::fakes

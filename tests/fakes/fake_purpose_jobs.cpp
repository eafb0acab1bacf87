#include "fake_purpose_jobs.hpp"

#include "fake_json.hpp"

#include <algorithm>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";
constexpr std::size_t k_page_size = 2; // small, so clients must follow `next`

std::string pj_error(const std::string& message) {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        write_string(w, "error", message);
        w.EndObject();
    });
}

bool authorized(const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") == std::string("Bearer ") + k_pj_token) {
        return true;
    }
    res.status = 401;
    res.set_content(pj_error("missing or wrong bearer token"), k_json);
    return false;
}

// A cursor given as a string or an integer, as text ("" otherwise).
std::string text_of(const rapidjson::Value& object, const char* key) {
    if (!object.IsObject() || !object.HasMember(key)) {
        return {};
    }
    const rapidjson::Value& value = object[key];
    if (value.IsString()) {
        return value.GetString();
    }
    if (is_integer(value)) {
        return std::to_string(value.GetInt64());
    }
    return {};
}

} // namespace

void FakePurposeJobs::add_routes(RouteTable& table) {
    table.add("GET",
              R"(/pj/candidates/([^/]+))",
              "GET /pj/candidates/:id",
              ApiFlavor::lever,
              [this](const httplib::Request& req, httplib::Response& res) {
                  if (!authorized(req, res)) {
                      return;
                  }
                  std::lock_guard lock(m_mutex);
                  auto it = m_candidates.find(req.matches[1].str());
                  if (it == m_candidates.end()) {
                      res.status = 404;
                      res.set_content(pj_error("no such candidate"), k_json);
                      return;
                  }
                  res.set_content(it->second, k_json);
              });
    table.add("GET",
              R"(/pj/jobs/([^/]+)/applications)",
              "GET /pj/jobs/:id/applications",
              ApiFlavor::lever,
              [this](const httplib::Request& req, httplib::Response& res) {
                  if (!authorized(req, res)) {
                      return;
                  }
                  const std::string since = req.get_param_value("since");
                  std::lock_guard lock(m_mutex);
                  auto it = m_applications.find(req.matches[1].str());
                  std::vector<const StoredApplication*> later;
                  if (it != m_applications.end()) {
                      for (const StoredApplication& app : it->second) {
                          if (app.cursor > since) {
                              later.push_back(&app);
                          }
                      }
                  }
                  std::string body = R"({"applications":[)";
                  const std::size_t count = std::min(later.size(), k_page_size);
                  for (std::size_t i = 0; i < count; ++i) {
                      body += (i == 0 ? "" : ",") + later[i]->json;
                  }
                  body += "]";
                  if (later.size() > count && count > 0) {
                      body += R"(,"next":)" + build_json([&](JsonWriter& w) {
                                  w.String(later[count - 1]->cursor.c_str());
                              });
                  }
                  body += "}";
                  res.set_content(body, k_json);
              });
    table.add("POST",
              R"(/pj/jobs)",
              "POST /pj/jobs",
              ApiFlavor::lever,
              [this](const httplib::Request& req, httplib::Response& res) {
                  if (!authorized(req, res)) {
                      return;
                  }
                  rapidjson::Document doc;
                  doc.Parse(req.body.c_str(), req.body.size());
                  if (doc.HasParseError() || !doc.IsObject()) {
                      res.status = 400;
                      res.set_content(pj_error("expected a JobPosting JSON object"), k_json);
                      return;
                  }
                  const std::string id =
                      doc.HasMember("identifier") ? text_of(doc["identifier"], "value") : "";
                  if (id.empty()) {
                      res.status = 400;
                      res.set_content(pj_error("a JobPosting needs identifier.value"), k_json);
                      return;
                  }
                  std::lock_guard lock(m_mutex);
                  m_jobs.push_back(to_json(doc));
                  m_listed[id] = m_jobs.back();
                  res.status = 201;
                  res.set_content(R"({"ok":true})", k_json);
              });
    table.add("DELETE",
              R"(/pj/jobs/([^/]+))",
              "DELETE /pj/jobs/:id",
              ApiFlavor::lever,
              [this](const httplib::Request& req, httplib::Response& res) {
                  if (!authorized(req, res)) {
                      return;
                  }
                  if (!req.body.empty()) {
                      res.status = 400;
                      res.set_content(pj_error("DELETE takes no body"), k_json);
                      return;
                  }
                  std::lock_guard lock(m_mutex);
                  const std::string id = req.matches[1].str();
                  if (m_listed.erase(id) == 0) {
                      res.status = 404;
                      res.set_content(pj_error("no such job"), k_json);
                      return;
                  }
                  m_retracted.push_back(id);
                  res.status = 204;
              });
}

std::string FakePurposeJobs::add_applications(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("job_id")
        || !doc["job_id"].IsString() || !doc.HasMember("applications")
        || !doc["applications"].IsArray()) {
        return R"(expected {"job_id": "...", "applications": [...]})";
    }
    std::lock_guard lock(m_mutex);
    auto& stored = m_applications[doc["job_id"].GetString()];
    for (const rapidjson::Value& entry : doc["applications"].GetArray()) {
        stored.push_back(StoredApplication{text_of(entry, "cursor"), to_json(entry)});
        if (entry.IsObject() && entry.HasMember("candidate") && entry["candidate"].IsObject()) {
            const rapidjson::Value& candidate = entry["candidate"];
            if (candidate.HasMember("meta") && candidate["meta"].IsObject()
                && candidate["meta"].HasMember("purposeJobs")) {
                const std::string id = text_of(candidate["meta"]["purposeJobs"], "id");
                if (!id.empty()) {
                    m_candidates[id] = to_json(candidate);
                }
            }
        }
    }
    std::stable_sort(
        stored.begin(), stored.end(), [](const StoredApplication& a, const StoredApplication& b) {
            return a.cursor < b.cursor;
        });
    return {};
}

std::string FakePurposeJobs::state_json() const {
    std::lock_guard lock(m_mutex);
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("applications");
        w.StartObject();
        for (const auto& [job, apps] : m_applications) {
            w.Key(job.c_str());
            w.StartArray();
            for (const StoredApplication& app : apps) {
                write_raw(w, app.json);
            }
            w.EndArray();
        }
        w.EndObject();
        w.Key("candidates");
        w.StartArray();
        for (const auto& entry : m_candidates) {
            w.String(entry.first.c_str());
        }
        w.EndArray();
        w.Key("jobs");
        w.StartArray();
        for (const std::string& job : m_jobs) {
            write_raw(w, job);
        }
        w.EndArray();
        w.Key("listed");
        w.StartArray();
        for (const auto& entry : m_listed) {
            w.String(entry.first.c_str());
        }
        w.EndArray();
        w.Key("retracted");
        w.StartArray();
        for (const std::string& id : m_retracted) {
            w.String(id.c_str());
        }
        w.EndArray();
        w.EndObject();
    });
}

void FakePurposeJobs::reset() {
    std::lock_guard lock(m_mutex);
    m_applications.clear();
    m_candidates.clear();
    m_jobs.clear();
    m_listed.clear();
    m_retracted.clear();
}

} // namespace pjats::fakes

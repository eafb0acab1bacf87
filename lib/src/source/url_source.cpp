// The `url` source: candidate and application records over HTTP with a bearer token
// (docs/url-source.md for the JSON contract).

#include "json/reader.hpp"

#include <pjats/http/http.hpp>
#include <pjats/http/secrets.hpp>
#include <pjats/http/url.hpp>
#include <pjats/model/record.hpp>
#include <pjats/source/source.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace pjats::source {

namespace {

// Pages fetched for one listing at most; a server that keeps returning `next` is a bug.
constexpr std::size_t k_max_pages = 10'000;
constexpr std::size_t k_max_page_bytes = std::size_t{64} * 1024 * 1024;

std::string to_json_text(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// A string, or an integer written as a string; empty otherwise.
std::string id_text(const rapidjson::Value* value) {
    if (value == nullptr) {
        return {};
    }
    if (value->IsString()) {
        return std::string(value->GetString(), value->GetStringLength());
    }
    if (value->IsInt64()) {
        return std::to_string(value->GetInt64());
    }
    if (value->IsUint64()) {
        return std::to_string(value->GetUint64());
    }
    return {};
}

Error status_error(const http::Response& response, const std::string& what) {
    const long status = response.status;
    Error error;
    error.http_status = static_cast<int>(status);
    if (status == 401 || status == 403) {
        error.kind = ErrorKind::auth;
        error.message = "the Purpose Jobs source refused the token (HTTP " + std::to_string(status)
                        + ") for " + what + "; set PJ_ATS_SOURCE_TOKEN";
        error.hint = Hint{Hint::Kind::run, "configure source --url URL --token-stdin", ""};
    } else if (status == 404) {
        error.kind = ErrorKind::not_found;
        error.message = what + " not found at the Purpose Jobs source (HTTP 404)";
    } else if (status == 429 || status >= 500) {
        error.kind = ErrorKind::temporary;
        error.message =
            "the Purpose Jobs source failed (HTTP " + std::to_string(status) + ") for " + what;
    } else {
        error.kind = ErrorKind::failure;
        error.message =
            "the Purpose Jobs source answered HTTP " + std::to_string(status) + " for " + what;
    }
    return error;
}

class UrlSource final : public Source {
  public:
    UrlSource(http::Transport& transport, std::string url, std::string token)
        : m_transport(transport),
          m_url(std::move(url)),
          m_token(std::move(token)) {
        http::register_secret(m_token);
        while (!m_url.empty() && m_url.back() == '/') {
            m_url.pop_back();
        }
    }

    Result<model::Candidate> candidate(const std::string& id) override {
        if (Status valid = check_record_id(id); !valid) {
            return std::move(valid).error();
        }
        const std::string what = "candidate " + id;
        auto response = get("/candidates/" + http::url_encode(id), what);
        if (!response) {
            return std::move(response).error();
        }
        const std::string origin = "candidates/" + id;
        Result<model::Candidate> record = model::parse_record(response->body, origin, {});
        if (!record) {
            Error error = std::move(record).error();
            http::scrub_error(error); // the record came from the server, so may its text
            return error;
        }
        if (record->id != id) {
            return make_error(ErrorKind::validation,
                              origin + ": meta.purposeJobs.id: does not match the requested id",
                              "meta.purposeJobs.id");
        }
        return record;
    }

    Result<Page>
    applications(const std::string& job_id, const std::string& since, std::size_t limit) override {
        if (Status valid = check_record_id(job_id); !valid) {
            return std::move(valid).error();
        }
        Page page;
        std::string cursor = since;
        for (std::size_t pages = 0; pages < k_max_pages; ++pages) {
            std::string path = "/jobs/" + http::url_encode(job_id) + "/applications";
            if (!cursor.empty()) {
                path += "?since=" + http::url_encode(cursor);
            }
            auto response = get(path, "applications of job " + job_id);
            if (!response) {
                return std::move(response).error();
            }
            auto next = decode_page(response->body, job_id, limit, page);
            if (!next) {
                Error error = std::move(next).error();
                http::scrub_error(error);
                return error;
            }
            if (next->empty() || *next == cursor
                || (limit != 0 && page.applications.size() >= limit)) {
                return page;
            }
            cursor = *next;
        }
        return page;
    }

    std::string describe() const override {
        return "url " + m_url;
    }

    bool accepts_jobs() const override {
        return true;
    }

    Status publish_job(const std::string& posting_id, const std::string& jsonld) override {
        http::Request request;
        request.method = "POST";
        request.url = m_url + "/jobs";
        request.headers.push_back({"Content-Type", "application/ld+json"});
        request.headers.push_back({"Accept", "application/json"});
        if (!m_token.empty()) {
            request.headers.push_back({"Authorization", "Bearer " + m_token});
        }
        request.body = jsonld;
        auto response = m_transport.send(request);
        if (!response) {
            return std::move(response).error();
        }
        if (!response->ok()) {
            return status_error(*response, "job posting " + posting_id);
        }
        return {};
    }

    Status retract_job(const std::string& posting_id) override {
        PJATS_TRY(check_record_id(posting_id));
        http::Request request;
        request.method = "DELETE";
        request.url = m_url + "/jobs/" + http::url_encode(posting_id);
        request.headers.push_back({"Accept", "application/json"});
        if (!m_token.empty()) {
            request.headers.push_back({"Authorization", "Bearer " + m_token});
        }
        auto response = m_transport.send(request);
        if (!response) {
            return std::move(response).error();
        }
        if (!response->ok()) {
            return status_error(*response, "job posting " + posting_id);
        }
        return {};
    }

  private:
    Result<http::Response> get(const std::string& path, const std::string& what) {
        http::Request request;
        request.method = "GET";
        request.url = m_url + path;
        request.headers.push_back({"Accept", "application/json"});
        if (!m_token.empty()) {
            request.headers.push_back({"Authorization", "Bearer " + m_token});
        }
        auto response = m_transport.send(request);
        if (!response) {
            return std::move(response).error();
        }
        if (!response->ok()) {
            return status_error(*response, what);
        }
        return response;
    }

    // Adds the page's applications (and the entries it cannot read) to `page`; returns
    // the `next` cursor ("" when there is none).
    static Result<std::string>
    decode_page(const std::string& body, const std::string& job_id, std::size_t limit, Page& page) {
        const std::string origin = "jobs/" + job_id + "/applications";
        rapidjson::Document doc;
        if (Status parsed = json::parse_document(doc, body, origin, k_max_page_bytes); !parsed) {
            Error error = std::move(parsed).error();
            error.kind = ErrorKind::decode;
            return error;
        }
        json::Problems problems(origin);
        if (!doc.IsObject()) {
            return make_error(ErrorKind::decode, origin + ": expected a JSON object");
        }
        const rapidjson::Value* list = json::read_array(doc, "applications", "", problems);
        if (list == nullptr) {
            if (problems.empty()) {
                problems.add("applications", "missing");
            }
            Error error = problems.to_error();
            error.kind = ErrorKind::decode;
            return error;
        }
        const std::string next = json::read_string(doc, "next", "", problems);
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            if (limit != 0 && page.applications.size() >= limit) {
                return std::string();
            }
            add_application((*list)[i], origin + "[" + std::to_string(i) + "]", job_id, page);
        }
        return next;
    }

    static void add_application(const rapidjson::Value& entry,
                                std::string origin,
                                const std::string& job_id,
                                Page& page) {
        if (!entry.IsObject()) {
            page.errors.push_back(
                make_error(ErrorKind::validation, origin + ": expected an object"));
            return;
        }
        model::Application application;
        application.id = id_text(json::find_member(entry, "id"));
        application.cursor = id_text(json::find_member(entry, "cursor"));
        application.job_id = job_id;
        if (!application.id.empty() && check_record_id(application.id)) {
            origin += " (application " + application.id + ")";
        }
        if (application.id.empty() || application.cursor.empty()) {
            page.errors.push_back(make_error(ErrorKind::validation,
                                             origin + ": needs an \"id\" and a \"cursor\"",
                                             application.id.empty() ? "id" : "cursor"));
            return;
        }
        const rapidjson::Value* candidate = json::find_member(entry, "candidate");
        if (candidate == nullptr || !candidate->IsObject()) {
            page.errors.push_back(make_error(ErrorKind::validation,
                                             origin + ".candidate: expected a JSON Resume object",
                                             "candidate"));
            return;
        }
        Result<model::Candidate> record =
            model::parse_record(to_json_text(*candidate), origin + ".candidate", {});
        if (!record) {
            page.errors.push_back(std::move(record).error());
            return;
        }
        application.candidate = std::move(record).value();
        page.applications.push_back(std::move(application));
    }

    http::Transport& m_transport;
    std::string m_url;
    std::string m_token;
};

} // namespace

std::unique_ptr<Source>
make_url_source(http::Transport& transport, std::string url, std::string token) {
    return std::make_unique<UrlSource>(transport, std::move(url), std::move(token));
}

} // namespace pjats::source

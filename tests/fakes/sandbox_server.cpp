// The sandbox: the fakes on one server, with faults, latency and the control API.
#include "sandbox_server.hpp"

#include "connection_drop.hpp"
#include "connection_reuse.hpp"
#include "fake_greenhouse.hpp"
#include "fake_http.hpp"
#include "fake_json.hpp"
#include "fake_lever.hpp"
#include "fake_lever_oauth.hpp"
#include "fake_purpose_jobs.hpp"
#include "fault_queue.hpp"
#include "oversized_response.hpp"
#include "route_table.hpp"
#include "sandbox_counters.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <random>
#include <thread>

namespace pjats::fakes {

namespace {

constexpr const char* k_json = "application/json";
constexpr int k_listen_backlog = 1024;

// Set per request on the worker thread: whether a route handler ran.
thread_local bool t_routed = false;

// Set per request on the worker thread: its ordinal on its connection (1: the first).
thread_local int t_request_on_connection = 0;

void sleep_ms(int ms) {
    if (ms > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    }
}

std::string lever_code(int status) {
    switch (status) {
    case 400:
        return "BadRequestError";
    case 401:
        return "UnauthorizedError";
    case 403:
        return "Forbidden";
    case 404:
        return "ResourceNotFound";
    case 429:
        return "TooManyRequests";
    case 500:
        return "InternalServerError";
    case 503:
        return "ServiceUnavailable";
    default:
        return "Error";
    }
}

// An error body in the style of the API the path belongs to.
std::string error_body(ApiFlavor flavor, int status, const std::string& message) {
    switch (flavor) {
    case ApiFlavor::greenhouse:
        return greenhouse_error(message);
    case ApiFlavor::lever:
        return lever_error(lever_code(status), message);
    case ApiFlavor::oauth:
        return oauth_error(status >= 500 ? "temporarily_unavailable" : "invalid_request", message);
    }
    return "{}";
}

ApiFlavor flavor_of(const std::string& path) {
    if (path.rfind("/v1/partner/", 0) == 0) {
        return ApiFlavor::greenhouse;
    }
    if (path.rfind("/authorize", 0) == 0 || path.rfind("/oauth/", 0) == 0) {
        return ApiFlavor::oauth;
    }
    return ApiFlavor::lever;
}

bool is_control(const std::string& path) {
    return path.rfind("/_sandbox", 0) == 0;
}

// The message of an echo_auth fault: the Authorization value verbatim and, for Basic
// credentials, the decoded user (the API key).
std::string echoed_credentials(const httplib::Request& req) {
    const std::string header = req.get_header_value("Authorization");
    std::string message = "Invalid credentials: Authorization: " + header;
    if (const std::optional<std::string> user = basic_auth_user(header)) {
        message += " (API key " + *user + ")";
    }
    return message;
}

} // namespace

struct SandboxServer::Impl {
    explicit Impl(SandboxOptions o)
        : options(std::move(o)),
          oauth(options.token_ttl),
          greenhouse(options.greenhouse_rate, options.greenhouse_burst),
          lever(oauth, options.postings, options.lever_rate, options.lever_burst),
          rng(options.seed) {}

    SandboxOptions options;
    std::unique_ptr<httplib::Server> server;
    FakeLeverOAuth oauth;
    FakeGreenhouse greenhouse;
    FakeLever lever;
    FakePurposeJobs purpose_jobs;
    FaultQueue faults;
    SandboxCounters counters;
    std::mutex rng_mutex;
    std::mt19937_64 rng;
    int port = -1;
    socket_t listen_socket = -1;
    std::thread thread;
    // Control calls without a request body, by path (see the pre-routing handler).
    std::map<std::string, std::function<void(httplib::Response&)>> bodyless_controls;

    std::string base_url() const {
        return std::string(options.tls_cert.empty() ? "http" : "https")
               + "://127.0.0.1:" + std::to_string(port);
    }

    bool random_failure() {
        return options.fail_rate > 0 && uniform01() < options.fail_rate;
    }

    // A draw from the seeded generator, in [0, 1).
    double uniform01() {
        std::lock_guard lock(rng_mutex);
        return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    }

    void serve(const Route& route, const httplib::Request& req, httplib::Response& res);
    void add_control_routes();
    void install_handlers();
    std::string state_json() const;
    void reset();
};

void SandboxServer::Impl::serve(const Route& route,
                                const httplib::Request& req,
                                httplib::Response& res) {
    t_routed = true;
    RequestRecord record{
        req.method, req.path, route.name, auth_kind(req.get_header_value("Authorization")), 0, ""};
    sleep_ms(options.latency_ms);
    std::optional<FaultRule> fault = faults.take(
        req.method, req.path, t_request_on_connection > 1, [this] { return uniform01(); });
    if (fault && fault->action == FaultAction::delay) {
        record.fault = "delay";
        sleep_ms(fault->ms);
        fault.reset();
    }
    if (fault && fault->action == FaultAction::status) {
        record.fault = "status";
        res.status = fault->status;
        res.set_content(error_body(route.flavor, fault->status, "Injected fault (sandbox)"),
                        k_json);
        if (!fault->retry_after.empty()) {
            res.set_header("Retry-After", fault->retry_after);
        }
    } else if (fault && fault->action == FaultAction::drop_before) {
        record.fault = "drop_before";
        res.status = 500;
        res.set_content(error_body(route.flavor, 500, "dropped"), k_json);
        if (!drop_connection(req)) {
            truncate_response(res);
        }
    } else if (fault && fault->action == FaultAction::echo_auth) {
        record.fault = "echo_auth";
        res.status = fault->status;
        res.set_content(error_body(route.flavor, fault->status, echoed_credentials(req)), k_json);
    } else if (fault && fault->action == FaultAction::huge_body) {
        record.fault = "huge_body";
        huge_response(res);
    } else if (fault && fault->action == FaultAction::endless_body) {
        record.fault = "endless_body";
        endless_response(res);
    } else if (!fault && random_failure()) {
        record.fault = "fail_rate";
        res.status = 503;
        res.set_content(
            error_body(route.flavor, 503, "Service temporarily unavailable (sandbox --fail-rate)"),
            k_json);
    } else {
        route.handler(req, res);
        if (res.status == -1) {
            res.status = 200;
        }
        if (fault && fault->action == FaultAction::drop_after) {
            record.fault = "drop_after";
            truncate_response(res);
        } else if (fault && fault->action == FaultAction::drop_after_silent) {
            record.fault = "drop_after_silent";
            // A shut-down socket makes httplib's write of `res` fail: not one byte leaves.
            if (!drop_connection(req)) {
                truncate_response(res);
            }
        }
    }
    const bool dropped = record.fault == "drop_before" || record.fault == "drop_after"
                         || record.fault == "drop_after_silent";
    record.status = dropped ? 0 : res.status;
    counters.record(record);
}

void SandboxServer::Impl::add_control_routes() {
    httplib::Server& svr = *server;
    svr.Get("/_sandbox/state", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(state_json(), k_json);
    });
    bodyless_controls["/_sandbox/reset"] = [this](httplib::Response& res) {
        reset();
        res.set_content(R"({"ok":true})", k_json);
    };
    bodyless_controls["/_sandbox/expire_tokens"] = [this](httplib::Response& res) {
        oauth.expire_access_tokens();
        res.set_content(R"({"ok":true})", k_json);
    };
    for (const auto& [path, action] : bodyless_controls) {
        svr.Post(path, [action = action](const httplib::Request&, httplib::Response& res) {
            action(res);
        });
    }
    svr.Post("/_sandbox/faults", [this](const httplib::Request& req, httplib::Response& res) {
        std::string error;
        const std::optional<std::vector<FaultRule>> rules = parse_fault_rules(req.body, error);
        if (!rules) {
            res.status = 400;
            res.set_content(lever_error("BadRequestError", error), k_json);
            return;
        }
        faults.append(*rules);
        res.set_content("{\"queued\":" + std::to_string(faults.pending()) + "}", k_json);
    });
    svr.Post("/_sandbox/oauth", [this](const httplib::Request& req, httplib::Response& res) {
        rapidjson::Document doc;
        doc.Parse(req.body.c_str(), req.body.size());
        if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("deny")
            || !doc["deny"].IsBool()) {
            res.status = 400;
            res.set_content(lever_error("BadRequestError", R"(expected {"deny": true|false})"),
                            k_json);
            return;
        }
        oauth.set_deny(doc["deny"].GetBool());
        res.set_content(oauth.state_json(), k_json);
    });
    svr.Post("/_sandbox/lever/postings",
             [this](const httplib::Request& req, httplib::Response& res) {
                 const std::string error = lever.set_posting_state(req.body);
                 if (!error.empty()) {
                     res.status = 400;
                     res.set_content(lever_error("BadRequestError", error), k_json);
                     return;
                 }
                 res.set_content(R"({"ok":true})", k_json);
             });
    const auto change_route = [this, &svr](const char* path,
                                           std::function<std::string(const std::string&)> act) {
        svr.Post(path, [act](const httplib::Request& req, httplib::Response& res) {
            const std::string error = act(req.body);
            if (!error.empty()) {
                res.status = 400;
                res.set_content(lever_error("BadRequestError", error), k_json);
                return;
            }
            res.set_content(R"({"ok":true})", k_json);
        });
    };
    change_route("/_sandbox/greenhouse/candidates",
                 [this](const std::string& body) { return greenhouse.change_candidate(body); });
    change_route("/_sandbox/lever/opportunities",
                 [this](const std::string& body) { return lever.change_opportunity(body); });
    svr.Post("/_sandbox/pj/applications",
             [this](const httplib::Request& req, httplib::Response& res) {
                 const std::string error = purpose_jobs.add_applications(req.body);
                 if (!error.empty()) {
                     res.status = 400;
                     res.set_content(lever_error("BadRequestError", error), k_json);
                     return;
                 }
                 res.set_content(purpose_jobs.state_json(), k_json);
             });
}

void SandboxServer::Impl::install_handlers() {
    httplib::Server& svr = *server;
    svr.new_task_queue = [] { return new httplib::ThreadPool(64); };
    svr.set_keep_alive_max_count(1000);
    // Remember the listening socket: httplib 0.11 listens with a backlog of 5, too small
    // for bursts of concurrent clients (dropped SYNs cost a 1 s retransmit).
    // httplib's default options add SO_REUSEPORT, which lets a second server share a port
    // already in use; SO_REUSEADDR alone only allows a quick restart.
    svr.set_socket_options([this](socket_t sock) {
        int yes = 1;
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        listen_socket = sock;
    });
    svr.set_payload_max_length(64 * 1024 * 1024);
    RouteTable table;
    greenhouse.add_routes(table);
    lever.add_routes(table);
    oauth.add_routes(table);
    purpose_jobs.add_routes(table);
    for (const Route& route : table.routes()) {
        auto handler = [this, route](const httplib::Request& req, httplib::Response& res) {
            serve(route, req, res);
        };
        if (route.method == "GET") {
            svr.Get(route.pattern, handler);
        } else if (route.method == "DELETE") {
            svr.Delete(route.pattern, handler);
        } else {
            svr.Post(route.pattern, handler);
        }
    }
    add_control_routes();
    // httplib refuses a POST with neither Content-Length nor chunked encoding (what
    // `curl -X POST URL` sends) with 400 before routing; control calls that take no body
    // are answered here, before it looks for one.
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_routed = false;
        t_request_on_connection = count_request_on_connection(req);
        if (req.method == "POST" && !req.has_header("Content-Length")
            && !req.has_header("Transfer-Encoding")) {
            const auto action = bodyless_controls.find(req.path);
            if (action != bodyless_controls.end()) {
                res.status = 200;
                action->second(res);
                return httplib::Server::HandlerResponse::Handled;
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // Fills the body of errors no handler answered (unknown routes, malformed requests).
    const httplib::Server::HandlerWithResponse on_error = [this](const httplib::Request& req,
                                                                 httplib::Response& res) {
        if (!res.body.empty() || res.content_provider_) { // answered already
            return httplib::Server::HandlerResponse::Unhandled;
        }
        const std::string message =
            res.status == 404 ? "No route " + req.method + " " + req.path : "Request refused";
        res.set_content(error_body(flavor_of(req.path), res.status, message), k_json);
        if (!t_routed && !is_control(req.path)) {
            counters.record(RequestRecord{req.method,
                                          req.path,
                                          "unmatched",
                                          auth_kind(req.get_header_value("Authorization")),
                                          res.status,
                                          ""});
        }
        return httplib::Server::HandlerResponse::Handled;
    };
    svr.set_error_handler(on_error);
    svr.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        if (options.log_requests) {
            std::fprintf(stderr,
                         "pj-ats-sandbox: %d %s %s\n",
                         res.status,
                         req.method.c_str(),
                         req.path.c_str());
        }
    });
}

std::string SandboxServer::Impl::state_json() const {
    return build_json([&](JsonWriter& w) {
        w.StartObject();
        w.Key("greenhouse");
        write_raw(w, greenhouse.state_json());
        w.Key("lever");
        write_raw(w, lever.state_json());
        w.Key("oauth");
        write_raw(w, oauth.state_json());
        w.Key("purpose_jobs");
        write_raw(w, purpose_jobs.state_json());
        w.Key("counters");
        write_raw(w, counters.counters_json());
        write_int(w, "faults_pending", static_cast<std::int64_t>(faults.pending()));
        w.Key("log");
        write_raw(w, counters.log_json());
        w.EndObject();
    });
}

void SandboxServer::Impl::reset() {
    greenhouse.reset();
    lever.reset();
    purpose_jobs.reset();
    oauth.reset();
    faults.clear();
    counters.reset();
}

SandboxServer::SandboxServer(SandboxOptions options)
    : m_impl(std::make_unique<Impl>(std::move(options))) {}

SandboxServer::~SandboxServer() {
    stop();
}

bool SandboxServer::bind(std::string& error) {
    Impl& d = *m_impl;
    const SandboxOptions& o = d.options;
    if (o.tls_cert.empty() != o.tls_key.empty()) {
        error = "--tls-cert and --tls-key go together";
        return false;
    }
    if (o.tls_cert.empty()) {
        d.server = std::make_unique<httplib::Server>();
    } else {
        d.server = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
    }
    if (!d.server->is_valid()) {
        error = "cannot load the TLS certificate or key";
        return false;
    }
    d.install_handlers();
    errno = 0;
    if (o.port == 0) {
        d.port = d.server->bind_to_any_port("127.0.0.1");
    } else {
        d.port = d.server->bind_to_port("127.0.0.1", o.port) ? o.port : -1;
    }
    if (d.port <= 0) {
        error = errno == EADDRINUSE
                    ? "port " + std::to_string(o.port)
                          + " on 127.0.0.1 is already in use; pick another with --port "
                            "(--port 0: any free port)"
                    : "cannot listen on 127.0.0.1:" + std::to_string(o.port) + ": "
                          + std::strerror(errno != 0 ? errno : EINVAL);
        return false;
    }
    if (d.listen_socket >= 0) {
        ::listen(d.listen_socket, k_listen_backlog);
    }
    d.oauth.set_base_url(d.base_url());
    return true;
}

void SandboxServer::listen() {
    m_impl->server->listen_after_bind();
}

bool SandboxServer::start(std::string& error) {
    if (!bind(error)) {
        return false;
    }
    m_impl->thread = std::thread([this] { listen(); });
    return true;
}

void SandboxServer::stop() {
    if (m_impl->thread.joinable()) {
        // stop() is a no-op until the accept loop runs: wait for it (briefly) first.
        for (int i = 0; i < 2000 && !m_impl->server->is_running(); ++i) {
            sleep_ms(1);
        }
    }
    if (m_impl->server) {
        m_impl->server->stop();
    }
    if (m_impl->thread.joinable()) {
        m_impl->thread.join();
    }
}

int SandboxServer::port() const {
    return m_impl->port;
}

std::string SandboxServer::base_url() const {
    return m_impl->base_url();
}

std::string SandboxServer::state_json() const {
    return m_impl->state_json();
}

void SandboxServer::reset() {
    m_impl->reset();
}

bool SandboxServer::add_faults(const std::string& rules_json, std::string& error) {
    const std::optional<std::vector<FaultRule>> rules = parse_fault_rules(rules_json, error);
    if (rules) {
        m_impl->faults.append(*rules);
    }
    return rules.has_value();
}

} // namespace pjats::fakes

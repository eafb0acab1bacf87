// Lever OAuth helpers: authorize URL, state, audience, token exchange, and the loopback
// receiver driven by real HTTP requests on 127.0.0.1.

#include "support/scripted_transport.hpp"
#include "test_lever_support.hpp"

#include <pjats/lever/oauth.hpp>

#include <doctest/doctest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <thread>

namespace {

using namespace pjats;
using namespace pjats::lever_test;
using pjats::test::header_of;
using pjats::test::ScriptedTransport;

struct BrowserReply {
    int status = 0;
    std::string body;
};

// Sends GET `target` to the receiver from another thread, like a browser would.
class Browser {
  public:
    Browser(int port, std::string target)
        : m_thread([this, port, target = std::move(target)] {
              httplib::Client client("127.0.0.1", port);
              client.set_connection_timeout(5, 0);
              client.set_read_timeout(5, 0);
              if (auto result = client.Get(target.c_str())) {
                  m_reply.status = result->status;
                  m_reply.body = result->body;
              }
          }) {}

    Browser(const Browser&) = delete;
    Browser& operator=(const Browser&) = delete;

    ~Browser() {
        if (m_thread.joinable()) {
            m_thread.join();
        }
    }

    BrowserReply reply() {
        m_thread.join();
        return m_reply;
    }

  private:
    BrowserReply m_reply;
    std::thread m_thread;
};

// A raw TCP connection that sends nothing, like a browser's speculative pre-connect.
class IdleConnection {
  public:
    explicit IdleConnection(int port)
        : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = htons(static_cast<std::uint16_t>(port));
        m_connected =
            ::connect(m_fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
    }

    IdleConnection(const IdleConnection&) = delete;
    IdleConnection& operator=(const IdleConnection&) = delete;

    ~IdleConnection() {
        ::close(m_fd);
    }

    bool connected() const {
        return m_connected;
    }

  private:
    int m_fd;
    bool m_connected = false;
};

constexpr std::chrono::milliseconds k_wait{10'000};

} // namespace

TEST_CASE("lever::random_state") {
    const std::string first = lever::random_state();
    const std::string second = lever::random_state();
    CHECK(first.size() == 43); // 32 bytes, base64url without padding
    CHECK(first != second);
    for (const char c : first) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                             || (c >= '0' && c <= '9') || c == '-' || c == '_';
        CHECK_MESSAGE(allowed, "unexpected character " << c);
    }
}

TEST_CASE("lever::oauth_audience") {
    CHECK(lever::oauth_audience("") == "https://api.lever.co/v1/");
    CHECK(lever::oauth_audience("https://api.lever.co") == "https://api.lever.co/v1/");
    CHECK(lever::oauth_audience("https://api.lever.co/") == "https://api.lever.co/v1/");
    CHECK(lever::oauth_audience("https://api.lever.co/v1/") == "https://api.lever.co/v1/");
    CHECK(lever::oauth_audience("https://api.sandbox.lever.co")
          == "https://api.sandbox.lever.co/v1/");
    CHECK(lever::oauth_audience("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/v1/");
}

TEST_CASE("lever::authorize_url") {
    SUBCASE("every value is percent-encoded and offline_access comes first") {
        const std::string url = lever::authorize_url("https://auth.lever.co/",
                                                     "client id",
                                                     "http://127.0.0.1:5000/callback",
                                                     "st/ate+1",
                                                     "https://api.lever.co/v1/",
                                                     {"opportunities:write:admin"});
        CHECK(url
              == "https://auth.lever.co/authorize?client_id=client%20id"
                 "&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback&response_type=code"
                 "&state=st%2Fate%2B1&audience=https%3A%2F%2Fapi.lever.co%2Fv1%2F"
                 "&scope=offline_access%20opportunities%3Awrite%3Aadmin");
    }
    SUBCASE("offline_access appears once with the default scopes") {
        const std::string url = lever::authorize_url("",
                                                     "c",
                                                     "http://127.0.0.1:1/callback",
                                                     "s",
                                                     lever::k_default_audience,
                                                     lever::default_scopes());
        CHECK(url.rfind("https://auth.lever.co/authorize?", 0) == 0);
        CHECK(url.find("&scope=offline_access%20opportunities%3Awrite%3Aadmin%20"
                       "opportunities%3Aread%3Aadmin%20postings%3Aread%3Aadmin%20"
                       "users%3Aread%3Aadmin")
              != std::string::npos);
        CHECK(url.find("offline_access") == url.rfind("offline_access"));
    }
}

TEST_CASE("lever::exchange_code") {
    ScriptedTransport transport;
    SUBCASE("success") {
        transport.respond(200, token_json("access-1", "refresh-1", 1800));
        auto tokens = lever::exchange_code(transport,
                                           "https://auth.lever.co",
                                           "client-1",
                                           "secret&1",
                                           "code-1",
                                           "http://127.0.0.1:5000/callback",
                                           k_now);
        REQUIRE_MESSAGE(tokens.has_value(), tokens.error().message);
        CHECK(tokens->access_token == "access-1");
        CHECK(tokens->refresh_token == "refresh-1");
        CHECK(tokens->expires_in == 1800);
        CHECK(tokens->expires_at == k_now + 1800);
        CHECK(tokens->scope == "offline_access opportunities:write:admin");
        const http::Request request = transport.request(0);
        CHECK(request.method == "POST");
        CHECK(request.url == "https://auth.lever.co/oauth/token");
        CHECK(header_of(request, "Content-Type") == "application/x-www-form-urlencoded");
        CHECK(request.body
              == "grant_type=authorization_code&client_id=client-1&client_secret=secret%261"
                 "&code=code-1&redirect_uri=http%3A%2F%2F127.0.0.1%3A5000%2Fcallback");
    }
    SUBCASE("a missing expires_in means one hour") {
        transport.respond(200, R"({"access_token":"a","refresh_token":"r"})");
        auto tokens = lever::exchange_code(transport, "", "c", "s", "code", "uri", k_now);
        REQUIRE(tokens.has_value());
        CHECK(tokens->expires_at == k_now + 3600);
    }
    SUBCASE("a rejected code is an auth error quoting the OAuth error") {
        transport.respond(403, R"({"error":"invalid_grant","error_description":"Invalid code"})");
        auto tokens = lever::exchange_code(transport, "", "c", "s", "code", "uri", k_now);
        REQUIRE_FALSE(tokens.has_value());
        CHECK(tokens.error().kind == ErrorKind::auth);
        CHECK(tokens.error().http_status == 403);
        CHECK(tokens.error().message.find("invalid_grant: Invalid code") != std::string::npos);
    }
    SUBCASE("5xx is temporary") {
        transport.respond(502, "bad gateway");
        auto tokens = lever::exchange_code(transport, "", "c", "s", "code", "uri", k_now);
        REQUIRE_FALSE(tokens.has_value());
        CHECK(tokens.error().kind == ErrorKind::temporary);
    }
    SUBCASE("a success without access_token is a decode error") {
        transport.respond(200, R"({"refresh_token":"r"})");
        auto tokens = lever::exchange_code(transport, "", "c", "s", "code", "uri", k_now);
        REQUIRE_FALSE(tokens.has_value());
        CHECK(tokens.error().kind == ErrorKind::decode);
    }
    SUBCASE("plain http to a non-loopback auth host is refused before sending") {
        auto tokens =
            lever::exchange_code(transport, "http://auth.example.com", "c", "s", "x", "u", k_now);
        REQUIRE_FALSE(tokens.has_value());
        CHECK(tokens.error().kind == ErrorKind::config);
        CHECK(transport.request_count() == 0);
    }
}

TEST_CASE("lever::LoopbackReceiver returns the code of the callback") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE_MESSAGE(receiver.has_value(), receiver.error().message);
    CHECK(receiver->port() > 0);
    CHECK(receiver->redirect_uri()
          == "http://127.0.0.1:" + std::to_string(receiver->port()) + "/callback");

    IdleConnection preconnect(receiver->port()); // must not block the real request
    REQUIRE(preconnect.connected());
    Browser browser(receiver->port(), "/callback?state=state%2D1&code=abc%2B123");
    auto code = receiver->wait_for_code("state-1", k_wait);
    REQUIRE_MESSAGE(code.has_value(), code.error().message);
    CHECK(*code == "abc+123");
    const BrowserReply reply = browser.reply();
    CHECK(reply.status == 200);
    CHECK(reply.body.find("You can close this window") != std::string::npos);
}

TEST_CASE("lever::LoopbackReceiver ignores other paths") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE(receiver.has_value());
    BrowserReply favicon_reply;
    std::thread browser_thread([&] {
        httplib::Client client("127.0.0.1", receiver->port());
        if (auto result = client.Get("/favicon.ico")) {
            favicon_reply.status = result->status;
        }
        client.Get("/callback?code=c1&state=s1");
    });
    auto code = receiver->wait_for_code("s1", k_wait);
    browser_thread.join();
    REQUIRE_MESSAGE(code.has_value(), code.error().message);
    CHECK(*code == "c1");
    CHECK(favicon_reply.status == 404);
}

TEST_CASE("lever::LoopbackReceiver rejects a state mismatch") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE(receiver.has_value());
    Browser browser(receiver->port(), "/callback?state=forged&code=abc");
    auto code = receiver->wait_for_code("expected", k_wait);
    REQUIRE_FALSE(code.has_value());
    CHECK(code.error().kind == ErrorKind::auth);
    CHECK(code.error().message.find("state mismatch") != std::string::npos);
    CHECK(browser.reply().status == 400);
}

TEST_CASE("lever::LoopbackReceiver reports a denied authorization") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE(receiver.has_value());
    Browser browser(receiver->port(),
                    "/callback?state=s&error=access_denied"
                    "&error_description=user_did_not_authorize_the_request");
    auto code = receiver->wait_for_code("s", k_wait);
    REQUIRE_FALSE(code.has_value());
    CHECK(code.error().kind == ErrorKind::auth);
    CHECK(code.error().message.find("access_denied") != std::string::npos);
    CHECK(code.error().message.find("user_did_not_authorize_the_request") != std::string::npos);
    const BrowserReply reply = browser.reply();
    CHECK(reply.status == 200);
    CHECK(reply.body.find("close this window") != std::string::npos);
}

TEST_CASE("lever::LoopbackReceiver reports a callback without a code") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE(receiver.has_value());
    Browser browser(receiver->port(), "/callback?state=s");
    auto code = receiver->wait_for_code("s", k_wait);
    REQUIRE_FALSE(code.has_value());
    CHECK(code.error().kind == ErrorKind::auth);
    CHECK(browser.reply().status == 400);
}

TEST_CASE("lever::LoopbackReceiver times out") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE(receiver.has_value());
    IdleConnection idle(receiver->port());
    auto code = receiver->wait_for_code("s", std::chrono::milliseconds(50));
    REQUIRE_FALSE(code.has_value());
    CHECK(code.error().kind == ErrorKind::auth);
    CHECK(code.error().message.find("timed out") != std::string::npos);
    CHECK(code.error().message.find(receiver->redirect_uri()) != std::string::npos);
}

TEST_CASE("lever::LoopbackReceiver reports a port that is taken") {
    auto receiver = lever::LoopbackReceiver::open();
    REQUIRE(receiver.has_value());
    auto second = lever::LoopbackReceiver::open(receiver->port());
    REQUIRE_FALSE(second.has_value()); // the port is taken: binding it again fails cleanly
    CHECK(second.error().message.find("bind 127.0.0.1:") != std::string::npos);
}

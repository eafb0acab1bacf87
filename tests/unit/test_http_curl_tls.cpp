// CurlTransport over TLS: a throwaway CA and server certificates are made with the openssl
// CLI for each run, and served by httplib::SSLServer on 127.0.0.1.

#include "test_http_support.hpp"

#include <pjats/http/http.hpp>

#include <doctest/doctest.h>
#include <httplib.h>

#include <cstdlib>
#include <fstream>
#include <string>

using namespace std::chrono_literals;
using pjats::ErrorKind;
using pjats::http::make_curl_transport;
using pjats::http::Request;
using pjats::http::TransportOptions;
using pjats::http_test::Running;
using pjats::http_test::ScratchDir;

namespace {

const pjats::http::GlobalInit k_curl_global;

bool have_openssl() {
    return std::system("openssl version >/dev/null 2>&1") == 0; // NOLINT(cert-env33-c)
}

bool run_in(const ScratchDir& dir, const std::string& command) {
    const std::string full = "cd '" + dir.file("") + "' && " + command + " >/dev/null 2>&1";
    return std::system(full.c_str()) == 0; // NOLINT(cert-env33-c): fixed commands, temp dir
}

// Makes ca.pem, and `name`.pem/`name`.key signed by it with the given subjectAltName.
bool make_server_cert(const ScratchDir& dir, const std::string& name, const std::string& san) {
    {
        std::ofstream ext(dir.file(name + ".ext"));
        ext << "subjectAltName=" << san << "\n"
            << "basicConstraints=CA:FALSE\n"
            << "keyUsage=critical,digitalSignature\n"
            << "extendedKeyUsage=serverAuth\n";
    }
    const std::string ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    return run_in(dir,
                  "openssl req " + ec + " -keyout " + name + ".key -out " + name
                      + ".csr -subj /CN=" + name)
           && run_in(dir,
                     "openssl x509 -req -in " + name
                         + ".csr -CA ca.pem -CAkey ca.key "
                           "-CAcreateserial -days 2 -out "
                         + name + ".pem -extfile " + name + ".ext");
}

bool make_ca(const ScratchDir& dir) {
    return run_in(dir,
                  "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
                  "-keyout ca.key -out ca.pem -days 2 -subj '/CN=pj-ats test CA' "
                  "-addext basicConstraints=critical,CA:TRUE "
                  "-addext keyUsage=critical,keyCertSign,cRLSign");
}

Request get(const std::string& url) {
    Request request;
    request.url = url;
    return request;
}

} // namespace

TEST_CASE("http::CurlTransport verifies TLS certificates") {
    if (!have_openssl()) {
        MESSAGE("openssl CLI not found; skipping the TLS tests");
        return;
    }
    ScratchDir dir;
    REQUIRE(make_ca(dir));
    REQUIRE(make_server_cert(dir, "good", "IP:127.0.0.1"));
    REQUIRE(make_server_cert(dir, "wrong", "DNS:other.example"));

    Running<httplib::SSLServer> good(dir.file("good.pem").c_str(), dir.file("good.key").c_str());
    REQUIRE(good.server().is_valid());
    good.server().Get("/ok", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("secure hello", "text/plain");
    });
    good.start();

    Running<httplib::SSLServer> wrong(dir.file("wrong.pem").c_str(), dir.file("wrong.key").c_str());
    REQUIRE(wrong.server().is_valid());
    wrong.server().Get("/ok", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("should not be reached", "text/plain");
    });
    wrong.start();

    TransportOptions trusting;
    trusting.connect_timeout = 5000ms;
    trusting.ca_bundle = dir.file("ca.pem");

    SUBCASE("succeeds with ca_bundle set to the issuing CA") {
        auto transport = make_curl_transport(trusting);
        auto r = transport->send(get(good.url("/ok", "https")));
        REQUIRE(r);
        CHECK(r->status == 200);
        CHECK(r->body == "secure hello");
        // Same connection for the next request (TLS session and keep-alive survive reset).
        auto again = transport->send(get(good.url("/ok", "https")));
        REQUIRE(again);
        CHECK(again->body == "secure hello");
    }
    SUBCASE("fails without the CA") {
        TransportOptions plain;
        plain.connect_timeout = 5000ms;
        auto r = make_curl_transport(plain)->send(get(good.url("/ok", "https")));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == ErrorKind::config);
        CHECK_FALSE(r.error().outcome_unknown);
        CHECK(r.error().message.find("ca_bundle") != std::string::npos);
    }
    SUBCASE("fails when the certificate names another host") {
        auto r = make_curl_transport(trusting)->send(get(wrong.url("/ok", "https")));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == ErrorKind::config);
        CHECK_FALSE(r.error().outcome_unknown);
    }
    SUBCASE("a missing ca_bundle file is a configuration error") {
        TransportOptions missing = trusting;
        missing.ca_bundle = dir.file("no-such-ca.pem");
        auto r = make_curl_transport(missing)->send(get(good.url("/ok", "https")));
        REQUIRE_FALSE(r);
        CHECK(r.error().kind == ErrorKind::config);
    }
}

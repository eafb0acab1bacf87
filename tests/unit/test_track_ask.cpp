// track::ask_greenhouse: batches of 50 ids, states from each answer, ids left out are lost.

#include "support/scripted_transport.hpp"

#include <pjats/track/track.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>

namespace pjats {

TEST_CASE("track::ask_greenhouse asks 50 ids a request and reads every answer shape") {
    test::ScriptedTransport transport;
    transport
        .respond(200, R"([{"id":1,"applications":[{"id":9,"job":"Senior Engineer","status":"Hired",
                          "stage":"Offer","profile_url":"https://app.greenhouse.io/people/1"}]},
                         {"id":2,"applications":[{"id":8,"job":"Senior Engineer",
                          "status":"rejected","stage":"Application Review"}]}])")
        // The documented example: a single object, "Active" capitalised.
        .respond(200, R"({"id":51,"name":"x","external_id":"51","applications":[{"id":7,
                          "job":"Product Manager","status":"Active","stage":"Phone Screen",
                          "profile_url":"u"}]})")
        .respond(200, "[]");
    greenhouse::Client client(transport, "https://gh.example", "key", "me@example.com");
    std::vector<ledger::Entry> rows;
    for (int i = 1; i <= 120; ++i) {
        ledger::Entry e;
        e.key = ledger::Key(std::to_string(1000 + i), "greenhouse", "job:4690", "acct");
        e.remote_id = std::to_string(i);
        rows.push_back(e);
    }
    track::Answers answers = track::ask_greenhouse(client, rows);
    REQUIRE(transport.request_count() == 3);
    CHECK(transport.request(0).url.find("candidate_ids=1,2,3,") != std::string::npos);
    CHECK(transport.request(0).url.find(",50") != std::string::npos);
    CHECK(transport.request(0).url.find(",51") == std::string::npos);
    CHECK(transport.request(2).url.find("candidate_ids=101,") != std::string::npos);
    CHECK(transport.request(0).body.empty());
    CHECK_FALSE(answers.stopped_by);
    CHECK(answers.failed.empty());
    REQUIRE(answers.seen.size() == 120);
    std::map<std::string, track::Observation> by_id;
    for (const track::Observation& seen : answers.seen) {
        by_id[seen.remote_id] = seen;
    }
    CHECK(by_id["1"].state == "hired");
    CHECK(by_id["1"].stage == "Offer");
    CHECK(by_id["1"].job == "Senior Engineer");
    CHECK(by_id["1"].link == "https://app.greenhouse.io/people/1");
    CHECK(by_id["2"].state == "rejected");
    CHECK(by_id["3"].state == "lost");
    CHECK(by_id["3"].job == "4690");
    CHECK(by_id["51"].state == "active");
    CHECK(by_id["51"].stage == "Phone Screen");
    CHECK(by_id["101"].state == "lost");
}

TEST_CASE("track::ask_greenhouse stops at a refusal and keeps temporary failures per row") {
    test::ScriptedTransport transport;
    transport.respond(503, R"({"message":"busy"})");
    greenhouse::Client client(transport, "https://gh.example", "key", "me@example.com");
    std::vector<ledger::Entry> rows(2);
    rows[0].key = ledger::Key("1", "greenhouse", "", "a");
    rows[0].remote_id = "11";
    rows[1].key = ledger::Key("2", "greenhouse", "", "a");
    rows[1].remote_id = "not-an-id";
    track::Answers answers = track::ask_greenhouse(client, rows);
    REQUIRE(answers.failed.size() == 2);
    CHECK(answers.failed[0].error.kind == ErrorKind::validation); // no id in the ledger
    CHECK(answers.failed[1].error.kind == ErrorKind::temporary);

    test::ScriptedTransport refusing;
    refusing.respond(403, R"({"errors":[{"message":"no permission"}]})");
    greenhouse::Client refused(refusing, "https://gh.example", "key", "me@example.com");
    track::Answers stopped = track::ask_greenhouse(refused, {rows[0]});
    REQUIRE(stopped.stopped_by);
    CHECK(stopped.stopped_by->kind == ErrorKind::auth);
}

TEST_CASE("track::ask_greenhouse asks its batches on several workers at once, answers in order") {
    // Every batch takes 100 ms and answers for its first id only.
    struct SlowGreenhouse final : http::Transport {
        std::atomic<int> in_flight{0};
        std::atomic<int> most{0};
        std::atomic<int> calls{0};
        Result<http::Response> send(const http::Request& request) override {
            ++calls;
            const int now = ++in_flight;
            int seen = most.load();
            while (now > seen && !most.compare_exchange_weak(seen, now)) {
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            --in_flight;
            const std::string::size_type at = request.url.find("candidate_ids=");
            const std::string first = request.url.substr(at + 14, request.url.find_first_of(",&", at + 14) - at - 14);
            http::Response response;
            response.status = 200;
            response.body = R"([{"id":)" + first + R"(,"applications":[]}])";
            return response;
        }
    } transport;
    greenhouse::Client client(transport, "https://gh.example", "key", "me@example.com");
    std::vector<ledger::Entry> rows;
    for (int i = 1; i <= 400; ++i) {
        ledger::Entry e;
        e.key = ledger::Key(std::to_string(1000 + i), "greenhouse", "", "acct");
        e.remote_id = std::to_string(i);
        rows.push_back(e);
    }
    const auto start = std::chrono::steady_clock::now();
    track::Answers answers = track::ask_greenhouse(client, rows, 8, nullptr);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(transport.calls == 8);
    CHECK(transport.most > 1);
    CHECK(elapsed < std::chrono::milliseconds(500)); // one after another: 800 ms
    REQUIRE(answers.seen.size() == 400);
    CHECK(answers.failed.empty());
    // In row order whatever finished first; the first id of each batch was found.
    for (std::size_t i = 0; i < answers.seen.size(); ++i) {
        CAPTURE(i);
        CHECK(answers.seen[i].remote_id == std::to_string(i + 1));
        CHECK(answers.seen[i].state == (i % 50 == 0 ? "active" : "lost"));
    }
}

TEST_CASE("lever::decode_opportunity_status reads stage (plain or expanded), archive and link") {
    auto plain = lever::decode_opportunity_status(
        R"({"data":{"id":"o1","stage":"offer","archived":{"archivedAt":1700000000123,
            "reason":"r1"},"applications":["a1"],"urls":{"show":"https://hire.lever.co/candidates/o1"}}})");
    REQUIRE(plain);
    CHECK(plain->stage == "offer");
    CHECK(plain->archived_at == 1700000000123);
    CHECK(plain->archive_reason == "r1");
    CHECK(plain->link == "https://hire.lever.co/candidates/o1");
    auto expanded = lever::decode_opportunity_status(
        R"({"data":{"id":"o1","stage":{"id":"offer","text":"Offer"},"archived":null}})");
    REQUIRE(expanded);
    CHECK(expanded->stage == "offer");
    CHECK(expanded->archived_at == 0);
    CHECK_FALSE(lever::decode_opportunity_status(R"({"data":{"stage":"x"}})"));
    CHECK_FALSE(lever::decode_opportunity_status("[1]"));
}

TEST_CASE("lever::decode_named_page takes an array, or the single object Lever's example shows") {
    auto page = lever::decode_named_page(
        R"({"data":[{"id":"r1","text":"Hired"},{"id":"r2","text":"Hired - contractor"}],"hasNext":false})");
    REQUIRE(page);
    REQUIRE(page->items.size() == 2);
    CHECK(page->items[1].text == "Hired - contractor");
    auto single = lever::decode_named_page(R"({"data":{"id":"r1","text":"Hired","type":"hired"}})");
    REQUIRE(single);
    REQUIRE(single->items.size() == 1);
    CHECK(single->items[0].id == "r1");
    CHECK_FALSE(single->has_next);
    CHECK_FALSE(lever::decode_named_page(R"({"data":"x"})"));
}

} // namespace pjats

TEST_CASE("track::hires_by_candidate lists one person once, with every hired record") {
    auto row = [](const std::string& id, const std::string& destination,
                  const std::string& remote, std::int64_t hired_seen, const char* state) {
        pjats::ledger::Tracked t;
        t.key = pjats::ledger::Key(id, "greenhouse", destination, "acct");
        t.remote_id = remote;
        t.state = state;
        t.job = destination.empty() ? "" : "Engineer";
        t.hired_seen_at = hired_seen;
        return t;
    };
    const std::vector<pjats::ledger::Tracked> rows = {
        row("1000", "job:4690", "200", 2000, "hired"), // the candidate on a job
        row("1000", "", "100", 1000, "hired"),         // the same person as a prospect
        row("1001", "", "101", 1500, "hired"),
        row("1002", "", "102", 1500, "active"),
        row("1003", "", "103", 99999, "hired"),        // outside the window
    };
    const std::vector<pjats::track::Hire> hires = pjats::track::hires_by_candidate(rows, 500, 5000);
    REQUIRE(hires.size() == 2);
    CHECK(hires[0].first.key.candidate_id == "1000");
    CHECK(hires[0].first.remote_id == "100"); // the earliest hire
    REQUIRE(hires[0].records.size() == 2);
    CHECK(hires[0].records[0].remote_id == "200");
    CHECK(hires[0].records[1].remote_id == "100");
    CHECK(hires[1].first.key.candidate_id == "1001");
    CHECK(hires[1].records.size() == 1);
    CHECK(pjats::track::hires(rows, 500, 5000).size() == 3); // the rows themselves, per record
}

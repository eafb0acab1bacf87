#pragma once

// A strict fake of the Lever v1 Data API (reference: lever-api.md). Every request needs
// `Authorization: Basic base64(api_key + ":")` or `Authorization: Bearer <access token>`
// issued by FakeLeverOAuth (not expired, not revoked, with the scope the route needs:
// <resource>:read:admin or <resource>:write:admin). A token bucket per credential (the API
// key, or one OAuth grant) refuses bursts with 429 and no rate-limit headers. Errors are
// {"code","message"}.
//
//   POST /v1/opportunities?perform_as=USER_ID[&parse=true][&perform_as_posting_owner=true]
//        JSON or multipart/form-data; 201 {"data": opportunity, "deduped": bool}
//   GET  /v1/opportunities[?email=&tag=&posting_id=&...&limit=&offset=]   paginated
//   GET  /v1/opportunities/:id
//   GET  /v1/users[?email=&includeDeactivated=&accessRole=]                paginated
//   GET  /v1/users/:id
//   GET  /v1/postings[?state=&distributionChannel=&team=&...&limit=&offset=] paginated
//   GET  /v1/postings/:id
//   GET  /v1/stages
//   GET  /v1/archive_reasons[?type=hired|non-hired]
//   POST /v1/opportunities/:id/notes[?perform_as=]   JSON {"value" (required), "secret",
//        "score" 1-4, "notifyFollowers", "createdAt"}; 201 {"data": note + "noteId"}
//   GET  /v1/opportunities/:id/notes                  paginated
//   POST /v1/opportunities/:id/files?perform_as=     (required) multipart, exactly one part
//        `file` (a file, <= 30 MB); 201 {"data": file}
//   GET  /v1/opportunities/:id/files                  paginated
// Scopes: notes:* and files:* (OAuth). An unknown opportunity is 404.

#include "fake_lever_oauth.hpp"
#include "lever_card.hpp"
#include "lever_opportunities.hpp"
#include "lever_postings.hpp"
#include "route_table.hpp"
#include "token_buckets.hpp"

#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pjats::fakes {

class FakeLever {
  public:
    // `posting_count` generated postings; `rate` requests per second per credential with
    // bursts of `burst` (rate 0: unlimited).
    FakeLever(FakeLeverOAuth& oauth, int posting_count, double rate, double burst);

    void add_routes(RouteTable& table);

    // Forgets every contact, opportunity and rate-limit bucket; postings get their
    // generated states back.
    void reset();

    // Control: {"id": posting id, "state": "closed"} changes a posting's state (e.g. to
    // close one that was published). Returns "" or an error message.
    std::string set_posting_state(const std::string& body);

    // Control: {"id": opportunity id, "stage": stage id?, "archive_reason": reason id?}
    // moves an opportunity to a stage (recorded in stageChanges) and/or archives it now
    // with that reason ("" unarchives). Returns "" or an error message.
    std::string change_opportunity(const std::string& body);

    // {"opportunities":[{"id","contact","deduped","perform_as","multipart","resume",
    //   "body","opportunity",...}], "contacts":[...]}
    std::string state_json() const;

  private:
    // Checks credentials, scope and the rate limit; on failure answers and returns nullopt.
    // The value is the credential kind: "api_key" or "oauth".
    // The organization the request's credential reaches ("acme" for OAuth grants; "" for
    // an unknown credential, which authorize refuses).
    static std::string_view organization_of(const httplib::Request& req);
    std::optional<std::string> authorize(const httplib::Request& req,
                                         httplib::Response& res,
                                         const std::string& resource,
                                         bool write);

    void create_opportunity(const httplib::Request& req, httplib::Response& res);
    void list_opportunities(const httplib::Request& req, httplib::Response& res);
    void get_opportunity(const httplib::Request& req, httplib::Response& res);
    void list_users(const httplib::Request& req, httplib::Response& res);
    void get_user(const httplib::Request& req, httplib::Response& res);
    void list_postings(const httplib::Request& req, httplib::Response& res);
    void get_posting(const httplib::Request& req, httplib::Response& res);
    void list_stages(const httplib::Request& req, httplib::Response& res);
    void list_archive_reasons(const httplib::Request& req, httplib::Response& res);
    // fake_lever_card.cpp
    void add_card_routes(RouteTable& table);
    void create_note(const httplib::Request& req, httplib::Response& res);
    void list_notes(const httplib::Request& req, httplib::Response& res);
    void upload_file(const httplib::Request& req, httplib::Response& res);
    void list_files(const httplib::Request& req, httplib::Response& res);
    // The perform_as of `req` when given (`required`: it must be): "" with an answer sent
    // when it is missing, unknown or deactivated.
    std::optional<std::string> perform_as_of(const httplib::Request& req,
                                             httplib::Response& res, bool required);

    FakeLeverOAuth& m_oauth;
    std::vector<Posting> m_postings; // states guarded by m_postings_mutex
    std::vector<std::string> m_initial_states;
    mutable std::mutex m_postings_mutex;
    OpportunityStore m_store;
    CardStore m_card;
    TokenBuckets m_buckets;
};

} // namespace pjats::fakes

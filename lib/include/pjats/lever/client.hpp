#pragma once

// The Lever v1 Data API calls pj-ats needs (lever-api.md §2): users (perform_as),
// postings, and creating/finding opportunities.

#include <pjats/core/result.hpp>
#include <pjats/http/http.hpp>
#include <pjats/http/rate_limiter.hpp>
#include <pjats/lever/credentials.hpp>
#include <pjats/lever/mapping.hpp>
#include <pjats/lever/model.hpp>
#include <pjats/model/candidate.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pjats::lever {

// The tag every opportunity created by pj-ats carries, and the lookup filter.
inline constexpr const char* k_purpose_jobs_tag = "Purpose Jobs";

// Lever's documented rate limit per key: 10 requests/s steady, bursts up to 20. Build the
// shared http::TokenBucket passed to Client from these.
inline constexpr double k_rate_per_second = 10.0;
inline constexpr double k_rate_burst = 20.0;

// The burst pj-ats itself uses: 3 tokens short of Lever's, so that network jitter
// (requests arriving closer together than they left) cannot empty the server's bucket;
// the steady rate stays at the full 10 req/s.
inline constexpr double k_client_burst = k_rate_burst - 3;

// Page size of list calls (Lever's maximum) and the most pages one listing may take.
inline constexpr int k_page_limit = 100;
inline constexpr int k_max_pages = 10000;

// "https://api.lever.co/v1/" and "https://api.lever.co" both become "https://api.lever.co"
// (the client appends /v1/... itself); empty becomes profile::k_default_lever_url.
std::string normalize_base_url(std::string base_url);

// Turns a non-2xx Lever response into an Error: 401/403 → auth, 400/422 → validation
// ("Lever rejected the request: BadRequestError: Missing perform_as parameter…"),
// 404 → not_found, 429/5xx → temporary, else failure. Lever's {"code","message"} body is
// quoted (redacted); `what` names the call ("create opportunity").
Error error_from_response(const http::Response& response, std::string_view what);

// A Lever API client. Every HTTP call first takes a token from `limiter` (when not null),
// sends the credentials' Authorization and Accept: application/json, and after a 401
// refreshes the credentials once (when they can) and retries. Retries of 429/5xx belong
// to the Transport (wrap it in http::RetryingTransport). Safe to share between threads
// when the transport and credentials are.
class Client {
  public:
    Client(http::Transport& transport,
           Credentials& credentials,
           std::string base_url,
           http::TokenBucket* limiter = nullptr);

    const std::string& base_url() const {
        return m_base_url;
    }

    // GET /v1/users?email=: the active user with that email; none → not_found.
    Result<User> user_by_email(const std::string& email);

    // GET /v1/users/:id: true when the user is in the credential's account (active or
    // deactivated), false on 404 (or 400: no such id).
    Result<bool> user_exists(const std::string& id);

    // GET /v1/postings/:id
    Result<Posting> posting(const std::string& id);

    // GET /v1/postings[?state=STATE], every page (limit=100, `next` passed back as
    // `offset` until hasNext is false). A repeated offset token, a missing one while
    // hasNext is true, or more than k_max_pages pages is a `decode` error.
    Result<std::vector<Posting>> postings(const std::string& state);

    // The request create_opportunity sends, without Authorization (for --dry-run):
    // POST /v1/opportunities?perform_as=ID with the JSON body of opportunity_json, or, when
    // candidate.resume_file names an existing file, multipart parts from opportunity_form
    // and &parse=true. A resume_file that is set but missing is a `validation` error with
    // field "meta.purposeJobs.resumeFile"; an empty `perform_as` is a `config` error; an
    // invalid options.origin is a `usage` error.
    Result<http::Request> create_opportunity_request(const OpportunityOptions& options,
                                                     const model::Candidate& candidate,
                                                     const std::string& perform_as) const;

    // Sends create_opportunity_request. Errors after which Lever may have created the
    // opportunity (transport failures after sending, 5xx other than 503, an undecodable
    // 2xx) carry outcome_unknown.
    Result<CreatedOpportunity> create_opportunity(const OpportunityOptions& options,
                                                  const model::Candidate& candidate,
                                                  const std::string& perform_as);

    // GET /v1/opportunities?tag=, every page: every opportunity with the tag (audit).
    Result<std::vector<OpportunitySummary>> tagged_opportunities(const std::string& tag);

    // GET /v1/opportunities?email=&tag=[&posting_id=], every page.
    Result<std::vector<OpportunitySummary>> find_opportunities(const std::string& email,
                                                               const std::string& tag,
                                                               const std::string& posting_id);

    // outcome.cpp (track): GET /v1/opportunities/:id (404 → not_found), every stage
    // (GET /v1/stages) and every archive reason of `type` ("hired" or "non-hired";
    // GET /v1/archive_reasons?type=).
    Result<OpportunityStatus> opportunity(const std::string& id);
    Result<std::vector<NamedItem>> stages();
    Result<std::vector<NamedItem>> archive_reasons(const std::string& type);
    // The card's follow-up calls (client_card.cpp; lever-api.md §2.7).

    // POST /v1/opportunities/:id/notes[?perform_as=] with JSON {"value": text}: the new
    // note's id (data.noteId, else data.id). Errors as create_opportunity's.
    Result<std::string> create_note(const std::string& opportunity_id, const std::string& text,
                                    const std::string& perform_as);

    struct NoteText {
        std::string id;
        std::string text; // every field value and the note's own text, one per line
    };

    // GET /v1/opportunities/:id/notes, every page.
    Result<std::vector<NoteText>> list_notes(const std::string& opportunity_id);

    // POST /v1/opportunities/:id/files?perform_as= as multipart/form-data with the one
    // part `file` (`file_path`'s bytes unchanged, named `file_name`, of `content_type`): the
    // file's id. An empty `perform_as` is a `config` error.
    Result<std::string> upload_file(const std::string& opportunity_id,
                                    const std::string& file_path,
                                    const std::string& file_name,
                                    const std::string& content_type,
                                    const std::string& perform_as);

    struct FileName {
        std::string id;
        std::string name;
    };

    // GET /v1/opportunities/:id/files, every page.
    Result<std::vector<FileName>> list_files(const std::string& opportunity_id);

  private:
    Result<std::vector<NamedItem>> named_list(const std::string& path, std::string_view what);

    http::Request make_request(std::string method, std::string path_and_query) const;
    Result<http::Response> send(http::Request request, std::string_view what);
    Result<http::Response> send_once(const http::Request& request);

    // Calls `consume` with the body of every page of GET `path_and_query` (which already
    // has a '?'); `consume` returns hasNext and next of the page.
    struct PageCursor {
        bool has_next = false;
        std::string next;
    };

    using PageConsumer = std::function<Result<PageCursor>(const std::string& body)>;
    Status walk_pages(const std::string& path_and_query,
                      std::string_view what,
                      const PageConsumer& consume);

    http::Transport& m_transport;
    Credentials& m_credentials;
    std::string m_base_url;
    http::TokenBucket* m_limiter;
};

} // namespace pjats::lever

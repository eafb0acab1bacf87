#pragma once

#include <pjats/core/result.hpp>
#include <pjats/model/candidate.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::send {

// Where in the target system a candidate goes.
struct Placement {
    std::optional<std::int64_t> greenhouse_job; // --job: candidate on a job, else a prospect
    std::string lever_posting;                   // --posting or the linked posting
    std::string lever_origin = "sourced";        // "applied" for sync'ed applications
    // --on-behalf-of: the recruiter credited with every send of the run. Precedence: this,
    // else the record's meta.purposeJobs.exportedBy, else the profile's user.
    std::string credit_email;
    // Greenhouse prospects: --pool / --pool-stage by name (Target::prepare resolves them
    // to the ids below) and --prospect-owner.
    std::string greenhouse_pool_name;
    std::string greenhouse_pool_stage_name;
    std::optional<std::int64_t> greenhouse_pool;
    std::optional<std::int64_t> greenhouse_pool_stage;
    std::string prospect_owner;
};

// Where in a target a send went, as a value: a Greenhouse job, a Lever posting, or neither
// (a prospect / a plain opportunity). The ledger stores it as its key() text; parse() is
// the one way back.
struct Destination {
    enum class Kind { none, job, posting };
    Kind kind = Kind::none;
    std::string id;

    static Destination job(std::int64_t job_id) { return {Kind::job, std::to_string(job_id)}; }
    static Destination posting(std::string posting_id) {
        return posting_id.empty() ? Destination{} : Destination{Kind::posting, std::move(posting_id)};
    }
    // "" | "job:<id>" | "posting:<id>"
    std::string key() const;
    // The value of a stored key; an unknown form is Kind::none with the text as id.
    static Destination parse(const std::string& key);
};

// What the target system answered for a created (or found) record.
struct Outcome {
    std::string remote_id;  // Greenhouse candidate id / Lever opportunity id
    std::string detail;     // e.g. Greenhouse profile_url, Lever contact id
    bool deduped = false;   // Lever reused an existing contact
    bool found_existing = false; // outcome came from a lookup, nothing was created
};

// The ledger account key: the API's base URL (http::canonical_base_url) and the identity,
// e.g. "https://api.lever.co#org:8d49b010-…" (an organization, named by its anchor user:
// send/account.hpp) or, before the organization is known, "…#user:<id>".
std::string account_key(const std::string& base_url, const std::string& identity);

// What a target's credential can show about the organization it reaches (docs/ledger.md,
// "Accounts"): the server, the user it acts as, and what lets another credential check
// that it can see that user too.
struct OrgIdentity {
    std::string url;   // http::canonical_base_url of the API base URL
    std::string user;  // the user id the credential acts as; "" when unknown (offline)
    std::string proof; // Greenhouse: that user's e-mail (On-Behalf-Of); Lever: ""
};

// One ATS as a destination for candidates. Implementations: Greenhouse, Lever.
class Target {
  public:
    virtual ~Target() = default;

    // "greenhouse" or "lever".
    virtual std::string name() const = 0;

    // The account sends go to, as the ledger keys them: the base URL and the account's
    // identity (e.g. a user id learnt at configure time), never a secret. "" only for
    // targets that cannot tell (test doubles).
    virtual std::string account() const { return {}; }

    // The organization's identity (empty user: the target cannot tell, e.g. test doubles)
    // and the check behind send::bind_account: whether this credential reaches the user
    // `user` (with `proof` as recorded by its first host) in its own organization. true /
    // false; an error when the ATS did not answer clearly (nothing is concluded then).
    virtual OrgIdentity org_identity() const { return {}; }
    virtual Result<bool> reaches_user(const std::string& /*user*/, const std::string& /*proof*/) {
        return false;
    }
    // Makes `account` the key account() answers (send::bind_account, before a run starts).
    virtual void set_account(std::string /*account*/) {}

    // Resolves and checks `placement` once before a run sends anything: Greenhouse pool and
    // stage names become ids (GET prospect_pools), --on-behalf-of and --prospect-owner are
    // checked to be active users. A usage error for an unknown name or user.
    virtual Status prepare(Placement& /*placement*/) { return {}; }

    // Who a send of `candidate` is credited to (placement.credit_email, else the record's
    // exportedBy, else the profile's user), as the ledger records it; each user is checked
    // once per run and the answer cached. A validation error (nothing sent) when the
    // target has no such active user. "" when the target cannot tell (test doubles).
    virtual Result<std::string> credit(const model::Candidate& /*candidate*/,
                                       const Placement& /*placement*/) {
        return std::string();
    }

    // The ledger destination for `placement` (Destination::key(): "" | "job:4690" |
    // "posting:<id>").
    virtual std::string destination(const Placement& placement) const = 0;

    // The exact request the create call would send (method, URL, body), for --dry-run.
    virtual Result<std::string> describe_request(const model::Candidate& candidate,
                                                 const Placement& placement) = 0;

    // Creates the record. Errors carry outcome_unknown when the server may have acted.
    virtual Result<Outcome> create(const model::Candidate& candidate,
                                   const Placement& placement) = 0;

    // Whether find_existing can answer (Lever can search by email; Greenhouse cannot).
    virtual bool can_look_up() const = 0;

    // After an unknown outcome: the record created earlier for this candidate and
    // placement, if the target shows one. nullopt: nothing found.
    virtual Result<std::optional<Outcome>> find_existing(const model::Candidate& candidate,
                                                         const Placement& placement) = 0;

    // Follow-up steps (docs/ledger.md, "Steps"): what is done once each, in this order,
    // after the record was created (Lever: "note", and "file" for a résumé URL). None by
    // default.
    virtual std::vector<std::string> steps_for(const model::Candidate& candidate) const {
        (void)candidate;
        return {};
    }

    // Does step `step` on the record `remote_id`: the id of what it created. Errors carry
    // outcome_unknown when the target may have acted.
    virtual Result<std::string> do_step(const std::string& step, const std::string& remote_id,
                                        const model::Candidate& candidate);

    // After an unknown outcome: the id of what step `step` created on `remote_id` earlier,
    // if the target shows it; nullopt when nothing is there.
    virtual Result<std::optional<std::string>> find_step(const std::string& step,
                                                         const std::string& remote_id,
                                                         const model::Candidate& candidate);
};

} // namespace pjats::send

#pragma once

// The model behind `pj-ats status`: a list of checks (ok, warn, fail with the fix) plus
// the JSON sections describing what was found, printed as text lines or one JSON object.

#include "context.hpp"
#include "exit_code.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/ledger/ledger.hpp>
#include <pjats/profile/profile.hpp>

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::cli {

enum class CheckStatus { ok, warn, fail };

// "ok", "warn" or "fail" (the JSON spelling).
const char* to_string(CheckStatus status);

struct Check {
    std::string name; // stable identifier, e.g. "greenhouse.live"
    CheckStatus status = CheckStatus::ok;
    std::string detail;           // one line for humans; never a secret
    std::string fix;              // the exact command or action; empty when there is nothing to do
    ExitCode code = ExitCode::ok; // for failures: the exit code this problem causes
};

class StatusReport {
  public:
    StatusReport();

    void ok(std::string name, std::string detail);
    void warn(std::string name, std::string detail, std::string fix = {});
    // A warning that needs a person (sends that failed or await review): status still
    // passes its checks, but exits 3 so that a cron job notices.
    void attention(std::string name, std::string detail, std::string fix);
    void fail(std::string name, std::string detail, std::string fix, ExitCode code);

    // Replaces top-level JSON member `key` (one of profile, config, source, greenhouse,
    // lever, links, ledger, last_sync) with already serialised `json`.
    void set_section(const std::string& key, std::string json);

    const std::vector<Check>& checks() const {
        return m_checks;
    }

    // True when no check failed (warnings allowed).
    bool healthy() const;

    // The code of the most severe failure: config (5) before auth (4), lock (8), rejected
    // (6), failure (1) and temporary (7); without failures 3 when sends need attention,
    // else 0.
    int exit_code() const;

    // The names of the checks that need a person, in order, each once: the failed ones and
    // the warnings that exit 3 (only the failed ones with `failed_only`).
    std::vector<std::string> needs_person(bool failed_only = false) const;
    // "ok" (exit 0; warnings allowed), "attention" (exit 3: sends need a person) or
    // "broken" (a check failed: its code).
    const char* verdict() const;
    // "F failures, W warnings; nothing needs a person (exit 0)." or "…; sends need a
    // person: ledger.failed (exit 3)." or "…; broken: greenhouse.live (exit 4)." (both lists when both apply) — the
    // verdict and its reason, with the exit code status returns.
    std::string summary() const;

    // One "ok|warn|FAIL  name: detail" line per check, "  fix: ..." under problems, and
    // summary().
    // Fitted to `width` (a terminal's; nullopt: no limit): the detail shortened with "…",
    // a prose fix wrapped between its commands, a command never cut.
    void print_text(std::ostream& out, bool color, std::optional<std::size_t> width) const;

    // {"profile":…, …, "checks":[…], "ok":bool, "verdict":…, "needs_person":[names],
    //  "summary":…, "exit_code":int}
    std::string to_json() const;

  private:
    std::vector<Check> m_checks;
    std::vector<std::pair<std::string, std::string>> m_sections; // in output order
};

// Writes {"present","origin","where"} for a resolved secret (never its value).
void write_secret_json(JsonWriter& json, const profile::Secret& secret);

// "from $NAME", "from api_key_command", "stored in the profile" or "not set".
std::string describe_origin(const profile::Secret& secret, const std::string& command_key);

// `text` as one shell word (single-quoted unless it only holds safe characters).
std::string shell_word(const std::string& text);

// "pj-ats", plus --config/--profile when they were given, to start the fix commands.
std::string command_prefix(const Context& ctx);

// "in 42 min", "3 h ago", ... for a unix time relative to `now` (both seconds).
std::string relative_time(std::int64_t when, std::int64_t now);

// `text`, or null when it is absent.
void value_or_null(JsonWriter& json, const std::optional<std::string>& text);

// A library hint as the `fix:` column shows it: the bare command.
std::string status_fix(const Hint& hint, const std::string& program);

// The local checks (config.cpp, profile.cpp, source.cpp, ledger.cpp): the config file,
// the profile, the source, the links and the ledger. Each adds its checks and sets its
// section.
// False (and a failed check) when --profile or PJ_ATS_PROFILE names an invalid profile:
// then nothing else is checked.
bool check_profile_name_given(const Context& ctx, StatusReport& report);
std::optional<profile::Config> check_config(const Context& ctx, StatusReport& report);
std::optional<profile::Profile>
check_profile(const Context& ctx, const profile::Config& config, StatusReport& report);
void check_source(const profile::Profile& profile, Context& ctx, StatusReport& report);
void check_links(const profile::Profile& profile, const Context& ctx, StatusReport& report);
// The ledger of profile `name` (never created by status) and the last sync time.
void check_ledger(const std::string& name,
                  const profile::Profile& profile,
                  const Context& ctx,
                  StatusReport& report);

// Sends that need attention (sends.cpp): a `ledger.failed` and a `ledger.pending`
// warning naming the first few of each (then "… and N more" with the `ledger list`
// command that shows them all), and one `ledger.review` line per row for review (the
// first 20) with the `ledger resolve` command that closes it.
// A failed row is sent again by `sync` when it is an application of a linked job (Lever,
// a posting in `links`), else by `send` with its destination's flags: the fix says which.
void report_sends_to_fix(const std::vector<ledger::Entry>& failed,
                         const std::vector<ledger::Entry>& pending,
                         const std::map<std::string, std::string>& links,
                         const Context& ctx,
                         StatusReport& report);
void report_reviews(const std::vector<ledger::Entry>& review,
                    const Context& ctx,
                    StatusReport& report);
// Hires `track` saw after the last `hires` report (meta hires_reported_at): a warning
// naming how many, so the hire report Purpose Jobs' terms ask for is not forgotten
// (hires.cpp).
void report_unreported_hires(ledger::Ledger& ledger, const Context& ctx, StatusReport& report);
// [{candidate_id, target, destination, error, temporary, attempts, updated_at}, …]
void write_sends_json(JsonWriter& json, const std::vector<ledger::Entry>& entries);
// [{candidate_id, target, destination, error, attempts, updated_at}, …]
void write_reviews_json(JsonWriter& json, const std::vector<ledger::Entry>& entries);
// The "last_sync" check and section (last_sync.cpp): `last` is the ledger meta, `counts`
// what that run did (last_sync_counts' text, "" when unknown).
void check_last_sync(const std::string& last,
                     const std::string& counts,
                     const profile::Profile& profile,
                     const Context& ctx,
                     StatusReport& report);
// Sets the "last_sync_counts" section from the ledger meta (a flat JSON object of counts;
// null when missing or unreadable) and returns its text form ("9 sent, 1 failed", or
// "nothing to do"; "" when there are none).
std::string last_sync_counts(const std::string& stored, StatusReport& report);

// Checks of each target for the active profile (greenhouse.cpp, lever.cpp). They add checks
// and set the "greenhouse"/"lever" section; `offline` skips every network request.
void check_greenhouse(Context& ctx,
                      const profile::Profile& profile,
                      bool offline,
                      StatusReport& report);
void check_lever(Context& ctx, const profile::Profile& profile, bool offline, StatusReport& report);
// A `link.posting` warning for each link whose Lever posting is no longer open (live;
// nothing with `offline`; links.cpp).
void check_linked_postings(Context& ctx,
                           const profile::Profile& profile,
                           bool offline,
                           StatusReport& report);

} // namespace pjats::cli

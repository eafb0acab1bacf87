// `status`: the sends that need attention (failed, pending) named one by one, and the
// counts of the last sync (ledger meta "last_sync_counts"), for cron operators.
#include "status_report.hpp"

#include <pjats/ledger/review.hpp>

#include <algorithm>
#include <cctype>

namespace pjats::cli {

namespace {

constexpr std::size_t k_named_sends = 5; // sends named in one status line

// "1004 -> lever posting:abc, 1007 -> greenhouse … and 3 more; see `pj-ats ledger list
// --state failed`".
std::string
name_sends(const std::vector<ledger::Entry>& entries, const Context& ctx, const char* state) {
    std::string text;
    for (std::size_t i = 0; i < entries.size() && i < k_named_sends; ++i) {
        text += (i == 0 ? "" : ", ") + ledger::describe(entries[i].key);
    }
    if (entries.size() > k_named_sends) {
        text += " … and " + std::to_string(entries.size() - k_named_sends) + " more; see `"
                + command_prefix(ctx) + " ledger list --state " + state + "`";
    }
    return text;
}

// The members of a flat JSON object of integers ({"sent":3,"failed":0}), in order;
// nullopt for anything else (then it is not echoed into status output).
std::optional<std::vector<std::pair<std::string, std::int64_t>>>
parse_counts(const std::string& text) {
    std::vector<std::pair<std::string, std::int64_t>> members;
    std::size_t at = 0;
    const auto skip = [&] {
        while (at < text.size() && std::isspace(static_cast<unsigned char>(text[at])) != 0) {
            ++at;
        }
    };
    const auto eat = [&](char c) {
        skip();
        return at < text.size() && text[at] == c ? (++at, true) : false;
    };
    if (!eat('{')) {
        return std::nullopt;
    }
    if (eat('}')) {
        skip();
        return at == text.size() ? std::optional(members) : std::nullopt;
    }
    do {
        if (!eat('"')) {
            return std::nullopt;
        }
        const std::size_t end = text.find('"', at);
        if (end == std::string::npos || end == at || end - at > 40) {
            return std::nullopt;
        }
        std::string name = text.substr(at, end - at);
        for (char c : name) {
            if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') {
                return std::nullopt;
            }
        }
        at = end + 1;
        if (!eat(':')) {
            return std::nullopt;
        }
        skip();
        const std::size_t digits = at;
        while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) != 0) {
            ++at;
        }
        if (at == digits || at - digits > 18) {
            return std::nullopt;
        }
        members.emplace_back(std::move(name), std::stoll(text.substr(digits, at - digits)));
    } while (eat(','));
    if (!eat('}')) {
        return std::nullopt;
    }
    skip();
    return at == text.size() ? std::optional(members) : std::nullopt;
}

} // namespace

void report_sends_to_fix(const std::vector<ledger::Entry>& failed,
                         const std::vector<ledger::Entry>& pending,
                         const Context& ctx,
                         StatusReport& report) {
    const std::string pj = command_prefix(ctx);
    if (!failed.empty()) {
        report.attention("ledger.failed",
                    std::to_string(failed.size()) + (failed.size() == 1 ? " send" : " sends")
                        + " failed: " + name_sends(failed, ctx, "failed"),
                    "temporary failures are tried again by the next send or sync; fix a rejected "
                    "record and the next sync sends it (`"
                        + pj + " sync --retry-failed` retries every rejected one, `" + pj
                        + " send ID --to TARGET` one sent by hand); see why with `" + pj
                        + " ledger list --state failed`");
    }
    if (!pending.empty()) {
        report.warn("ledger.pending",
                    std::to_string(pending.size())
                        + (pending.size() == 1 ? " send is" : " sends are")
                        + " in flight now or were cut off (outcome unknown): "
                        + name_sends(pending, ctx, "pending"),
                    "a send held by a running pj-ats is left to it; once that run has ended, the "
                    "next send or sync of those candidates looks them up (Lever) or marks them for "
                    "review (Greenhouse, or no e-mail); or check the ATS and `"
                        + pj + " ledger resolve ID --to TARGET --found REMOTE_ID|--not-sent`");
    }
}

void report_unreported_hires(ledger::Ledger& ledger, const Context& ctx, StatusReport& report) {
    auto rows = ledger.tracked();
    auto reported = ledger.meta("hires_reported_at");
    if (!rows || !reported) {
        return;
    }
    std::int64_t since = 0;
    try {
        since = reported->empty() ? 0 : std::stoll(*reported);
    } catch (const std::exception&) {
        since = 0;
    }
    std::size_t count = 0;
    for (const ledger::Tracked& row : *rows) {
        count += row.state == "hired" && row.hired_seen_at > since ? 1 : 0;
    }
    report.set_section("unreported_hires", std::to_string(count));
    if (count > 0) {
        report.warn("ledger.hires",
                    std::to_string(count) + (count == 1 ? " hire" : " hires")
                        + " seen by `track` since the last `hires` report",
                    "report them to Purpose Jobs: `" + command_prefix(ctx)
                        + " hires --since YYYY-MM-DD`");
    }
}

void write_sends_json(JsonWriter& json, const std::vector<ledger::Entry>& entries) {
    json.begin_array();
    for (const auto& entry : entries) {
        json.begin_object().key("candidate_id").value(entry.key.candidate_id);
        json.key("target").value(entry.key.target).key("destination").value(entry.key.destination);
        json.key("error").value(entry.last_error).key("temporary").value(entry.temporary);
        json.key("attempts").value(entry.attempts);
        json.key("updated_at").value(entry.updated_at).end_object();
    }
    json.end_array();
}

std::string last_sync_counts(const std::string& stored, StatusReport& report) {
    const auto members = stored.empty() ? std::nullopt : parse_counts(stored);
    if (!members) {
        report.set_section("last_sync_counts", "null");
        return {};
    }
    JsonWriter json;
    json.begin_object();
    std::string text;
    for (const auto& [name, value] : *members) {
        json.key(name).value(value);
        if (value != 0 && name != "planned") {
            std::string word = name;
            std::replace(word.begin(), word.end(), '_', ' ');
            if (value == 1
                && (name == "jobs" || name == "applications" || name == "source_errors")) {
                word.pop_back(); // "1 job", not "1 jobs"
            }
            text += (text.empty() ? "" : ", ") + std::to_string(value) + " " + word;
        }
    }
    report.set_section("last_sync_counts", json.end_object().str());
    return text.empty() ? "nothing to do" : text;
}

} // namespace pjats::cli

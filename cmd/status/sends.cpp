// `status`: the sends that need a person (failed, pending, for review), named one by one
// with the command that resolves them, for cron operators.
#include "status/report.hpp"

#include <pjats/ledger/review.hpp>
#include <pjats/send/target.hpp>

#include <algorithm>

namespace pjats::cli {

namespace {

constexpr std::size_t k_named_sends = 5; // sends named in one status line
constexpr std::size_t k_review_lines = 20; // review rows listed in text output

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

// The flags of `send` that put a candidate where ledger destination `destination` says.
std::string destination_flags(const std::string& destination) {
    const send::Destination where = send::Destination::parse(destination);
    switch (where.kind) {
    case send::Destination::Kind::job:
        return " --job " + shell_word(where.id);
    case send::Destination::Kind::posting:
        return " --posting " + shell_word(where.id);
    case send::Destination::Kind::none:
        break;
    }
    return {};
}

void report_review(const ledger::Entry& entry, const Context& ctx, StatusReport& report) {
    const ledger::Key& key = entry.key;
    const bool greenhouse = key.target == "greenhouse";
    const std::string where = key.target + (key.destination.empty() ? "" : " " + key.destination);
    report.attention("ledger.review",
                key.candidate_id + " -> " + where + ": "
                    + (entry.last_error.empty() ? "outcome unknown" : entry.last_error),
                std::string("check in ") + (greenhouse ? "Greenhouse" : "Lever") + " whether "
                    + (greenhouse ? "a candidate with external_id " + key.candidate_id
                                  : "an opportunity for " + key.candidate_id)
                    + " exists, then record what you found: " + command_prefix(ctx)
                    + " ledger resolve " + shell_word(key.candidate_id) + " --to " + key.target
                    + destination_flags(key.destination) + " --found "
                    + (greenhouse ? "CANDIDATE_ID" : "OPPORTUNITY_ID")
                    + " (or --not-sent: the next run sends it)");
}

} // namespace

void report_sends_to_fix(const std::vector<ledger::Entry>& failed,
                         const std::vector<ledger::Entry>& pending,
                         const std::map<std::string, std::string>& links,
                         const Context& ctx,
                         StatusReport& report) {
    const std::string pj = command_prefix(ctx);
    if (!failed.empty()) {
        // Which command sends each row again: sync for applications of a linked job, send
        // (with the row's destination) for the others — sync never sends those.
        std::vector<const ledger::Entry*> by_send;
        bool by_sync = false;
        for (const ledger::Entry& entry : failed) {
            const send::Destination where = send::Destination::parse(entry.key.destination);
            const bool linked =
                entry.key.target == "lever" && where.kind == send::Destination::Kind::posting
                && std::any_of(links.begin(), links.end(),
                               [&](const auto& link) { return link.second == where.id; });
            if (linked) {
                by_sync = true;
            } else {
                by_send.push_back(&entry);
            }
        }
        std::string fix;
        if (by_sync) {
            fix = "fix the application's record and the next `" + pj
                  + " sync` sends it (`" + pj + " sync --retry-failed` retries every rejected one)";
        }
        if (by_send.size() == 1) {
            const ledger::Key& key = by_send.front()->key;
            fix += std::string(fix.empty() ? "" : "; ") + "send it again once fixed: `" + pj
                   + " send " + shell_word(key.candidate_id) + " --to " + key.target
                   + destination_flags(key.destination) + "`";
        } else if (by_send.size() > 1) {
            fix += std::string(fix.empty() ? "" : "; ")
                   + "send each again once fixed: `" + pj
                   + " send ID --to TARGET` with its row's --job or --posting";
        }
        fix += "; a temporary failure needs no fix; see why with `" + pj
               + " ledger list --state failed`";
        report.attention("ledger.failed",
                    std::to_string(failed.size()) + (failed.size() == 1 ? " send" : " sends")
                        + " failed: " + name_sends(failed, ctx, "failed"),
                    fix);
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

void report_reviews(const std::vector<ledger::Entry>& review,
                    const Context& ctx,
                    StatusReport& report) {
    for (std::size_t i = 0; i < review.size() && i < k_review_lines; ++i) {
        report_review(review[i], ctx, report);
    }
    if (review.size() > k_review_lines) {
        report.warn("ledger.review",
                    "... and " + std::to_string(review.size() - k_review_lines) + " more",
                    "see them all with `" + command_prefix(ctx) + " ledger list --state review`");
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

void write_reviews_json(JsonWriter& json, const std::vector<ledger::Entry>& entries) {
    json.begin_array();
    for (const auto& entry : entries) {
        json.begin_object().key("candidate_id").value(entry.key.candidate_id);
        json.key("target").value(entry.key.target).key("destination").value(entry.key.destination);
        json.key("error").value(entry.last_error).key("attempts").value(entry.attempts);
        json.key("updated_at").value(entry.updated_at).end_object();
    }
    json.end_array();
}

} // namespace pjats::cli

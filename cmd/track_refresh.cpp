// The refresh shared by `track` and `hires` (track_refresh.hpp).
#include "track_refresh.hpp"

#include "services.hpp"

#include <pjats/greenhouse/client.hpp>
#include <pjats/track/track.hpp>

#include <algorithm>
#include <ctime>
#include <map>
#include <optional>
#include <tuple>

namespace pjats::cli {

namespace {

// Lookups in flight at once (Lever's opportunities, Greenhouse's batches): each target's
// pacer holds the rate; 32 cover latencies up to ~3 s, like bulk sends.
constexpr int k_track_workers = 32;

track::Answers ask(Context& ctx, const profile::Profile& profile, const std::string& to,
                   const std::vector<ledger::Entry>& rows, const InterruptScope& interrupt) {
    track::Answers answers;
    if (to == "greenhouse") {
        auto access = greenhouse_access(ctx, profile);
        if (!access) {
            answers.stopped_by = access.error();
            return answers;
        }
        greenhouse::Client client(ctx.transports(profile).target("greenhouse"), access->base_url,
                                  access->key.value, access->email);
        return track::ask_greenhouse(client, rows, k_track_workers, &interrupt.flag());
    }
    auto session = open_lever(ctx, profile);
    if (!session) {
        answers.stopped_by = session.error();
        return answers;
    }
    return track::ask_lever(*(*session)->client, rows, k_track_workers, &interrupt.flag());
}

bool wanted(const RefreshRequest& request, const ledger::Entry& entry) {
    return (request.to.empty() || request.to == entry.key.target)
           && (request.ids.empty()
               || std::find(request.ids.begin(), request.ids.end(), entry.key.candidate_id)
                      != request.ids.end());
}

} // namespace

Result<Refresh> refresh(Context& ctx, const RefreshRequest& request) {
    auto profile = ctx.active_profile();
    if (!profile) {
        return profile.error();
    }
    ctx.use_concurrent_transport(k_track_workers, 0, 1);
    // Reads start optimistic: no slow start (a refused read costs a retry, nothing more).
    ctx.set_adaptive_start(1000);
    auto ledger = ctx.open_ledger();
    if (!ledger) {
        return ledger.error();
    }
    auto sent = (*ledger)->list(ledger::State::sent);
    if (!sent) {
        return sent.error();
    }
    auto before = (*ledger)->tracked();
    if (!before) {
        return before.error();
    }
    std::map<std::string, std::vector<ledger::Entry>> by_target;
    for (ledger::Entry& entry : *sent) {
        if (wanted(request, entry)) {
            by_target[entry.key.target].push_back(std::move(entry));
        }
    }
    Refresh out;
    const InterruptScope interrupt;
    const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
    for (auto& [target, rows] : by_target) {
        // Only rows of the account the credentials act as: another account's ids mean
        // nothing here.
        auto handle = make_target(ctx, *profile, target);
        if (!handle) {
            out.tally.stop(handle.error());
            return out;
        }
        const std::string account = (*handle)->target().account();
        // Binding the account may have moved rows keyed the older way (per user) to it.
        auto moved = (*ledger)->list(ledger::State::sent);
        if (!moved) {
            out.tally.stop(moved.error());
            return out;
        }
        rows.clear();
        for (ledger::Entry& entry : *moved) {
            if (entry.key.target == target && wanted(request, entry)) {
                rows.push_back(std::move(entry));
            }
        }
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const ledger::Entry& e) {
                                      return !e.key.account.empty() && e.key.account != account;
                                  }),
                   rows.end());
        track::Answers answers = ask(ctx, *profile, target, rows, interrupt);
        for (const track::Observation& seen : answers.seen) {
            std::optional<ledger::Tracked> previous;
            for (const ledger::Tracked& t : *before) {
                if (t.key.candidate_id == seen.key.candidate_id && t.key.target == seen.key.target
                    && t.key.destination == seen.key.destination
                    && t.key.account == seen.key.account) {
                    previous = t;
                }
            }
            ledger::Tracked row = track::merge(previous, seen, now);
            auto put = (*ledger)->put_tracked(row);
            if (!put) {
                return put.error();
            }
            out.rows.push_back({row, track::changed(previous, row)});
            send::ItemReport report;
            report.status = send::ItemStatus::skipped; // an answer: nothing to retry
            out.tally.add(report);
        }
        for (track::Failure& failure : answers.failed) {
            send::ItemReport report;
            report.candidate_id = failure.key.candidate_id;
            report.error = failure.error;
            out.tally.add(report);
            out.failed.emplace_back(failure.key, std::move(failure.error));
        }
        if (answers.stopped_by) {
            out.tally.stop(*answers.stopped_by);
            return out;
        }
        if (interrupt.flag()) {
            out.tally.interrupt();
            return out;
        }
    }
    std::sort(out.rows.begin(), out.rows.end(), [](const RefreshedRow& a, const RefreshedRow& b) {
        return std::tie(a.row.key.candidate_id, a.row.key.target, a.row.key.destination)
               < std::tie(b.row.key.candidate_id, b.row.key.target, b.row.key.destination);
    });
    return out;
}

} // namespace pjats::cli

// track: asking Greenhouse (batched, the batches on worker threads) and Lever (concurrently, under its one pacer) where
// sent candidates stand.
#include <pjats/track/track.hpp>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace pjats::track {

namespace {

// "job:4690" → "4690", "posting:abc" → "abc", "" → "".
std::string destination_id(const std::string& destination) {
    const std::size_t colon = destination.find(':');
    return colon == std::string::npos ? destination : destination.substr(colon + 1);
}

bool stops(const Error& error) {
    return error.kind == ErrorKind::auth || error.kind == ErrorKind::config;
}

Observation greenhouse_observation(const ledger::Entry& row,
                                   const greenhouse::CandidateStatus* found) {
    Observation seen;
    seen.key = row.key;
    seen.remote_id = row.remote_id;
    seen.job = destination_id(row.key.destination);
    if (found == nullptr) {
        seen.state = "lost";
        return seen;
    }
    seen.state = "active";
    if (!found->applications.empty()) {
        const greenhouse::ApplicationStatus& app = found->applications.front();
        if (app.status == "hired" || app.status == "rejected") {
            seen.state = app.status;
        }
        seen.stage = app.stage;
        seen.link = app.profile_url;
        if (!app.job.empty()) {
            seen.job = app.job;
        }
    }
    return seen;
}

} // namespace

Answers ask_greenhouse(greenhouse::Client& client, const std::vector<ledger::Entry>& rows,
                       int workers, const std::atomic<bool>* interrupted) {
    Answers answers;
    std::vector<std::pair<const ledger::Entry*, std::int64_t>> asked;
    for (const ledger::Entry& row : rows) {
        try {
            std::size_t used = 0;
            const long long id = std::stoll(row.remote_id, &used);
            if (used != row.remote_id.size() || id <= 0) {
                throw std::invalid_argument("id");
            }
            asked.emplace_back(&row, id);
        } catch (const std::exception&) {
            answers.failed.push_back(
                {row.key, make_error(ErrorKind::validation,
                                     "the ledger holds no Greenhouse candidate id for this row")});
        }
    }
    const std::size_t batches =
        (asked.size() + greenhouse::k_status_batch - 1) / greenhouse::k_status_batch;
    // One batch per slot, filled by the workers; merged in batch order afterwards so the
    // answer does not depend on which worker finished first.
    std::vector<std::optional<Result<std::vector<greenhouse::CandidateStatus>>>> found(batches);
    std::mutex mutex;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    const auto work = [&] {
        for (;;) {
            if (stop || (interrupted != nullptr && *interrupted)) {
                return;
            }
            const std::size_t b = next++;
            if (b >= batches) {
                return;
            }
            const std::size_t start = b * greenhouse::k_status_batch;
            const std::size_t end = std::min(asked.size(), start + greenhouse::k_status_batch);
            std::vector<std::int64_t> ids;
            for (std::size_t i = start; i < end; ++i) {
                ids.push_back(asked[i].second);
            }
            auto answer = client.candidates(ids);
            if (!answer && stops(answer.error())) {
                stop = true;
            }
            const std::lock_guard<std::mutex> lock(mutex);
            found[b] = std::move(answer);
        }
    };
    const int count = std::max(1, std::min<int>(workers, static_cast<int>(batches)));
    if (count == 1) {
        work();
    } else {
        std::vector<std::thread> threads;
        for (int t = 0; t < count; ++t) {
            threads.emplace_back(work);
        }
        for (std::thread& thread : threads) {
            thread.join();
        }
    }
    for (std::size_t b = 0; b < batches; ++b) {
        if (!found[b]) {
            continue; // not asked: interrupted, or stopped
        }
        const std::size_t start = b * greenhouse::k_status_batch;
        const std::size_t end = std::min(asked.size(), start + greenhouse::k_status_batch);
        if (!*found[b] && stops(found[b]->error())) {
            answers.stopped_by = found[b]->error();
            return answers;
        }
        if (!*found[b]) {
            for (std::size_t i = start; i < end; ++i) {
                answers.failed.push_back({asked[i].first->key, found[b]->error()});
            }
            continue;
        }
        std::map<std::int64_t, const greenhouse::CandidateStatus*> by_id;
        for (const greenhouse::CandidateStatus& candidate : **found[b]) {
            by_id[candidate.id] = &candidate;
        }
        for (std::size_t i = start; i < end; ++i) {
            const auto it = by_id.find(asked[i].second);
            answers.seen.push_back(
                greenhouse_observation(*asked[i].first, it == by_id.end() ? nullptr : it->second));
        }
    }
    return answers;
}

namespace {

// A 403 on a lookup list: the key or the OAuth grant lacks what `track` needs.
Error missing_permission(Error error, const std::string& scope) {
    if (error.kind == ErrorKind::auth && error.http_status == 403) {
        error.message += " — track needs the Lever permission/OAuth scope " + scope;
        error.detail = "an OAuth grant needs the new scope approved by a Lever Super Admin: "
                       "run `pj-ats configure lever --oauth` again; an API key needs read "
                       "access to archive reasons and stages";
    }
    return error;
}

struct LeverVocabulary {
    std::map<std::string, std::string> stage_text;
    std::set<std::string> hired_reasons;
};

Result<LeverVocabulary> lever_vocabulary(lever::Client& client) {
    LeverVocabulary vocabulary;
    auto stages = client.stages();
    if (!stages) {
        return missing_permission(std::move(stages).error(), "stages:read:admin");
    }
    for (const lever::NamedItem& stage : *stages) {
        vocabulary.stage_text[stage.id] = stage.text;
    }
    auto reasons = client.archive_reasons("hired");
    if (!reasons) {
        return missing_permission(std::move(reasons).error(), "archive_reasons:read:admin");
    }
    for (const lever::NamedItem& reason : *reasons) {
        vocabulary.hired_reasons.insert(reason.id);
    }
    return vocabulary;
}

Observation lever_observation(const ledger::Entry& row, const lever::OpportunityStatus& found,
                              const LeverVocabulary& vocabulary) {
    Observation seen;
    seen.key = row.key;
    seen.remote_id = row.remote_id;
    seen.job = destination_id(row.key.destination);
    const auto text = vocabulary.stage_text.find(found.stage);
    seen.stage = text == vocabulary.stage_text.end() ? found.stage : text->second;
    seen.link = found.link;
    seen.state = "active";
    if (found.archived_at != 0 || !found.archive_reason.empty()) {
        if (vocabulary.hired_reasons.count(found.archive_reason) != 0) {
            seen.state = "hired";
            seen.hired_at = found.archived_at / 1000;
        } else {
            seen.state = "archived";
        }
    }
    return seen;
}

} // namespace

Answers ask_lever(lever::Client& client, const std::vector<ledger::Entry>& rows, int workers,
                  const std::atomic<bool>* interrupted) {
    Answers answers;
    if (rows.empty()) {
        return answers;
    }
    auto vocabulary = lever_vocabulary(client);
    if (!vocabulary) {
        answers.stopped_by = vocabulary.error();
        return answers;
    }
    std::mutex mutex;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    const auto work = [&] {
        for (;;) {
            if (stop || (interrupted != nullptr && *interrupted)) {
                return;
            }
            const std::size_t i = next++;
            if (i >= rows.size()) {
                return;
            }
            const ledger::Entry& row = rows[i];
            auto found = client.opportunity(row.remote_id);
            const std::lock_guard<std::mutex> lock(mutex);
            if (found) {
                answers.seen.push_back(lever_observation(row, *found, *vocabulary));
            } else if (found.error().kind == ErrorKind::not_found) {
                Observation lost;
                lost.key = row.key;
                lost.remote_id = row.remote_id;
                lost.job = destination_id(row.key.destination);
                lost.state = "lost";
                answers.seen.push_back(std::move(lost));
            } else if (stops(found.error())) {
                if (!answers.stopped_by) {
                    answers.stopped_by = found.error();
                }
                stop = true;
            } else {
                answers.failed.push_back({row.key, found.error()});
            }
        }
    };
    const int count = std::max(1, std::min<int>(workers, static_cast<int>(rows.size())));
    std::vector<std::thread> threads;
    for (int t = 0; t < count; ++t) {
        threads.emplace_back(work);
    }
    for (std::thread& thread : threads) {
        thread.join();
    }
    return answers;
}

} // namespace pjats::track

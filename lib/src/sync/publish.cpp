// Publishing Lever postings to a Purpose Jobs source (docs/sync.md, "Publishing").

#include <pjats/lever/jsonld.hpp>
#include <pjats/sync/publish.hpp>

#include <cstdint>
#include <cstdio>
#include <set>

namespace pjats::sync {

namespace {

// FNV-1a 64: a stable fingerprint of the published document (not a security measure).
std::string fingerprint(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

// Before postings were scoped to their account: one index and one fingerprint per id for
// whatever account synced (read only, to adopt this account's postings from it).
constexpr const char* k_legacy_index = "published_postings";

std::string legacy_fingerprint_key(const std::string& posting_id) {
    return "published_posting:" + posting_id;
}

// "<lever account>|<source>": whose postings, published where.
std::string scope_key(const PublishScope& scope) {
    return scope.account + "|" + scope.source;
}

std::string index_key(const PublishScope& scope) {
    return "published_postings|" + scope_key(scope); // ids published, space-separated
}

std::string fingerprint_key(const PublishScope& scope, const std::string& posting_id) {
    return "published_posting|" + scope_key(scope) + "|" + posting_id;
}

std::set<std::string> split_ids(const std::string& text) {
    std::set<std::string> ids;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) {
            end = text.size();
        }
        if (end > start) {
            ids.insert(text.substr(start, end - start));
        }
        start = end + 1;
    }
    return ids;
}

std::string join_ids(const std::set<std::string>& ids) {
    std::string text;
    for (const std::string& id : ids) {
        text += (text.empty() ? "" : " ") + id;
    }
    return text;
}

// The ids of the postings this account published to this source: the ledger's index for
// the scope, plus this account's postings (those in `postings`) found in the index or
// with a fingerprint of before postings were scoped. Another account's ids are never
// adopted, so its postings are never retracted by this one's sync.
class PublishedIndex {
  public:
    PublishedIndex(ledger::Ledger* ledger,
                   const std::vector<lever::Posting>& postings,
                   bool dry_run,
                   const PublishScope& scope)
        : m_ledger(dry_run ? nullptr : ledger), m_key(index_key(scope)) {
        if (ledger == nullptr) {
            return;
        }
        if (auto stored = ledger->meta(m_key); stored) {
            m_ids = split_ids(*stored);
        }
        const std::size_t indexed = m_ids.size();
        std::set<std::string> legacy;
        if (auto stored = ledger->meta(k_legacy_index); stored) {
            legacy = split_ids(*stored);
        }
        for (const lever::Posting& posting : postings) {
            auto print = ledger->meta(legacy_fingerprint_key(posting.id));
            if (legacy.count(posting.id) > 0 || (print && !print->empty())) {
                m_ids.insert(posting.id);
            }
        }
        if (m_ids.size() != indexed) {
            (void)save(); // best effort: the fingerprints are found again next run
        }
    }

    const std::set<std::string>& ids() const {
        return m_ids;
    }

    // Recorded before the job is sent, so a crash after the POST cannot lose it. Dry runs
    // (constructed with dry_run) change the set in memory only.
    Status add(const std::string& id) {
        return m_ids.insert(id).second ? save() : Status{};
    }

    Status remove(const std::string& id) {
        return m_ids.erase(id) > 0 ? save() : Status{};
    }

  private:
    Status save() {
        return m_ledger != nullptr ? m_ledger->set_meta(m_key, join_ids(m_ids)) : Status{};
    }

    ledger::Ledger* m_ledger;
    std::string m_key;
    std::set<std::string> m_ids;
};

// Withdraws every indexed posting that is not in `published` any more.
void retract_closed(source::Source& source,
                    const std::vector<lever::Posting>& published,
                    PublishedIndex& index,
                    ledger::Ledger* ledger,
                    bool dry_run,
                    const PublishScope& scope,
                    std::vector<PublishReport>& reports) {
    std::set<std::string> open;
    for (const lever::Posting& posting : published) {
        open.insert(posting.id);
    }
    const std::set<std::string> known = index.ids();
    for (const std::string& id : known) {
        if (open.count(id) > 0) {
            continue;
        }
        PublishReport report;
        report.posting_id = id;
        if (dry_run) {
            report.status = PublishReport::Status::retract_planned;
            reports.push_back(std::move(report));
            continue;
        }
        Status retracted = source.retract_job(id);
        if (!retracted && retracted.error().kind != ErrorKind::not_found) {
            report.error = retracted.error();
            report.error.message = "retracting it: " + report.error.message;
            reports.push_back(std::move(report));
            continue;
        }
        // Gone from the source (or it never held it): forget it, so it is retracted once.
        if (ledger != nullptr) {
            (void)ledger->set_meta(fingerprint_key(scope, id), "");
        }
        (void)index.remove(id);
        report.status = PublishReport::Status::retracted;
        reports.push_back(std::move(report));
    }
}

} // namespace

const char* to_string(PublishReport::Status status) {
    switch (status) {
    case PublishReport::Status::published:
        return "published";
    case PublishReport::Status::unchanged:
        return "unchanged";
    case PublishReport::Status::planned:
        return "planned";
    case PublishReport::Status::failed:
        return "failed";
    case PublishReport::Status::retracted:
        return "retracted";
    case PublishReport::Status::retract_planned:
        return "retract_planned";
    case PublishReport::Status::invalid:
        return "invalid";
    }
    return "failed";
}

std::vector<PublishReport> publish_postings(source::Source& source,
                                            const std::vector<lever::Posting>& postings,
                                            ledger::Ledger* ledger,
                                            bool dry_run,
                                            const PublishScope& scope) {
    std::vector<PublishReport> reports;
    PublishedIndex index(ledger, postings, dry_run, scope);
    for (const lever::Posting& posting : postings) {
        PublishReport report;
        report.posting_id = posting.id;
        report.title = posting.text;
        lever::JobPostingDocument document = lever::job_posting(posting, scope.organization);
        report.omitted = std::move(document.omitted);
        if (!document.problems.empty()) {
            report.status = PublishReport::Status::invalid;
            report.problems = std::move(document.problems);
            reports.push_back(std::move(report));
            continue;
        }
        const std::string& jsonld = document.json;
        const std::string hash = fingerprint(jsonld);
        const std::string key = fingerprint_key(scope, posting.id);
        if (ledger != nullptr) {
            auto previous = ledger->meta(key);
            if (previous && *previous == hash) {
                report.status = PublishReport::Status::unchanged;
                reports.push_back(std::move(report));
                continue;
            }
        }
        if (dry_run) {
            report.status = PublishReport::Status::planned;
            reports.push_back(std::move(report));
            continue;
        }
        if (Status noted = index.add(posting.id); !noted) {
            report.error = noted.error();
            reports.push_back(std::move(report));
            continue;
        }
        if (Status published = source.publish_job(posting.id, jsonld); !published) {
            report.error = published.error();
            reports.push_back(std::move(report));
            continue;
        }
        report.status = PublishReport::Status::published;
        if (ledger != nullptr) {
            (void)ledger->set_meta(key, hash);
        }
        reports.push_back(std::move(report));
    }
    retract_closed(source, postings, index, ledger, dry_run, scope, reports);
    return reports;
}

} // namespace pjats::sync

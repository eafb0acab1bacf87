// Publishing Lever postings to a Purpose Jobs source (docs/sync.md, "Publishing").

#include <pjats/lever/jsonld.hpp>
#include <pjats/sync/publish.hpp>

#include <cstdint>
#include <cstdio>

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
    }
    return "failed";
}

std::string hiring_organization(const lever::Posting& posting) {
    const std::string& url = posting.urls.show;
    constexpr std::string_view k_host = "lever.co/";
    const auto host = url.find(k_host);
    if (host != std::string::npos) {
        const auto start = host + k_host.size();
        const auto end = url.find('/', start);
        std::string site =
            url.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (!site.empty()) {
            return site;
        }
    }
    return "Unknown organization";
}

std::vector<PublishReport> publish_postings(source::Source& source,
                                            const std::vector<lever::Posting>& postings,
                                            ledger::Ledger* ledger,
                                            bool dry_run) {
    std::vector<PublishReport> reports;
    for (const lever::Posting& posting : postings) {
        PublishReport report;
        report.posting_id = posting.id;
        const std::string jsonld = lever::posting_jsonld(posting, hiring_organization(posting));
        const std::string hash = fingerprint(jsonld);
        const std::string key = "published_posting:" + posting.id;
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
    return reports;
}

} // namespace pjats::sync

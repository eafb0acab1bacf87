// `pj-ats audit`, the library half (audit.hpp).

#include <pjats/audit/audit.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

namespace pjats::audit {

namespace {

std::string lowercase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::vector<std::string> words(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::string> out;
    for (std::string word; in >> word;) {
        out.push_back(word);
    }
    return out;
}

Finding review_of(const ledger::Entry& row) {
    return Finding{Kind::review, row.key.target, row.key.candidate_id, row.key.destination,
                   row.remote_id};
}

} // namespace

const char* to_string(Kind kind) {
    switch (kind) {
    case Kind::unknown:
        return "unknown";
    case Kind::duplicate:
        return "duplicate";
    case Kind::missing:
        return "missing";
    case Kind::review:
        return "review";
    }
    return "unknown";
}

Result<Report> audit_lever(lever::Client& client, const std::vector<ledger::Entry>& rows) {
    Report report;
    report.target = "lever";
    std::set<std::string> known;                 // opportunity ids the ledger names
    std::map<std::string, std::int64_t> owners;  // e-mail → rows that recorded it
    std::map<std::string, std::string> who;      // e-mail → a candidate id
    for (const ledger::Entry& row : rows) {
        ++report.rows;
        if (!row.remote_id.empty()) {
            known.insert(row.remote_id);
        }
        for (const std::string& id : words(row.previous_remote_ids)) {
            known.insert(id);
        }
        for (const std::string& email : words(lowercase(row.lookup_hint))) {
            ++owners[email];
            who.emplace(email, row.key.candidate_id);
        }
        if (row.state == ledger::State::review) {
            report.findings.push_back(review_of(row));
        }
    }
    auto tagged = client.tagged_opportunities(lever::k_purpose_jobs_tag);
    if (!tagged) {
        return std::move(tagged).error();
    }
    std::set<std::string> present;
    std::map<std::string, std::vector<std::string>> by_email;
    for (const lever::OpportunitySummary& o : *tagged) {
        ++report.records;
        present.insert(o.id);
        if (known.count(o.id) == 0) {
            report.findings.push_back(Finding{Kind::unknown, "lever", {}, {}, o.id});
        }
        std::set<std::string> seen;
        for (const std::string& email : o.emails) {
            const std::string e = lowercase(email);
            if (owners.count(e) != 0 && seen.insert(e).second) {
                by_email[e].push_back(o.id);
            }
        }
    }
    for (const auto& [email, ids] : by_email) {
        if (static_cast<std::int64_t>(ids.size()) > owners[email]) {
            std::string list;
            for (const std::string& id : ids) {
                list += list.empty() ? id : " " + id;
            }
            report.findings.push_back(Finding{Kind::duplicate, "lever", who[email], {}, list});
        }
    }
    for (const ledger::Entry& row : rows) {
        if (row.state != ledger::State::sent || row.remote_id.empty()
            || present.count(row.remote_id) != 0) {
            continue;
        }
        // Not listed under the tag: read it (the tag may have been removed by a person).
        auto status = client.opportunity(row.remote_id);
        if (!status) {
            if (status.error().kind != ErrorKind::not_found) {
                return std::move(status).error();
            }
            report.findings.push_back(Finding{Kind::missing, "lever", row.key.candidate_id,
                                              row.key.destination, row.remote_id});
        }
    }
    return report;
}

Result<Report> audit_greenhouse(greenhouse::Client& client, const std::vector<ledger::Entry>& rows) {
    Report report;
    report.target = "greenhouse";
    std::vector<const ledger::Entry*> sent;
    for (const ledger::Entry& row : rows) {
        ++report.rows;
        if (row.state == ledger::State::review) {
            report.findings.push_back(review_of(row));
        } else if (row.state == ledger::State::sent) {
            sent.push_back(&row);
        }
    }
    for (std::size_t start = 0; start < sent.size(); start += greenhouse::k_status_batch) {
        const std::size_t end = std::min(sent.size(), start + greenhouse::k_status_batch);
        std::vector<std::int64_t> ids;
        for (std::size_t i = start; i < end; ++i) {
            const std::string& text = sent[i]->remote_id;
            std::int64_t id = 0;
            const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
            if (ec == std::errc{} && ptr == text.data() + text.size()) {
                ids.push_back(id);
            }
        }
        auto found = ids.empty() ? Result<std::vector<greenhouse::CandidateStatus>>(
                                       std::vector<greenhouse::CandidateStatus>{})
                                 : client.candidates(ids);
        if (!found) {
            return std::move(found).error();
        }
        std::set<std::string> shown;
        for (const greenhouse::CandidateStatus& c : *found) {
            shown.insert(std::to_string(c.id));
            ++report.records;
        }
        for (std::size_t i = start; i < end; ++i) {
            if (shown.count(sent[i]->remote_id) == 0) {
                report.findings.push_back(Finding{Kind::missing, "greenhouse",
                                                  sent[i]->key.candidate_id,
                                                  sent[i]->key.destination, sent[i]->remote_id});
            }
        }
    }
    return report;
}

} // namespace pjats::audit

// PgLedger: the `tracking` table (what `track` last saw in each ATS).

#include "ledger/pg_ledger.hpp"

#include <string>

namespace pjats::ledger::detail {

Status PgLedger::put_tracked(const Tracked& t) {
    auto rows = run(R"sql(
INSERT INTO tracking (account, candidate_id, target, destination, remote_id, state, stage, job,
                      link, state_since, hired_seen_at, hired_at, checked_at)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
        $9::text, $10::bigint, $11::bigint, $12::bigint, $13::bigint)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    remote_id = excluded.remote_id, state = excluded.state, stage = excluded.stage,
    job = excluded.job, link = excluded.link, state_since = excluded.state_since,
    hired_seen_at = excluded.hired_seen_at, hired_at = excluded.hired_at,
    checked_at = excluded.checked_at
)sql",
                    {t.key.account, t.key.candidate_id, t.key.target, t.key.destination,
                     t.remote_id, t.state, t.stage, t.job, t.link, std::to_string(t.state_since),
                     std::to_string(t.hired_seen_at), std::to_string(t.hired_at),
                     std::to_string(t.checked_at)},
                    "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return {};
}

Result<std::vector<Tracked>> PgLedger::tracked() {
    auto rows = run(R"sql(
SELECT account, candidate_id, target, destination, remote_id, state, stage, job, link,
       state_since, hired_seen_at, hired_at, checked_at
FROM tracking ORDER BY candidate_id, target, destination, account
)sql",
                    {}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    std::vector<Tracked> out;
    for (int r = 0; r < rows->size(); ++r) {
        Tracked t;
        t.key = Key(rows->text(r, 1), rows->text(r, 2), rows->text(r, 3), rows->text(r, 0));
        t.remote_id = rows->text(r, 4);
        t.state = rows->text(r, 5);
        t.stage = rows->text(r, 6);
        t.job = rows->text(r, 7);
        t.link = rows->text(r, 8);
        t.state_since = rows->integer(r, 9);
        t.hired_seen_at = rows->integer(r, 10);
        t.hired_at = rows->integer(r, 11);
        t.checked_at = rows->integer(r, 12);
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace pjats::ledger::detail

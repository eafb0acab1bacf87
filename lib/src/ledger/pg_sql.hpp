#pragma once

// SQL fragments and clock helpers shared by the PostgreSQL ledger's files. Private.

#include <pjats/core/clock.hpp>

#include <chrono>
#include <cstdint>

// The server's clock, in unix ms and s: every time the PostgreSQL ledger stores.
#define PJATS_PG_NOW_MS "(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
#define PJATS_PG_NOW_S "extract(epoch FROM clock_timestamp())::bigint"
// The key columns against parameters $1..$4.
#define PJATS_PG_KEY                                                                               \
    "account = $1::text AND candidate_id = $2::text AND target = $3::text AND "                    \
    "destination = $4::text"
// $5 added to the space-separated hint list unless empty or already there.
#define PJATS_PG_APPEND_HINT                                                                       \
    "CASE WHEN $5::text = '' OR position(' ' || $5::text || ' ' IN ' ' || sends.lookup_hint "      \
    "|| ' ') > 0 THEN sends.lookup_hint WHEN sends.lookup_hint = '' THEN $5::text "                \
    "ELSE sends.lookup_hint || ' ' || $5::text END"


namespace pjats::ledger::detail {


// A server-clock time in this machine's clock (0 stays 0: unknown).
// Clocks less than a second apart are taken as equal: the difference measured is then
// mostly the query's own latency, and a value read back is the value written (export →
// import → export is identical).
inline std::int64_t to_local_ms(std::int64_t server_ms, std::int64_t server_now_ms) {
    if (server_ms == 0) {
        return 0;
    }
    const std::int64_t skew = unix_ms() - server_now_ms;
    return server_ms + (skew > -1000 && skew < 1000 ? 0 : skew);
}

} // namespace pjats::ledger::detail

// PgLedger: who a send is credited to (sends.credited_to, schema 2).

#include "ledger/pg_ledger.hpp"

namespace pjats::ledger::detail {

Status PgLedger::record_credit(const Key& key, const std::string& credited_to) {
    return write_outcome(R"sql(
UPDATE sends SET credited_to = $6::text
WHERE account = $1::text AND candidate_id = $2::text AND target = $3::text
  AND destination = $4::text AND holder = $5::text
)sql",
                         key, {credited_to});
}

} // namespace pjats::ledger::detail

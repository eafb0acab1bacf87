// Follow-up steps of a send in the PostgreSQL ledger (docs/ledger.md, "Steps").

#include "ledger/pg_conn.hpp"
#include "ledger/pg_ledger.hpp"
#include "ledger/pg_sql.hpp"
#include "ledger/steps_common.hpp"

#include <pjats/http/secrets.hpp>

namespace pjats::ledger::detail {

namespace {

// The step columns, then the server's clock (to turn attempt_at into this machine's).
#define PJATS_PG_STEP_SELECT "SELECT " PJATS_STEP_COLUMNS ", " PJATS_PG_NOW_MS

Step read_step(const PgRows& rows, int row, int first) {
    Step step;
    step.name = rows.text(row, first);
    step.state = step_state_from(rows.text(row, first + 1));
    step.remote_id = rows.text(row, first + 2);
    step.holder = rows.text(row, first + 3);
    step.version = rows.integer(row, first + 4);
    step.attempt_at_ms = to_local_ms(rows.integer(row, first + 5), rows.integer(row, first + 7));
    step.last_error = rows.text(row, first + 6);
    return step;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        out += out.empty() ? name : " " + name;
    }
    return out;
}

} // namespace

Status PgLedger::plan_steps(const Key& key, const std::vector<std::string>& names) {
    // One statement, so one transaction: steps not named go, named ones start over.
    auto changed = write_keyed(R"sql(
WITH gone AS (
    DELETE FROM send_steps WHERE )sql" PJATS_PG_KEY R"sql(
      AND NOT (step = ANY (string_to_array($5::text, ' ')))
)
INSERT INTO send_steps (account, candidate_id, target, destination, step, state, updated_at)
SELECT $1::text, $2::text, $3::text, $4::text, name, 'todo', )sql" PJATS_PG_NOW_S R"sql(
FROM unnest(string_to_array($5::text, ' ')) AS name
ON CONFLICT (account, candidate_id, target, destination, step) DO UPDATE SET
    state = 'todo', remote_id = '', holder = '', last_error = '', attempt_at = 0,
    version = send_steps.version + 1, updated_at = excluded.updated_at
)sql",
                               key, {join(names)});
    if (!changed) {
        return std::move(changed).error();
    }
    return {};
}

Result<std::vector<Step>> PgLedger::steps(const Key& key) {
    auto rows = run(PJATS_PG_STEP_SELECT " FROM send_steps WHERE " PJATS_PG_KEY " ORDER BY step",
                    {key.account, key.candidate_id, key.target, key.destination}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    std::vector<Step> out;
    for (int row = 0; row < rows->size(); ++row) {
        out.push_back(read_step(*rows, row, 0));
    }
    return out;
}

namespace {

// The step `name` of `steps`, if there.
const Step* find_step(const std::vector<Step>& steps, const std::string& name) {
    for (const Step& step : steps) {
        if (step.name == name) {
            return &step;
        }
    }
    return nullptr;
}

} // namespace

Result<bool> PgLedger::claim_step(const Key& key, const std::string& name,
                                  std::int64_t expected_version) {
    const int reconnects = m_conn->reconnects();
    auto changed = write_keyed(R"sql(
UPDATE send_steps SET state = 'pending', holder = $6::text, version = version + 1,
    attempt_at = )sql" PJATS_PG_NOW_MS ", last_error = '', updated_at = " PJATS_PG_NOW_S R"sql(
WHERE )sql" PJATS_PG_KEY " AND step = $5::text AND version = $7::bigint",
                               key, {name, m_run.run_id, std::to_string(expected_version)});
    if (!changed) {
        return std::move(changed).error();
    }
    if (*changed == 0 && m_conn->reconnects() != reconnects) {
        // Run again after a reconnect: the first run may have committed this very claim.
        auto now = steps(key);
        if (!now) {
            return std::move(now).error();
        }
        const Step* step = find_step(*now, name);
        return step != nullptr && step->state == StepState::pending
               && step->holder == m_run.run_id && step->version == expected_version + 1;
    }
    return *changed == 1;
}

Status PgLedger::finish_step(const Key& key, const std::string& name, StepState state,
                             const std::string& remote_id, const std::string& error) {
    const int reconnects = m_conn->reconnects();
    auto changed = write_keyed(R"sql(
UPDATE send_steps SET state = $7::text, remote_id = $8::text, last_error = $9::text,
    updated_at = )sql" PJATS_PG_NOW_S R"sql(
WHERE )sql" PJATS_PG_KEY " AND step = $5::text AND holder = $6::text AND state = 'pending'",
                               key,
                               {name, m_run.run_id, to_string(state), remote_id,
                                http::scrub_secrets(error)});
    if (!changed) {
        return std::move(changed).error();
    }
    if (*changed == 0 && m_conn->reconnects() != reconnects) {
        // Run again after a reconnect: the first run may have committed this very outcome.
        auto now = steps(key);
        if (!now) {
            return std::move(now).error();
        }
        const Step* step = find_step(*now, name);
        if (step != nullptr && step->holder == m_run.run_id && step->state == state) {
            return {};
        }
    }
    if (*changed == 0) {
        return step_conflict(key, name);
    }
    return {};
}

Result<std::vector<KeyedStep>> PgLedger::open_steps() {
    auto rows = run("SELECT s.account, s.candidate_id, s.target, s.destination, s.step, s.state,"
                    " s.remote_id, s.holder, s.version, s.attempt_at, s.last_error, " PJATS_PG_NOW_MS
                    " FROM send_steps s JOIN sends r ON r.account = s.account"
                    " AND r.candidate_id = s.candidate_id AND r.target = s.target"
                    " AND r.destination = s.destination"
                    " WHERE s.state <> 'done' AND r.state = 'sent'"
                    " ORDER BY s.candidate_id, s.target, s.destination, s.account, s.step",
                    {}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    std::vector<KeyedStep> out;
    for (int row = 0; row < rows->size(); ++row) {
        KeyedStep item;
        item.key = Key{rows->text(row, 1), rows->text(row, 2), rows->text(row, 3),
                       rows->text(row, 0)};
        item.step = read_step(*rows, row, 4);
        out.push_back(std::move(item));
    }
    return out;
}

Result<std::vector<KeyedStep>> PgLedger::all_steps() {
    auto rows = run("SELECT account, candidate_id, target, destination, " PJATS_STEP_COLUMNS
                    ", " PJATS_PG_NOW_MS " FROM send_steps ORDER BY candidate_id COLLATE \"C\","
                    " target COLLATE \"C\", destination COLLATE \"C\", account COLLATE \"C\","
                    " step COLLATE \"C\"",
                    {}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    std::vector<KeyedStep> out;
    for (int row = 0; row < rows->size(); ++row) {
        KeyedStep item;
        item.key = Key{rows->text(row, 1), rows->text(row, 2), rows->text(row, 3),
                       rows->text(row, 0)};
        item.step = read_step(*rows, row, 4);
        out.push_back(std::move(item));
    }
    return out;
}

Result<bool> PgLedger::insert_step(const KeyedStep& item) {
    auto rows = run(R"sql(
INSERT INTO send_steps (account, candidate_id, target, destination, step, state, remote_id,
                        holder, version, attempt_at, last_error, updated_at)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text,
        $9::bigint, $10::bigint, $11::text, )sql" PJATS_PG_NOW_S R"sql()
ON CONFLICT DO NOTHING
)sql",
                    {item.key.account, item.key.candidate_id, item.key.target,
                     item.key.destination, item.step.name, to_string(item.step.state),
                     item.step.remote_id, item.step.holder,
                     std::to_string(item.step.version < 1 ? 1 : item.step.version),
                     std::to_string(item.step.attempt_at_ms), item.step.last_error},
                    "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return rows->changed() == 1;
}

} // namespace pjats::ledger::detail

// The PostgreSQL ledger's reads and writes: the statements of sqlite_ledger.cpp in
// PostgreSQL's dialect. Every value is a text parameter cast in the SQL. Times are taken
// from the server's clock (clock_timestamp()), never from this machine's.

#include "ledger/pg_ledger.hpp"
#include "ledger/pg_sql.hpp"

#include <pjats/http/secrets.hpp>

#include <utility>

namespace pjats::ledger::detail {

namespace {

constexpr const char* k_entry_columns =
    "candidate_id, target, destination, state, remote_id, lookup_hint, last_error, "
    "temporary, attempts, updated_at, account, holder, version, attempt_at, "
    "previous_remote_ids, " PJATS_PG_NOW_MS ", credited_to";

Result<Entry> read_entry(const PgRows& rows, int row) {
    Entry entry;
    entry.key.candidate_id = rows.text(row, 0);
    entry.key.target = rows.text(row, 1);
    entry.key.destination = rows.text(row, 2);
    const std::string state = rows.text(row, 3);
    const std::optional<State> parsed = state_from_text(state);
    if (!parsed) {
        return make_error(ErrorKind::failure, "ledger row has an unknown state '" + state + "'");
    }
    entry.state = *parsed;
    entry.remote_id = rows.text(row, 4);
    entry.lookup_hint = rows.text(row, 5);
    entry.last_error = rows.text(row, 6);
    entry.temporary = rows.integer(row, 7) != 0;
    entry.attempts = static_cast<int>(rows.integer(row, 8));
    entry.updated_at = rows.integer(row, 9);
    entry.key.account = rows.text(row, 10);
    entry.holder = rows.text(row, 11);
    entry.version = rows.integer(row, 12);
    entry.attempt_at_ms = to_local_ms(rows.integer(row, 13), rows.integer(row, 15));
    entry.previous_remote_ids = rows.text(row, 14);
    entry.credited_to = rows.text(row, 16);
    return entry;
}

std::vector<std::string> key_params(const Key& key) {
    return {key.account, key.candidate_id, key.target, key.destination};
}

} // namespace

PgLedger::PgLedger(std::unique_ptr<PgConn> conn)
    : m_conn(std::move(conn)) {}

Result<PgRows> PgLedger::run(const std::string& sql, const std::vector<std::string>& params,
                             const char* what) {
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_conn->query(sql, params, what);
}

Result<int> PgLedger::write_keyed(const std::string& sql, const Key& key,
                                  std::vector<std::string> rest) {
    std::vector<std::string> params = key_params(key);
    params.insert(params.end(), std::make_move_iterator(rest.begin()),
                  std::make_move_iterator(rest.end()));
    auto rows = run(sql, params, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return rows->changed();
}

Status PgLedger::write_outcome(const char* sql, const Key& key, std::vector<std::string> rest) {
    rest.insert(rest.begin(), m_run.run_id);
    auto changed = write_keyed(sql, key, std::move(rest));
    if (!changed) {
        return std::move(changed).error();
    }
    if (*changed == 0) {
        return make_error(ErrorKind::conflict,
                          "the ledger row of candidate " + key.candidate_id
                              + " was taken over by another run before this run recorded its "
                                "outcome");
    }
    return {};
}

Result<std::string> PgLedger::lookup_text(const char* sql, const std::string& name) {
    auto rows = run(sql, {name}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    return rows->size() == 0 ? std::string() : rows->text(0, 0);
}

Result<std::string> PgLedger::lineage() {
    return lookup_text("SELECT value FROM meta WHERE name = $1::text", "lineage");
}

Result<std::vector<Entry>> PgLedger::read_entries(const std::string& where,
                                                  const std::vector<std::string>& params) {
    auto rows = run(std::string("SELECT ") + k_entry_columns + " FROM sends " + where, params,
                    "read");
    if (!rows) {
        return std::move(rows).error();
    }
    std::vector<Entry> entries;
    for (int row = 0; row < rows->size(); ++row) {
        auto entry = read_entry(*rows, row);
        if (!entry) {
            return std::move(entry).error();
        }
        entries.push_back(std::move(*entry));
    }
    return entries;
}

Result<std::optional<Entry>> PgLedger::get(const Key& key) {
    auto entries = read_entries("WHERE " PJATS_PG_KEY, key_params(key));
    if (!entries) {
        return std::move(entries).error();
    }
    if (entries->empty()) {
        return std::optional<Entry>();
    }
    return std::optional<Entry>(std::move(entries->front()));
}

Result<bool> PgLedger::claim(const Key& key, const std::string& email,
                             std::int64_t expected_version) {
    const int reconnects = m_conn->reconnects();
    Result<int> changed = 0;
    if (expected_version == 0) {
        changed = write_keyed(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, lookup_hint, attempts,
                   created_at, updated_at, holder, version, attempt_at)
VALUES ($1::text, $2::text, $3::text, $4::text, 'pending', $5::text, 1, )sql" PJATS_PG_NOW_S ", "
                              PJATS_PG_NOW_S R"sql(, $6::text, 1, )sql" PJATS_PG_NOW_MS R"sql()
ON CONFLICT (account, candidate_id, target, destination) DO NOTHING
)sql",
                              key, {email, m_run.run_id});
    } else {
        changed = write_keyed("UPDATE sends SET state = 'pending', lookup_hint = " PJATS_PG_APPEND_HINT
                              ", last_error = '', temporary = 0, attempts = attempts + 1, "
                              "updated_at = " PJATS_PG_NOW_S ", holder = $6::text, version = "
                              "version + 1, attempt_at = " PJATS_PG_NOW_MS
                              " WHERE " PJATS_PG_KEY " AND version = $7::bigint",
                              key, {email, m_run.run_id, std::to_string(expected_version)});
    }
    if (!changed) {
        return std::move(changed).error();
    }
    if (*changed == 0 && m_conn->reconnects() != reconnects) {
        // Run again after a reconnect: the first run may have committed this very claim.
        auto row = get(key);
        if (!row) {
            return std::move(row).error();
        }
        return row->has_value() && (**row).state == State::pending
               && (**row).holder == m_run.run_id && (**row).version == expected_version + 1;
    }
    return *changed == 1;
}

Status PgLedger::mark_pending(const Key& key, const std::string& lookup_hint) {
    auto changed = write_keyed(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, lookup_hint, attempts,
                   created_at, updated_at, holder, version, attempt_at)
VALUES ($1::text, $2::text, $3::text, $4::text, 'pending', $5::text, 1, )sql" PJATS_PG_NOW_S ", "
                                   PJATS_PG_NOW_S R"sql(, $6::text, 1, )sql" PJATS_PG_NOW_MS R"sql()
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = 'pending', lookup_hint = )sql" PJATS_PG_APPEND_HINT R"sql(,
    last_error = '', temporary = 0, attempts = sends.attempts + 1,
    updated_at = excluded.updated_at, holder = excluded.holder, version = sends.version + 1,
    attempt_at = excluded.attempt_at
)sql",
                               key, {lookup_hint, m_run.run_id});
    if (!changed) {
        return std::move(changed).error();
    }
    return {};
}

Status PgLedger::mark_sent(const Key& key, const std::string& remote_id) {
    return write_outcome(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, remote_id, created_at,
                   updated_at, holder)
VALUES ($1::text, $2::text, $3::text, $4::text, 'sent', $6::text, )sql" PJATS_PG_NOW_S ", "
                         PJATS_PG_NOW_S R"sql(, $5::text)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = 'sent',
    previous_remote_ids = CASE
        WHEN sends.remote_id <> '' AND sends.remote_id <> excluded.remote_id
        THEN trim(sends.previous_remote_ids || ' ' || sends.remote_id)
        ELSE sends.previous_remote_ids END,
    remote_id = excluded.remote_id,
    last_error = '',
    temporary = 0,
    updated_at = excluded.updated_at
WHERE sends.holder = $5::text
)sql",
                         key, {remote_id});
}

Status PgLedger::mark_failed(const Key& key, const std::string& error, bool temporary) {
    // A row with a remote id was sent before (a forced re-send): the earlier success stands.
    return write_outcome(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, last_error, temporary,
                   created_at, updated_at, holder)
VALUES ($1::text, $2::text, $3::text, $4::text, 'failed', $6::text, $7::smallint, )sql" PJATS_PG_NOW_S
                         ", " PJATS_PG_NOW_S R"sql(, $5::text)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = CASE WHEN sends.remote_id <> '' THEN 'sent' ELSE 'failed' END,
    last_error = CASE WHEN sends.remote_id <> ''
        THEN 'a forced re-send failed; the earlier send (' || sends.remote_id
             || ') stands: ' || excluded.last_error
        ELSE excluded.last_error END,
    temporary = CASE WHEN sends.remote_id <> '' THEN 0 ELSE excluded.temporary END,
    updated_at = excluded.updated_at
WHERE sends.holder = $5::text
)sql",
                         key, {http::scrub_secrets(error), temporary ? "1" : "0"});
}

Status PgLedger::mark_review(const Key& key, const std::string& error) {
    return write_outcome(R"sql(
INSERT INTO sends (account, candidate_id, target, destination, state, last_error, created_at,
                   updated_at, holder)
VALUES ($1::text, $2::text, $3::text, $4::text, 'review', $6::text, )sql" PJATS_PG_NOW_S ", "
                         PJATS_PG_NOW_S R"sql(, $5::text)
ON CONFLICT (account, candidate_id, target, destination) DO UPDATE SET
    state = 'review',
    last_error = excluded.last_error,
    temporary = 0,
    updated_at = excluded.updated_at
WHERE sends.holder = $5::text
)sql",
                         key, {http::scrub_secrets(error)});
}

Status PgLedger::note_unresolved(const Key& key, const std::string& error) {
    return write_outcome("UPDATE sends SET last_error = $6::text, temporary = 1, updated_at = "
                         PJATS_PG_NOW_S " WHERE " PJATS_PG_KEY
                         " AND state = 'pending' AND holder = $5::text",
                         key, {http::scrub_secrets(error)});
}

Status PgLedger::forget(const Key& key) {
    auto changed = write_keyed("DELETE FROM sends WHERE " PJATS_PG_KEY, key, {});
    if (!changed) {
        return std::move(changed).error();
    }
    return {};
}

Status PgLedger::adopt_unkeyed(const std::string& target, const std::string& account) {
    if (account.empty()) {
        return {};
    }
    // Rows that would collide with a keyed one stay as they are (SQLite: UPDATE OR IGNORE).
    auto rows = run(R"sql(
UPDATE sends AS s SET account = $2::text WHERE s.account = '' AND s.target = $1::text
  AND NOT EXISTS (SELECT 1 FROM sends AS o WHERE o.account = $2::text
                  AND o.candidate_id = s.candidate_id AND o.target = s.target
                  AND o.destination = s.destination)
)sql",
                    {target, account}, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return {};
}

Status PgLedger::rekey_account(const std::string& target, const std::string& from,
                               const std::string& to) {
    if (from == to || to.empty()) {
        return {};
    }
    // Rows that would collide stay as they are; the send rows last, so a rekey cut short
    // is found again (by its rows) and finished.
    constexpr const char* statements[] = {
        R"sql(UPDATE send_steps AS s SET account = $2::text WHERE s.account = $1::text
  AND s.target = $3::text AND NOT EXISTS (SELECT 1 FROM send_steps AS o
  WHERE o.account = $2::text AND o.candidate_id = s.candidate_id AND o.target = s.target
  AND o.destination = s.destination AND o.step = s.step))sql",
        R"sql(UPDATE tracking AS s SET account = $2::text WHERE s.account = $1::text
  AND s.target = $3::text AND NOT EXISTS (SELECT 1 FROM tracking AS o
  WHERE o.account = $2::text AND o.candidate_id = s.candidate_id AND o.target = s.target
  AND o.destination = s.destination))sql",
        R"sql(UPDATE cursors AS s SET job_id = $2::text || substr(s.job_id, length($1::text) + 1)
  WHERE substr(s.job_id, 1, length($1::text) + 1) = $1::text || '|' AND $3::text = $3::text
  AND NOT EXISTS (SELECT 1 FROM cursors AS o
  WHERE o.job_id = $2::text || substr(s.job_id, length($1::text) + 1)))sql",
        R"sql(UPDATE sends AS s SET account = $2::text WHERE s.account = $1::text
  AND s.target = $3::text AND NOT EXISTS (SELECT 1 FROM sends AS o
  WHERE o.account = $2::text AND o.candidate_id = s.candidate_id AND o.target = s.target
  AND o.destination = s.destination))sql",
    };
    for (const char* sql : statements) {
        auto rows = run(sql, {from, to, target}, "write");
        if (!rows) {
            return std::move(rows).error();
        }
    }
    return {};
}

Result<Counts> PgLedger::counts() {
    auto rows = run("SELECT state, COUNT(*) FROM sends GROUP BY state", {}, "read");
    if (!rows) {
        return std::move(rows).error();
    }
    Counts counts;
    for (int row = 0; row < rows->size(); ++row) {
        const std::optional<State> state = state_from_text(rows->text(row, 0));
        const std::int64_t n = rows->integer(row, 1);
        if (state == State::pending) {
            counts.pending = n;
        } else if (state == State::sent) {
            counts.sent = n;
        } else if (state == State::failed) {
            counts.failed = n;
        } else if (state == State::review) {
            counts.review = n;
        }
    }
    return counts;
}

Result<std::vector<Entry>> PgLedger::list(std::optional<State> state) {
    // COLLATE "C": the byte order SQLite uses, whatever the database's locale.
    const std::string order = "ORDER BY updated_at, candidate_id COLLATE \"C\", target COLLATE "
                              "\"C\", destination COLLATE \"C\", account COLLATE \"C\"";
    if (state) {
        return read_entries("WHERE state = $1::text " + order, {to_string(*state)});
    }
    return read_entries(order, {});
}

Result<std::string> PgLedger::cursor(const std::string& job_id) {
    return lookup_text("SELECT cursor FROM cursors WHERE job_id = $1::text", job_id);
}

Status PgLedger::set_cursor(const std::string& job_id, const std::string& cursor) {
    auto rows = run("INSERT INTO cursors (job_id, cursor, updated_at) VALUES ($1::text, $2::text, "
                    PJATS_PG_NOW_S ") ON CONFLICT (job_id) DO UPDATE SET cursor = "
                    "excluded.cursor, updated_at = excluded.updated_at",
                    {job_id, cursor}, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return {};
}

Result<std::string> PgLedger::meta(const std::string& name) {
    return lookup_text("SELECT value FROM meta WHERE name = $1::text", name);
}

Status PgLedger::set_meta(const std::string& name, const std::string& value) {
    auto rows = run("INSERT INTO meta (name, value) VALUES ($1::text, $2::text) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    {name, value}, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return {};
}

Result<bool> PgLedger::add_meta(const std::string& name, const std::string& value) {
    auto rows = run("INSERT INTO meta (name, value) VALUES ($1::text, $2::text) "
                    "ON CONFLICT (name) DO NOTHING",
                    {name, value}, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return rows->changed() == 1;
}

Result<std::int64_t> PgLedger::bump_serial() {
    auto rows = run("INSERT INTO meta (name, value) VALUES ('serial', '1') ON CONFLICT (name) "
                    "DO UPDATE SET value = (meta.value::bigint + 1)::text RETURNING value::bigint",
                    {}, "write");
    if (!rows) {
        return std::move(rows).error();
    }
    return rows->integer(0, 0);
}

} // namespace pjats::ledger::detail

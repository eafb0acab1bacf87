#pragma once

// Where `pj-ats send` gets its work items: ids from the arguments and --ids-from, records
// from the source or --file; and the ledger a dry run reads.

#include "context.hpp"

#include <pjats/ledger/ledger.hpp>
#include <pjats/send/engine.hpp>
#include <pjats/source/source.hpp>

#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace pjats::cli {

// The ids from the arguments, then from --ids-from (streamed: one line at a time; blank
// lines and lines starting with '#' are skipped).
class IdReader {
  public:
    IdReader(const std::vector<std::string>& ids, const std::string& ids_from)
        : m_ids(ids),
          m_ids_from(ids_from) {}

    // Opens --ids-from (stdin for "-").
    Status open();

    // The next id, nullopt after the last.
    std::optional<std::string> next();

  private:
    const std::vector<std::string>& m_ids;
    const std::string& m_ids_from;
    std::size_t m_next_arg = 0;
    std::ifstream m_file;
};

// The next candidate to send: a record, or why the id cannot be loaded.
std::optional<send::WorkItem> next_item(IdReader& ids, source::Source& source,
                                        const send::Placement& placement);

// The one record of --file.
send::WorkItem file_item(const std::string& file, const send::Placement& placement);

// A dry run reads what a real run would find, but never creates a ledger.
ledger::LedgerOpener dry_run_ledger(Context& ctx);

} // namespace pjats::cli

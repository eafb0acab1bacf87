#include "send_items.hpp"

#include <pjats/source/id_list.hpp>

#include <iostream>

namespace pjats::cli {

Status IdReader::open() {
    if (m_ids_from.empty() || m_ids_from == "-") {
        return {};
    }
    m_file.open(m_ids_from);
    if (!m_file) {
        return make_error(ErrorKind::usage, "cannot read --ids-from file " + m_ids_from);
    }
    return {};
}

std::optional<std::string> IdReader::next() {
    if (m_next_arg < m_ids.size()) {
        return m_ids[m_next_arg++];
    }
    if (m_ids_from.empty()) {
        return std::nullopt;
    }
    std::istream& in = m_ids_from == "-" ? std::cin : m_file;
    std::string line;
    while (std::getline(in, line)) {
        if (auto id = source::id_from_line(line)) {
            return id;
        }
    }
    return std::nullopt;
}

std::optional<send::WorkItem> next_item(IdReader& ids, source::Source& source,
                                        const send::Placement& placement) {
    std::optional<std::string> id = ids.next();
    if (!id) {
        return std::nullopt;
    }
    auto candidate = source.candidate(*id);
    if (!candidate) {
        return send::WorkItem(send::LoadFailure{*id, std::move(candidate).error()}, placement);
    }
    return send::WorkItem(std::move(*candidate), placement);
}

send::WorkItem file_item(const std::string& file, const send::Placement& placement) {
    auto record = source::read_record_file(file);
    if (!record) {
        return send::WorkItem(send::LoadFailure{"(" + file + ")", std::move(record).error()},
                              placement);
    }
    return send::WorkItem(std::move(*record), placement);
}

ledger::LedgerOpener dry_run_ledger(Context& ctx) {
    return [&ctx]() -> Result<std::unique_ptr<ledger::Ledger>> {
        auto location = ctx.ledger_location();
        if (!location) {
            return std::move(location).error();
        }
        auto found = ledger::ledger_exists(*location);
        if (!found) {
            return std::move(found).error();
        }
        if (!*found) {
            return std::unique_ptr<ledger::Ledger>();
        }
        return ledger::open_location(*location);
    };
}

} // namespace pjats::cli

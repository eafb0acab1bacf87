// `pj-ats ledger export [--output FILE]` and `pj-ats ledger import FILE`: move a ledger
// between backends (e.g. a laptop's SQLite file into the team's PostgreSQL) as JSON Lines,
// keeping every row's state so nothing is sent again (pjats/ledger/transfer.hpp).
#include "commands/commands.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/ledger/transfer.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

namespace pjats::cli {

namespace {

int run_export(const std::string& output, Context& ctx) {
    auto location = ctx.ledger_location();
    PJATS_TRY_EXIT(ctx, location);
    auto found = ledger::ledger_exists(*location);
    PJATS_TRY_EXIT(ctx, found);
    if (!*found) {
        return ctx.fail(make_error(ErrorKind::config,
                                   "no ledger at " + location->describe() + ": nothing to export"));
    }
    auto opened = ledger::open_location(*location);
    PJATS_TRY_EXIT(ctx, opened);
    std::ofstream file;
    if (!output.empty() && output != "-") {
        // Candidate e-mails and ids: readable by the owner only, also when the file existed.
        const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0 || ::fchmod(fd, 0600) != 0) {
            if (fd >= 0) {
                ::close(fd);
            }
            return ctx.fail(make_error(ErrorKind::config, "cannot write " + output + ": "
                                                              + std::strerror(errno)));
        }
        ::close(fd);
        file.open(output, std::ios::binary | std::ios::trunc);
        if (!file) {
            return ctx.fail(make_error(ErrorKind::config, "cannot write " + output));
        }
    }
    std::ostream& out = file.is_open() ? static_cast<std::ostream&>(file) : ctx.out;
    auto counts = ledger::export_jsonl(**opened, out);
    PJATS_TRY_EXIT(ctx, counts);
    ctx.note("exported " + std::to_string(counts->rows) + " rows, " + std::to_string(counts->steps)
             + " steps, " + std::to_string(counts->tracking) + " tracking rows, "
             + std::to_string(counts->cursors) + " cursors and " + std::to_string(counts->meta)
             + " metadata entries from " + location->describe());
    return 0;
}

// Kept rows named one by one by an import without -v.
constexpr std::size_t k_kept_named = 5;

int run_import(const std::string& input, Context& ctx) {
    std::ifstream in(input, std::ios::binary);
    if (!in) {
        return ctx.fail(make_error(ErrorKind::config, "cannot read " + input));
    }
    auto location = ctx.ledger_location();
    PJATS_TRY_EXIT(ctx, location);
    auto opened = ctx.open_ledger();
    PJATS_TRY_EXIT(ctx, opened);
    auto report = ledger::import_jsonl(**opened, in, input);
    PJATS_TRY_EXIT(ctx, report);
    if (!report->lineage_adopted.empty() && !location->from_env) {
        // The empty ledger continues the exported history: the profile follows it.
        PJATS_TRY_EXIT(ctx, ctx.update_profile([&](profile::Profile& profile) -> Status {
            profile.ledger_lineage = report->lineage_adopted;
            return {};
        }));
        PJATS_TRY_EXIT(ctx, ctx.ledger_lineage_changed(**opened));
    }
    // The first few rows kept are named (all with -v): a second import of the same file
    // keeps every row, and that is one line, not one per row.
    const std::size_t named = ctx.global.verbose > 0 ? report->rows_kept.size() : k_kept_named;
    for (std::size_t i = 0; i < report->rows_kept.size() && i < named; ++i) {
        const ledger::Key& key = report->rows_kept[i];
        ctx.note("kept the existing row of candidate " + key.candidate_id + " (" + key.target
                 + (key.destination.empty() ? "" : " " + key.destination) + ")");
    }
    if (report->rows_kept.size() > named) {
        ctx.note("... and " + std::to_string(report->rows_kept.size() - named)
                 + " more existing rows kept (-v names them all)");
    }
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object()
            .key("ledger").value(location->describe())
            .key("rows_added").value(report->rows_added)
            .key("rows_kept").value(static_cast<std::int64_t>(report->rows_kept.size()))
            .key("pending_added").value(report->pending_added)
            .key("cursors_added").value(report->cursors_added)
            .key("cursors_kept").value(report->cursors_kept)
            .key("meta_added").value(report->meta_added)
            .key("meta_kept").value(report->meta_kept)
            .key("steps_added").value(report->steps_added)
            .key("steps_kept").value(report->steps_kept)
            .key("tracking_added").value(report->tracking_added)
            .key("tracking_kept").value(report->tracking_kept)
            .key("lineage_adopted").value(!report->lineage_adopted.empty())
            .end_object();
        ctx.out << json.str() << '\n';
        return 0;
    }
    ctx.out << "Imported " << report->rows_added << " rows into " << location->describe() << " ("
            << report->rows_kept.size() << " already there, kept), " << report->steps_added
            << " steps, " << report->tracking_added << " tracking rows, "
            << report->cursors_added << " cursors, " << report->meta_added
            << " metadata entries\n";
    if (report->pending_added > 0) {
        ctx.out << report->pending_added
                << " imported rows are pending (outcome unknown); the next send or sync "
                   "resolves them without sending twice\n";
    }
    return 0;
}

} // namespace

void add_ledger_transfer(CLI::App& ledger_group, Context& ctx) {
    auto output = std::make_shared<std::string>();
    CLI::App* exp = ledger_group.add_subcommand(
        "export", "Write every ledger row, cursor and metadata entry as JSON Lines");
    exp->add_option("-o,--output", *output, "Write to FILE instead of stdout");
    exp->callback([output, &ctx] { ctx.exit_code = run_export(*output, ctx); });

    auto input = std::make_shared<std::string>();
    CLI::App* imp = ledger_group.add_subcommand(
        "import", "Add an export's rows to this profile's ledger (existing rows are kept)");
    imp->add_option("FILE", *input, "A file written by `pj-ats ledger export`")->required();
    imp->callback([input, &ctx] { ctx.exit_code = run_import(*input, ctx); });
}

} // namespace pjats::cli

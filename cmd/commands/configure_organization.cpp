// `pj-ats configure organization NAME`: the organization's real name, the
// hiringOrganization of every JobPosting `postings --format jsonld` prints and `sync`
// publishes (docs/sync.md, "Publishing").
#include "commands/commands.hpp"

#include <pjats/core/json_writer.hpp>

#include <ostream>

namespace pjats::cli {

namespace {

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return "";
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

int run_configure_organization(const std::string& given, Context& ctx) {
    const std::string name = trimmed(given);
    if (name.empty()) {
        return ctx.fail(make_error(ErrorKind::usage, "the organization name is empty"));
    }
    auto saved = ctx.update_profile([&](profile::Profile& profile) -> Status {
        profile.organization = name;
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("organization").value(name).end_object();
        ctx.out << json.str() << '\n';
    } else {
        ctx.out << "Organization: " << name << '\n';
    }
    return 0;
}

} // namespace

void add_configure_organization(CLI::App& configure, Context& ctx) {
    auto name = std::make_shared<std::string>();
    CLI::App* sub = configure.add_subcommand(
        "organization", "Set the organization's name for published job postings");
    sub->add_option("NAME", *name, "The organization's real name (hiringOrganization)")
        ->required();
    sub->callback([name, &ctx] { ctx.exit_code = run_configure_organization(*name, ctx); });
}

} // namespace pjats::cli

// `pj-ats configure source --dir PATH | --url URL [--token-stdin]`.
#include "commands/commands.hpp"
#include "secret_input.hpp"

#include <pjats/core/json_writer.hpp>
#include <pjats/http/url.hpp>

#include <filesystem>
#include <ostream>

namespace pjats::cli {

namespace {

struct ConfigureSourceOptions {
    std::string dir;
    std::string url;
    SecretFlags token;
    std::string token_command;
};

int run_configure_source(const ConfigureSourceOptions& opts, Context& ctx) {
    if (opts.dir.empty() == opts.url.empty()) {
        return ctx.fail(make_error(ErrorKind::usage, "give exactly one of --dir or --url"));
    }
    profile::SourceSettings settings;
    if (!opts.dir.empty()) {
        std::error_code ec;
        std::filesystem::path dir = std::filesystem::absolute(opts.dir, ec);
        if (ec || !std::filesystem::is_directory(dir, ec)) {
            return ctx.fail(make_error(ErrorKind::config, "source directory " + opts.dir
                                                              + " does not exist or is not a "
                                                                "directory"));
        }
        settings.kind = "dir";
        settings.dir = std::filesystem::weakly_canonical(dir, ec).string();
        if (!std::filesystem::is_directory(dir / "candidates", ec)) {
            ctx.note("pj-ats: note: " + settings.dir
                     + " has no candidates/ folder yet; records are read from "
                       "candidates/<id>.json");
        }
    } else {
        PJATS_TRY_EXIT(ctx, http::check_base_url(opts.url, "--url"));
        settings.kind = "url";
        settings.url = opts.url;
        settings.token_command = opts.token_command;
        auto token = read_secret(ctx, opts.token, "source token");
        if (!token) {
            return ctx.fail(token.error());
        }
        settings.token = *token;
    }
    auto saved = ctx.update_profile([&](profile::Profile& profile) -> Status {
        profile.source = settings;
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("kind").value(settings.kind);
        json.key("location").value(settings.kind == "dir" ? settings.dir : settings.url);
        json.end_object();
        ctx.out << json.str() << '\n';
    } else {
        ctx.out << "Source: " << settings.kind << ' '
                << (settings.kind == "dir" ? settings.dir : settings.url) << '\n';
    }
    return 0;
}

} // namespace

void add_configure_source(CLI::App& configure, Context& ctx) {
    auto opts = std::make_shared<ConfigureSourceOptions>();
    CLI::App* sub = configure.add_subcommand("source", "Set where candidate records come from");
    sub->add_option("--dir", opts->dir, "Folder with candidates/<id>.json and applications/");
    sub->add_option("--url", opts->url, "Base URL of a Purpose Jobs export service");
    sub->add_flag("--token-stdin", opts->token.from_stdin, "Read the source's bearer token from stdin");
    sub->add_option("--token-file", opts->token.file, "Read the source's bearer token from a file");
    sub->add_option("--token-command", opts->token_command, "Store a command that prints the token");
    sub->callback([opts, &ctx] { ctx.exit_code = run_configure_source(*opts, ctx); });
}

} // namespace pjats::cli

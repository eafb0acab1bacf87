// `pj-ats configure greenhouse`: stores the Candidate Ingestion key and On-Behalf-Of email,
// verified live with GET /v1/partner/current_user unless --no-verify.
#include "commands/commands.hpp"
#include "secret_input.hpp"
#include "services.hpp"

#include <pjats/app/configure.hpp>
#include <pjats/core/fingerprint.hpp>
#include <pjats/core/json_writer.hpp>
#include <pjats/greenhouse/client.hpp>
#include <pjats/http/url.hpp>

#include <cstdlib>
#include <ostream>

namespace pjats::cli {

namespace {

struct ConfigureGreenhouseOptions {
    std::string email;
    SecretFlags key;
    std::string key_command;
    std::string base_url;
    bool no_verify = false;
};

bool looks_like_email(const std::string& text) {
    const auto at = text.find('@');
    return at != std::string::npos && at > 0 && at + 1 < text.size()
           && text.find_first_of(" \t\r\n") == std::string::npos;
}

int run_configure_greenhouse(const ConfigureGreenhouseOptions& opts, Context& ctx) {
    if (!looks_like_email(opts.email)) {
        return ctx.fail(make_error(ErrorKind::usage,
                                   "--email must be the email address of an active Greenhouse "
                                   "user (the On-Behalf-Of user)"));
    }
    auto existing = ctx.load_config();
    if (!existing) {
        return ctx.fail(existing.error());
    }
    profile::Profile current;
    if (auto it = existing->profiles.find(ctx.profile_name(*existing));
        it != existing->profiles.end()) {
        current = it->second;
    }
    if (!opts.base_url.empty()) {
        PJATS_TRY_EXIT(ctx, http::check_base_url(opts.base_url, "--base-url"));
    }
    auto new_key = read_secret(ctx, opts.key, "Greenhouse API key");
    if (!new_key) {
        return ctx.fail(new_key.error());
    }
    app::GreenhouseChange change;
    change.email = opts.email;
    change.api_key = *new_key;
    change.api_key_command = opts.key_command;
    change.base_url = opts.base_url;
    profile::GreenhouseSettings settings =
        app::apply_change(current.greenhouse.value_or(profile::GreenhouseSettings{}), change);
    profile::Profile candidate = current;
    candidate.greenhouse = settings;
    auto access = greenhouse_access(ctx, candidate);
    if (!new_key->empty() && access) {
        access->key.value = *new_key; // verify what the user just gave us
    }
    if (!access) {
        Error error = access.error();
        if (error.kind == ErrorKind::auth) {
            error.kind = ErrorKind::usage;
            error.message = "no Greenhouse API key given: pass it with --api-key-stdin or "
                            "--api-key-file, or set PJ_ATS_GREENHOUSE_API_KEY";
        }
        return ctx.fail(error);
    }

    greenhouse::CurrentUser user;
    if (!opts.no_verify) {
        greenhouse::Client client(
            ctx.transport(candidate), access->base_url, access->key.value, access->email);
        auto who = client.current_user();
        if (!who) {
            return ctx.fail(who.error());
        }
        user = *who;
    }

    if (!opts.no_verify) {
        settings.account_id = "user:" + std::to_string(user.id);
        settings.key_fingerprint = fingerprint(access->key.value);
    }
    auto saved = ctx.update_profile([&](profile::Profile& profile) -> Status {
        profile.greenhouse = settings;
        return {};
    });
    if (!saved) {
        return ctx.fail(saved.error());
    }
    const std::string name = ctx.profile_name(*existing);
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("profile").value(name).key("target").value("greenhouse");
        json.key("email").value(settings.email).key("verified").value(!opts.no_verify);
        if (!opts.no_verify) {
            json.key("user").begin_object().key("id").value(user.id);
            json.key("name").value(user.full_name).key("email").value(user.email).end_object();
        }
        json.end_object();
        ctx.out << json.str() << '\n';
    } else {
        if (!opts.no_verify) {
            // Greenhouse's older current_user answer has no id: then none is shown.
            ctx.out << "Greenhouse: acting as " << user.full_name << " <" << user.email << ">"
                    << (user.id != 0 ? " (user " + std::to_string(user.id) + ")" : std::string())
                    << '\n';
        } else {
            ctx.out << "Greenhouse: credentials saved without verification (--no-verify)\n";
        }
        ctx.note("Saved to profile '" + name + "' in " + ctx.config_path());
    }
    if (!new_key->empty() && std::getenv("PJ_ATS_GREENHOUSE_API_KEY") != nullptr) {
        ctx.note("pj-ats: note: PJ_ATS_GREENHOUSE_API_KEY is set and takes precedence over the stored key");
    }
    return 0;
}

} // namespace

void add_configure_greenhouse(CLI::App& configure, Context& ctx) {
    auto opts = std::make_shared<ConfigureGreenhouseOptions>();
    CLI::App* sub = configure.add_subcommand(
        "greenhouse", "Store the Greenhouse Candidate Ingestion API key and On-Behalf-Of email");
    sub->add_option("--email", opts->email, "Email of the Greenhouse user to act as (On-Behalf-Of)")
        ->required();
    sub->add_flag("--api-key-stdin", opts->key.from_stdin, "Read the API key from standard input");
    sub->add_option("--api-key-file", opts->key.file, "Read the API key from this file");
    sub->add_option("--api-key-command",
                    opts->key_command,
                    "Store a command that prints the API key (credential helper)");
    sub->add_option("--base-url",
                    opts->base_url,
                    "API root (default https://api.greenhouse.io; env PJ_ATS_GREENHOUSE_URL)");
    sub->add_flag("--no-verify", opts->no_verify, "Do not check the credentials live");
    sub->callback([opts, &ctx] { ctx.exit_code = run_configure_greenhouse(*opts, ctx); });
}

} // namespace pjats::cli

#include "lever_setup.hpp"

#include "browser.hpp"
#include "services.hpp"

#include <pjats/core/json_writer.hpp>

#include <chrono>
#include <ostream>

namespace pjats::cli {

Result<lever::TokenSet> authorize_lever(const LeverAuthorization& opts,
                                        Context& ctx,
                                        const profile::Profile& profile,
                                        const std::string& secret) {
    auto receiver = lever::LoopbackReceiver::open(opts.port);
    if (!receiver) {
        return std::move(receiver).error();
    }
    const std::string state = lever::random_state();
    const std::string url =
        lever::authorize_url(lever_auth_url(ctx, profile),
                             opts.client_id,
                             receiver->redirect_uri(),
                             state,
                             lever::oauth_audience(lever_base_url(ctx, profile)),
                             lever::default_scopes());
    ctx.err
        << "Open this URL in a browser where a Lever Super Admin is signed in, and accept\n"
           "(the scopes include stages and archive reasons, which `track` and `hires` need, and\n"
           "notes and files for the candidate card; a grant made before them must be approved\n"
           "again):\n\n  "
        << url << "\n\nWaiting for Lever to redirect to " << receiver->redirect_uri() << " ...\n"
        << std::flush;
    if (!opts.no_browser) {
        open_in_browser(url);
    }
    auto code = receiver->wait_for_code(state, std::chrono::seconds(opts.timeout_seconds));
    if (!code) {
        return std::move(code).error();
    }
    return lever::exchange_code(ctx.transport(profile),
                                lever_auth_url(ctx, profile),
                                opts.client_id,
                                secret,
                                *code,
                                receiver->redirect_uri());
}

Status verify_lever(Context& ctx,
                    const profile::Profile& profile,
                    bool no_verify,
                    const std::string& perform_as_email,
                    lever::User& user) {
    if (no_verify && perform_as_email.empty()) {
        return {};
    }
    auto session = open_lever(ctx, profile);
    if (!session) {
        return std::move(session).error();
    }
    if (!perform_as_email.empty()) {
        auto found = (*session)->client->user_by_email(perform_as_email);
        if (!found) {
            Error error = std::move(found).error();
            if (error.kind == ErrorKind::not_found) { // unknown or deactivated: fix the flag
                error.kind = ErrorKind::config;
            }
            return error;
        }
        user = *found;
        return {};
    }
    auto postings = (*session)->client->postings("published");
    if (!postings) {
        return std::move(postings).error();
    }
    return {};
}

void print_configured_lever(Context& ctx,
                            const profile::LeverSettings& settings,
                            const lever::User& user,
                            bool key_given,
                            bool no_verify) {
    if (ctx.global.json) {
        JsonWriter json;
        json.begin_object().key("target").value("lever").key("auth").value(settings.auth);
        json.key("perform_as").value(settings.perform_as).key("verified").value(!no_verify);
        if (settings.auth == "oauth") {
            json.key("expires_at").value(settings.expires_at).key("scope").value(settings.scope);
        }
        json.end_object();
        ctx.out << json.str() << '\n';
        return;
    }
    const char* what = settings.auth == "oauth" ? "authorized with OAuth"
                       : key_given              ? "API key saved"
                                                : "API key unchanged";
    ctx.out << "Lever: " << what << (no_verify ? " (not verified)" : "") << '\n';
    if (!user.id.empty()) {
        ctx.out << "Lever: performing actions as " << user.name << " (user " << user.id << ")\n";
    } else if (settings.perform_as.empty()) {
        ctx.note("pj-ats: note: no perform_as user yet; `send --to lever` needs one: re-run with "
                 "--perform-as-email EMAIL");
    }
}

} // namespace pjats::cli

// Loading and saving the TOML config. This is the only file that includes toml++; parse
// errors and wrongly typed keys become `config` errors here, with file positions and full
// key paths. Every type problem in the file is reported at once.

#include "config_files.hpp"
#include "toml_writer.hpp"

#include <pjats/http/secrets.hpp>
#include <pjats/profile/profile.hpp>

#include <toml++/toml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pjats::profile {

namespace {

// At most this many problems are spelled out in one error message.
constexpr std::size_t k_max_reported_problems = 10;

const char* type_name(toml::node_type type) {
    switch (type) {
    case toml::node_type::table:
        return "a table";
    case toml::node_type::array:
        return "an array";
    case toml::node_type::string:
        return "a string";
    case toml::node_type::integer:
        return "an integer";
    case toml::node_type::floating_point:
        return "a float";
    case toml::node_type::boolean:
        return "a boolean";
    case toml::node_type::date:
        return "a date";
    case toml::node_type::time:
        return "a time";
    case toml::node_type::date_time:
        return "a date-time";
    case toml::node_type::none:
        break;
    }
    return "nothing";
}

bool is_bare_key(std::string_view key) {
    if (key.empty()) {
        return false;
    }
    for (char c : key) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
              || c == '-')) {
            return false;
        }
    }
    return true;
}

// `parent.key`, quoting `key` as TOML would when it is not bare.
std::string key_path(const std::string& parent, std::string_view key) {
    std::string segment;
    if (is_bare_key(key)) {
        segment = key;
    } else {
        segment = "\"";
        for (char c : key) {
            if (c == '"' || c == '\\') {
                segment += '\\';
            }
            segment += c;
        }
        segment += '"';
    }
    return parent.empty() ? segment : parent + "." + segment;
}

// Reads typed values out of the parsed tree, recording every problem it meets.
class Reader {
  public:
    explicit Reader(std::string file)
        : m_file(std::move(file)) {}

    void
    string(const toml::table& table, const std::string& parent, const char* key, std::string& out) {
        const toml::node* node = table.get(key);
        if (node == nullptr) {
            return;
        }
        if (const auto* value = node->as_string()) {
            out = value->get();
            return;
        }
        wrong_type(*node, key_path(parent, key), "a string");
    }

    void integer(const toml::table& table,
                 const std::string& parent,
                 const char* key,
                 std::int64_t& out) {
        const toml::node* node = table.get(key);
        if (node == nullptr) {
            return;
        }
        if (const auto* value = node->as_integer()) {
            out = value->get();
            return;
        }
        wrong_type(*node, key_path(parent, key), "an integer");
    }

    // The sub-table `key`, or nullptr when it is absent or not a table (a problem).
    const toml::table* table(const toml::table& table, const std::string& parent, const char* key) {
        const toml::node* node = table.get(key);
        if (node == nullptr) {
            return nullptr;
        }
        if (const toml::table* sub = node->as_table()) {
            return sub;
        }
        wrong_type(*node, key_path(parent, key), "a table");
        return nullptr;
    }

    void wrong_type(const toml::node& node, const std::string& path, const char* expected) {
        problem(node, path, path + " must be " + expected + ", not " + type_name(node.type()));
    }

    void problem(const toml::node& node, const std::string& path, const std::string& text) {
        const toml::source_position& at = node.source().begin;
        std::string where = m_file;
        if (at) {
            where += ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
        }
        m_problems.emplace_back(path, where + ": " + text);
    }

    Status result() const {
        if (m_problems.empty()) {
            return {};
        }
        std::string message;
        for (std::size_t i = 0; i < m_problems.size() && i < k_max_reported_problems; ++i) {
            message += (i == 0 ? "" : "; ") + m_problems[i].second;
        }
        if (m_problems.size() > k_max_reported_problems) {
            message +=
                "; and " + std::to_string(m_problems.size() - k_max_reported_problems) + " more";
        }
        return make_error(ErrorKind::config, message, m_problems.front().first);
    }

  private:
    std::string m_file;
    std::vector<std::pair<std::string, std::string>> m_problems; // key path, message
};

SourceSettings read_source(Reader& r, const toml::table& t, const std::string& path) {
    SourceSettings s;
    r.string(t, path, "kind", s.kind);
    r.string(t, path, "dir", s.dir);
    r.string(t, path, "url", s.url);
    r.string(t, path, "token", s.token);
    r.string(t, path, "token_command", s.token_command);
    http::register_secret(s.token);
    return s;
}

GreenhouseSettings read_greenhouse(Reader& r, const toml::table& t, const std::string& path) {
    GreenhouseSettings g;
    r.string(t, path, "email", g.email);
    r.string(t, path, "api_key", g.api_key);
    r.string(t, path, "api_key_command", g.api_key_command);
    r.string(t, path, "base_url", g.base_url);
    r.string(t, path, "account_id", g.account_id);
    r.string(t, path, "key_fingerprint", g.key_fingerprint);
    http::register_secret(g.api_key);
    return g;
}

LeverSettings read_lever(Reader& r, const toml::table& t, const std::string& path) {
    LeverSettings l;
    r.string(t, path, "auth", l.auth);
    r.string(t, path, "api_key", l.api_key);
    r.string(t, path, "api_key_command", l.api_key_command);
    r.string(t, path, "base_url", l.base_url);
    r.string(t, path, "auth_url", l.auth_url);
    r.string(t, path, "perform_as", l.perform_as);
    r.string(t, path, "perform_as_email", l.perform_as_email);
    r.string(t, path, "client_id", l.client_id);
    r.string(t, path, "client_secret", l.client_secret);
    r.string(t, path, "client_secret_command", l.client_secret_command);
    r.string(t, path, "access_token", l.access_token);
    r.string(t, path, "refresh_token", l.refresh_token);
    r.integer(t, path, "expires_at", l.expires_at);
    r.string(t, path, "scope", l.scope);
    for (const std::string* secret :
         {&l.api_key, &l.client_secret, &l.access_token, &l.refresh_token}) {
        http::register_secret(*secret);
    }
    return l;
}

void read_links(Reader& r,
                const toml::table& t,
                const std::string& path,
                std::map<std::string, std::string>& links) {
    for (const auto& [key, node] : t) {
        const std::string link_path = key_path(path, key.str());
        if (const auto* value = node.as_string()) {
            links.emplace(std::string(key.str()), value->get());
        } else {
            r.wrong_type(node, link_path, "a string");
        }
    }
}

Profile read_profile(Reader& r, const toml::table& t, const std::string& path) {
    Profile p;
    r.string(t, path, "ca_bundle", p.ca_bundle);
    r.string(t, path, "ledger_lineage", p.ledger_lineage);
    r.string(t, path, "ledger_url", p.ledger_url);
    r.string(t, path, "metrics_file", p.metrics_file);
    if (const toml::table* source = r.table(t, path, "source")) {
        p.source = read_source(r, *source, path + ".source");
    }
    if (const toml::table* greenhouse = r.table(t, path, "greenhouse")) {
        p.greenhouse = read_greenhouse(r, *greenhouse, path + ".greenhouse");
    }
    if (const toml::table* lever = r.table(t, path, "lever")) {
        p.lever = read_lever(r, *lever, path + ".lever");
    }
    if (const toml::table* links = r.table(t, path, "links")) {
        read_links(r, *links, path + ".links", p.links);
    }
    return p;
}

Result<Config> read_config(const toml::table& root, const std::string& file) {
    Reader r(file);
    Config config;
    r.string(root, "", "default_profile", config.default_profile);
    if (!config.default_profile.empty() && !check_profile_name(config.default_profile)) {
        r.problem(*root.get("default_profile"),
                  "default_profile",
                  "default_profile: " + check_profile_name(config.default_profile).error().message);
    }
    if (const toml::table* profiles = r.table(root, "", "profiles")) {
        for (const auto& [key, node] : *profiles) {
            const std::string name(key.str());
            const std::string path = key_path("profiles", name);
            Status valid = check_profile_name(name);
            if (!valid) {
                r.problem(node, path, valid.error().message);
                continue;
            }
            if (const toml::table* table = node.as_table()) {
                config.profiles.emplace(name, read_profile(r, *table, path));
            } else {
                r.wrong_type(node, path, "a table");
            }
        }
    }
    PJATS_TRY(r.result());
    return config;
}

} // namespace

Result<Config> load_config(const std::string& path) {
    auto content = detail::read_private_file(path);
    if (!content) {
        return std::move(content).error();
    }
    if (!content->has_value()) {
        return Config{};
    }
    try {
        const toml::table root = toml::parse(**content, path);
        return read_config(root, path);
    } catch (const toml::parse_error& e) {
        const toml::source_position& at = e.source().begin;
        return make_error(ErrorKind::config,
                          path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column)
                              + ": " + std::string(e.description()));
    }
}

Status save_config(const std::string& path, const Config& config) {
    if (path.empty()) {
        return detail::no_config_dir_error();
    }
    auto text = detail::serialize_config(config);
    if (!text) {
        return std::move(text).error();
    }
    return detail::write_file_atomically(path, *text);
}

} // namespace pjats::profile

// Writes the config as TOML by hand: the layout is small and fixed, and writing it
// ourselves keeps the output stable (empty sections kept, keys in a readable order).

#include "toml_writer.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

namespace pjats::profile::detail {

namespace {

// Length of the valid UTF-8 sequence starting at `i`, or 0 when it is invalid (overlong
// forms, surrogates and code points above U+10FFFF are invalid, as in TOML).
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead < 0x80) {
        return 1;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        code = lead & 0x1Fu;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        code = lead & 0x0Fu;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        code = lead & 0x07u;
    } else {
        return 0;
    }
    if (i + length > text.size()) {
        return 0;
    }
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xC0u) != 0x80u) {
            return 0;
        }
        code = (code << 6) | (byte(i + k) & 0x3Fu);
    }
    const bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    if (overlong || surrogate || code > 0x10FFFF) {
        return 0;
    }
    return length;
}

class Writer {
  public:
    // A TOML basic string; false when `text` is not valid UTF-8.
    bool append_string(const std::string& text) {
        m_out += '"';
        for (std::size_t i = 0; i < text.size();) {
            const char c = text[i];
            const auto u = static_cast<unsigned char>(c);
            if (u >= 0x80) {
                const std::size_t length = utf8_sequence_length(text, i);
                if (length == 0) {
                    return false;
                }
                m_out.append(text, i, length);
                i += length;
                continue;
            }
            switch (c) {
            case '"':
                m_out += "\\\"";
                break;
            case '\\':
                m_out += "\\\\";
                break;
            case '\b':
                m_out += "\\b";
                break;
            case '\t':
                m_out += "\\t";
                break;
            case '\n':
                m_out += "\\n";
                break;
            case '\f':
                m_out += "\\f";
                break;
            case '\r':
                m_out += "\\r";
                break;
            default:
                if (u < 0x20 || u == 0x7F) {
                    char escape[8];
                    std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(u));
                    m_out += escape;
                } else {
                    m_out += c;
                }
            }
            ++i;
        }
        m_out += '"';
        return true;
    }

    // A bare key when possible, else a quoted one.
    bool append_key(const std::string& key) {
        bool bare = !key.empty();
        for (char c : key) {
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                  || c == '_' || c == '-')) {
                bare = false;
                break;
            }
        }
        if (bare) {
            m_out += key;
            return true;
        }
        return append_string(key);
    }

    void header(const std::string& path) {
        if (!m_out.empty()) {
            m_out += '\n';
        }
        m_out += '[' + path + "]\n";
    }

    // `key = "value"` when `value` is non-empty. `path` names the key in errors.
    Status string(const std::string& path, const char* key, const std::string& value) {
        if (value.empty()) {
            return {};
        }
        m_out += key;
        m_out += " = ";
        if (!append_string(value)) {
            return invalid_utf8(path.empty() ? std::string(key) : path + "." + key);
        }
        m_out += '\n';
        return {};
    }

    Status link(const std::string& path, const std::string& key, const std::string& value) {
        if (!append_key(key)) {
            return invalid_utf8(path + " (a key)");
        }
        m_out += " = ";
        if (!append_string(value)) {
            return invalid_utf8(path);
        }
        m_out += '\n';
        return {};
    }

    void integer(const char* key, std::int64_t value) {
        if (value != 0) {
            m_out += std::string(key) + " = " + std::to_string(value) + '\n';
        }
    }

    void raw(const std::string& text) {
        m_out += text;
    }

    std::string take() {
        return std::move(m_out);
    }

  private:
    static Error invalid_utf8(const std::string& path) {
        return make_error(
            ErrorKind::config, path + " is not valid UTF-8; it cannot be saved", path);
    }

    std::string m_out;
};

Status write_source(Writer& w, const std::string& path, const SourceSettings& s) {
    if (s == SourceSettings{}) {
        return {};
    }
    w.header(path);
    PJATS_TRY(w.string(path, "kind", s.kind));
    PJATS_TRY(w.string(path, "dir", s.dir));
    PJATS_TRY(w.string(path, "url", s.url));
    PJATS_TRY(w.string(path, "token", s.token));
    PJATS_TRY(w.string(path, "token_command", s.token_command));
    return {};
}

Status write_greenhouse(Writer& w, const std::string& path, const GreenhouseSettings& g) {
    w.header(path);
    PJATS_TRY(w.string(path, "email", g.email));
    PJATS_TRY(w.string(path, "api_key", g.api_key));
    PJATS_TRY(w.string(path, "api_key_command", g.api_key_command));
    PJATS_TRY(w.string(path, "base_url", g.base_url));
    PJATS_TRY(w.string(path, "account_id", g.account_id));
    PJATS_TRY(w.string(path, "key_fingerprint", g.key_fingerprint));
    return {};
}

Status write_lever(Writer& w, const std::string& path, const LeverSettings& l) {
    w.header(path);
    PJATS_TRY(w.string(path, "auth", l.auth));
    PJATS_TRY(w.string(path, "api_key", l.api_key));
    PJATS_TRY(w.string(path, "api_key_command", l.api_key_command));
    PJATS_TRY(w.string(path, "base_url", l.base_url));
    PJATS_TRY(w.string(path, "auth_url", l.auth_url));
    PJATS_TRY(w.string(path, "perform_as", l.perform_as));
    PJATS_TRY(w.string(path, "perform_as_email", l.perform_as_email));
    PJATS_TRY(w.string(path, "client_id", l.client_id));
    PJATS_TRY(w.string(path, "client_secret", l.client_secret));
    PJATS_TRY(w.string(path, "client_secret_command", l.client_secret_command));
    PJATS_TRY(w.string(path, "access_token", l.access_token));
    PJATS_TRY(w.string(path, "refresh_token", l.refresh_token));
    w.integer("expires_at", l.expires_at);
    PJATS_TRY(w.string(path, "scope", l.scope));
    return {};
}

Status write_profile(Writer& w, const std::string& name, const Profile& profile) {
    PJATS_TRY(check_profile_name(name));
    const std::string path = "profiles." + name;
    w.header(path);
    PJATS_TRY(w.string(path, "ca_bundle", profile.ca_bundle));
    PJATS_TRY(w.string(path, "ledger_lineage", profile.ledger_lineage));
    PJATS_TRY(w.string(path, "ledger_url", profile.ledger_url));
    PJATS_TRY(w.string(path, "metrics_file", profile.metrics_file));
    PJATS_TRY(write_source(w, path + ".source", profile.source));
    if (profile.greenhouse) {
        PJATS_TRY(write_greenhouse(w, path + ".greenhouse", *profile.greenhouse));
    }
    if (profile.lever) {
        PJATS_TRY(write_lever(w, path + ".lever", *profile.lever));
    }
    if (!profile.links.empty()) {
        w.header(path + ".links");
        for (const auto& [job, posting] : profile.links) {
            PJATS_TRY(w.link(path + ".links", job, posting));
        }
    }
    return {};
}

} // namespace

Result<std::string> serialize_config(const Config& config) {
    Writer w;
    w.raw("# pj-ats configuration, written by pj-ats. It holds secrets: keep it mode 0600.\n");
    if (!config.default_profile.empty()) {
        PJATS_TRY(check_profile_name(config.default_profile));
        PJATS_TRY(w.string("", "default_profile", config.default_profile));
    }
    for (const auto& [name, profile] : config.profiles) {
        PJATS_TRY(write_profile(w, name, profile));
    }
    return w.take();
}

} // namespace pjats::profile::detail

// The registry behind scrub_secrets. Scrubbing is a plain substring replacement of a
// handful of known strings: it needs no pattern, so it also catches a secret that a
// server echoes inside an arbitrary error text, where redact_text's key/scheme based
// scanners cannot see it.

#include <pjats/http/secrets.hpp>
#include <pjats/http/url.hpp>

#include <atomic>
#include <mutex>
#include <set>
#include <shared_mutex>

namespace pjats::http {

namespace {

// Longest first (then alphabetical), so that a longer form is replaced before a shorter
// one inside it: "Basic <base64 with padding>" before the same base64 without padding.
struct LongestFirst {
    bool operator()(const std::string& a, const std::string& b) const {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    }
};

struct Registry {
    std::shared_mutex mutex;
    std::set<std::string, std::less<>> secrets;
    std::set<std::string, LongestFirst> forms;
    std::atomic<bool> empty{true}; // lets scrub_secrets skip the lock before any secret
};

Registry& registry() {
    static Registry instance;
    return instance;
}

std::string lower_hex_escapes(std::string text) {
    for (std::size_t i = 0; i + 2 < text.size(); ++i) {
        if (text[i] == '%') {
            for (std::size_t k = i + 1; k <= i + 2; ++k) {
                if (text[k] >= 'A' && text[k] <= 'F') {
                    text[k] = static_cast<char>(text[k] - 'A' + 'a');
                }
            }
            i += 2;
        }
    }
    return text;
}

std::string without_padding(std::string text) {
    while (!text.empty() && text.back() == '=') {
        text.pop_back();
    }
    return text;
}

std::string url_safe(std::string text) {
    for (char& c : text) {
        if (c == '+') {
            c = '-';
        } else if (c == '/') {
            c = '_';
        }
    }
    return text;
}

// The escapes a JSON writer may apply to a string: quote, backslash and (optionally)
// the solidus.
std::string json_escaped(std::string_view text, bool escape_slash) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '"' || c == '\\' || (escape_slash && c == '/')) {
            out += '\\';
        }
        out += c;
    }
    return out;
}

void replace_all(std::string& text, const std::string& form) {
    std::size_t pos = text.find(form);
    if (pos == std::string::npos) {
        return;
    }
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    while (pos != std::string::npos) {
        out.append(text, from, pos - from);
        out += k_scrubbed;
        from = pos + form.size();
        pos = text.find(form, from);
    }
    out.append(text, from, std::string::npos);
    text.swap(out);
}

} // namespace

std::vector<std::string> secret_forms(std::string_view secret) {
    if (secret.size() < k_min_secret_length) {
        return {};
    }
    std::set<std::string> plain;
    plain.insert(std::string(secret));
    const std::string encoded = url_encode(secret);
    plain.insert(encoded);
    plain.insert(lower_hex_escapes(encoded));
    const std::string raw(secret);
    for (const std::string& payload : {raw, raw + ":", ":" + raw}) {
        const std::string b64 = base64_encode(payload);
        for (const std::string& form :
             {b64, without_padding(b64), url_safe(b64), url_safe(without_padding(b64))}) {
            plain.insert(form);
            plain.insert(url_encode(form));
            plain.insert(lower_hex_escapes(url_encode(form)));
        }
    }
    std::set<std::string, LongestFirst> all;
    for (const std::string& form : plain) {
        all.insert(form);
        all.insert(json_escaped(form, false));
        all.insert(json_escaped(form, true));
    }
    return {all.begin(), all.end()};
}

void register_secret(std::string_view secret) {
    if (secret.size() < k_min_secret_length) {
        return;
    }
    Registry& r = registry();
    {
        const std::shared_lock<std::shared_mutex> lock(r.mutex);
        if (r.secrets.find(secret) != r.secrets.end()) {
            return;
        }
    }
    std::vector<std::string> forms = secret_forms(secret);
    const std::unique_lock<std::shared_mutex> lock(r.mutex);
    if (!r.secrets.insert(std::string(secret)).second) {
        return;
    }
    for (std::string& form : forms) {
        r.forms.insert(std::move(form));
    }
    r.empty.store(false, std::memory_order_release);
}

std::string scrub_secrets(std::string_view text) {
    std::string out(text);
    Registry& r = registry();
    if (r.empty.load(std::memory_order_acquire) || text.empty()) {
        return out;
    }
    const std::shared_lock<std::shared_mutex> lock(r.mutex);
    for (const std::string& form : r.forms) {
        replace_all(out, form);
    }
    return out;
}

void scrub_error(Error& error) {
    error.message = scrub_secrets(error.message);
    error.field = scrub_secrets(error.field);
    error.detail = scrub_secrets(error.detail);
}

std::size_t registered_secret_count() {
    Registry& r = registry();
    const std::shared_lock<std::shared_mutex> lock(r.mutex);
    return r.secrets.size();
}

void clear_secrets_for_testing() {
    Registry& r = registry();
    const std::unique_lock<std::shared_mutex> lock(r.mutex);
    r.secrets.clear();
    r.forms.clear();
    r.empty.store(true, std::memory_order_release);
}

} // namespace pjats::http

#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace pjats::cli {

namespace {

constexpr const char* k_reset = "\033[0m";

bool env_set(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0';
}

std::string padded(std::string_view word, Tone tone, bool color) {
    constexpr std::size_t width = 6; // the longest word ("warn", "FAIL") plus two spaces
    std::string text = paint(word, tone, color);
    text.append(width > word.size() ? width - word.size() : 1, ' ');
    return text;
}

} // namespace

bool use_color(const Context& ctx, OutputStream stream) {
    if (ctx.global.json || env_set("NO_COLOR")) {
        return false;
    }
    const char* term = std::getenv("TERM");
    if (term != nullptr && std::strcmp(term, "dumb") == 0) {
        return false;
    }
    return isatty(stream == OutputStream::out ? STDOUT_FILENO : STDERR_FILENO) == 1;
}

std::string paint(std::string_view text, Tone tone, bool color) {
    if (!color) {
        return std::string(text);
    }
    const char* start = "\033[32m"; // green
    if (tone == Tone::warning) {
        start = "\033[33m"; // yellow
    } else if (tone == Tone::bad) {
        start = "\033[1;31m"; // bold red
    }
    std::string painted(start);
    painted += text;
    painted += k_reset;
    return painted;
}

std::string ok_word(bool color) {
    return padded("ok", Tone::good, color);
}

std::string warn_word(bool color) {
    return padded("warn", Tone::warning, color);
}

std::string fail_word(bool color) {
    return padded("FAIL", Tone::bad, color);
}

} // namespace pjats::cli

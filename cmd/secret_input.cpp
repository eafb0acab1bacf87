#include "secret_input.hpp"

#include <pjats/http/secrets.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <termios.h>
#include <unistd.h>

namespace pjats::cli {

namespace {

constexpr std::size_t k_max_secret_bytes = 64 * 1024;

std::string trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '
                             || text.back() == '\t')) {
        text.pop_back();
    }
    std::size_t start = 0;
    while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) {
        ++start;
    }
    return text.substr(start);
}

// Restores the terminal's echo setting when it goes out of scope.
class EchoOff {
  public:
    EchoOff() {
        if (tcgetattr(STDIN_FILENO, &m_saved) == 0) {
            termios quiet = m_saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            // TCSANOW, not TCSAFLUSH: input typed ahead of the prompt must not be discarded.
            m_active = tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0;
        }
    }

    ~EchoOff() {
        if (m_active) {
            tcsetattr(STDIN_FILENO, TCSANOW, &m_saved);
        }
    }

    EchoOff(const EchoOff&) = delete;
    EchoOff& operator=(const EchoOff&) = delete;

  private:
    termios m_saved{};
    bool m_active = false;
};

Result<std::string> non_empty(std::string value, const std::string& what, const std::string& from) {
    value = trim(std::move(value));
    if (value.empty()) {
        return make_error(ErrorKind::usage, "the " + what + " read from " + from + " is empty");
    }
    http::register_secret(value); // from now on no output may carry it
    return value;
}

} // namespace

Result<std::string> read_secret_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error(ErrorKind::config, "cannot read the " + what + " file " + path);
    }
    std::string content;
    char buffer[4096];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        content.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (content.size() > k_max_secret_bytes) {
            return make_error(ErrorKind::usage, "the " + what + " file " + path + " is too large");
        }
    }
    return non_empty(std::move(content), what, path);
}

Result<std::string> read_secret(const Context& ctx, const SecretFlags& flags, const std::string& what) {
    if (flags.from_stdin && !flags.file.empty()) {
        return make_error(ErrorKind::usage, "give the " + what + " either on stdin or in a file, not both");
    }
    if (flags.from_stdin) {
        std::string content;
        char buffer[4096];
        while (std::cin.read(buffer, sizeof buffer) || std::cin.gcount() > 0) {
            content.append(buffer, static_cast<std::size_t>(std::cin.gcount()));
            if (content.size() > k_max_secret_bytes) {
                return make_error(ErrorKind::usage, "the " + what + " on stdin is too large");
            }
        }
        return non_empty(std::move(content), what, "standard input");
    }
    if (!flags.file.empty()) {
        return read_secret_file(flags.file, what);
    }
    if (!ctx.interactive()) {
        return std::string();
    }
    std::string line;
    {
        EchoOff echo_off; // before the prompt, so nothing typed after it is ever echoed
        ctx.err << what << " (input hidden): " << std::flush;
        std::getline(std::cin, line);
    }
    ctx.err << '\n';
    return non_empty(std::move(line), what, "the prompt");
}

} // namespace pjats::cli

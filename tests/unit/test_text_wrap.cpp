#include <pjats/text/wrap.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <string>

using pjats::text::wrap_text;

namespace {

std::size_t longest_line(const std::string& text) {
    std::istringstream in(text);
    std::size_t longest = 0;
    for (std::string line; std::getline(in, line);) {
        longest = std::max(longest, line.size());
    }
    return longest;
}

} // namespace

TEST_CASE("text::wrap_text keeps lines that fit") {
    const std::string text = "Usage: pj-ats [OPTIONS]\n\nOptions:\n  -h,--help  Print help\n";
    CHECK(wrap_text(text, 80) == text);
    CHECK(wrap_text("no newline", 80) == "no newline");
}

TEST_CASE("text::wrap_text hangs continuation lines under the second column") {
    const std::string line = "  --to TARGET        Where to send the candidates: greenhouse or "
                             "lever (required unless configured)\n";
    const std::string wrapped = wrap_text(line, 60);
    CHECK(wrapped
          == "  --to TARGET        Where to send the candidates:\n"
             "                     greenhouse or lever (required unless\n"
             "                     configured)\n");
}

TEST_CASE("text::wrap_text wraps plain paragraphs at their indent") {
    const std::string wrapped =
        wrap_text("one two three four five six seven eight nine ten eleven\n", 20);
    CHECK(wrapped == "one two three four\nfive six seven eight\nnine ten eleven\n");
    CHECK(wrap_text("      one two three four five\n", 20)
          == "      one two three\n      four five\n");
}

TEST_CASE("text::wrap_text never exceeds the width, splitting words that cannot fit") {
    const std::string text = "  --base-url URL  Base URL, e.g. "
                             "https://very-long-host-name.example.com/with/a/long/path/inside\n"
                             "x\n";
    for (std::size_t width : {20U, 40U, 60U}) {
        CAPTURE(width);
        const std::string wrapped = wrap_text(text, width);
        CHECK(longest_line(wrapped) <= width);
        CHECK(wrapped.find("inside") != std::string::npos);
        CHECK(wrapped.substr(wrapped.size() - 2) == "x\n");
    }
}

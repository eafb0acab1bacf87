#pragma once

#include "context.hpp"

#include <string>
#include <string_view>

namespace pjats::cli {

// Which of the context's streams text is meant for.
enum class OutputStream { out, err };

// The colour a piece of text stands for.
enum class Tone { good, warning, bad };

// Whether text written to `stream` may carry ANSI colours: the stream's file descriptor
// (stdout or stderr) is a terminal, NO_COLOR is unset or empty (no-color.org), TERM is
// not "dumb", and --json is off.
bool use_color(const Context& ctx, OutputStream stream = OutputStream::out);

// `text` wrapped in the ANSI colour of `tone` (green, yellow, bold red) when `color` is
// true, else `text` unchanged.
std::string paint(std::string_view text, Tone tone, bool color);

// The status words of `status`-style lines, padded to one width ("ok    ", "warn  ",
// "FAIL  ") and coloured when `color` is true (the padding stays outside the colour).
std::string ok_word(bool color);
std::string warn_word(bool color);
std::string fail_word(bool color);

} // namespace pjats::cli

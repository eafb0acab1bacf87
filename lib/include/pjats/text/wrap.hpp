#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pjats::text {

// Re-wraps every line of `text` longer than `width` at spaces so that no line exceeds it.
// Continuation lines are indented to the line's second column (the first text after a run
// of two or more spaces, as in "  --flag ARG    description") when that column leaves
// room for text, else to the line's own indent (at most half the width). A word longer than the
// room left is split. Lines that already fit are kept byte for byte.
std::string wrap_text(std::string_view text, std::size_t width);

} // namespace pjats::text

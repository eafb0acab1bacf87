#pragma once

#include <string>

namespace pjats::cli {

// Asks the desktop to open `url` (xdg-open), without waiting and without output.
// Returns false when no opener could be started; callers have printed the URL anyway.
bool open_in_browser(const std::string& url);

} // namespace pjats::cli

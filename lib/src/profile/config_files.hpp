#pragma once

// File-system plumbing of the profile store: reading the config file only when it is
// private, creating its directory, and replacing it atomically.

#include <pjats/core/result.hpp>

#include <optional>
#include <string>

namespace pjats::profile::detail {

// The error for an empty config path (neither HOME nor XDG_CONFIG_HOME is set).
Error no_config_dir_error();

// The directory part of `path`: "." when it has none, "/" for a file in the root.
std::string parent_dir(const std::string& path);

// `text` quoted for a POSIX shell when it contains anything but safe characters.
std::string shell_quote(const std::string& text);

// The file's content, or nullopt when it does not exist. Refuses (as a `config` error)
// a file that is not regular, belongs to another user, has any group/other permission
// bit, or sits in a directory writable by others.
Result<std::optional<std::string>> read_private_file(const std::string& path);

// Makes sure directory `dir` exists, creating missing components with mode 0700, and
// refuses an existing one that group or others may write to (unless it is sticky).
Status ensure_private_dir(const std::string& dir);

// Replaces `path` (or the file a symlink at `path` points to) with `content`: a 0600 temp
// file in the same directory, written, fsynced, renamed over the target, then the
// directory fsynced. The temp file never survives a failure.
Status write_file_atomically(const std::string& path, const std::string& content);

} // namespace pjats::profile::detail

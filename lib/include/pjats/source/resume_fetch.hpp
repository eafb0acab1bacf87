#pragma once

// Downloading a record's résumé from meta.purposeJobs.resumeUrl (docs/record-format.md,
// "Résumé from a URL").

#include <pjats/core/result.hpp>
#include <pjats/http/http.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace pjats::source {

// Lever's cap for an attached file (lever-api.md §2.7): 30 MB.
inline constexpr std::size_t k_max_resume_bytes = std::size_t{30} * 1024 * 1024;

// Redirects followed at most (each hop checked like the first URL).
inline constexpr int k_max_resume_redirects = 5;

struct ResumeDownload {
    std::string bytes;        // exactly as served
    std::string content_type; // one of the accepted types, without parameters
};

// The extension for an accepted résumé content type (".pdf", ".doc", ".docx", ".txt",
// ".rtf", ".odt"); "" for any other type.
std::string resume_extension(std::string_view content_type);

// GETs `url` with `transport` (TLS verified; no credentials are ever sent): https only,
// http only to a loopback host; redirects followed up to k_max_resume_redirects, each
// target checked the same way; the answer must be 200 with an accepted Content-Type (or
// application/octet-stream with an accepted extension in the path) and at most
// k_max_resume_bytes. Errors never quote the URL's path or query (they may hold a signed
// token), only its host: `validation` for a refused URL, type or size, `not_found` for
// 404/410, `temporary` for 429/5xx and network failures, else `failure`.
Result<ResumeDownload> fetch_resume(http::Transport& transport, const std::string& url);

} // namespace pjats::source

// Downloading a résumé from a record's resumeUrl, with the checks of resume_fetch.hpp.

#include <pjats/http/url.hpp>
#include <pjats/source/resume_fetch.hpp>

#include <array>
#include <cctype>
#include <utility>

namespace pjats::source {

namespace {

struct Accepted {
    std::string_view type;
    std::string_view extension;
};

constexpr std::array<Accepted, 6> k_accepted = {{
    {"application/pdf", ".pdf"},
    {"application/msword", ".doc"},
    {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"},
    {"text/plain", ".txt"},
    {"application/rtf", ".rtf"},
    {"application/vnd.oasis.opendocument.text", ".odt"},
}};

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

// "Application/PDF; charset=x" -> "application/pdf".
std::string media_type(std::string_view header) {
    std::string type = lower(header.substr(0, header.find(';')));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
        type.pop_back();
    }
    const std::size_t first = type.find_first_not_of(" \t");
    return first == std::string::npos ? std::string() : type.substr(first);
}

// The accepted type for the extension at the end of the URL path (query cut off).
std::string type_of_path(const std::string& path) {
    const std::string bare = lower(path.substr(0, path.find_first_of("?#")));
    for (const Accepted& item : k_accepted) {
        const std::string_view ext = item.extension;
        if (bare.size() > ext.size() && bare.compare(bare.size() - ext.size(), ext.size(), ext) == 0) {
            return std::string(item.type);
        }
    }
    return {};
}

Error refused(const std::string& host, const std::string& why) {
    return make_error(ErrorKind::validation,
                      "the résumé at meta.purposeJobs.resumeUrl (host " + host + ") " + why,
                      "meta.purposeJobs.resumeUrl");
}

Result<http::Url> checked_url(const std::string& url) {
    auto parsed = http::parse_url(url);
    if (!parsed) {
        return make_error(ErrorKind::validation,
                          "meta.purposeJobs.resumeUrl is not a valid URL",
                          "meta.purposeJobs.resumeUrl");
    }
    if (parsed->scheme == "https"
        || (parsed->scheme == "http" && http::is_loopback_host(parsed->host))) {
        return parsed;
    }
    return refused(parsed->host, "is not https:// (plain http:// is only allowed to this "
                                 "machine); the résumé was not downloaded");
}

// Resolves a Location header against the URL it came from.
std::string resolve(const http::Url& from, const std::string& location) {
    if (location.find("://") != std::string::npos) {
        return location;
    }
    std::string origin = from.scheme + "://"
                         + (from.host.find(':') != std::string::npos ? "[" + from.host + "]"
                                                                     : from.host);
    if (from.port != 0) {
        origin += ":" + std::to_string(from.port);
    }
    if (location.rfind("//", 0) == 0) {
        return from.scheme + ":" + location;
    }
    if (!location.empty() && location.front() == '/') {
        return origin + location;
    }
    const std::string dir = from.path.substr(0, from.path.find_last_of('/') + 1);
    return origin + (dir.empty() ? "/" : dir) + location;
}

Error status_error(const std::string& host, long status) {
    ErrorKind kind = ErrorKind::failure;
    if (status == 404 || status == 410) {
        kind = ErrorKind::not_found;
    } else if (status == 429 || status >= 500) {
        kind = ErrorKind::temporary;
    }
    Error error = make_error(kind, "downloading the résumé from " + host + " failed (HTTP "
                                       + std::to_string(status) + ")",
                             "meta.purposeJobs.resumeUrl");
    error.http_status = static_cast<int>(status);
    return error;
}

} // namespace

std::string resume_extension(std::string_view content_type) {
    const std::string type = media_type(content_type);
    for (const Accepted& item : k_accepted) {
        if (item.type == type) {
            return std::string(item.extension);
        }
    }
    return {};
}

Result<ResumeDownload> fetch_resume(http::Transport& transport, const std::string& url) {
    std::string current = url;
    for (int hop = 0; hop <= k_max_resume_redirects; ++hop) {
        auto parsed = checked_url(current);
        if (!parsed) {
            return std::move(parsed).error();
        }
        http::Request request;
        request.method = "GET";
        request.url = current;
        request.trace_response_body = false; // the candidate's document, maybe binary
        request.headers.push_back({"Accept", "application/pdf, application/msword, "
                                             "application/vnd.openxmlformats-officedocument."
                                             "wordprocessingml.document, text/plain, "
                                             "application/rtf, "
                                             "application/vnd.oasis.opendocument.text"});
        auto response = transport.send(request);
        if (!response) {
            Error error = std::move(response).error();
            error.message = "downloading the résumé from " + parsed->host + " failed: "
                            + error.message;
            error.outcome_unknown = false; // a GET: nothing was created anywhere
            return error;
        }
        const long status = response->status;
        if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
            const auto location = response->header("Location");
            if (!location || location->empty()) {
                return refused(parsed->host, "answered a redirect without a Location");
            }
            current = resolve(*parsed, *location);
            continue;
        }
        if (status != 200) {
            return status_error(parsed->host, status);
        }
        if (response->body.size() > k_max_resume_bytes) {
            return refused(parsed->host, "is larger than Lever's 30 MB limit for files");
        }
        if (response->body.empty()) {
            return refused(parsed->host, "is empty");
        }
        std::string type = media_type(response->header("Content-Type").value_or(""));
        if (type == "application/octet-stream" || type.empty()) {
            type = type_of_path(parsed->path);
        }
        if (resume_extension(type).empty()) {
            return refused(parsed->host,
                           "has the content type '" + media_type(response->header("Content-Type").value_or(""))
                               + "'; accepted: PDF, Word (.doc, .docx), plain text, RTF, "
                                 "OpenDocument text");
        }
        return ResumeDownload{std::move(response->body), std::move(type)};
    }
    return make_error(ErrorKind::validation,
                      "the résumé at meta.purposeJobs.resumeUrl redirected more than "
                          + std::to_string(k_max_resume_redirects) + " times",
                      "meta.purposeJobs.resumeUrl");
}

} // namespace pjats::source

#include "request_checks.hpp"

#include <pjats/http/redact.hpp>
#include <pjats/http/url.hpp>

#include <cctype>
#include <fstream>

namespace pjats::http::detail {

namespace {

bool is_method_token(std::string_view method) {
    if (method.empty()) {
        return false;
    }
    for (const char c : method) {
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
            return false;
        }
    }
    return true;
}

int effective_port(const Url& url) {
    if (url.port != 0) {
        return url.port;
    }
    return url.scheme == "https" ? 443 : 80;
}

} // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i]))
            != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

Status validate_request(const Request& request) {
    if (!is_method_token(request.method)) {
        return make_error(ErrorKind::usage, "invalid HTTP method");
    }
    for (const Header& h : request.headers) {
        if (h.name.empty() || h.name.find_first_of(":\r\n \t") != std::string::npos
            || h.value.find_first_of("\r\n") != std::string::npos) {
            return make_error(ErrorKind::usage,
                              "invalid HTTP header name or value (header '" + redact_text(h.name)
                                  + "')");
        }
    }
    for (const FormPart& part : request.form) {
        if (!part.file_path.empty() && !std::ifstream(part.file_path, std::ios::binary)) {
            return make_error(ErrorKind::failure,
                              "cannot read the file attached as form field '" + part.name + "'");
        }
    }
    return {};
}

std::string host_of(std::string_view url) {
    auto parsed = parse_url(url);
    return parsed ? parsed->host : std::string("the server");
}

bool same_origin(std::string_view a, std::string_view b) {
    auto x = parse_url(a);
    auto y = parse_url(b);
    return x && y && x->scheme == y->scheme && x->host == y->host
           && effective_port(*x) == effective_port(*y);
}

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 307 || status == 308;
}

std::string describe_form(const std::vector<FormPart>& form) {
    std::string out = "[multipart/form-data:";
    for (const FormPart& part : form) {
        out += part.file_path.empty() ? " field " : " file ";
        out += part.name;
        if (!part.content_type.empty()) {
            out += " (" + part.content_type + ")";
        }
    }
    return out + "]";
}

} // namespace pjats::http::detail

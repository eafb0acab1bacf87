// The request body of an EasyRequest: JSON/form bytes sent once, or a multipart form whose
// file parts are read from disk (never rewound: a re-sent POST would be a second record).

#include "curl_request.hpp"

#include <filesystem>
#include <string>

namespace pjats::http::detail {

CURLcode EasyRequest::set_form() {
    const Request& request = *m_transfer.request;
    m_mime.reset(curl().mime_init(m_handle));
    if (!m_mime) {
        return CURLE_OUT_OF_MEMORY;
    }
    for (const FormPart& part : request.form) {
        curl_mimepart* p = curl().mime_addpart(m_mime.get());
        if (p == nullptr) {
            return CURLE_OUT_OF_MEMORY;
        }
        PJATS_CURL_TRY(curl().mime_name(p, part.name.c_str()));
        if (!request.is_idempotent()) {
            PJATS_CURL_TRY(add_one_shot_part(p, part));
        } else if (!part.file_path.empty()) {
            PJATS_CURL_TRY(curl().mime_filedata(p, part.file_path.c_str()));
        } else {
            PJATS_CURL_TRY(curl().mime_data(p, part.value.data(), part.value.size()));
        }
        if (!part.file_path.empty() && !part.filename.empty()) {
            PJATS_CURL_TRY(curl().mime_filename(p, part.filename.c_str()));
        }
        if (!part.content_type.empty()) {
            PJATS_CURL_TRY(curl().mime_type(p, part.content_type.c_str()));
        }
    }
    PJATS_CURL_TRY(set(CURLOPT_MIMEPOST, m_mime.get()));
    if (request.method != "POST") {
        PJATS_CURL_TRY(set(CURLOPT_CUSTOMREQUEST, request.method.c_str()));
    }
    return CURLE_OK;
}

CURLcode EasyRequest::add_one_shot_part(curl_mimepart* part, const FormPart& form_part) {
    if (!form_part.file_path.empty()) {
        auto file = std::make_unique<FileBody>(m_gate);
        if (!file->open(form_part.file_path)) {
            return CURLE_READ_ERROR;
        }
        FileBody* reader = m_part_files.emplace_back(std::move(file)).get();
        // The name curl_mime_filedata would give; a FormPart::filename replaces it.
        const std::string base = std::filesystem::path(form_part.file_path).filename().string();
        PJATS_CURL_TRY(curl().mime_filename(part, base.c_str()));
        return curl().mime_data_cb(
            part, reader->size(), &FileBody::read, &FileBody::seek, nullptr, reader);
    }
    MemoryBody* reader = m_part_values
                             .emplace_back(std::make_unique<MemoryBody>(
                                 MemoryBody{form_part.value, 0, &m_gate}))
                             .get();
    return curl().mime_data_cb(part,
                               static_cast<curl_off_t>(form_part.value.size()),
                               &MemoryBody::read,
                               &MemoryBody::seek,
                               nullptr,
                               reader);
}

CURLcode EasyRequest::set_one_shot_body() {
    const Request& request = *m_transfer.request;
    m_body = MemoryBody{request.body, 0, &m_gate};
    PJATS_CURL_TRY(set(CURLOPT_POST, 1L));
    PJATS_CURL_TRY(set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
    PJATS_CURL_TRY(set(CURLOPT_READFUNCTION, &MemoryBody::read));
    PJATS_CURL_TRY(set(CURLOPT_READDATA, &m_body));
    PJATS_CURL_TRY(set(CURLOPT_SEEKFUNCTION, &MemoryBody::seek));
    return set(CURLOPT_SEEKDATA, &m_body);
}

CURLcode EasyRequest::set_method_and_body() {
    const Request& request = *m_transfer.request;
    const std::string& method = request.method;
    if (!request.form.empty()) {
        return set_form();
    }
    if (method == "GET") {
        return set(CURLOPT_HTTPGET, 1L);
    }
    if (method == "HEAD") {
        return set(CURLOPT_NOBODY, 1L);
    }
    if (method != "POST") {
        PJATS_CURL_TRY(set(CURLOPT_CUSTOMREQUEST, method.c_str()));
        if (request.body.empty() && method != "PUT" && method != "PATCH") {
            return CURLE_OK; // e.g. DELETE without a body
        }
    }
    if (!request.is_idempotent()) {
        return set_one_shot_body();
    }
    PJATS_CURL_TRY(set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size())));
    return set(CURLOPT_POSTFIELDS, request.body.data());
}

#undef PJATS_CURL_TRY

} // namespace pjats::http::detail

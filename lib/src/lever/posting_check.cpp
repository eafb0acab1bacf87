// Whether a Lever posting can take candidates (link-job, send --posting).

#include <pjats/lever/posting_check.hpp>

namespace pjats::lever {

Result<Posting> published_posting(Client& client, const std::string& posting_id) {
    auto posting = client.posting(posting_id);
    if (!posting) {
        Error error = std::move(posting).error();
        if (error.kind == ErrorKind::not_found) {
            error.message =
                "Lever posting " + posting_id + " does not exist (" + error.message + ")";
        }
        return error;
    }
    if (posting->state != "published") {
        return make_error(ErrorKind::validation,
                          "Lever posting " + posting_id + " is '" + posting->state
                              + "', not published; only published (open) postings can take "
                                "candidates");
    }
    return posting;
}

} // namespace pjats::lever

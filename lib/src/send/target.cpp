// The values of send/target.hpp: destinations and account keys as the ledger stores them.

#include <pjats/http/url.hpp>
#include <pjats/send/target.hpp>

namespace pjats::send {

std::string Destination::key() const {
    switch (kind) {
    case Kind::job:
        return "job:" + id;
    case Kind::posting:
        return "posting:" + id;
    case Kind::none:
        break;
    }
    return {};
}

Destination Destination::parse(const std::string& key) {
    if (key.rfind("job:", 0) == 0) {
        return {Kind::job, key.substr(4)};
    }
    if (key.rfind("posting:", 0) == 0) {
        return {Kind::posting, key.substr(8)};
    }
    return {Kind::none, key};
}

std::string account_key(const std::string& base_url, const std::string& identity) {
    return http::canonical_base_url(base_url) + "#" + identity;
}

} // namespace pjats::send

namespace pjats::send {

Result<std::string> Target::do_step(const std::string& step, const std::string&,
                                    const model::Candidate&) {
    return make_error(ErrorKind::failure, name() + " has no follow-up step '" + step + "'");
}

Result<std::optional<std::string>> Target::find_step(const std::string& step, const std::string&,
                                                     const model::Candidate&) {
    return make_error(ErrorKind::failure, name() + " has no follow-up step '" + step + "'");
}

} // namespace pjats::send

#pragma once

#include <pjats/core/result.hpp>
#include <pjats/lever/client.hpp>
#include <pjats/lever/model.hpp>

#include <string>

namespace pjats::lever {

// The Lever posting `posting_id` when it exists and is published (open): what `link-job`
// links and `send --to lever --posting` applies to. A posting Lever does not know is a
// `not_found` error naming it; one in another state (closed, draft, internal, …) is a
// `validation` error saying its state ("only published postings can take candidates").
// Other errors (auth, temporary) pass through.
Result<Posting> published_posting(Client& client, const std::string& posting_id);

} // namespace pjats::lever

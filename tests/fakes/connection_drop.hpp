#pragma once

// Abrupt connection endings for fault injection.

#include <httplib.h>

namespace pjats::fakes {

// Shuts down the TCP connection `req` arrived on (both directions), so the client sees the
// connection closed without any response. httplib does not expose the socket to handlers,
// so it is found among this process's sockets by its local and peer ports (Linux).
// Returns false when the socket was not found.
bool drop_connection(const httplib::Request& req);

// Sends `res` completely, then closes the connection (for requests whose unread body would
// otherwise be taken for the next request on a kept-alive connection).
void close_after_response(const httplib::Request& req, httplib::Response& res);

// Turns `res` into a response whose headers promise the whole body but whose body stops
// halfway: the client gets a truncated response and the connection is closed.
void truncate_response(httplib::Response& res);

} // namespace pjats::fakes

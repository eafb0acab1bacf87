#pragma once

// Which request of its keep-alive connection a request is, for `reused_only` fault rules.

#include <httplib.h>

namespace pjats::fakes {

// Counts `req` on its connection and returns its ordinal there (1: the connection's first
// request). httplib serves a connection on one worker thread from its first request until
// it closes, so the count is kept per thread and starts again when the thread's peer
// (address and port) changes, i.e. when the thread moves on to another connection. Call
// exactly once per request, on the thread serving it.
int count_request_on_connection(const httplib::Request& req);

} // namespace pjats::fakes

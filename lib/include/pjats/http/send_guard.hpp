#pragma once

// A last check right before a request that changes something (anything but GET/HEAD)
// leaves the calling thread — after any wait for the pacer or for a retry's backoff, so a
// process stopped during such a wait checks again when it wakes. The send engine sets it
// to the ledger's fencing (docs/ledger.md, "Fenced requests"): a request under a claim the
// run may have lost is not sent.

#include <pjats/core/result.hpp>

#include <functional>

namespace pjats::http {

struct Request;

// Returns an error (kind conflict) when the request must not leave.
using SendGuard = std::function<Status()>;

// Sets `guard` for the requests of the current thread while it lives (the previous one is
// restored afterwards).
class SendGuardScope {
  public:
    explicit SendGuardScope(SendGuard guard);
    ~SendGuardScope();
    SendGuardScope(const SendGuardScope&) = delete;
    SendGuardScope& operator=(const SendGuardScope&) = delete;

  private:
    SendGuard m_previous;
};

// The current thread's guard for `request`: ok for GET/HEAD or without a guard.
Status check_send_guard(const Request& request);

} // namespace pjats::http

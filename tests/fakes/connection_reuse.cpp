// Which request of its keep-alive connection a request is.
#include "connection_reuse.hpp"

#include <string>

namespace pjats::fakes {

namespace {

struct ThreadConnection {
    std::string remote_addr;
    int remote_port = -1;
    int local_port = -1;
    int requests = 0;
};

thread_local ThreadConnection t_connection;

} // namespace

int count_request_on_connection(const httplib::Request& req) {
    ThreadConnection& c = t_connection;
    if (c.remote_addr != req.remote_addr || c.remote_port != req.remote_port
        || c.local_port != req.local_port) {
        c = ThreadConnection{req.remote_addr, req.remote_port, req.local_port, 0};
    }
    return ++c.requests;
}

} // namespace pjats::fakes

#pragma once

// The routes a fake serves. The sandbox server registers them on its httplib::Server and
// wraps each handler with latency, fault injection, the random 503s and counters.

#include <httplib.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace pjats::fakes {

// Which API a route belongs to: decides the shape of injected error bodies.
enum class ApiFlavor { greenhouse, lever, oauth };

using RouteHandler = std::function<void(const httplib::Request&, httplib::Response&)>;

struct Route {
    std::string method;  // GET, POST or DELETE
    std::string pattern; // httplib regex, e.g. R"(/v1/postings/([^/]+))"
    std::string name;    // counter key, e.g. "GET /v1/postings/:id"
    ApiFlavor flavor;
    RouteHandler handler;
};

class RouteTable {
  public:
    void add(std::string method,
             std::string pattern,
             std::string name,
             ApiFlavor flavor,
             RouteHandler handler) {
        m_routes.push_back(Route{
            std::move(method), std::move(pattern), std::move(name), flavor, std::move(handler)});
    }

    const std::vector<Route>& routes() const {
        return m_routes;
    }

  private:
    std::vector<Route> m_routes;
};

} // namespace pjats::fakes

#pragma once
//! Maps (method, path) to a handler. Patterns are OpenAPI-style: `/api/v1/members/{id}`; a
//! `{name}` segment captures one decoded path segment. Static segments win over captures. The
//! route table is public (`Routes`) so the OpenAPI document can be checked against it.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/message.h"

namespace zhibu::http {

//! Turns a request into a response. Expected failures are answered with
//! `Response::FromError`; a thrown exception is a bug and becomes a 500 envelope.
using Handler = std::function<Response(Request&)>;

//! What the route table says of one route.
struct RouteInfo {
  Method method;
  std::string pattern;
  std::string summary;  //!< one line, Chinese
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  //! Registers a route. Throws std::logic_error for a malformed pattern or a duplicate
  //! (method, pattern) — both are programming mistakes found at start-up.
  void Add(Method method, std::string pattern, Handler handler, std::string summary = {});

  //! The result of a lookup.
  struct Match {
    const Handler* handler = nullptr;  //!< null when nothing matches
    std::vector<std::pair<std::string, std::string>> params;
    bool path_exists = false;     //!< the path matches a route, for another method (405)
    std::string allow;            //!< methods allowed on the path, for the Allow header
    bool malformed_path = false;  //!< a segment had a bad percent escape
    std::size_t body_limit = 0;   //!< the route's own body limit (SetBodyLimit), 0: the server's
  };
  //! Finds the handler for a request path (encoded, without query). HEAD falls back to GET.
  Match Find(Method method, std::string_view path) const;

  //! Lets the route (method, pattern), already added, take request bodies up to `max_bytes`
  //! instead of the server's default limit (file uploads). Throws std::logic_error for a route
  //! that does not exist.
  void SetBodyLimit(Method method, const std::string& pattern, std::size_t max_bytes);

  //! The body limit of the route a request for (method, path) reaches; 0 when the route has no
  //! limit of its own (or there is no such route): the server's default applies.
  std::size_t BodyLimit(Method method, std::string_view path) const;

  //! Every registered route, in registration order.
  const std::vector<RouteInfo>& Routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<RouteInfo> routes_;
};

}  // namespace zhibu::http

#pragma once
//! The HTTP/1.1 server: Boost.Beast on Asio with C++20 coroutines, one coroutine per connection,
//! several threads on one io_context. Handlers run synchronously on the connection's strand; a
//! handler that blocks on the database holds one thread, never the others.
//!
//! Limits: header size (431), body size (413, answered before the body is read when
//! Content-Length already says too much), read and idle timeouts. Shutdown on SIGTERM/SIGINT or
//! `Stop()`: stop accepting, close idle keep-alive connections, let requests in flight finish (up
//! to a grace period), then return from `Run()`.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "platform/error/error.h"
#include "platform/http/router.h"

namespace zhibu::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  //!< 0 lets the kernel choose; `Listen` answers the port.
  int threads = 4;
  std::size_t max_body_bytes = 1u << 20;
  //! A route's own, larger body limit (e.g. Router::BodyLimit for file uploads); 0 or a value
  //! below `max_body_bytes` leaves the default. Asked once the request's header is read.
  std::function<std::size_t(Method method, std::string_view path)> body_limit_for;
  std::size_t max_header_bytes = 16u << 10;
  std::chrono::seconds idle_timeout{60};     //!< keep-alive connection with no request
  std::chrono::seconds request_timeout{30};  //!< reading a body, writing a response
  std::chrono::seconds shutdown_grace{30};   //!< how long Run() waits for requests in flight
  JsonLimits json_limits;
  //! Reverse proxies whose X-Forwarded-For names the client (see ClientAddress); empty: the TCP
  //! peer is the client.
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  //! Binds and listens. Answers the bound port; fails with `server.listen_failed` (address in use,
  //! bad host).
  Result<std::uint16_t> Listen();

  //! Serves until `Stop()`, SIGTERM or SIGINT, then shuts down gracefully and returns. Answers true
  //! when every request in flight finished within the grace period.
  bool Run();

  //! Asks `Run()` to shut down; callable from any thread.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace zhibu::http

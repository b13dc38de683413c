#include "platform/http/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <mutex>
#include <set>
#include <thread>

namespace zhibu::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

//! One connection. `busy` is touched only on the connection's strand.
struct Connection {
  explicit Connection(tcp::socket socket) : stream(std::move(socket)) {}
  beast::tcp_stream stream;
  bool busy = false;
};

bool IsQuietDisconnect(const boost::system::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
         ec == beast::error::timeout || ec == asio::error::connection_reset ||
         ec == asio::error::eof || ec == asio::error::broken_pipe ||
         ec == bhttp::error::partial_message;
}

Error BodyTooLarge(std::size_t limit) {
  return Error{ErrorKind::kPayloadTooLarge, "request.body_too_large",
               "请求体超过 " + std::to_string(limit) + " 字节", "body", ""};
}

//! The Date header value (RFC 9110 IMF-fixdate), formatted once a second per thread.
const std::string& HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[40];
    std::size_t n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached.assign(text, n);
    cached_second = now;
  }
  return cached;
}

bool IsSafeHeaderText(std::string_view text) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

//! The response's status line and header block on the wire; the body follows it unchanged
//! (`BodyOnTheWire`), written from the response itself without a copy. Beast's generic serializer
//! costs about a third of a small request's instructions; ours is one string. Header names and
//! values with CR, LF or NUL are dropped (and logged), so a handler bug can never split a response.
std::string SerializeHead(const Response& r, unsigned version, bool keep_alive) {
  std::string out;
  out.reserve(256 + r.headers.size() * 64);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  out += "\r\nServer: zhibu\r\nDate: ";
  out += HttpDate();
  out += "\r\nContent-Type: ";
  out += IsSafeHeaderText(r.content_type) ? std::string_view(r.content_type)
                                          : std::string_view("application/octet-stream");
  out += "\r\n";
  for (const auto& h : r.headers) {
    if (!IsSafeHeaderText(h.name) || !IsSafeHeaderText(h.value) || h.name.empty()) {
      spdlog::error("dropped an unsafe response header ({} bytes of name)", h.name.size());
      continue;
    }
    out += h.name;
    out += ": ";
    out += h.value;
    out += "\r\n";
  }
  if (r.status != 304 && r.status != 204) {
    out += "Content-Length: ";
    out += std::to_string(r.body.size());
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (version == 10) {
    out += "Connection: keep-alive\r\n";
  }
  out += "\r\n";
  return out;
}

//! Whether the body goes on the wire: not for HEAD, 204 or 304.
bool BodyOnTheWire(const Response& r, bool head) {
  return !head && r.status != 204 && r.status != 304;
}

void FillRequest(const bhttp::request_parser<bhttp::string_body>& parser, Request& request) {
  const auto& msg = parser.get();
  request.method = ParseMethod(msg.method_string());
  request.target = std::string(msg.target());
  std::string_view target = request.target;
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    auto scheme_end = target.find("//") + 2;
    auto path_start = target.find('/', scheme_end);
    target =
        path_start == std::string_view::npos ? std::string_view("/") : target.substr(path_start);
  }
  auto question = target.find('?');
  request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  request.headers.reserve(8);
  for (const auto& field : msg) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.push_back({std::move(name), std::string(field.value())});
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        ioc(options.threads),
        acceptor(ioc),
        signals(ioc, SIGTERM, SIGINT) {}

  ServerOptions options;
  Handler handler;
  asio::io_context ioc;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::condition_variable changed;
  bool stop_requested = false;
  std::set<std::shared_ptr<Connection>> connections;

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Serve(std::shared_ptr<Connection> connection);
  asio::awaitable<void> Drain(Connection& connection);
  void RequestStop();
  void Forget(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex);
    connections.erase(connection);
    changed.notify_all();
  }
};

asio::awaitable<void> Server::Impl::AcceptLoop() {
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(ioc), kTuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto connection = std::make_shared<Connection>(std::move(socket));
    {
      std::lock_guard lock(mutex);
      connections.insert(connection);
    }
    asio::co_spawn(connection->stream.get_executor(), Serve(connection), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::Drain(Connection& connection) {
  // Lingering close: after answering a request whose body we refused, read and discard what the
  // client is still sending for a moment, so its TCP stack does not reset the connection before
  // it has read our answer.
  boost::system::error_code ignored;
  connection.stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  std::array<char, 16384> sink;
  std::size_t discarded = 0;
  connection.stream.expires_after(std::chrono::seconds(2));
  while (discarded < (8u << 20)) {
    auto [ec, n] = co_await connection.stream.async_read_some(asio::buffer(sink), kTuple);
    if (ec) break;
    discarded += n;
  }
}

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Connection> connection) {
  beast::flat_buffer buffer;
  std::string client;
  {
    boost::system::error_code ec;
    auto endpoint = connection->stream.socket().remote_endpoint(ec);
    if (!ec) client = endpoint.address().to_string();
  }
  bool drain = false;
  while (!stopping) {
    connection->busy = false;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    // A route may take larger bodies (uploads): no limit while the header is read, then the
    // route's (or the default) limit is applied before any byte of the body is.
    parser.body_limit(options.body_limit_for
                          ? boost::optional<std::uint64_t>()
                          : boost::optional<std::uint64_t>(options.max_body_bytes));
    connection->stream.expires_after(options.idle_timeout);
    auto [ec, read] = co_await bhttp::async_read_header(connection->stream, buffer, parser, kTuple);
    connection->busy = true;
    Request request;
    request.client_address = client;
    request.json_limits = options.json_limits;
    bool close = false;
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        request.early_error = Error{
            ErrorKind::kHeadersTooLarge, "request.header_too_large",
            "请求头超过 " + std::to_string(options.max_header_bytes) + " 字节", "headers", ""};
      } else if (ec == bhttp::error::body_limit) {
        // Content-Length already says too much: refuse before reading the body.
        FillRequest(parser, request);
        request.early_error = BodyTooLarge(options.max_body_bytes);
        drain = true;
      } else if (IsQuietDisconnect(ec)) {
        break;
      } else {
        request.early_error = Error::Invalid("request.malformed_http",
                                             "无法解析的 HTTP 请求（" + ec.message() + "）");
      }
      close = true;
    } else {
      FillRequest(parser, request);
      if (!options.trusted_proxies.empty()) {
        std::string forwarded_for;
        for (const auto& h : request.headers) {
          if (h.name != "x-forwarded-for") continue;
          if (!forwarded_for.empty()) forwarded_for += ',';
          forwarded_for += h.value;
        }
        request.client_address = ClientAddress(client, forwarded_for, options.trusted_proxies);
      }
      std::size_t limit = options.max_body_bytes;
      if (options.body_limit_for) {
        limit = std::max(limit, options.body_limit_for(request.method, request.path));
        parser.body_limit(limit);
      }
      if (parser.content_length() && *parser.content_length() > limit) {
        // Content-Length already says too much: refuse before reading the body.
        request.early_error = BodyTooLarge(limit);
        close = drain = true;
      } else if (!parser.is_done()) {
        connection->stream.expires_after(options.request_timeout);
        auto [body_ec, body_read] =
            co_await bhttp::async_read(connection->stream, buffer, parser, kTuple);
        if (body_ec == bhttp::error::body_limit) {
          request.early_error = BodyTooLarge(limit);
          close = drain = true;
        } else if (body_ec) {
          if (IsQuietDisconnect(body_ec)) break;
          request.early_error = Error::Invalid(
              "request.malformed_http", "无法解析的 HTTP 请求体（" + body_ec.message() + "）");
          close = true;
        }
      }
      if (!request.early_error) request.body = std::move(parser.get().body());
    }

    Response answer = handler(request);

    bool keep_alive = !close && !stopping && parser.is_header_done() && parser.get().keep_alive();
    unsigned version = parser.is_header_done() ? parser.get().version() : 11;
    std::string head = SerializeHead(answer, version, keep_alive);
    std::array<asio::const_buffer, 2> wire{asio::buffer(head),
                                           BodyOnTheWire(answer, request.method == Method::kHead)
                                               ? asio::buffer(answer.body)
                                               : asio::const_buffer()};
    connection->stream.expires_after(options.request_timeout);
    auto [write_ec, written] = co_await asio::async_write(connection->stream, wire, kTuple);
    if (write_ec || !keep_alive) break;
  }
  if (drain) co_await Drain(*connection);
  boost::system::error_code ignored;
  connection->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  connection->stream.socket().close(ignored);
  Forget(connection);
}

void Server::Impl::RequestStop() {
  {
    std::lock_guard lock(mutex);
    if (stop_requested) return;
    stop_requested = true;
    stopping = true;
    // Wake idle keep-alive connections (waiting for a next request) so they close now; busy
    // ones finish their request and then close because `stopping` is set.
    for (const auto& connection : connections) {
      asio::post(connection->stream.get_executor(), [connection] {
        if (!connection->busy) connection->stream.socket().cancel();
      });
    }
  }
  asio::post(ioc, [this] {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
  });
  changed.notify_all();
}

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

Result<std::uint16_t> Server::Listen() {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(
      impl_->options.host == "localhost" ? "127.0.0.1" : impl_->options.host, ec);
  if (ec) {
    return Fail(Error::Invalid("server.listen_invalid",
                               "监听地址不是 IP 地址：" + impl_->options.host, "listen"));
  }
  tcp::endpoint endpoint(address, impl_->options.port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(Error::Unavailable("server.listen_failed", "无法监听 " + impl_->options.host + ":" +
                                                               std::to_string(impl_->options.port) +
                                                               "（" + ec.message() + "）"));
  }
  return acceptor.local_endpoint().port();
}

bool Server::Run() {
  Impl& impl = *impl_;
  impl.signals.async_wait([&impl](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received signal {}, shutting down", signal);
    impl.RequestStop();
  });
  asio::co_spawn(impl.ioc, impl.AcceptLoop(), asio::detached);
  std::vector<std::thread> threads;
  for (int i = 0; i < impl.options.threads; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });

  bool clean = true;
  {
    std::unique_lock lock(impl.mutex);
    impl.changed.wait(lock, [&] { return impl.stop_requested; });
    spdlog::info("shutdown: waiting for {} open connection(s)", impl.connections.size());
    clean = impl.changed.wait_for(lock, impl.options.shutdown_grace,
                                  [&] { return impl.connections.empty(); });
    if (!clean) {
      spdlog::warn("shutdown: {} connection(s) still busy after the grace period",
                   impl.connections.size());
    }
  }
  impl.ioc.stop();
  for (auto& t : threads) t.join();
  {
    std::lock_guard lock(impl.mutex);
    impl.connections.clear();
  }
  return clean;
}

void Server::Stop() { impl_->RequestStop(); }

}  // namespace zhibu::http

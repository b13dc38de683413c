#include "platform/http/pipeline.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <random>

#include "platform/util/clock.h"

namespace zhibu::http {
namespace {

bool IsRequestIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (auto& c : id) {
    c = kHex[bits & 0xf];
    bits >>= 4;
  }
  return id;
}

constexpr std::string_view kApiPrefix = "/api/";

}  // namespace

Middleware RequestIdMiddleware() {
  return [](Request& request, const Handler& next) {
    std::string_view given = request.HeaderValue("x-request-id");
    bool ok = !given.empty() && given.size() <= 64;
    for (char c : given) ok = ok && IsRequestIdChar(c);
    request.request_id = ok ? std::string(given) : NewRequestId();
    Response response = next(request);
    response.AddHeader("X-Request-Id", request.request_id);
    return response;
  };
}

Middleware AccessLogMiddleware(std::shared_ptr<AccessLog> log) {
  return [log](Request& request, const Handler& next) {
    auto start = std::chrono::steady_clock::now();
    Response response = next(request);
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    // The timestamp changes once a second; format it once a second per thread.
    thread_local std::int64_t stamp_second = -1;
    thread_local std::string stamp;
    auto now = std::chrono::system_clock::now();
    auto second = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (second != stamp_second) {
      stamp = ShanghaiIso(now);
      stamp_second = second;
    }
    fmt::memory_buffer line;
    fmt::format_to(std::back_inserter(line), "{} access {} ", stamp, MethodName(request.method));
    for (char c : request.path)
      line.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
    fmt::format_to(std::back_inserter(line), " {} {}B {}us client={} rid={}", response.status,
                   response.body.size(), micros, request.client_address, request.request_id);
    log->Write(std::string_view(line.data(), line.size()));
    return response;
  };
}

Middleware SecurityHeadersMiddleware() {
  return [](Request& request, const Handler& next) {
    Response response = next(request);
    response.AddHeader("Content-Security-Policy",
                       "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
                       "object-src 'none'; base-uri 'self'; form-action 'self'; "
                       "frame-ancestors 'none'");
    response.AddHeader("X-Content-Type-Options", "nosniff");
    response.AddHeader("X-Frame-Options", "DENY");
    response.AddHeader("Referrer-Policy", "no-referrer");
    if (!response.HasHeader("cache-control")) response.AddHeader("Cache-Control", "no-store");
    return response;
  };
}

Middleware ExceptionMiddleware() {
  return [](Request& request, const Handler& next) {
    try {
      return next(request);
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception rid={} {} {}: {}", request.request_id,
                    MethodName(request.method), request.path, e.what());
    } catch (...) {
      spdlog::error("unhandled non-standard exception rid={}", request.request_id);
    }
    return Response::FromError(
        Error::Internal("server.internal", "服务器内部错误，请联系管理员并提供请求编号"),
        request.request_id);
  };
}

std::vector<Middleware> StandardMiddleware(std::shared_ptr<AccessLog> log) {
  std::vector<Middleware> chain{RequestIdMiddleware()};
  if (log) chain.push_back(AccessLogMiddleware(std::move(log)));
  chain.push_back(SecurityHeadersMiddleware());
  chain.push_back(ExceptionMiddleware());
  return chain;
}

Handler BuildPipeline(std::shared_ptr<const Router> router, std::vector<Middleware> middleware,
                      std::shared_ptr<const StaticFiles> static_files) {
  Handler handler = [router, static_files](Request& request) -> Response {
    if (request.early_error) return Response::FromError(*request.early_error, request.request_id);
    Router::Match match = router->Find(request.method, request.path);
    if (match.malformed_path) {
      return Response::FromError(
          Error::Invalid("request.malformed_path", "请求路径含有非法的百分号编码", "path"),
          request.request_id);
    }
    if (match.handler != nullptr) {
      request.path_params = std::move(match.params);
      return (*match.handler)(request);
    }
    if (match.path_exists) {
      Response r = Response::FromError(
          Error{ErrorKind::kMethodNotAllowed, "request.method_not_allowed",
                "此路径不支持 " + std::string(MethodName(request.method)) + " 方法", "", ""},
          request.request_id);
      r.AddHeader("Allow", match.allow);
      return r;
    }
    bool api = request.path.rfind(kApiPrefix, 0) == 0 || request.path == "/healthz";
    if (!api && static_files &&
        (request.method == Method::kGet || request.method == Method::kHead)) {
      if (auto served = static_files->Serve(request)) return std::move(*served);
    }
    return Response::FromError(Error::NotFound("request.not_found", "请求的资源不存在"),
                               request.request_id);
  };
  for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) {
    handler = [outer = *it, inner = std::move(handler)](Request& request) {
      return outer(request, inner);
    };
  }
  return handler;
}

}  // namespace zhibu::http

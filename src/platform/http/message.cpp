#include "platform/http/message.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

namespace zhibu::http {

namespace {
constexpr std::array<std::pair<std::string_view, Method>, 7> kMethods = {{
    {"GET", Method::kGet},
    {"HEAD", Method::kHead},
    {"POST", Method::kPost},
    {"PUT", Method::kPut},
    {"PATCH", Method::kPatch},
    {"DELETE", Method::kDelete},
    {"OPTIONS", Method::kOptions},
}};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}
}  // namespace

std::string_view MethodName(Method method) {
  for (const auto& [name, m] : kMethods) {
    if (m == method) return name;
  }
  return "OTHER";
}

Method ParseMethod(std::string_view name) {
  for (const auto& [n, m] : kMethods) {
    if (n == name) return m;
  }
  return Method::kOther;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return std::nullopt;
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string ContentDisposition(std::string_view disposition, std::string_view file_name) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string fallback;
  std::string encoded;
  for (char ch : file_name) {
    auto b = static_cast<unsigned char>(ch);
    // A UTF-8 sequence's continuation bytes add nothing to the fallback: one `_` per character.
    if (b < 0x80 || b >= 0xc0) {
      fallback.push_back(b >= 0x20 && b < 0x7f && ch != '"' && ch != '\\' && ch != ';' ? ch : '_');
    }
    bool plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
                 b == '.' || b == '-' || b == '_' || b == '~';
    if (plain) {
      encoded.push_back(ch);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[b >> 4]);
      encoded.push_back(kHex[b & 0x0f]);
    }
  }
  return std::string(disposition) + "; filename=\"" + fallback + "\"; filename*=UTF-8''" + encoded;
}

namespace {

//! `text` as a normalised address (IPv4-mapped IPv6 as IPv4), or nullopt when it is not one.
std::optional<std::string> NormalisedAddress(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6())
        .to_string();
  }
  return address.to_string();
}

}  // namespace

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  auto trusted = [&](const std::string& address) {
    for (const auto& proxy : trusted_proxies) {
      if (NormalisedAddress(proxy) == address) return true;
    }
    return false;
  };
  auto hop = NormalisedAddress(peer);
  if (!hop || !trusted(*hop)) return std::string(peer);
  std::string_view rest = forwarded_for;
  while (!rest.empty()) {
    auto comma = rest.rfind(',');
    std::string_view entry = comma == std::string_view::npos ? rest : rest.substr(comma + 1);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    auto address = NormalisedAddress(entry);
    if (!address) break;
    hop = std::move(address);
    if (!trusted(*hop)) break;
  }
  return *hop;
}

std::string_view Request::HeaderValue(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name) return h.value;
  }
  return {};
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    auto eq = pair.find('=');
    auto key = PercentDecode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string{};
    return PercentDecode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

Result<boost::json::value> Request::JsonBody() const {
  if (body.empty()) {
    return Fail(Error::Invalid("request.body_missing", "请求体不能为空，应为 JSON", "body"));
  }
  std::string_view type = HeaderValue("content-type");
  if (!type.empty() && type.find("json") == std::string_view::npos) {
    return Fail(
        Error::Invalid("request.content_type", "请求体应为 application/json", "content-type"));
  }
  return ParseJson(body, json_limits);
}

Response Response::Json(int status, const boost::json::value& value) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(value);
  return r;
}

Response Response::Json(int status, JsonText document) {
  Response r;
  r.status = status;
  r.body = std::move(document.text);
  return r;
}

Response Response::FromError(const Error& error, std::string_view request_id) {
  return Json(HttpStatusFor(error.kind), ErrorEnvelope(error, request_id));
}

Response Response::Download(std::string bytes, std::string content_type,
                            std::string_view file_name) {
  Response r;
  r.status = 200;
  r.content_type = std::move(content_type);
  r.body = std::move(bytes);
  r.AddHeader("Content-Disposition", ContentDisposition("attachment", file_name));
  r.AddHeader("Cache-Control", "no-store");
  return r;
}

bool Response::HasHeader(std::string_view lower_name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const Header& h) { return EqualsIgnoreCase(h.name, lower_name); });
}

}  // namespace zhibu::http

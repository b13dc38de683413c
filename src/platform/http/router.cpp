#include "platform/http/router.h"

#include <stdexcept>

namespace zhibu::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  std::unique_ptr<Node> capture;
  std::string capture_name;
  std::map<Method, Handler> handlers;
  std::map<Method, std::size_t> body_limits;
};

namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

void Router::Add(Method method, std::string pattern, Handler handler, std::string summary) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::logic_error("route pattern must start with '/': " + pattern);
  }
  Node* node = root_.get();
  for (std::string_view segment : Split(pattern)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      std::string name(segment.substr(1, segment.size() - 2));
      if (!node->capture) {
        node->capture = std::make_unique<Node>();
        node->capture_name = name;
      } else if (node->capture_name != name) {
        throw std::logic_error("route " + pattern + " names a capture differently from a sibling");
      }
      node = node->capture.get();
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        throw std::logic_error("malformed route segment in " + pattern);
      }
      auto it = node->children.find(segment);
      if (it == node->children.end()) {
        it = node->children.emplace(std::string(segment), std::make_unique<Node>()).first;
      }
      node = it->second.get();
    }
  }
  if (!node->handlers.emplace(method, std::move(handler)).second) {
    throw std::logic_error("duplicate route " + std::string(MethodName(method)) + " " + pattern);
  }
  routes_.push_back({method, std::move(pattern), std::move(summary)});
}

Router::Match Router::Find(Method method, std::string_view path) const {
  Match match;
  const Node* node = root_.get();
  for (std::string_view segment : Split(path)) {
    auto it = node->children.find(segment);
    if (it != node->children.end()) {
      node = it->second.get();
      continue;
    }
    if (node->capture && !segment.empty()) {
      auto decoded = PercentDecode(segment, false);
      if (!decoded) {
        match.malformed_path = true;
        return match;
      }
      match.params.emplace_back(node->capture_name, std::move(*decoded));
      node = node->capture.get();
      continue;
    }
    return match;
  }
  if (node->handlers.empty()) return match;
  match.path_exists = true;
  for (const auto& [m, handler] : node->handlers) {
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += MethodName(m);
  }
  auto it = node->handlers.find(method);
  if (it == node->handlers.end() && method == Method::kHead) it = node->handlers.find(Method::kGet);
  if (it != node->handlers.end()) {
    match.handler = &it->second;
    if (auto limit = node->body_limits.find(it->first); limit != node->body_limits.end()) {
      match.body_limit = limit->second;
    }
  }
  return match;
}

void Router::SetBodyLimit(Method method, const std::string& pattern, std::size_t max_bytes) {
  Node* node = root_.get();
  for (std::string_view segment : Split(pattern)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      node = node->capture.get();
    } else {
      auto it = node->children.find(segment);
      node = it == node->children.end() ? nullptr : it->second.get();
    }
    if (node == nullptr) break;
  }
  if (node == nullptr || !node->handlers.contains(method)) {
    throw std::logic_error("body limit for a route that does not exist: " + pattern);
  }
  node->body_limits[method] = max_bytes;
}

std::size_t Router::BodyLimit(Method method, std::string_view path) const {
  auto query = path.find('?');
  return Find(method, path.substr(0, query)).body_limit;
}

}  // namespace zhibu::http

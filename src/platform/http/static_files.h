#pragma once
//! Serves the web console's build (web/dist) from memory: every file is read once at start-up, so
//! a request never touches the disk and a path can never escape the root. Unknown paths without a
//! file extension get index.html, for the console's client-side routes.

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

#include "platform/error/error.h"
#include "platform/http/message.h"

namespace zhibu::http {

class StaticFiles {
 public:
  //! Loads every regular file under `root` (at most `max_total_bytes` in all). Fails with
  //! `static.root_missing` when `root` is not a directory.
  static Result<StaticFiles> Load(const std::filesystem::path& root,
                                  std::size_t max_total_bytes = 256u << 20);

  //! The response for a GET/HEAD of `request.path`, or nullopt when there is no such file and no
  //! index.html to fall back to. Honours If-None-Match with 304.
  std::optional<Response> Serve(const Request& request) const;

  std::size_t file_count() const { return files_.size(); }

  //! The Content-Type for a file name, by extension.
  static std::string_view ContentTypeFor(std::string_view name);

 private:
  struct File {
    std::string content_type;
    std::string etag;
    std::string body;
    bool immutable = false;  //!< under assets/ with a content hash in the name
  };
  Response Answer(const Request& request, const File& file) const;
  std::unordered_map<std::string, File> files_;  // key: "/path/from/root"
};

}  // namespace zhibu::http

#pragma once
//! The demo registry for unit tests, generated once and copied. ctest runs every test of a suite
//! in a process of its own, and a suite on the demo county would otherwise generate it again in
//! each (5–30 s apiece, 8 tests). OpenDemoCopy generates the demo for (scale, seed, today, key)
//! once per build of the test binary into a cache file in the temporary directory — under an
//! exclusive lock, since ctest runs two tests at a time — and gives each caller its own copy.
//! The cache name carries the binary's size and modification time, so a rebuilt binary (new
//! migrations, a changed generator) never reads an older cache; older caches are removed.
//! Header-only: only test binaries include it.

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>

#include "modules/member/demo.h"
#include "platform/db/database.h"
#include "platform/db/migrations.h"
#include "platform/module/manifest.h"

namespace zhibu::member {

//! A test's own copy of the demo registry and what generating it reported.
struct DemoCopy {
  std::unique_ptr<db::Database> db;
  DemoReport report;
};

namespace demo_cache_detail {

//! Holds an exclusive flock on a file for its lifetime.
class FileLock {
 public:
  explicit FileLock(const std::filesystem::path& path)
      : fd_(::open(path.c_str(), O_CREAT | O_RDWR, 0600)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

inline std::string BinaryStamp() {
  std::error_code ec;
  auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec) return "unknown";
  auto size = std::filesystem::file_size(exe, ec);
  auto time = std::filesystem::last_write_time(exe, ec).time_since_epoch().count();
  return std::to_string(size) + "-" + std::to_string(time);
}

//! Generates into the SQLite file `file`; closing the last connection on return checkpoints the
//! WAL into the file.
inline Result<DemoReport> Generate(const std::filesystem::path& file,
                                   const crypto::FieldCipher& cipher, const DemoScale& scale,
                                   std::uint64_t seed, const std::string& today) {
  for (const char* ext : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + ext);
  auto db = db::Database::Open("sqlite:" + file.string());
  if (!db) return Fail(db.error());
  if (auto migrated = db::ApplyMigrations(**db, AllMigrations()); !migrated) {
    return Fail(migrated.error());
  }
  return GenerateDemo(**db, cipher, scale, seed, today);
}

}  // namespace demo_cache_detail

//! Copies the demo registry of (scale, seed, today) encrypted under `cipher` — whose key material
//! `key_label` names (the cache is keyed by it) — to the SQLite file `target` and opens it.
//! `scale_name` names `scale` in the cache's file name. The caller installs the tree hooks
//! (InstallTreeHooks) as for a generated registry.
inline Result<DemoCopy> OpenDemoCopy(const std::filesystem::path& target,
                                     const crypto::FieldCipher& cipher,
                                     const std::string& key_label, const DemoScale& scale,
                                     const std::string& scale_name, std::uint64_t seed,
                                     const std::string& today) {
  namespace fs = std::filesystem;
  using demo_cache_detail::BinaryStamp;
  fs::path dir = fs::temp_directory_path() / "zhibu-demo-cache";
  fs::create_directories(dir);
  const std::string prefix = scale_name + "-" + std::to_string(seed) + "-" + today + "-" +
                             std::to_string(std::hash<std::string>{}(key_label)) + "-";
  const fs::path cache = dir / (prefix + BinaryStamp() + ".db");
  const fs::path report_file = fs::path(cache.string() + ".report");
  DemoReport report;
  {
    demo_cache_detail::FileLock lock(dir / (prefix + "lock"));
    if (!fs::exists(report_file)) {
      // Older builds' caches of the same demo are of no further use.
      for (const auto& entry : fs::directory_iterator(dir)) {
        std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && name != prefix + "lock") fs::remove(entry.path());
      }
      fs::path partial = fs::path(cache.string() + ".partial");
      auto generated = demo_cache_detail::Generate(partial, cipher, scale, seed, today);
      if (!generated) return Fail(generated.error());
      fs::rename(partial, cache);
      std::ofstream(report_file) << generated->organisations << ' ' << generated->members << ' '
                                 << generated->events << ' ' << generated->root_id << ' '
                                 << generated->sample_branch_id << '\n';
    }
    std::ifstream(report_file) >> report.organisations >> report.members >> report.events >>
        report.root_id >> report.sample_branch_id;
    fs::copy_file(cache, target, fs::copy_options::overwrite_existing);
  }
  auto db = db::Database::Open("sqlite:" + target.string());
  if (!db) return Fail(db.error());
  return DemoCopy{std::move(*db), report};
}

}  // namespace zhibu::member

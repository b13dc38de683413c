#include "platform/http/access_log.h"

#include <atomic>
#include <unordered_map>

namespace zhibu::http {
namespace {
//! Gives every AccessLog a distinct id, so a thread's cached buffer is never reused across logs.
std::atomic<std::uint64_t> next_log_id{1};
}  // namespace

AccessLog::AccessLog(std::FILE* out, std::chrono::milliseconds interval)
    : id_(next_log_id++), out_(out), interval_(interval) {
  writer_ = std::thread([this] {
    std::unique_lock lock(write_mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
      lock.unlock();
      DrainAll();
      lock.lock();
    }
  });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(write_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
  DrainAll();
}

AccessLog::Buffer& AccessLog::ThreadBuffer() {
  // One buffer per (thread, log), keyed by the log's unique id so that a later log at the same
  // address never finds a stale buffer. The map is tiny.
  thread_local std::unordered_map<std::uint64_t, Buffer*> mine;
  auto it = mine.find(id_);
  if (it != mine.end()) return *it->second;
  std::lock_guard lock(registry_mutex_);
  buffers_.push_back(std::make_unique<Buffer>());
  Buffer* buffer = buffers_.back().get();
  mine[id_] = buffer;
  return *buffer;
}

void AccessLog::Write(std::string_view line) {
  Buffer& buffer = ThreadBuffer();
  std::lock_guard lock(buffer.mutex);  // uncontended but for the writer's swap
  buffer.text.append(line);
  buffer.text.push_back('\n');
}

void AccessLog::Flush() { DrainAll(); }

void AccessLog::DrainAll() {
  std::vector<Buffer*> all;
  {
    std::lock_guard lock(registry_mutex_);
    for (auto& b : buffers_) all.push_back(b.get());
  }
  std::string chunk;
  for (Buffer* b : all) {
    {
      std::lock_guard lock(b->mutex);
      chunk.swap(b->text);
    }
    if (!chunk.empty()) {
      std::fwrite(chunk.data(), 1, chunk.size(), out_);
      chunk.clear();
    }
  }
  std::fflush(out_);
}

}  // namespace zhibu::http

#pragma once
//! Import jobs: an upload is answered at once (202) and imported on a thread of its own, its
//! progress and report kept in memory while it runs and in the `import_job` table for good. The
//! registry belongs to the module's routes: when the server shuts down, running jobs are cancelled
//! (nothing imported: their transaction rolls back), marked failed and joined before the database
//! closes.

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "modules/exchange/import_report.h"
#include "platform/db/database.h"

namespace zhibu::exchange {

class ImportJobs {
 public:
  //! What a job runs: the import, reporting progress.
  using Work = std::function<Result<ImportOutcome>(ImportProgress&)>;

  explicit ImportJobs(db::Database& db) : db_(db) {}
  //! Cancels running jobs and waits for them.
  ~ImportJobs();
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  //! Records a new job of `account` and starts `work` on its own thread; answers the job's id.
  Result<std::int64_t> Start(std::int64_t account, std::string_view kind, std::string_view format,
                             Work work);

  //! The job as GET /api/v1/imports/{id} shows it; 404 `import.not_found` for another account's
  //! job or none.
  Result<boost::json::object> Status(std::int64_t id, std::int64_t account);

  //! How long a running job's row may go without an update before it counts as interrupted.
  static constexpr std::int64_t kStaleMs = 10 * 60 * 1000;

 private:
  struct Job {
    std::int64_t id = 0;
    ImportProgress progress;
    std::thread thread;
    std::atomic<bool> finished{false};
    std::int64_t last_saved_ms = 0;
  };
  void Run(Job& job, const Work& work);
  void SaveProgress(Job& job);
  void Reap();

  db::Database& db_;
  std::mutex mutex_;
  std::map<std::int64_t, std::unique_ptr<Job>> jobs_;
};

}  // namespace zhibu::exchange

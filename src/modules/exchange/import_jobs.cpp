#include "modules/exchange/import_jobs.h"

#include <boost/json.hpp>
#include <chrono>

#include "platform/util/clock.h"

namespace zhibu::exchange {
namespace {

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error NotFound() { return Error::NotFound("import.not_found", "导入任务不存在"); }

}  // namespace

ImportJobs::~ImportJobs() {
  std::map<std::int64_t, std::unique_ptr<Job>> jobs;
  {
    std::lock_guard lock(mutex_);
    jobs.swap(jobs_);
  }
  for (auto& [id, job] : jobs) job->progress.cancelled = true;
  for (auto& [id, job] : jobs) {
    if (job->thread.joinable()) job->thread.join();
  }
}

void ImportJobs::Reap() {
  for (auto it = jobs_.begin(); it != jobs_.end();) {
    if (it->second->finished) {
      if (it->second->thread.joinable()) it->second->thread.join();
      it = jobs_.erase(it);
    } else {
      ++it;
    }
  }
}

Result<std::int64_t> ImportJobs::Start(std::int64_t account, std::string_view kind,
                                       std::string_view format, Work work) {
  auto id = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    std::string now = NowShanghaiIso();
    auto rows = c.Query(
        "INSERT INTO import_job (kind, format, status, account_id, created_at, updated_at, "
        "updated_at_ms) VALUES ($1, $2, 'running', $3, $4, $4, $5) RETURNING id",
        {std::string(kind), std::string(format), account, now, NowMs()});
    if (!rows) return Fail(rows.error());
    return rows->Int(0, 0);
  });
  if (!id) return Fail(id.error());
  std::lock_guard lock(mutex_);
  Reap();
  auto job = std::make_unique<Job>();
  job->id = *id;
  Job& ref = *job;
  ref.progress.on_change = [this, &ref] { SaveProgress(ref); };
  jobs_.emplace(*id, std::move(job));
  ref.thread = std::thread([this, &ref, work = std::move(work)] { Run(ref, work); });
  return *id;
}

void ImportJobs::SaveProgress(Job& job) {
  std::int64_t now = NowMs();
  if (now - job.last_saved_ms < 1000) return;
  job.last_saved_ms = now;
  // Best effort: the row only matters to another server asking about this job.
  (void)db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    return c.Execute(
        "UPDATE import_job SET total_rows = $2, processed_rows = $3, updated_at_ms = $4 WHERE "
        "id = $1 AND status = 'running'",
        {job.id, job.progress.total_rows.load(), job.progress.processed_rows.load(), now});
  });
}

void ImportJobs::Run(Job& job, const Work& work) {
  Result<ImportOutcome> outcome = [&]() -> Result<ImportOutcome> {
    try {
      return work(job.progress);
    } catch (const std::exception& e) {
      return Fail(Error::Internal("import.crashed", std::string("导入出错：") + e.what()));
    }
  }();
  ImportOutcome result;
  if (outcome) {
    result = std::move(*outcome);
  } else {
    result.total_rows = job.progress.total_rows;
    result.errors.push_back({0, "", "", outcome.error().message});
  }
  boost::json::array errors;
  for (const auto& e : result.errors) errors.push_back(e.ToJson());
  std::string status = result.errors.empty() ? "done" : "failed";
  auto saved = db_.Write([&](db::Connection& c) -> Result<std::int64_t> {
    return c.Execute(
        "UPDATE import_job SET status = $2, total_rows = $3, processed_rows = $4, imported = $5, "
        "errors = $6, updated_at = $7, updated_at_ms = $8 WHERE id = $1",
        {job.id, status, result.total_rows,
         status == "done" ? result.total_rows : job.progress.processed_rows.load(), result.imported,
         boost::json::serialize(errors), NowShanghaiIso(), NowMs()});
  });
  (void)saved;
  job.finished = true;
}

Result<boost::json::object> ImportJobs::Status(std::int64_t id, std::int64_t account) {
  auto row = db_.Read([&](db::Connection& c) -> Result<db::ResultSet> {
    return c.Query(
        "SELECT id, kind, format, status, total_rows, processed_rows, imported, errors, "
        "created_at, updated_at, updated_at_ms FROM import_job WHERE id = $1 AND account_id = $2",
        {id, account});
  });
  if (!row) return Fail(row.error());
  if (row->empty()) return Fail(NotFound());
  const db::ResultSet& r = *row;
  boost::json::object out{
      {"id", r.Int(0, 0)},          {"kind", r.Text(0, 1)},
      {"format", r.Text(0, 2)},     {"status", r.Text(0, 3)},
      {"total_rows", r.Int(0, 4)},  {"processed_rows", r.Int(0, 5)},
      {"imported", r.Int(0, 6)},    {"errors", boost::json::parse(r.Text(0, 7))},
      {"created_at", r.Text(0, 8)}, {"updated_at", r.Text(0, 9)}};
  if (r.Text(0, 3) != "running") return out;
  {
    std::lock_guard lock(mutex_);
    auto it = jobs_.find(id);
    if (it != jobs_.end() && !it->second->finished) {
      out["total_rows"] = it->second->progress.total_rows.load();
      out["processed_rows"] = it->second->progress.processed_rows.load();
      return out;
    }
  }
  if (NowMs() - r.Int(0, 10) > kStaleMs) {
    // No server has touched it for long: it died with the process that ran it, and its
    // transaction with it.
    out["status"] = "failed";
    out["errors"] = boost::json::array{
        RowError{0, "", "", "导入被中断（服务重启或停止），未导入任何数据，请重新导入"}.ToJson()};
  }
  return out;
}

}  // namespace zhibu::exchange

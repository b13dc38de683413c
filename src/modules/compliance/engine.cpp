#include "modules/compliance/engine.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include "platform/audit/audit_trail.h"
#include "platform/module/manifest.h"
#include "platform/settings/settings.h"
#include "platform/util/clock.h"

namespace zhibu::compliance {
namespace {

//! The stored findings of a period in a subtree, with what a scan may refresh (to tell whether
//! a finding found again changed).
constexpr std::string_view kStoredInSubtree =
    "SELECT id, rule_id, subject_kind, subject_id, status, subject_name, org_id, org_path, "
    "severity, message, facts, last_seen, resolved_on FROM finding WHERE period = $1 AND "
    "org_path >= $2 AND org_path < $3";
//! Stored findings of a period for one rule's subjects, wherever they lie (a subject that moved
//! into the subtree keeps its finding): `subject_id IN (` + a list of placeholders from $4 + `)`.
constexpr std::string_view kStoredOfSubjects =
    "SELECT id, subject_id FROM finding WHERE period = $1 AND rule_id = $2 AND subject_kind = $3 "
    "AND subject_id IN (";
//! New findings: `VALUES` + one `($2 … , $1, $1, 'open')` per finding ($1 the day).
constexpr std::string_view kInsertFindings =
    "INSERT INTO finding (rule_id, subject_kind, subject_id, subject_name, period, org_id, "
    "org_path, severity, message, facts, first_seen, last_seen, status) VALUES ";
constexpr std::string_view kRefreshFinding =
    "UPDATE finding SET subject_name = $2, org_id = $3, org_path = $4, severity = $5, message = "
    "$6, facts = $7, last_seen = $8, status = CASE WHEN status = 'resolved' THEN 'open' ELSE "
    "status END, resolved_on = NULL WHERE id = $1";
//! Findings seen again unchanged: `id IN (` + placeholders from $2 + `)`.
constexpr std::string_view kSeenFindings = "UPDATE finding SET last_seen = $1 WHERE id IN (";
//! Findings the data no longer supports: `id IN (` + placeholders from $2 + `)`.
constexpr std::string_view kResolveFindings =
    "UPDATE finding SET status = 'resolved', resolved_on = $1 WHERE id IN (";
//! Rows per batched statement. Batches are cut to powers of two up to this (256, 128, …, 1), so
//! that a connection prepares and caches at most nine statements of each kind: 256 findings of
//! 10 values are 2,561 parameters, well under SQLite's 32,766 and PostgreSQL's 65,535.
constexpr std::size_t kBatchRows = 256;
constexpr std::string_view kSelectFinding =
    "SELECT f.id, f.rule_id, f.subject_kind, f.subject_id, f.subject_name, f.period, f.org_id, "
    "o.name, f.severity, f.message, f.facts, f.first_seen, f.last_seen, f.status, f.note, "
    "f.acknowledged_at, f.resolved_on FROM finding f JOIN organisation o ON o.id = f.org_id";

std::string SubtreeEndOf(const std::string& path) { return org::SubtreeEnd(path); }

bool KnownSeverity(std::string_view s) { return s == kRed || s == kYellow || s == kInfo; }

std::string_view SeverityTitle(std::string_view s) {
  if (s == kRed) return "红（违反规定）";
  if (s == kYellow) return "黄（临近期限或软性上限）";
  return "提示";
}

std::string AsOf(const Period& period, const std::string& today) {
  return std::min(period.last_day, today);
}

boost::json::object FindingJson(const db::ResultSet& r, std::size_t i) {
  boost::system::error_code ec;
  auto facts = boost::json::parse(r.Text(i, 10), ec);
  std::string rule = r.Text(i, 1);
  std::string title;
  for (const auto& reg : AllRules()) {
    if (reg.spec->id == rule) title = reg.spec->title;
  }
  boost::json::object j{{"id", r.Int(i, 0)},
                        {"rule_id", rule},
                        {"rule_title", title},
                        {"subject_kind", r.Text(i, 2)},
                        {"subject_id", r.Int(i, 3)},
                        {"subject_name", r.Text(i, 4)},
                        {"period", r.Text(i, 5)},
                        {"org_id", r.Int(i, 6)},
                        {"org_name", r.Text(i, 7)},
                        {"severity", r.Text(i, 8)},
                        {"message", r.Text(i, 9)},
                        {"facts", ec ? boost::json::value(boost::json::object{}) : facts},
                        {"first_seen", r.Text(i, 11)},
                        {"last_seen", r.Text(i, 12)},
                        {"status", r.Text(i, 13)},
                        {"note", r.Text(i, 14)}};
  auto ack = r.OptionalText(i, 15);
  j["acknowledged_at"] = ack ? boost::json::value(*ack) : nullptr;
  auto resolved = r.OptionalText(i, 16);
  j["resolved_on"] = resolved ? boost::json::value(*resolved) : nullptr;
  return j;
}

Result<std::string> CurrentPeriodOr(const std::string& period) {
  if (period.empty()) return MonthOf(TodayShanghai()).id;
  auto parsed = ParsePeriod(period);
  if (!parsed) return Fail(parsed.error());
  return parsed->id;
}

}  // namespace

const std::vector<RegisteredRule>& AllRules() {
  static const std::vector<RegisteredRule> all = [] {
    std::vector<RegisteredRule> out;
    std::set<std::string> ids;
    for (const ModuleManifest* m : AllModules()) {
      for (const auto& rule : m->rules) {
        if (!ids.insert(rule.id).second) throw std::logic_error("duplicate rule " + rule.id);
        if (rule.source.empty()) throw std::logic_error("rule without a source: " + rule.id);
        if (!KnownSeverity(rule.severity)) throw std::logic_error("bad severity: " + rule.id);
        if (!rule.scan) throw std::logic_error("rule without a scan: " + rule.id);
        out.push_back({&rule, m->name});
      }
    }
    std::sort(out.begin(), out.end(), [](const RegisteredRule& a, const RegisteredRule& b) {
      return a.spec->id < b.spec->id;
    });
    return out;
  }();
  return all;
}

std::string CatalogueMarkdown() {
  std::string out =
      "# Rules catalogue（规则目录）\n\n"
      "Generated from the rules the modules register (`zhibu rules --markdown`); a unit test keeps "
      "this file equal to the binary's catalogue. Severity: red = a rule broken, yellow = due soon "
      "or a soft limit, info = worth knowing. `GET /api/v1/rules` serves the same rows.\n\n"
      "| id | module | title | severity | subject | source |\n|---|---|---|---|---|---|\n";
  for (const auto& r : AllRules()) {
    out += "| `" + r.spec->id + "` | " + r.module + " | " + r.spec->title + " | " +
           r.spec->severity + " | " + r.spec->subject_kind + " | " + r.spec->source + " |\n";
  }
  return out;
}

boost::json::array CatalogueJson() {
  boost::json::array out;
  for (const auto& r : AllRules()) {
    out.push_back(boost::json::object{{"id", r.spec->id},
                                      {"module", r.module},
                                      {"title", r.spec->title},
                                      {"severity", r.spec->severity},
                                      {"severity_title", SeverityTitle(r.spec->severity)},
                                      {"source", r.spec->source},
                                      {"subject_kind", r.spec->subject_kind}});
  }
  return out;
}

Result<std::vector<Finding>> Scan(db::Connection& c, const std::string& root_path,
                                  const Period& period, const std::string& as_of,
                                  const std::string& rule_id) {
  ScanContext context{c, root_path, SubtreeEndOf(root_path), period, as_of, {}};
  std::vector<Finding> out;
  bool matched = rule_id.empty();
  for (const auto& r : AllRules()) {
    if (!rule_id.empty() && r.spec->id != rule_id) continue;
    matched = true;
    auto found = r.spec->scan(context);
    if (!found) return Fail(found.error());
    for (auto& f : *found) {
      f.rule_id = r.spec->id;
      out.push_back(std::move(f));
    }
  }
  if (!matched) {
    return Fail(Error::Invalid("compliance.rule_unknown", "没有这条规则：" + rule_id, "rule"));
  }
  std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.rule_id, a.subject_kind, a.subject_id) <
           std::tie(b.rule_id, b.subject_kind, b.subject_id);
  });
  return out;
}

std::string FindingLine(const Finding& f, const std::string& period) {
  boost::json::object j{{"rule", f.rule_id},
                        {"period", period},
                        {"severity", f.severity},
                        {"subject_kind", f.subject_kind},
                        {"subject_id", f.subject_id},
                        {"subject_name", f.subject_name},
                        {"org_id", f.org_id},
                        {"message", f.message},
                        {"facts", f.facts}};
  return boost::json::serialize(j);
}

namespace {

//! The size of the next batch of the `left` rows: the largest power of two ≤ min(left,
//! kBatchRows).
std::size_t BatchSize(std::size_t left) {
  std::size_t n = kBatchRows;
  while (n > left) n /= 2;
  return n;
}

//! `$first, $first+1, …` for `count` placeholders, and `)`.
std::string Placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    out += (i == 0 ? "$" : ", $") + std::to_string(first + i);
  }
  return out + ")";
}

//! Runs `sql_head` + the placeholders of `ids` (after the leading `head` values) in batches.
Result<void> ForIdBatches(db::Connection& c, std::string_view sql_head,
                          const std::vector<db::Value>& head,
                          const std::vector<std::int64_t>& ids) {
  for (std::size_t at = 0; at < ids.size();) {
    std::size_t n = BatchSize(ids.size() - at);
    std::vector<db::Value> params = head;
    for (std::size_t i = 0; i < n; ++i) params.emplace_back(ids[at + i]);
    auto done = c.Execute(std::string(sql_head) + Placeholders(head.size() + 1, n),
                          std::span<const db::Value>(params));
    if (!done) return Fail(done.error());
    at += n;
  }
  return {};
}

//! A stored finding as the reconciliation compares it with one found again.
struct Stored {
  std::int64_t id = 0;
  std::string status;
  std::string subject_name;
  std::int64_t org_id = 0;
  std::string org_path;
  std::string severity;
  std::string message;
  std::string facts;
  std::string last_seen;
  bool resolved_on_null = true;
};

}  // namespace

Result<ReconcileReport> Persist(db::Connection& c, const std::vector<Finding>& findings,
                                const std::string& root_path, const Period& period,
                                const std::string& today) {
  auto stored = c.Query(kStoredInSubtree, {period.id, root_path, SubtreeEndOf(root_path)});
  if (!stored) return Fail(stored.error());
  using Key = std::tuple<std::string, std::string, std::int64_t>;
  std::map<Key, Stored> existing;
  for (std::size_t i = 0; i < stored->size(); ++i) {
    existing[{stored->Text(i, 1), stored->Text(i, 2), stored->Int(i, 3)}] = {
        stored->Int(i, 0),   stored->Text(i, 4),   stored->Text(i, 5), stored->Int(i, 6),
        stored->Text(i, 7),  stored->Text(i, 8),   stored->Text(i, 9), stored->Text(i, 10),
        stored->Text(i, 11), stored->IsNull(i, 12)};
  }
  ReconcileReport report;
  report.found = static_cast<std::int64_t>(findings.size());
  // Each finding found again is refreshed: one statement per changed finding, the unchanged
  // ones (most, day after day) only marked seen, in batches.
  std::vector<const Finding*> fresh;
  std::vector<std::int64_t> seen;
  for (const auto& f : findings) {
    auto at = existing.find({f.rule_id, f.subject_kind, f.subject_id});
    if (at == existing.end()) {
      fresh.push_back(&f);
      continue;
    }
    const Stored& s = at->second;
    std::string facts = boost::json::serialize(f.facts);
    if (s.status == "resolved") ++report.opened;
    if (s.status != "resolved" && s.resolved_on_null && s.subject_name == f.subject_name &&
        s.org_id == f.org_id && s.org_path == f.org_path && s.severity == f.severity &&
        s.message == f.message && s.facts == facts) {
      if (s.last_seen != today) seen.push_back(s.id);
    } else {
      auto done = c.Execute(kRefreshFinding, {s.id, f.subject_name, f.org_id, f.org_path,
                                              f.severity, f.message, facts, today});
      if (!done) return Fail(done.error());
    }
    existing.erase(at);
  }
  if (auto done = ForIdBatches(c, kSeenFindings, {today}, seen); !done) {
    return Fail(done.error());
  }
  // A subject new to the subtree may have a stored finding for this period outside it (it moved
  // in): that one is updated in place. Sought in batches of one rule's subjects (the findings come
  // sorted by rule, kind and subject).
  std::map<Key, std::int64_t> moved_in;
  for (std::size_t at = 0; at < fresh.size();) {
    const Finding& first = *fresh[at];
    std::size_t same = at;
    while (same < fresh.size() && same - at < kBatchRows && fresh[same]->rule_id == first.rule_id &&
           fresh[same]->subject_kind == first.subject_kind) {
      ++same;
    }
    std::size_t n = BatchSize(same - at);
    std::vector<db::Value> params{period.id, first.rule_id, first.subject_kind};
    for (std::size_t i = 0; i < n; ++i) params.emplace_back(fresh[at + i]->subject_id);
    auto rows = c.Query(std::string(kStoredOfSubjects) + Placeholders(4, n),
                        std::span<const db::Value>(params));
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      moved_in[{first.rule_id, first.subject_kind, rows->Int(i, 1)}] = rows->Int(i, 0);
    }
    at += n;
  }
  std::vector<const Finding*> inserts;
  for (const Finding* f : fresh) {
    auto other = moved_in.find({f->rule_id, f->subject_kind, f->subject_id});
    if (other == moved_in.end()) {
      inserts.push_back(f);
      continue;
    }
    auto done = c.Execute(kRefreshFinding,
                          {other->second, f->subject_name, f->org_id, f->org_path, f->severity,
                           f->message, boost::json::serialize(f->facts), today});
    if (!done) return Fail(done.error());
  }
  for (std::size_t at = 0; at < inserts.size();) {
    std::size_t n = BatchSize(inserts.size() - at);
    std::vector<db::Value> params{today};
    params.reserve(1 + n * 10);
    std::string sql(kInsertFindings);
    for (std::size_t i = 0; i < n; ++i) {
      const Finding& f = *inserts[at + i];
      std::size_t base = params.size() + 1;
      for (db::Value v : {db::Value(f.rule_id), db::Value(f.subject_kind), db::Value(f.subject_id),
                          db::Value(f.subject_name), db::Value(period.id), db::Value(f.org_id),
                          db::Value(f.org_path), db::Value(f.severity), db::Value(f.message),
                          db::Value(boost::json::serialize(f.facts))}) {
        params.push_back(std::move(v));
      }
      sql += (i == 0 ? "(" : ", (");
      for (std::size_t k = 0; k < 10; ++k) sql += "$" + std::to_string(base + k) + ", ";
      sql += "$1, $1, 'open')";
    }
    auto done = c.Execute(sql, std::span<const db::Value>(params));
    if (!done) return Fail(done.error());
    report.opened += static_cast<std::int64_t>(n);
    at += n;
  }
  std::vector<std::int64_t> gone;
  for (const auto& [key, row] : existing) {
    if (row.status == "resolved") continue;
    gone.push_back(row.id);
  }
  if (auto done = ForIdBatches(c, kResolveFindings, {today}, gone); !done) {
    return Fail(done.error());
  }
  report.resolved = static_cast<std::int64_t>(gone.size());
  return report;
}

namespace {

//! Several servers on one PostgreSQL database rescan on their own schedules: two transactions
//! reconciling the same tree at once would both insert a new finding (one then fails on the
//! unique key) and both do the work. This lock, held until commit, makes rescans of one root's
//! tree take turns; other trees proceed. On SQLite every writer is serialised already.
constexpr std::string_view kLockRootFindings = "SELECT pg_advisory_xact_lock(727369, hashtext($1))";
//! How many of a unit's marks are still there (another server may have rescanned and cleared
//! them while this one waited for the lock).
constexpr std::string_view kMarkStillThere =
    "SELECT 1 FROM compliance_dirty WHERE org_path = $1 AND touched_at = $2";

Result<void> LockRootFindings(db::Connection& c, const std::string& path) {
  if (c.backend() != db::Backend::kPostgres) return {};
  std::string root = path.substr(0, path.find('/', 1) + 1);
  auto locked = c.Query(kLockRootFindings, {root});
  if (!locked) return Fail(locked.error());
  return {};
}

}  // namespace

Result<ReconcileReport> Rescan(db::Connection& c, const std::string& root_path,
                               const std::string& today) {
  if (auto locked = LockRootFindings(c, root_path); !locked) return Fail(locked.error());
  Period period = MonthOf(today);
  auto findings = Scan(c, root_path, period, AsOf(period, today));
  if (!findings) return Fail(findings.error());
  return Persist(c, *findings, root_path, period, today);
}

Result<std::int64_t> RescanTouched(db::Database& db, const std::string& today,
                                   const std::atomic<bool>* stopping) {
  auto touched = db.Read([](db::Connection& c) -> Result<db::ResultSet> {
    return c.Query("SELECT org_path, touched_at FROM compliance_dirty ORDER BY org_path", {});
  });
  if (!touched) return Fail(touched.error());
  // The subtrees to rescan, each with the marks it covers (a path covers the paths under it).
  // Many marks at once (a demo load, a large import, a moved town) are rescanned by their roots:
  // one scan of a whole tree costs less than hundreds of small ones.
  struct Unit {
    std::string path;
    std::vector<std::pair<std::string, std::string>> marks;  // (org_path, touched_at)
  };
  const bool by_root = touched->size() > kRootRescanAbove;
  std::vector<Unit> units;
  for (std::size_t i = 0; i < touched->size(); ++i) {
    std::string path = touched->Text(i, 0);
    std::string unit = by_root ? path.substr(0, path.find('/', 1) + 1) : path;
    if (!units.empty() && unit.rfind(units.back().path, 0) == 0) {
      units.back().marks.emplace_back(path, touched->Text(i, 1));
    } else {
      units.push_back({unit, {{path, touched->Text(i, 1)}}});
    }
  }
  std::int64_t done = 0;
  for (const Unit& unit : units) {
    if (stopping != nullptr && *stopping) break;  // the rest stays marked for the next start
    auto written = db.Write([&](db::Connection& c) -> Result<bool> {
      if (auto locked = LockRootFindings(c, unit.path); !locked) return Fail(locked.error());
      bool any_left = false;
      for (const auto& [path, at] : unit.marks) {
        auto left = c.Query(kMarkStillThere, {path, at});
        if (!left) return Fail(left.error());
        any_left = any_left || !left->empty();
      }
      if (!any_left) return false;  // another server rescanned this subtree meanwhile
      auto report = Rescan(c, unit.path, today);
      if (!report) return Fail(report.error());
      // Only the marks we read: a write since then leaves its own for the next round.
      for (const auto& [path, at] : unit.marks) {
        auto cleared = c.Execute(
            "DELETE FROM compliance_dirty WHERE org_path = $1 AND touched_at = $2", {path, at});
        if (!cleared) return Fail(cleared.error());
      }
      return true;
    });
    if (!written) return Fail(written.error());
    if (*written) ++done;
  }
  return done;
}

Result<ReconcileReport> ScanEverything(db::Database& db, const std::string& today,
                                       const std::atomic<bool>* stopping) {
  auto roots = db.Read([](db::Connection& c) -> Result<db::ResultSet> {
    return c.Query("SELECT path FROM organisation WHERE parent_id IS NULL ORDER BY path", {});
  });
  if (!roots) return Fail(roots.error());
  ReconcileReport total;
  for (std::size_t i = 0; i < roots->size(); ++i) {
    // Cut short by a stopping server: the daily scan records this as its error, so the next
    // start claims the day again.
    if (stopping != nullptr && *stopping) {
      return Fail(Error::Unavailable("compliance.scan_stopped", "服务停止，全面检查未完成"));
    }
    std::string path = roots->Text(i, 0);
    auto report = db.Write(
        [&](db::Connection& c) -> Result<ReconcileReport> { return Rescan(c, path, today); });
    if (!report) return Fail(report.error());
    total.found += report->found;
    total.opened += report->opened;
    total.resolved += report->resolved;
  }
  return total;
}

namespace {

constexpr std::string_view kClaimScanDay =
    "INSERT INTO compliance_scan_run (run_on, started_at) VALUES ($1, $2) "
    "ON CONFLICT (run_on) DO UPDATE SET started_at = excluded.started_at, error = NULL "
    "WHERE compliance_scan_run.error IS NOT NULL OR (compliance_scan_run.finished_at IS NULL "
    "AND compliance_scan_run.started_at < $3)";
constexpr std::string_view kFailScanDay =
    "UPDATE compliance_scan_run SET error = $2 WHERE run_on = $1";
constexpr std::string_view kFinishScanDay =
    "UPDATE compliance_scan_run SET finished_at = $2, found = $3, opened = $4, resolved = $5 "
    "WHERE run_on = $1";
constexpr std::string_view kLatestScanDay =
    "SELECT run_on, started_at, finished_at, found, opened, resolved, error FROM "
    "compliance_scan_run "
    "ORDER BY run_on DESC LIMIT 1";

}  // namespace

Result<std::optional<ReconcileReport>> RunDailyScanIfDue(db::Database& db,
                                                         const std::string& now_iso,
                                                         const std::atomic<bool>* stopping) {
  if (now_iso.size() < 13 || now_iso[10] != 'T') {
    throw std::logic_error("RunDailyScanIfDue: not an ISO time: " + now_iso);  // a caller's bug
  }
  const std::string today = now_iso.substr(0, 10);
  const int hour = std::stoi(now_iso.substr(11, 2));
  // A claim not finished within the lease was left by a server that died while scanning: taken
  // over. Before the lease has run since midnight no claim of today can be that old.
  const std::string lease_cutoff =
      hour >= kDailyScanLeaseHours
          ? fmt::format("{}T{:02}{}", today, hour - kDailyScanLeaseHours, now_iso.substr(13))
          : today + "T00";
  auto claimed = db.Write([&](db::Connection& c) -> Result<bool> {
    auto from_hour = settings::Integer(c, kDailyScanHourSetting);
    if (!from_hour) return Fail(from_hour.error());
    if (hour < *from_hour) return false;
    auto inserted = c.Execute(kClaimScanDay, {today, now_iso, lease_cutoff});
    if (!inserted) return Fail(inserted.error());
    return *inserted == 1;
  });
  if (!claimed) return Fail(claimed.error());
  if (!*claimed) return std::optional<ReconcileReport>();
  auto report = ScanEverything(db, today, stopping);
  if (!report) {
    // Recorded, so that the next round claims the day again.
    (void)db.Write([&](db::Connection& c) -> Result<void> {
      auto done = c.Execute(kFailScanDay, {today, report.error().message});
      if (!done) return Fail(done.error());
      return {};
    });
    return Fail(report.error());
  }
  auto finished = db.Write([&](db::Connection& c) -> Result<void> {
    auto done = c.Execute(
        kFinishScanDay, {today, NowShanghaiIso(), report->found, report->opened, report->resolved});
    if (!done) return Fail(done.error());
    return {};
  });
  if (!finished) return Fail(finished.error());
  return std::optional<ReconcileReport>(*report);
}

Result<boost::json::value> LatestDailyScan(db::Connection& c) {
  auto rows = c.Query(kLatestScanDay, {});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return boost::json::value(nullptr);
  boost::json::object j{{"run_on", rows->Text(0, 0)}, {"started_at", rows->Text(0, 1)}};
  if (!rows->IsNull(0, 6)) j["error"] = rows->Text(0, 6);
  if (rows->IsNull(0, 2)) {
    j["finished_at"] = nullptr;
    return boost::json::value(std::move(j));
  }
  j["finished_at"] = rows->Text(0, 2);
  j["found"] = rows->Int(0, 3);
  j["opened"] = rows->Int(0, 4);
  j["resolved"] = rows->Int(0, 5);
  return boost::json::value(std::move(j));
}

Result<boost::json::object> ListFindings(db::Connection& c, const org::SubtreeScope& scope,
                                         const FindingQuery& query) {
  auto period = CurrentPeriodOr(query.period);
  if (!period) return Fail(period.error());
  std::vector<db::Value> params{*period};
  std::string where = " WHERE f.period = $1 AND " + scope.Condition("f.org_path", params);
  if (query.org_id) {
    auto org = org::GetOrg(c, scope, *query.org_id);
    if (!org) return Fail(org.error());
    params.emplace_back(org->path);
    where += " AND f.org_path >= $" + std::to_string(params.size());
    params.emplace_back(org::SubtreeEnd(org->path));
    where += " AND f.org_path < $" + std::to_string(params.size());
  }
  if (!query.rule_id.empty()) {
    params.emplace_back(query.rule_id);
    where += " AND f.rule_id = $" + std::to_string(params.size());
  }
  if (!query.severity.empty()) {
    if (!KnownSeverity(query.severity)) {
      return Fail(Error::Invalid("compliance.severity_invalid", "级别应为 red、yellow 或 info",
                                 "severity"));
    }
    params.emplace_back(query.severity);
    where += " AND f.severity = $" + std::to_string(params.size());
  }
  if (query.status.empty()) {
    where += " AND f.status IN ('open', 'acknowledged')";
  } else if (query.status != "all") {
    if (query.status != "open" && query.status != "acknowledged" && query.status != "resolved") {
      return Fail(Error::Invalid("compliance.status_invalid",
                                 "状态应为 open、acknowledged、resolved 或 all", "status"));
    }
    params.emplace_back(query.status);
    where += " AND f.status = $" + std::to_string(params.size());
  }
  auto total =
      c.Query("SELECT COUNT(*) FROM finding f" + where, std::span<const db::Value>(params));
  if (!total) return Fail(total.error());
  std::string order =
      " ORDER BY CASE f.severity WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, f.rule_id, "
      "f.org_path, f.subject_id LIMIT " +
      std::to_string(query.page_size) + " OFFSET " +
      std::to_string((query.page - 1) * query.page_size);
  auto rows =
      c.Query(std::string(kSelectFinding) + where + order, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  boost::json::array items;
  for (std::size_t i = 0; i < rows->size(); ++i) items.push_back(FindingJson(*rows, i));
  return boost::json::object{{"items", std::move(items)},
                             {"total", total->Int(0, 0)},
                             {"period", *period},
                             {"page", query.page},
                             {"page_size", query.page_size}};
}

Result<boost::json::object> Board(db::Connection& c, const org::SubtreeScope& scope,
                                  std::int64_t org_id, const std::string& period_text) {
  auto period = CurrentPeriodOr(period_text);
  if (!period) return Fail(period.error());
  auto org = org::GetOrg(c, scope, org_id);
  if (!org) return Fail(org.error());
  std::string end = org::SubtreeEnd(org->path);
  auto by_rule = c.Query(
      "SELECT rule_id, severity, COUNT(*) FROM finding WHERE period = $1 AND org_path >= $2 AND "
      "org_path < $3 AND status IN ('open', 'acknowledged') GROUP BY rule_id, severity ORDER BY "
      "rule_id, severity",
      {*period, org->path, end});
  if (!by_rule) return Fail(by_rule.error());
  std::map<std::string, std::string> titles;
  for (const auto& r : AllRules()) titles[r.spec->id] = r.spec->title;
  boost::json::array rules;
  std::map<std::string, std::int64_t> totals{{"red", 0}, {"yellow", 0}, {"info", 0}};
  for (std::size_t i = 0; i < by_rule->size(); ++i) {
    std::string rule = by_rule->Text(i, 0);
    std::string severity = by_rule->Text(i, 1);
    std::int64_t n = by_rule->Int(i, 2);
    totals[severity] += n;
    rules.push_back(boost::json::object{
        {"rule_id", rule}, {"rule_title", titles[rule]}, {"severity", severity}, {"count", n}});
  }
  auto by_status = c.Query(
      "SELECT status, COUNT(*) FROM finding WHERE period = $1 AND org_path >= $2 AND org_path < $3 "
      "AND status IN ('open', 'acknowledged') GROUP BY status",
      {*period, org->path, end});
  if (!by_status) return Fail(by_status.error());
  std::map<std::string, std::int64_t> statuses{{"open", 0}, {"acknowledged", 0}};
  for (std::size_t i = 0; i < by_status->size(); ++i) {
    statuses[by_status->Text(i, 0)] = by_status->Int(i, 1);
  }
  // Each active child's light: red when any red finding lies in its subtree, else yellow, else
  // green. A merged or dissolved child has no duties left, so no light.
  auto children = org::ChildrenOf(c, scope, org->id);
  if (!children) return Fail(children.error());
  boost::json::array lights;
  for (const auto& child : *children) {
    if (child.status != "active") continue;
    auto counts = c.Query(
        "SELECT severity, COUNT(*) FROM finding WHERE period = $1 AND org_path >= $2 AND org_path "
        "< $3 AND status IN ('open', 'acknowledged') GROUP BY severity",
        {*period, child.path, org::SubtreeEnd(child.path)});
    if (!counts) return Fail(counts.error());
    std::map<std::string, std::int64_t> n{{"red", 0}, {"yellow", 0}, {"info", 0}};
    for (std::size_t i = 0; i < counts->size(); ++i) n[counts->Text(i, 0)] = counts->Int(i, 1);
    std::string light = n["red"] > 0 ? "red" : n["yellow"] > 0 ? "yellow" : "green";
    lights.push_back(boost::json::object{{"org_id", child.id},
                                         {"org_name", child.name},
                                         {"kind", child.kind},
                                         {"light", light},
                                         {"red", n["red"]},
                                         {"yellow", n["yellow"]},
                                         {"info", n["info"]}});
  }
  auto last_scan = LatestDailyScan(c);
  if (!last_scan) return Fail(last_scan.error());
  return boost::json::object{
      {"org_id", org->id},
      {"org_name", org->name},
      {"period", *period},
      {"last_scan", std::move(*last_scan)},
      {"totals", {{"red", totals["red"]}, {"yellow", totals["yellow"]}, {"info", totals["info"]}}},
      {"by_status", {{"open", statuses["open"]}, {"acknowledged", statuses["acknowledged"]}}},
      {"by_rule", std::move(rules)},
      {"children", std::move(lights)}};
}

Result<boost::json::object> Acknowledge(db::Connection& c, const org::SubtreeScope& scope,
                                        const audit::Actor& actor, std::int64_t account_id,
                                        std::int64_t id, const std::string& note) {
  std::vector<db::Value> params{id};
  std::string sql =
      std::string(kSelectFinding) + " WHERE f.id = $1 AND " + scope.Condition("f.org_path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  if (rows->empty()) {
    return Fail(Error::NotFound("compliance.finding_not_found", "预警不存在或不在您的管理范围内"));
  }
  if (note.empty()) {
    return Fail(
        Error::Invalid("compliance.note_missing", "请填写说明（已知悉的情况和整改安排）", "note"));
  }
  std::string status = rows->Text(0, 13);
  if (status != "open") {
    return Fail(Error::Conflict("compliance.not_open",
                                status == "resolved" ? "该预警已因数据变化而解除" : "该预警已确认",
                                "status"));
  }
  auto done = c.Execute(
      "UPDATE finding SET status = 'acknowledged', note = $2, acknowledged_by = $3, "
      "acknowledged_at = $4 WHERE id = $1",
      {id, note, account_id, NowShanghaiIso()});
  if (!done) return Fail(done.error());
  auto logged = audit::Append(c, {actor,
                                  "compliance.acknowledge",
                                  "finding:" + std::to_string(id),
                                  "success",
                                  {{"rule", rows->Text(0, 1)},
                                   {"before", {{"status", "open"}}},
                                   {"after", {{"status", "acknowledged"}, {"note", note}}}}});
  if (!logged) return Fail(logged.error());
  auto again = c.Query(std::string(kSelectFinding) + " WHERE f.id = $1", {id});
  if (!again) return Fail(again.error());
  return FindingJson(*again, 0);
}

}  // namespace zhibu::compliance

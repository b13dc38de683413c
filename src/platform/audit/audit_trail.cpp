#include "platform/audit/audit_trail.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>

#include "platform/crypto/sm3.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::audit {
namespace {

constexpr std::string_view kHeadForUpdatePostgres =
    "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
constexpr std::string_view kHead = "SELECT seq, hash FROM audit_head WHERE id = 1";
constexpr std::string_view kInsert =
    "INSERT INTO audit_event (seq, at, actor_id, actor, role, organisation_id, action, target,"
    " result, client_address, detail, prev_hash, hash)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
constexpr std::string_view kAdvanceHead = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
constexpr std::string_view kColumns =
    "seq, at, actor_id, actor, role, organisation_id, action, target, result, client_address,"
    " detail, prev_hash, hash";
constexpr std::int64_t kVerifyBatch = 5000;
constexpr std::string_view kLatestAnchor =
    "SELECT through_seq, hash FROM audit_anchor ORDER BY through_seq DESC LIMIT 1";
constexpr std::string_view kInsertAnchor =
    "INSERT INTO audit_anchor (through_seq, hash, events, archived_at, file_name, file_sm3)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
constexpr std::string_view kDeleteArchived = "DELETE FROM audit_event WHERE seq <= $1";
constexpr std::string_view kGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

db::Value OptionalInt(const std::optional<std::int64_t>& v) {
  return v ? db::Value{*v} : db::Value{nullptr};
}

void AppendField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

std::string OptionalText(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string("-");
}

StoredEvent ReadEvent(const db::ResultSet& rows, std::size_t i) {
  StoredEvent e;
  e.seq = rows.Int(i, 0);
  e.at = rows.Text(i, 1);
  e.actor_id = rows.OptionalInt(i, 2);
  e.actor = rows.Text(i, 3);
  e.role = rows.Text(i, 4);
  e.organisation_id = rows.OptionalInt(i, 5);
  e.action = rows.Text(i, 6);
  e.target = rows.Text(i, 7);
  e.result = rows.Text(i, 8);
  e.client_address = rows.Text(i, 9);
  e.detail = rows.Text(i, 10);
  e.prev_hash = rows.Text(i, 11);
  e.hash = rows.Text(i, 12);
  return e;
}

}  // namespace

std::string ChainHash(const StoredEvent& e) {
  std::string input;
  input.reserve(256 + e.detail.size());
  AppendField(input, std::to_string(e.seq));
  AppendField(input, e.at);
  AppendField(input, OptionalText(e.actor_id));
  AppendField(input, e.actor);
  AppendField(input, e.role);
  AppendField(input, OptionalText(e.organisation_id));
  AppendField(input, e.action);
  AppendField(input, e.target);
  AppendField(input, e.result);
  AppendField(input, e.client_address);
  AppendField(input, e.detail);
  AppendField(input, e.prev_hash);
  return crypto::Sm3Hex(input);
}

Result<std::int64_t> Append(db::Connection& c, const Event& event) {
  auto head = c.Query(c.backend() == db::Backend::kPostgres ? kHeadForUpdatePostgres : kHead);
  if (!head) return Fail(head.error());
  if (head->empty()) return Fail(Error::Internal("audit.head_missing", "审计链头记录缺失"));
  StoredEvent e;
  e.seq = head->Int(0, 0) + 1;
  e.prev_hash = head->Text(0, 1);
  e.at = NowShanghaiIso();
  e.actor_id = event.actor.account_id;
  e.actor = event.actor.name;
  e.role = event.actor.role;
  e.organisation_id = event.actor.organisation_id;
  e.action = event.action;
  e.target = event.target;
  e.result = event.result;
  e.client_address = event.actor.client_address;
  e.detail = boost::json::serialize(event.detail);
  e.hash = ChainHash(e);
  auto inserted = c.Execute(kInsert, {e.seq, e.at, OptionalInt(e.actor_id), e.actor, e.role,
                                      OptionalInt(e.organisation_id), e.action, e.target, e.result,
                                      e.client_address, e.detail, e.prev_hash, e.hash});
  if (!inserted) return Fail(inserted.error());
  auto advanced = c.Execute(kAdvanceHead, {e.seq, e.hash});
  if (!advanced) return Fail(advanced.error());
  return e.seq;
}

Result<std::int64_t> AppendAlone(db::Database& db, const Event& event) {
  return db.Write([&](db::Connection& c) { return Append(c, event); });
}

Result<VerifyReport> Verify(db::Database& db) {
  return db.Read([](db::Connection& c) -> Result<VerifyReport> {
    VerifyReport report;
    auto head = c.Query(kHead);
    if (!head) return Fail(head.error());
    if (head->empty()) return Fail(Error::Internal("audit.head_missing", "审计链头记录缺失"));
    std::string expected_prev(kGenesis);
    std::int64_t expected_seq = 1;
    // Archived events left the table; the chain continues from the newest anchor.
    auto anchor = c.Query(kLatestAnchor);
    if (!anchor) return Fail(anchor.error());
    if (!anchor->empty()) {
      expected_seq = anchor->Int(0, 0) + 1;
      expected_prev = anchor->Text(0, 1);
    }
    const std::int64_t first_seq = expected_seq;
    std::string sql = "SELECT " + std::string(kColumns) +
                      " FROM audit_event WHERE seq >= $1 ORDER BY seq LIMIT " +
                      std::to_string(kVerifyBatch);
    while (true) {
      auto rows = c.Query(sql, {expected_seq});
      if (!rows) return Fail(rows.error());
      for (std::size_t i = 0; i < rows->size(); ++i) {
        StoredEvent e = ReadEvent(*rows, i);
        auto broken = [&](std::int64_t seq, std::string problem) {
          report.first_broken_seq = seq;
          report.problem = std::move(problem);
          return report;
        };
        if (e.seq != expected_seq) {
          return broken(expected_seq, "缺少第 " + std::to_string(expected_seq) +
                                          " 条审计记录（下一条为第 " + std::to_string(e.seq) +
                                          " 条）");
        }
        if (e.prev_hash != expected_prev) {
          return broken(e.seq, "第 " + std::to_string(e.seq) + " 条记录的前序哈希与上一条不符");
        }
        if (ChainHash(e) != e.hash) {
          return broken(e.seq,
                        "第 " + std::to_string(e.seq) + " 条记录的内容与其哈希不符（被修改）");
        }
        expected_prev = e.hash;
        ++expected_seq;
        ++report.events;
      }
      if (static_cast<std::int64_t>(rows->size()) < kVerifyBatch) break;
    }
    std::int64_t head_seq = head->Int(0, 0);
    std::int64_t last_seq = first_seq - 1 + report.events;
    if (head_seq != last_seq || head->Text(0, 1) != expected_prev) {
      report.first_broken_seq = last_seq + 1;
      report.problem = "审计链头指向第 " + std::to_string(head_seq) + " 条，实有至第 " +
                       std::to_string(last_seq) + " 条（末尾记录被删除或链头被改）";
    }
    return report;
  });
}

Result<ArchiveReport> Archive(db::Database& db, const std::string& file,
                              const std::string& cutoff_date, const std::string& today,
                              int retention_days) {
  if (retention_days < kMinRetentionDays) {
    return Fail(Error{ErrorKind::kInvalidArgument, "audit.retention",
                      "审计记录至少保留 " + std::to_string(kMinRetentionDays) + " 天",
                      "retention-days", "《网络安全法》第二十一条 不少于六个月"});
  }
  auto parse = [](const std::string& iso) -> std::optional<std::chrono::sys_days> {
    int y = 0, m = 0, d = 0;
    if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return {};
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{unsigned(m)},
                                    std::chrono::day{unsigned(d)}};
    if (!ymd.ok()) return {};
    return std::chrono::sys_days{ymd};
  };
  auto cutoff = parse(cutoff_date);
  auto now = parse(today);
  if (!cutoff || !now) {
    return Fail(Error::Invalid("audit.date_invalid", "日期应为 YYYY-MM-DD", "before"));
  }
  if ((*now - *cutoff).count() < retention_days) {
    return Fail(Error{ErrorKind::kInvalidArgument, "audit.retention",
                      "只能归档 " + std::to_string(retention_days) + " 天以前的审计记录", "before",
                      "《网络安全法》第二十一条 不少于六个月"});
  }
  auto check = Verify(db);
  if (!check) return Fail(check.error());
  if (check->first_broken_seq) {
    return Fail(
        Error::Conflict("audit.chain_broken", "审计链已断裂，先查明原因再归档：" + check->problem));
  }
  return db.Write([&](db::Connection& c) -> Result<ArchiveReport> {
    // Events are dated by their ISO text; those before the cutoff date, in order.
    auto rows =
        c.Query("SELECT " + std::string(kColumns) + " FROM audit_event WHERE at < $1 ORDER BY seq",
                {cutoff_date});
    if (!rows) return Fail(rows.error());
    ArchiveReport report;
    if (rows->empty()) return report;
    std::string text;
    for (std::size_t i = 0; i < rows->size(); ++i) {
      StoredEvent e = ReadEvent(*rows, i);
      if (i > 0 && e.seq != report.through_seq + 1) break;  // dates are monotonic with seq
      text += boost::json::serialize(ToJson(e));
      text += '\n';
      report.through_seq = e.seq;
      ++report.events;
    }
    std::string last_hash = ReadEvent(*rows, static_cast<std::size_t>(report.events - 1)).hash;
    boost::json::object anchor{{"anchor", boost::json::object{{"through_seq", report.through_seq},
                                                              {"hash", last_hash},
                                                              {"events", report.events},
                                                              {"archived_at", NowShanghaiIso()}}}};
    text += boost::json::serialize(anchor);
    text += '\n';
    report.file_sm3 = crypto::Sm3Hex(text);
    {
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << text;
      out.flush();
      if (!out)
        return Fail(Error::Invalid("audit.archive_write", "无法写入归档文件：" + file, "file"));
    }
    auto anchored = c.Execute(kInsertAnchor, {report.through_seq, last_hash, report.events,
                                              NowShanghaiIso(), file, report.file_sm3});
    if (!anchored) return Fail(anchored.error());
    auto removed = c.Execute(kDeleteArchived, {report.through_seq});
    if (!removed) return Fail(removed.error());
    auto logged = Append(c, {{std::nullopt, "cli", "", std::nullopt, "local"},
                             "audit.archive",
                             "audit_event",
                             "success",
                             {{"through_seq", report.through_seq},
                              {"events", report.events},
                              {"file", file},
                              {"file_sm3", report.file_sm3}}});
    if (!logged) return Fail(logged.error());
    return report;
  });
}

Result<std::string> TimeBound(std::string_view text, bool upper, std::string_view field) {
  auto invalid = [&] {
    return Fail(Error::Invalid("audit.time_invalid",
                               std::string(field) +
                                   " 应为 YYYY-MM-DD、YYYY-MM-DDTHH:MM 或 YYYY-MM-DDTHH:MM:SS "
                                   "格式的北京时间",
                               std::string(field)));
  };
  if (text.size() < 10 || !ParseIsoDate(text.substr(0, 10))) return invalid();
  std::string date(text.substr(0, 10));
  if (text.size() == 10) return date + (upper ? "T23:59:59+08:00" : "T00:00:00+08:00");
  if (text.size() != 16 && text.size() != 19) return invalid();
  if (text[10] != 'T' && text[10] != ' ') return invalid();
  auto number = [&](std::size_t at, int max) -> bool {
    if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') return false;
    return (text[at] - '0') * 10 + (text[at + 1] - '0') <= max;
  };
  if (!number(11, 23) || text[13] != ':' || !number(14, 59)) return invalid();
  std::string time(text.substr(11, 5));
  if (text.size() == 19) {
    if (text[16] != ':' || !number(17, 59)) return invalid();
    time += std::string(text.substr(16, 3));
  } else {
    time += upper ? ":59" : ":00";
  }
  return date + "T" + time + "+08:00";
}

bool IsEventResult(std::string_view result) {
  return result == "success" || result == "failure" || result == "denied";
}

Result<Page> List(db::Database& db, const Query& query) {
  return db.Read([&](db::Connection& c) -> Result<Page> {
    // The action prefix as a LIKE pattern whose own `%`, `_` and `\` match only themselves.
    std::string pattern;
    for (char ch : query.action_prefix) {
      if (ch == '%' || ch == '_' || ch == '\\') pattern += '\\';
      pattern += ch;
    }
    pattern += '%';
    std::string where =
        " WHERE action LIKE $1 ESCAPE '\\' AND ($2 = '' OR actor = $2) AND ($3 = '' OR target = $3)"
        " AND ($4 = '' OR result = $4) AND ($5 = '' OR at >= $5) AND ($6 = '' OR at <= $6)";
    std::vector<db::Value> params = {pattern,      query.actor, query.target,
                                     query.result, query.from,  query.to};
    auto total = c.Query("SELECT COUNT(*) FROM audit_event" + where, params);
    if (!total) return Fail(total.error());
    params.push_back(query.size);
    params.push_back((query.page - 1) * query.size);
    auto rows = c.Query("SELECT " + std::string(kColumns) + " FROM audit_event" + where +
                            " ORDER BY seq DESC LIMIT $7 OFFSET $8",
                        params);
    if (!rows) return Fail(rows.error());
    Page page;
    page.total = total->Int(0, 0);
    for (std::size_t i = 0; i < rows->size(); ++i) page.events.push_back(ReadEvent(*rows, i));
    return page;
  });
}

boost::json::object ToJson(const StoredEvent& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["at"] = e.at;
  o["actor_id"] = e.actor_id ? boost::json::value(*e.actor_id) : boost::json::value(nullptr);
  o["actor"] = e.actor;
  o["role"] = e.role;
  o["organisation_id"] =
      e.organisation_id ? boost::json::value(*e.organisation_id) : boost::json::value(nullptr);
  o["action"] = e.action;
  o["target"] = e.target;
  o["result"] = e.result;
  o["client_address"] = e.client_address;
  boost::system::error_code ec;
  auto detail = boost::json::parse(e.detail, ec);
  o["detail"] = ec ? boost::json::value(e.detail) : detail;
  o["hash"] = e.hash;
  return o;
}

}  // namespace zhibu::audit

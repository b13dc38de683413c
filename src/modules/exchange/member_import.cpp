#include "modules/exchange/member_import.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "modules/exchange/member_columns.h"
#include "modules/member/member_store.h"
#include "modules/member/statistics_counters.h"
#include "modules/org/org_store.h"
#include "modules/org/vocabulary.h"
#include "platform/identity/id_number.h"
#include "platform/util/clock.h"

namespace zhibu::exchange {
namespace {

//! CPU time of the calling thread in ms: the phase logs show it beside the wall time, which on a
//! busy machine says more about the work than the wall time does.
inline long CpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

//! How often progress is published.
constexpr std::int64_t kProgressEvery = 2000;
//! Blind indexes looked up per query when checking the registry for duplicates.
constexpr std::size_t kLookupBatch = 500;

//! An organisation members may be imported into, as the caller sees it.
struct Branch {
  std::int64_t id = 0;
  std::string path;
  std::string name;
  std::string kind;
  std::string status;
};

//! Every active organisation in the caller's scope, by code.
Result<std::unordered_map<std::string, Branch>> LoadBranches(db::Connection& c,
                                                             const org::SubtreeScope& scope) {
  std::vector<db::Value> params;
  std::string sql = "SELECT id, code, path, name, kind, status FROM organisation WHERE " +
                    scope.Condition("path", params);
  auto rows = c.Query(sql, std::span<const db::Value>(params));
  if (!rows) return Fail(rows.error());
  std::unordered_map<std::string, Branch> out;
  out.reserve(rows->size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    out.emplace(rows->Text(i, 1), Branch{rows->Int(i, 0), rows->Text(i, 2), rows->Text(i, 3),
                                         rows->Text(i, 4), rows->Text(i, 5)});
  }
  return out;
}

//! A row that passed every check, ready to store.
struct ReadyRow {
  std::int64_t row = 0;
  member::PreparedMember member;
  const Branch* branch = nullptr;
  std::string id_index;
  std::string id_cipher;
  std::string phone_index;
  std::string phone_cipher;
};

std::string MaskPhone(const std::string& phone) {
  if (phone.empty()) return "";
  if (phone.size() != 11) return std::string(phone.size(), '*');
  return phone.substr(0, 3) + "****" + phone.substr(7);
}

db::Value TextOrNull(const std::string& text) {
  return text.empty() ? db::Value(nullptr) : db::Value(text);
}

//! The member rows for BulkInsert, with the ids chosen beforehand.
class MemberRows final : public db::RowSource {
 public:
  MemberRows(const std::vector<ReadyRow>& rows, const std::vector<std::int64_t>& ids,
             const std::string& now)
      : rows_(rows), ids_(ids), now_(now) {}
  static const std::vector<std::string>& Columns() {
    static const std::vector<std::string> columns = {"id",
                                                     "org_id",
                                                     "org_path",
                                                     "name",
                                                     "initials",
                                                     "sex",
                                                     "ethnicity",
                                                     "birth_date",
                                                     "id_number_cipher",
                                                     "id_number_index",
                                                     "id_number_masked",
                                                     "phone_cipher",
                                                     "phone_index",
                                                     "phone_masked",
                                                     "education",
                                                     "degree",
                                                     "occupation",
                                                     "work_unit",
                                                     "household",
                                                     "address",
                                                     "joined_on",
                                                     "confirmed_on",
                                                     "work_started_on",
                                                     "category",
                                                     "status",
                                                     "status_on",
                                                     "hardship",
                                                     "created_at",
                                                     "updated_at"};
    return columns;
  }
  bool Next(std::vector<db::Value>& row) override {
    if (next_ >= rows_.size()) return false;
    const ReadyRow& r = rows_[next_];
    const member::PreparedMember& m = r.member;
    const member::MemberInput& in = m.input;
    row.clear();
    row.reserve(29);
    row.emplace_back(ids_[next_]);
    row.emplace_back(r.branch->id);
    row.emplace_back(r.branch->path);
    row.emplace_back(in.name);
    row.emplace_back(m.initials);
    row.emplace_back(m.sex);
    row.emplace_back(in.ethnicity);
    row.emplace_back(m.birth_date);
    row.emplace_back(db::Blob{r.id_cipher});
    row.emplace_back(r.id_index);
    row.emplace_back(identity::MaskIdNumber(m.id_number));
    row.emplace_back(r.phone_cipher.empty() ? db::Value(nullptr)
                                            : db::Value(db::Blob{r.phone_cipher}));
    row.emplace_back(TextOrNull(r.phone_index));
    row.emplace_back(MaskPhone(in.phone));
    row.emplace_back(in.education);
    row.emplace_back(in.degree);
    row.emplace_back(in.occupation);
    row.emplace_back(in.work_unit);
    row.emplace_back(in.household);
    row.emplace_back(in.address);
    row.emplace_back(in.joined_on);
    row.emplace_back(TextOrNull(in.confirmed_on));
    row.emplace_back(TextOrNull(in.work_started_on));
    row.emplace_back(in.category);
    row.emplace_back(m.status);
    row.emplace_back(m.event_date);
    row.emplace_back(static_cast<std::int64_t>(in.hardship ? 1 : 0));
    row.emplace_back(now_);
    row.emplace_back(now_);
    ++next_;
    return true;
  }

 private:
  const std::vector<ReadyRow>& rows_;
  const std::vector<std::int64_t>& ids_;
  const std::string& now_;
  std::size_t next_ = 0;
};

//! member_span rows: one per member, from 入党 in today's status (as the demo loads them).
class SpanRows final : public db::RowSource {
 public:
  SpanRows(const std::vector<ReadyRow>& rows, const std::vector<std::int64_t>& ids)
      : rows_(rows), ids_(ids) {}
  bool Next(std::vector<db::Value>& row) override {
    if (next_ >= rows_.size()) return false;
    const ReadyRow& r = rows_[next_];
    row = {ids_[next_], r.branch->id, r.member.status, r.member.event_date};
    ++next_;
    return true;
  }

 private:
  const std::vector<ReadyRow>& rows_;
  const std::vector<std::int64_t>& ids_;
  std::size_t next_ = 0;
};

//! member_event rows: 发展 (接收预备党员) on 入党日期 and, for full members, 转正 on 转正日期.
class EventRows final : public db::RowSource {
 public:
  EventRows(const std::vector<ReadyRow>& rows, const std::vector<std::int64_t>& ids,
            std::optional<std::int64_t> account, const std::string& now)
      : rows_(rows), ids_(ids), account_(account), now_(now) {}
  bool Next(std::vector<db::Value>& row) override {
    while (next_ < rows_.size()) {
      const ReadyRow& r = rows_[next_];
      const member::PreparedMember& m = r.member;
      db::Value account = account_ ? db::Value(*account_) : db::Value(nullptr);
      if (!confirm_) {
        row = {ids_[next_],    std::string("develop"),
               m.event_date,   r.branch->id,
               r.branch->path, std::string("批量导入：支部大会接收为预备党员"),
               account,        now_};
        if (m.status == "full") {
          confirm_ = true;
        } else {
          ++next_;
        }
        return true;
      }
      confirm_ = false;
      row = {ids_[next_],
             std::string("confirm"),
             m.input.confirmed_on,
             r.branch->id,
             r.branch->path,
             std::string("批量导入：转为正式党员"),
             account,
             now_};
      ++next_;
      return true;
    }
    return false;
  }

 private:
  const std::vector<ReadyRow>& rows_;
  const std::vector<std::int64_t>& ids_;
  std::optional<std::int64_t> account_;
  const std::string& now_;
  std::size_t next_ = 0;
  bool confirm_ = false;
};

//! The imported members' spans as the statistics count them (the member_span rows above with the
//! member's counted attributes).
std::vector<member::CountedSpan> CountedSpans(const std::vector<ReadyRow>& rows,
                                              const std::vector<std::int64_t>& ids) {
  std::vector<member::CountedSpan> spans;
  spans.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const member::PreparedMember& m = rows[i].member;
    const member::MemberInput& in = m.input;
    spans.push_back(
        {m.event_date, ids[i], 0, std::nullopt, rows[i].branch->id, m.status, m.sex, in.ethnicity,
         m.birth_date, in.education, in.occupation,
         in.confirmed_on.empty() ? std::nullopt : std::optional<std::string>(in.confirmed_on)});
  }
  return spans;
}

//! SQLite's secondary indexes of `tables` (not those backing a UNIQUE or PRIMARY KEY constraint)
//! as (name, CREATE statement): a bulk load into a table that grows by more than it holds is
//! faster when they are dropped first and built once, sorted, afterwards — in the same
//! transaction, so no reader ever sees the table without them.
Result<std::vector<std::pair<std::string, std::string>>> SecondaryIndexes(
    db::Connection& c, const std::vector<std::string>& tables) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& t : tables) {
    auto rows = c.Query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = $1 AND sql IS "
        "NOT NULL ORDER BY name",
        {t});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i)
      out.emplace_back(rows->Text(i, 0), rows->Text(i, 1));
  }
  return out;
}

//! Stores every row in one transaction, with one audit event; answers the count.
Result<std::int64_t> Store(db::Database& db, const ImportCaller& caller, FileFormat format,
                           const std::vector<ReadyRow>& ready, ImportProgress& progress) {
  return db.Write([&](db::Connection& c) -> Result<std::int64_t> {
    if (progress.cancelled) return Fail(Cancelled());
    // The branches must still be where the checks found them.
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    auto now_branches = LoadBranches(c, *scope);
    if (!now_branches) return Fail(now_branches.error());
    std::unordered_map<std::int64_t, const Branch*> used;
    for (const ReadyRow& r : ready) used.emplace(r.branch->id, r.branch);
    std::unordered_map<std::int64_t, const Branch*> by_id;
    for (const auto& [code, branch] : *now_branches) by_id.emplace(branch.id, &branch);
    for (const auto& [id, before] : used) {
      auto it = by_id.find(id);
      if (it == by_id.end() || it->second->path != before->path || it->second->status != "active") {
        return Fail(Error::Conflict("import.tree_changed",
                                    "导入期间组织“" + before->name + "”发生了变动，请重新导入"));
      }
    }
    // Ids chosen here so that spans and events can refer to them.
    std::vector<std::int64_t> ids;
    ids.reserve(ready.size());
    if (c.backend() == db::Backend::kPostgres) {
      auto taken = c.Query(
          "SELECT nextval(pg_get_serial_sequence('member', 'id')) FROM generate_series(1, $1)",
          {static_cast<std::int64_t>(ready.size())});
      if (!taken) return Fail(taken.error());
      for (std::size_t i = 0; i < taken->size(); ++i) ids.push_back(taken->Int(i, 0));
    } else {
      auto last = c.Query("SELECT COALESCE(MAX(id), 0) FROM member");
      if (!last) return Fail(last.error());
      std::int64_t next = last->Int(0, 0);
      for (std::size_t i = 0; i < ready.size(); ++i) ids.push_back(++next);
    }
    // A large import touches index pages all over the member and event indexes: with SQLite's
    // default 2 MB page cache they are written out and read back again and again. The writer
    // connection gets a larger cache for this transaction and its default back afterwards.
    bool big_cache = c.backend() == db::Backend::kSqlite && ready.size() > 10000;
    if (big_cache) {
      auto cache = c.Execute("PRAGMA cache_size = -262144");
      if (!cache) return Fail(cache.error());
    }
    std::vector<std::pair<std::string, std::string>> rebuilt;
    if (big_cache) {
      auto existing = c.Query("SELECT COUNT(*) FROM member");
      if (!existing) return Fail(existing.error());
      if (static_cast<std::size_t>(existing->Int(0, 0)) < ready.size()) {
        auto indexes = SecondaryIndexes(c, {"member", "member_event", "member_span"});
        if (!indexes) return Fail(indexes.error());
        for (const auto& [name, sql] : *indexes) {
          auto dropped = c.ExecuteScript("DROP INDEX " + name);
          if (!dropped) return Fail(dropped.error());
        }
        rebuilt = std::move(*indexes);
      }
    }
    auto mark = std::chrono::steady_clock::now();
    long cpu = CpuMs();
    auto step = [&mark, &cpu](const char* what) {
      auto at = std::chrono::steady_clock::now();
      spdlog::info("member import: stored {} in {} ms (cpu {} ms)", what,
                   std::chrono::duration_cast<std::chrono::milliseconds>(at - mark).count(),
                   CpuMs() - cpu);
      mark = at;
      cpu = CpuMs();
    };
    std::string now = NowShanghaiIso();
    MemberRows members(ready, ids, now);
    auto stored = c.BulkInsert("member", MemberRows::Columns(), members);
    if (!stored) return Fail(stored.error());
    step("members");
    if (progress.cancelled) return Fail(Cancelled());
    SpanRows spans(ready, ids);
    static const std::vector<std::string> kSpanColumns = {"member_id", "org_id", "status",
                                                          "valid_from"};
    auto spanned = c.BulkInsert("member_span", kSpanColumns, spans);
    if (!spanned) return Fail(spanned.error());
    step("spans");
    EventRows events(ready, ids, caller.account_id, now);
    static const std::vector<std::string> kEventColumns = {"member_id",  "kind",      "happened_on",
                                                           "org_id",     "org_path",  "reason",
                                                           "account_id", "created_at"};
    auto evented = c.BulkInsert("member_event", kEventColumns, events);
    if (!evented) return Fail(evented.error());
    step("events");
    for (const auto& [name, sql] : rebuilt) {
      auto created = c.ExecuteScript(sql);
      if (!created) return Fail(created.error());
    }
    step("indexes");
    if (progress.cancelled) return Fail(Cancelled());
    // Statistics: the subtree counters take in the new members from the rows in memory (each
    // has the one open span written above). Counters not built yet (statistics answer from the
    // full scan meanwhile) are built now when the import is a large part of the registry.
    auto counters_ready = member::StatisticsReady(c);
    if (!counters_ready) return Fail(counters_ready.error());
    if (*counters_ready) {
      auto counted = member::CountNewMembers(c, CountedSpans(ready, ids));
      if (!counted) return Fail(counted.error());
    } else {
      auto registry = c.Query("SELECT COUNT(*) FROM member");
      if (!registry) return Fail(registry.error());
      if (static_cast<std::int64_t>(ready.size()) * 10 > registry->Int(0, 0)) {
        auto rebuilt_counters = member::RebuildStatistics(c);
        if (!rebuilt_counters) return Fail(rebuilt_counters.error());
      }
    }
    step("statistics");
    auto logged = audit::Append(c, {caller.actor,
                                    "member.import",
                                    "members",
                                    "success",
                                    {{"format", std::string(FormatName(format))},
                                     {"members", static_cast<std::int64_t>(ready.size())},
                                     {"organisations", static_cast<std::int64_t>(used.size())},
                                     {"events", *evented}}});
    if (!logged) return Fail(logged.error());
    if (big_cache) {
      auto cache = c.Execute("PRAGMA cache_size = -2000");
      if (!cache) return Fail(cache.error());
    }
    return *stored;
  });
}

std::string_view TitleOfField(int field) {
  return MemberColumns()[static_cast<std::size_t>(field)].title;
}

//! The column a PrepareMember error names.
int FieldOfInputField(std::string_view field) {
  static const std::pair<std::string_view, int> kMap[] = {
      {"name", kName},
      {"id_number", kIdNumber},
      {"phone", kPhone},
      {"ethnicity", kEthnicity},
      {"education", kEducation},
      {"category", kCategory},
      {"degree", kDegree},
      {"occupation", kOccupation},
      {"work_unit", kWorkUnit},
      {"household", kHousehold},
      {"address", kAddress},
      {"joined_on", kJoinedOn},
      {"confirmed_on", kConfirmedOn},
      {"work_started_on", kWorkStartedOn},
      {"date", kJoinedOn},
      {"org_id", kOrgCode},
  };
  for (const auto& [name, f] : kMap) {
    if (name == field) return f;
  }
  return -1;
}

//! A cell's value as the report shows it: personal numbers masked.
std::string Shown(int field, const std::string& value) {
  if (field == kIdNumber) {
    std::string v = Trim(value);
    return v.size() == 18 ? identity::MaskIdNumber(v) : std::string(v.size(), '*');
  }
  if (field == kPhone) {
    std::string v = Trim(value);
    if (v.size() == 11) return v.substr(0, 3) + "****" + v.substr(7);
    return std::string(v.size(), '*');
  }
  return value.size() > 200 ? value.substr(0, 200) : value;
}

//! Reports problems of one row's cells.
struct RowCheck {
  std::vector<RowError>& errors;
  std::int64_t row;
  const std::vector<std::string>& values;
  bool any = false;

  void Add(int field, std::string message) {
    errors.push_back({row, std::string(TitleOfField(field)),
                      Shown(field, values[static_cast<std::size_t>(field)]), std::move(message)});
    any = true;
  }
};

//! A row whose cells could be read, before PrepareMember and the checks against it.
struct Pending {
  std::int64_t row = 0;
  std::vector<std::string> values;
  member::MemberInput input;
  std::string sex;
  std::string birth;
  std::string status;
  const Branch* branch = nullptr;
};

//! Rows handed from the reading thread to the checking threads, a few thousand at a time.
struct Chunk {
  std::vector<Pending> pending;
  std::vector<ReadyRow> ready;
  std::vector<RowError> errors;
};
constexpr std::size_t kChunkRows = 4096;

//! PrepareMember, the checks against what it derives, and the personal numbers encrypted and
//! indexed: the costly part of a row, done on every core while the file is still being read.
void CheckChunk(Chunk& chunk, const crypto::FieldCipher& cipher, const std::string& today) {
  chunk.ready.reserve(chunk.pending.size());
  for (Pending& p : chunk.pending) {
    RowCheck check{chunk.errors, p.row, p.values};
    auto prepared = member::PrepareMember(p.input, today);
    if (!prepared) {
      int field = FieldOfInputField(prepared.error().field);
      if (field < 0) field = kName;
      check.Add(field, prepared.error().message);
      continue;
    }
    if (!p.sex.empty() && p.sex != prepared->sex) {
      check.Add(kSex, "性别与公民身份号码不符（号码所示为" +
                          std::string(prepared->sex == "male" ? "男" : "女") + "）");
    }
    if (!p.birth.empty() && p.birth != prepared->birth_date) {
      check.Add(kBirthDate,
                "出生日期与公民身份号码不符（号码所示为 " + prepared->birth_date + "）");
    }
    if (!p.status.empty() && p.status != prepared->status) {
      check.Add(kStatus, p.status == "full" ? "正式党员应填写转正日期" : "预备党员不应有转正日期");
    }
    if (check.any) continue;
    ReadyRow r{p.row, std::move(*prepared), p.branch, {}, {}, {}, {}};
    r.id_index = cipher.BlindIndex(r.member.id_number);
    r.id_cipher = cipher.Encrypt(r.member.id_number);
    if (!r.member.input.phone.empty()) {
      r.phone_index = cipher.BlindIndex(r.member.input.phone);
      r.phone_cipher = cipher.Encrypt(r.member.input.phone);
    }
    chunk.ready.push_back(std::move(r));
  }
  chunk.pending.clear();
  chunk.pending.shrink_to_fit();
}

//! Checking threads fed with chunks by the reading thread, which joins them when it is done.
class CheckPool {
 public:
  CheckPool(const crypto::FieldCipher& cipher, const std::string& today)
      : cipher_(cipher), today_(today) {
    unsigned cores = std::max(2u, std::thread::hardware_concurrency());
    for (unsigned i = 0; i + 1 < std::min(cores, 8u); ++i)
      workers_.emplace_back([this] { Work(); });
  }
  ~CheckPool() { Finish(); }

  void Add(std::unique_ptr<Chunk> chunk) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(chunk.get());
      chunks_.push_back(std::move(chunk));
    }
    wake_.notify_one();
  }

  //! Helps with what is left, waits for the workers; answers every chunk, in file order.
  std::vector<std::unique_ptr<Chunk>>& Finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    Work();
    for (auto& w : workers_) {
      if (w.joinable()) w.join();
    }
    return chunks_;
  }

 private:
  void Work() {
    while (true) {
      Chunk* chunk = nullptr;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return !queue_.empty() || done_; });
        if (queue_.empty()) return;
        chunk = queue_.front();
        queue_.pop_front();
      }
      CheckChunk(*chunk, cipher_, today_);
    }
  }

  const crypto::FieldCipher& cipher_;
  const std::string& today_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Chunk*> queue_;
  std::vector<std::unique_ptr<Chunk>> chunks_;
  std::vector<std::thread> workers_;
  bool done_ = false;
};

}  // namespace

Result<ImportOutcome> ImportMembers(db::Database& db, const crypto::FieldCipher& cipher,
                                    const ImportCaller& caller, FileFormat format,
                                    std::string_view bytes, const std::string& today,
                                    ImportProgress& progress) {
  ImportOutcome outcome;
  auto started = std::chrono::steady_clock::now();
  auto phase = [&started](const char* what, std::size_t rows) {
    auto now = std::chrono::steady_clock::now();
    spdlog::info("member import: {} ({} rows) in {} ms", what, rows,
                 std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count());
    started = now;
  };
  auto reader = RecordReader::Open(format, bytes, kMemberFieldCount,
                                   [](std::string_view h) { return FieldForHeader(h); });
  if (!reader) return Fail(reader.error());
  RecordReader& records = **reader;
  progress.total_rows = records.estimated_rows();
  progress.Changed();

  // Required columns must be in the header.
  if (records.tabular()) {
    for (std::size_t f = 0; f < MemberColumns().size(); ++f) {
      if (MemberColumns()[f].required && !records.HasColumn(f)) {
        outcome.errors.push_back(
            {records.header_row(), std::string(MemberColumns()[f].title), "",
             "缺少必填列“" + std::string(MemberColumns()[f].title) + "”（请使用导入模板的表头）"});
      }
    }
    if (!outcome.errors.empty()) return outcome;
  }

  auto branches =
      db.Read([&](db::Connection& c) -> Result<std::unordered_map<std::string, Branch>> {
        auto scope = caller.scope(c);
        if (!scope) return Fail(scope.error());
        return LoadBranches(c, *scope);
      });
  if (!branches) return Fail(branches.error());

  CheckPool pool(cipher, today);
  auto chunk = std::make_unique<Chunk>();
  Record record;
  std::int64_t rows_read = 0;
  const bool excel = format == FileFormat::kXlsx;
  while (true) {
    auto more = records.Next(record);
    if (!more) return Fail(more.error());
    if (!*more) break;
    if (progress.cancelled) return Fail(Cancelled());
    ++rows_read;
    if (rows_read % kProgressEvery == 0) {
      progress.processed_rows = rows_read;
      if (rows_read > progress.total_rows) progress.total_rows = rows_read;
      progress.Changed();
    }
    if (!record.unreadable.empty()) {
      outcome.errors.push_back({record.row, "", "", record.unreadable});
      continue;
    }
    Pending p;
    p.row = record.row;
    p.values = std::move(record.values);
    auto& v = p.values;
    RowCheck check{outcome.errors, record.row, v};
    for (auto& value : v) value = Trim(value);
    for (std::size_t f = 0; f < MemberColumns().size(); ++f) {
      if (MemberColumns()[f].required && v[f].empty()) {
        check.Add(static_cast<int>(f), std::string(MemberColumns()[f].title) + "不能为空");
      }
    }
    if (check.any) continue;
    member::MemberInput& in = p.input;
    in.name = v[kName];
    in.id_number = v[kIdNumber];
    in.phone = PlainDigits(v[kPhone]);
    in.ethnicity = v[kEthnicity];
    if (in.ethnicity.find("族") == std::string::npos && in.ethnicity.size() <= 9 &&
        in.ethnicity.size() >= 3) {
      in.ethnicity += "族";  // 汉 → 汉族
    }
    if (auto e = EducationId(v[kEducation])) {
      in.education = *e;
    } else {
      check.Add(kEducation, "未知的学历，应为：研究生、大学本科、大学专科、中专、高中、初中及以下");
    }
    in.degree = v[kDegree];
    in.occupation = v[kOccupation];
    in.work_unit = v[kWorkUnit];
    in.household = v[kHousehold];
    in.address = v[kAddress];
    for (auto [field, into] :
         {std::pair{kJoinedOn, &in.joined_on}, std::pair{kConfirmedOn, &in.confirmed_on},
          std::pair{kWorkStartedOn, &in.work_started_on}}) {
      if (v[field].empty()) continue;
      if (auto date = NormaliseDate(v[field], excel)) {
        *into = *date;
      } else {
        check.Add(field, std::string(TitleOfField(field)) + "应为日期，如 2010-07-01");
      }
    }
    if (!v[kBirthDate].empty()) {
      if (auto date = NormaliseDate(v[kBirthDate], excel)) {
        p.birth = *date;
      } else {
        check.Add(kBirthDate, "出生日期应为日期，如 1980-01-31");
      }
    }
    if (!v[kSex].empty()) {
      if (auto sex = SexId(v[kSex])) {
        p.sex = *sex;
      } else {
        check.Add(kSex, "性别应为“男”或“女”");
      }
    }
    if (!v[kStatus].empty()) {
      if (auto status = StatusId(v[kStatus])) {
        p.status = *status;
      } else {
        check.Add(kStatus, "党员状态应为“正式党员”或“预备党员”");
      }
    }
    if (auto c = CategoryId(v[kCategory])) {
      in.category = *c;
    } else {
      check.Add(kCategory, "未知的人员类别，应为：机关、社区、农村、离退休、下岗失业、非公、流动");
    }
    if (auto h = FlagValue(v[kHardship])) {
      in.hardship = *h;
    } else {
      check.Add(kHardship, "困难党员应填“是”或“否”");
    }
    if (auto it = branches->find(v[kOrgCode]); it != branches->end()) {
      p.branch = &it->second;
      if (p.branch->status != "active" || !org::IsBranchKind(p.branch->kind)) {
        check.Add(kOrgCode, "“" + p.branch->name +
                                "”不是正常状态的党支部：党员只能编入党支部（含联合、临时党支部）");
      } else if (!v[kOrgName].empty() && v[kOrgName] != p.branch->name) {
        check.Add(kOrgName,
                  "与所在党组织代码不符：代码 " + v[kOrgCode] + " 是“" + p.branch->name + "”");
      }
      in.org_id = p.branch->id;
    } else {
      check.Add(kOrgCode, "未知的党组织代码（不存在或不在您的管理范围内）");
    }
    if (check.any) continue;
    chunk->pending.push_back(std::move(p));
    if (chunk->pending.size() == kChunkRows) {
      pool.Add(std::move(chunk));
      chunk = std::make_unique<Chunk>();
    }
  }
  pool.Add(std::move(chunk));
  auto& chunks = pool.Finish();
  if (progress.cancelled) return Fail(Cancelled());

  // Every checked row in file order; a number seen before is a duplicate inside the file.
  std::vector<ReadyRow> ready;
  {
    std::size_t count = 0;
    for (const auto& c : chunks) count += c->ready.size();
    ready.reserve(count);
  }
  std::unordered_map<std::string_view, std::int64_t> first_row_of_id;
  for (auto& c : chunks) {
    for (RowError& e : c->errors) outcome.errors.push_back(std::move(e));
    for (ReadyRow& r : c->ready) ready.push_back(std::move(r));
    c->ready.clear();
  }
  first_row_of_id.reserve(ready.size());
  for (const ReadyRow& r : ready) {
    auto [first, fresh] = first_row_of_id.emplace(r.member.id_number, r.row);
    if (!fresh) {
      outcome.errors.push_back({r.row, std::string(TitleOfField(kIdNumber)),
                                identity::MaskIdNumber(r.member.id_number),
                                "与第 " + std::to_string(first->second) + " 行的公民身份号码重复"});
    }
  }
  outcome.total_rows = rows_read;
  progress.total_rows = rows_read;
  progress.processed_rows = rows_read;
  progress.Changed();
  phase("read, checked and encrypted", ready.size());

  // Duplicates against the registry (the whole registry: an ID number is unique everywhere, and
  // saying so reveals no more than the refusal of a single POST would).
  auto taken = db.Read([&](db::Connection& c) -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> rows;
    for (std::size_t start = 0; start < ready.size(); start += kLookupBatch) {
      std::size_t end = std::min(ready.size(), start + kLookupBatch);
      std::vector<db::Value> params;
      std::string sql = "SELECT id_number_index FROM member WHERE id_number_index IN (";
      std::unordered_map<std::string, std::int64_t> row_of;
      for (std::size_t i = start; i < end; ++i) {
        params.emplace_back(ready[i].id_index);
        row_of.emplace(ready[i].id_index, ready[i].row);
        sql += (i == start ? "$" : ", $") + std::to_string(params.size());
      }
      sql += ")";
      auto found = c.Query(sql, std::span<const db::Value>(params));
      if (!found) return Fail(found.error());
      for (std::size_t r = 0; r < found->size(); ++r) rows.push_back(row_of.at(found->Text(r, 0)));
    }
    return rows;
  });
  if (!taken) return Fail(taken.error());
  phase("checked against the registry", ready.size());
  std::unordered_map<std::int64_t, const ReadyRow*> by_row;
  if (!taken->empty()) {
    for (const ReadyRow& r : ready) by_row.emplace(r.row, &r);
  }
  for (std::int64_t row : *taken) {
    outcome.errors.push_back({row, std::string(TitleOfField(kIdNumber)),
                              identity::MaskIdNumber(by_row.at(row)->member.id_number),
                              "该公民身份号码已在党员信息库中（不能重复导入）"});
  }
  if (!outcome.errors.empty()) {
    std::stable_sort(outcome.errors.begin(), outcome.errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    return outcome;
  }
  auto imported = Store(db, caller, format, ready, progress);
  if (!imported) return Fail(imported.error());
  phase("stored", ready.size());
  outcome.imported = *imported;
  return outcome;
}

}  // namespace zhibu::exchange

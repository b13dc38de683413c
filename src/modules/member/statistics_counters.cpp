#include "modules/member/statistics_counters.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <ctime>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>

#include "modules/org/subtree_scope.h"
#include "modules/org/vocabulary.h"

namespace zhibu::member {
namespace {

//! CPU time of the calling thread in ms: the phase logs show it beside the wall time, which on a
//! busy machine says more about the work than the wall time does.
inline long CpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

constexpr std::string_view kSpanColumns =
    "valid_from, member_id, seq, valid_to, org_id, status, attributes, birth_date, confirmed_on";
constexpr std::string_view kOrgColumns =
    "org_id, path, placed, kind, domain, enterprises, with_own, full_members, first_committee";
//! The registry's own spans with the member's attributes (member_span ⋈ member).
constexpr std::string_view kSourceSpans =
    "SELECT s.valid_from, s.member_id, s.valid_to, s.org_id, s.status, m.sex, m.ethnicity, "
    "m.birth_date, m.education, m.occupation, m.confirmed_on FROM member_span s JOIN member m ON "
    "m.id = s.member_id";
constexpr std::string_view kUpsertCounter =
    "INSERT INTO statistics_counter (org_id, measure, bucket, tally) VALUES ($1, $2, $3, $4) ON "
    "CONFLICT (org_id, measure, bucket) DO UPDATE SET tally = statistics_counter.tally + "
    "excluded.tally";
constexpr std::string_view kDropEmptyCounter =
    "DELETE FROM statistics_counter WHERE org_id = $1 AND measure = $2 AND bucket = $3 AND tally "
    "= 0";
constexpr std::string_view kInsertOrg =
    "INSERT INTO statistics_org (org_id, path, placed, kind, domain, enterprises, with_own, "
    "full_members, first_committee) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT "
    "(org_id) DO UPDATE SET path = excluded.path, placed = excluded.placed, kind = excluded.kind, "
    "domain = excluded.domain, enterprises = excluded.enterprises, with_own = excluded.with_own, "
    "full_members = excluded.full_members, first_committee = excluded.first_committee";
constexpr std::int64_t kRebuildChunk = 20000;

db::Value Optional(const std::optional<std::string>& text) {
  return text ? db::Value(*text) : db::Value(nullptr);
}

CountedSpan SpanFromRow(const db::ResultSet& r, std::size_t i) {
  auto [sex, ethnicity, education, occupation] = AttributesOf(r.Text(i, 6));
  return {r.Text(i, 0), r.Int(i, 1),  r.Int(i, 2), r.OptionalText(i, 3),
          r.Int(i, 4),  r.Text(i, 5), sex,         ethnicity,
          r.Text(i, 7), education,    occupation,  r.OptionalText(i, 8)};
}

std::vector<db::Value> SpanValues(const CountedSpan& s) {
  return {s.valid_from, s.member_id,          s.seq,        Optional(s.valid_to),    s.org_id,
          s.status,     CountedAttributes(s), s.birth_date, Optional(s.confirmed_on)};
}

CountedOrg OrgFromRow(const db::ResultSet& r, std::size_t i) {
  return {r.Int(i, 0), r.Text(i, 1), r.Int(i, 2) != 0, r.Text(i, 3),        r.Text(i, 4),
          r.Int(i, 5), r.Int(i, 6),  r.Int(i, 7),      r.OptionalText(i, 8)};
}

std::vector<db::Value> OrgValues(const CountedOrg& o) {
  return {o.org_id,   o.path,         static_cast<std::int64_t>(o.placed ? 1 : 0),
          o.kind,     o.domain,       o.enterprises,
          o.with_own, o.full_members, Optional(o.first_committee)};
}

//! The spans of one member as rows of (valid_from, member_id, valid_to, org_id, status, member
//! attributes…) become statistics_span rows: spans that cover no day (valid_to <= valid_from) are
//! left out, the rest ordered and numbered the same way on both backends.
std::vector<CountedSpan> NumberSpans(const db::ResultSet& r, std::size_t begin, std::size_t end) {
  std::vector<CountedSpan> out;
  for (std::size_t i = begin; i < end; ++i) {
    auto valid_to = r.OptionalText(i, 2);
    std::string valid_from = r.Text(i, 0);
    if (valid_to && *valid_to <= valid_from) continue;
    out.push_back({std::move(valid_from), r.Int(i, 1), 0, std::move(valid_to), r.Int(i, 3),
                   r.Text(i, 4), r.Text(i, 5), r.Text(i, 6), r.Text(i, 7), r.Text(i, 8),
                   r.Text(i, 9), r.OptionalText(i, 10)});
  }
  auto key = [](const CountedSpan& s) {
    return std::tuple(s.valid_from, s.valid_to.has_value(), s.valid_to.value_or(""), s.org_id,
                      s.status);
  };
  std::sort(out.begin(), out.end(),
            [&](const CountedSpan& a, const CountedSpan& b) { return key(a) < key(b); });
  for (std::size_t i = 0; i < out.size(); ++i) out[i].seq = static_cast<std::int64_t>(i);
  return out;
}

//! The ids on a materialised path, root first.
std::vector<std::int64_t> PathIds(std::string_view path) {
  std::vector<std::int64_t> ids;
  std::int64_t id = 0;
  bool digits = false;
  for (char ch : path) {
    if (ch >= '0' && ch <= '9') {
      id = id * 10 + (ch - '0');
      digits = true;
    } else if (ch == '/' && digits) {
      ids.push_back(id);
      id = 0;
      digits = false;
    }
  }
  return ids;
}

//! Which organisations hold counters, looked up once per id.
class Holders {
 public:
  //! The holders on `path` (ancestors and the organisation itself).
  Result<std::vector<std::int64_t>> On(db::Connection& c, std::string_view path) {
    std::vector<std::int64_t> out;
    for (std::int64_t id : PathIds(path)) {
      auto known = holds_.find(id);
      if (known == holds_.end()) {
        auto rows = c.Query("SELECT kind FROM organisation WHERE id = $1", {id});
        if (!rows) return Fail(rows.error());
        bool holds = !rows->empty() && HoldsCounters(rows->Text(0, 0));
        known = holds_.emplace(id, holds).first;
      }
      if (known->second) out.push_back(id);
    }
    return out;
  }

 private:
  std::map<std::int64_t, bool> holds_;
};

//! Changes to the counters, summed before they are written.
class Deltas {
 public:
  void Add(const std::vector<std::int64_t>& holders, const std::vector<Fact>& facts, int sign) {
    for (std::int64_t h : holders) {
      for (const Fact& f : facts) {
        deltas_[{h, std::string(f.measure), f.bucket}] += sign * f.tally;
      }
    }
  }
  void Add(std::int64_t holder, std::string measure, std::string bucket, std::int64_t tally) {
    deltas_[{holder, std::move(measure), std::move(bucket)}] += tally;
  }
  Result<void> Apply(db::Connection& c) const {
    for (const auto& [key, delta] : deltas_) {
      if (delta == 0) continue;
      const auto& [holder, measure_name, bucket] = key;
      auto done = c.Execute(kUpsertCounter, {holder, measure_name, bucket, delta});
      if (!done) return Fail(done.error());
      if (delta < 0) {
        auto dropped = c.Execute(kDropEmptyCounter, {holder, measure_name, bucket});
        if (!dropped) return Fail(dropped.error());
      }
    }
    return {};
  }

 private:
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> deltas_;
};

Result<std::optional<CountedOrg>> LoadCountedOrg(db::Connection& c, std::int64_t id) {
  auto rows = c.Query(
      "SELECT " + std::string(kOrgColumns) + " FROM statistics_org WHERE org_id = $1", {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<CountedOrg>();
  return std::optional<CountedOrg>(OrgFromRow(*rows, 0));
}

//! Units of a 非公 branch-kind organisation (coverage of spec 03), and 1 for a 党支部 of its own.
std::pair<std::int64_t, std::int64_t> Enterprises(const std::string& kind,
                                                  const std::string& domain,
                                                  const std::string& units) {
  if (domain != "private" || !org::IsBranchKind(kind)) return {0, 0};
  auto size = static_cast<std::int64_t>(boost::json::parse(units).as_array().size());
  return {size, kind == "branch" && size == 1 ? 1 : 0};
}

//! The organisation as the tree and the registry now have it (nothing when it does not exist).
Result<std::optional<CountedOrg>> CurrentOrg(db::Connection& c, std::int64_t id) {
  auto rows =
      c.Query("SELECT kind, domain, units, path, status FROM organisation WHERE id = $1", {id});
  if (!rows) return Fail(rows.error());
  if (rows->empty()) return std::optional<CountedOrg>();
  CountedOrg o;
  o.org_id = id;
  o.kind = rows->Text(0, 0);
  o.domain = rows->Text(0, 1);
  std::tie(o.enterprises, o.with_own) = Enterprises(o.kind, o.domain, rows->Text(0, 2));
  o.path = rows->Text(0, 3);
  o.placed = rows->Text(0, 4) == "active";
  auto full = c.Query(
      "SELECT COUNT(*) FROM statistics_span WHERE org_id = $1 AND valid_to IS NULL AND status = "
      "'full'",
      {id});
  if (!full) return Fail(full.error());
  o.full_members = full->Int(0, 0);
  auto first = c.Query("SELECT MIN(elected_on) FROM committee WHERE org_id = $1", {id});
  if (!first) return Fail(first.error());
  o.first_committee = first->OptionalText(0, 0);
  return std::optional<CountedOrg>(std::move(o));
}

Result<std::vector<CountedSpan>> OpenSpansAt(db::Connection& c, std::int64_t org_id) {
  auto rows = c.Query("SELECT " + std::string(kSpanColumns) +
                          " FROM statistics_span WHERE org_id = $1 AND valid_to IS NULL",
                      {org_id});
  if (!rows) return Fail(rows.error());
  std::vector<CountedSpan> out;
  for (std::size_t i = 0; i < rows->size(); ++i) out.push_back(SpanFromRow(*rows, i));
  return out;
}

}  // namespace

std::string CountedAttributes(const CountedSpan& s) {
  return boost::json::serialize(boost::json::array{s.sex, s.ethnicity, s.education, s.occupation});
}

std::array<std::string, 4> AttributesOf(std::string_view attributes) {
  auto values = boost::json::parse(attributes).as_array();
  std::array<std::string, 4> out;
  for (std::size_t i = 0; i < out.size() && i < values.size(); ++i) {
    out[i] = std::string(values[i].as_string());
  }
  return out;
}

bool HoldsCounters(std::string_view kind) {
  return !(org::IsBranchKind(kind) || kind == "general_branch" || kind == "group");
}

std::vector<Fact> SpanFacts(const CountedSpan& s) {
  std::vector<Fact> facts{{measure::kStatus, s.status},
                          {measure::kSex, s.sex},
                          {measure::kEthnicity, s.ethnicity},
                          {measure::kEducation, s.education},
                          {measure::kOccupation, s.occupation.empty() ? "未填写" : s.occupation},
                          {measure::kBirthYear, s.birth_date.substr(0, 4)},
                          {measure::kBirth, s.birth_date}};
  if (s.confirmed_on) {
    facts.push_back({measure::kConfirmedYear, s.confirmed_on->substr(0, 4)});
    facts.push_back({measure::kConfirmed, *s.confirmed_on});
  } else {
    facts.push_back({measure::kConfirmedYear, ""});
  }
  return facts;
}

std::vector<Fact> OrgFacts(const CountedOrg& o) {
  if (!o.placed) return {};
  std::vector<Fact> facts{{measure::kKind, o.kind}, {measure::kDomain, o.domain}};
  if (o.enterprises > 0) facts.push_back({measure::kEnterprises, "", o.enterprises});
  if (o.with_own > 0) facts.push_back({measure::kWithOwn, "", o.with_own});
  // 支部工作条例 第六章: a branch with 7 or more full members sets up a committee.
  if (org::IsBranchKind(o.kind) && o.full_members >= 7) {
    facts.push_back({measure::kCommittee, o.first_committee.value_or("")});
  }
  return facts;
}

Result<bool> StatisticsReady(db::Connection& c) {
  auto rows = c.Query("SELECT ready FROM statistics_state WHERE id = 1");
  if (!rows) return Fail(rows.error());
  return !rows->empty() && rows->Int(0, 0) == 1;
}

Result<void> MarkStatisticsStale(db::Connection& c) {
  auto done = c.Execute("UPDATE statistics_state SET ready = 0 WHERE id = 1");
  if (!done) return Fail(done.error());
  return {};
}

Result<void> RecountOrganisations(db::Connection& c, std::span<const std::int64_t> org_ids) {
  auto ready = StatisticsReady(c);
  if (!ready) return Fail(ready.error());
  if (!*ready) return {};
  Holders holders;
  Deltas deltas;
  for (std::int64_t id : std::set<std::int64_t>(org_ids.begin(), org_ids.end())) {
    auto before = LoadCountedOrg(c, id);
    if (!before) return Fail(before.error());
    auto after = CurrentOrg(c, id);
    if (!after) return Fail(after.error());
    if (*before == *after) continue;
    if (*before) {
      auto on = holders.On(c, (*before)->path);
      if (!on) return Fail(on.error());
      deltas.Add(*on, OrgFacts(**before), -1);
    }
    if (*after) {
      auto on = holders.On(c, (*after)->path);
      if (!on) return Fail(on.error());
      deltas.Add(*on, OrgFacts(**after), +1);
    }
    // Members are counted where their organisation is placed: when that changes (normally only
    // for an organisation without members), their counts follow.
    bool was_placed = *before && (*before)->placed;
    bool is_placed = *after && (*after)->placed;
    std::string old_path = *before ? (*before)->path : "";
    std::string new_path = *after ? (*after)->path : "";
    if (was_placed != is_placed || (is_placed && old_path != new_path)) {
      auto spans = OpenSpansAt(c, id);
      if (!spans) return Fail(spans.error());
      for (const CountedSpan& s : *spans) {
        if (was_placed) {
          auto on = holders.On(c, old_path);
          if (!on) return Fail(on.error());
          deltas.Add(*on, SpanFacts(s), -1);
        }
        if (is_placed) {
          auto on = holders.On(c, new_path);
          if (!on) return Fail(on.error());
          deltas.Add(*on, SpanFacts(s), +1);
        }
      }
    }
    if (*after) {
      auto stored = c.Execute(kInsertOrg, OrgValues(**after));
      if (!stored) return Fail(stored.error());
    } else {
      auto removed = c.Execute("DELETE FROM statistics_org WHERE org_id = $1", {id});
      if (!removed) return Fail(removed.error());
    }
  }
  return deltas.Apply(c);
}

Result<void> RecountMembers(db::Connection& c, std::span<const std::int64_t> member_ids) {
  auto ready = StatisticsReady(c);
  if (!ready) return Fail(ready.error());
  if (!*ready) return {};
  Holders holders;
  Deltas deltas;
  std::set<std::int64_t> touched_orgs;
  // Where an organisation's members are counted: its stored path when placed.
  auto counted_at = [&](std::int64_t org_id) -> Result<std::optional<std::vector<std::int64_t>>> {
    auto org = LoadCountedOrg(c, org_id);
    if (!org) return Fail(org.error());
    if (!*org) {
      std::array<std::int64_t, 1> one{org_id};
      auto recounted = RecountOrganisations(c, one);
      if (!recounted) return Fail(recounted.error());
      org = LoadCountedOrg(c, org_id);
      if (!org) return Fail(org.error());
    }
    if (!*org || !(*org)->placed) return std::optional<std::vector<std::int64_t>>();
    auto on = holders.On(c, (*org)->path);
    if (!on) return Fail(on.error());
    return std::optional<std::vector<std::int64_t>>(*on);
  };
  for (std::int64_t id : std::set<std::int64_t>(member_ids.begin(), member_ids.end())) {
    auto stored = c.Query("SELECT " + std::string(kSpanColumns) +
                              " FROM statistics_span WHERE member_id = $1 ORDER BY seq",
                          {id});
    if (!stored) return Fail(stored.error());
    std::vector<CountedSpan> before;
    for (std::size_t i = 0; i < stored->size(); ++i) before.push_back(SpanFromRow(*stored, i));
    auto source = c.Query(std::string(kSourceSpans) + " WHERE s.member_id = $1", {id});
    if (!source) return Fail(source.error());
    std::vector<CountedSpan> after = NumberSpans(*source, 0, source->size());
    if (before == after) continue;
    for (auto [spans, sign] : {std::pair{&before, -1}, std::pair{&after, +1}}) {
      for (const CountedSpan& s : *spans) {
        if (s.valid_to) continue;
        touched_orgs.insert(s.org_id);
        auto on = counted_at(s.org_id);
        if (!on) return Fail(on.error());
        if (*on) deltas.Add(**on, SpanFacts(s), sign);
      }
    }
    auto removed = c.Execute("DELETE FROM statistics_span WHERE member_id = $1", {id});
    if (!removed) return Fail(removed.error());
    for (const CountedSpan& s : after) {
      auto values = SpanValues(s);
      auto inserted = c.Execute("INSERT INTO statistics_span (" + std::string(kSpanColumns) +
                                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                                std::span<const db::Value>(values));
      if (!inserted) return Fail(inserted.error());
    }
  }
  auto applied = deltas.Apply(c);
  if (!applied) return Fail(applied.error());
  // Full members per branch (the committee measure) follow the spans just written.
  std::vector<std::int64_t> orgs(touched_orgs.begin(), touched_orgs.end());
  return RecountOrganisations(c, orgs);
}

Result<void> MoveSubtreeCounters(db::Connection& c, const std::string& old_prefix,
                                 const std::string& new_prefix) {
  auto ready = StatisticsReady(c);
  if (!ready) return Fail(ready.error());
  if (!*ready) return {};
  auto moved = c.Execute(
      "UPDATE statistics_org SET path = CAST($1 AS TEXT) || substr(path, CAST($2 AS INTEGER)) "
      "WHERE "
      "path >= $3 AND path < $4",
      {new_prefix, static_cast<std::int64_t>(old_prefix.size() + 1), old_prefix,
       org::SubtreeEnd(old_prefix)});
  if (!moved) return Fail(moved.error());
  auto ids = PathIds(new_prefix);
  if (ids.empty()) return {};
  const std::int64_t root = ids.back();
  Holders holders;
  // What the subtree contributes: the root's own counters when it holds them, else (a small
  // branch-level subtree) the sum of its organisations and members.
  std::map<std::tuple<std::string, std::string>, std::int64_t> sums;
  auto root_holds = holders.On(c, "/" + std::to_string(root) + "/");
  if (!root_holds) return Fail(root_holds.error());
  if (!root_holds->empty()) {
    auto rows =
        c.Query("SELECT measure, bucket, tally FROM statistics_counter WHERE org_id = $1", {root});
    if (!rows) return Fail(rows.error());
    for (std::size_t i = 0; i < rows->size(); ++i) {
      sums[{rows->Text(i, 0), rows->Text(i, 1)}] += rows->Int(i, 2);
    }
  } else {
    auto orgs = c.Query("SELECT " + std::string(kOrgColumns) +
                            " FROM statistics_org WHERE path >= $1 AND path < $2",
                        {new_prefix, org::SubtreeEnd(new_prefix)});
    if (!orgs) return Fail(orgs.error());
    for (std::size_t i = 0; i < orgs->size(); ++i) {
      CountedOrg o = OrgFromRow(*orgs, i);
      std::vector<Fact> facts = OrgFacts(o);
      if (o.placed) {
        auto spans = OpenSpansAt(c, o.org_id);
        if (!spans) return Fail(spans.error());
        for (const CountedSpan& s : *spans) {
          auto more = SpanFacts(s);
          facts.insert(facts.end(), more.begin(), more.end());
        }
      }
      for (const Fact& f : facts) sums[{std::string(f.measure), f.bucket}] += f.tally;
    }
  }
  auto above_old = holders.On(c, old_prefix);
  if (!above_old) return Fail(above_old.error());
  auto above_new = holders.On(c, new_prefix);
  if (!above_new) return Fail(above_new.error());
  std::set<std::int64_t> leave(above_old->begin(), above_old->end());
  std::set<std::int64_t> join(above_new->begin(), above_new->end());
  Deltas deltas;
  for (std::int64_t h : leave) {
    if (h == root || join.contains(h)) continue;
    for (const auto& [key, tally] : sums) deltas.Add(h, std::get<0>(key), std::get<1>(key), -tally);
  }
  for (std::int64_t h : join) {
    if (h == root || leave.contains(h)) continue;
    for (const auto& [key, tally] : sums) deltas.Add(h, std::get<0>(key), std::get<1>(key), tally);
  }
  return deltas.Apply(c);
}

namespace {

//! Feeds rows already built to BulkInsert, one at a time.
class Rows final : public db::RowSource {
 public:
  explicit Rows(std::vector<std::vector<db::Value>>&& rows) : rows_(std::move(rows)) {}
  bool Next(std::vector<db::Value>& row) override {
    if (next_ >= rows_.size()) return false;
    row = std::move(rows_[next_++]);
    return true;
  }

 private:
  std::vector<std::vector<db::Value>> rows_;
  std::size_t next_ = 0;
};

std::vector<std::string> Split(std::string_view columns) {
  std::vector<std::string> out;
  std::string current;
  for (char ch : columns) {
    if (ch == ',') {
      out.push_back(current);
      current.clear();
    } else if (ch != ' ') {
      current += ch;
    }
  }
  out.push_back(current);
  return out;
}

//! Every measure, so that a rebuild can key its counters by one byte instead of the name.
constexpr std::array kMeasures = {
    measure::kStatus,     measure::kSex,       measure::kEthnicity, measure::kEducation,
    measure::kOccupation, measure::kBirthYear, measure::kBirth,     measure::kConfirmedYear,
    measure::kConfirmed,  measure::kKind,      measure::kDomain,    measure::kEnterprises,
    measure::kWithOwn,    measure::kCommittee};

//! A counter's key while rebuilding: the measure's index, then the bucket (short enough to stay
//! inside std::string's own buffer for every date bucket).
std::string CounterKey(std::string_view measure_name, const std::string& bucket) {
  auto at = std::find(kMeasures.begin(), kMeasures.end(), measure_name);
  std::string key(1, static_cast<char>('a' + (at - kMeasures.begin())));
  key += bucket;
  return key;
}

//! The rebuilt counters as statistics_counter rows, made one at a time.
class CounterRows final : public db::RowSource {
 public:
  using Counters = std::unordered_map<std::int64_t, std::unordered_map<std::string, std::int64_t>>;
  explicit CounterRows(const Counters& counters) : counters_(counters), holder_(counters.begin()) {
    if (holder_ != counters_.end()) entry_ = holder_->second.begin();
  }
  bool Next(std::vector<db::Value>& row) override {
    while (holder_ != counters_.end()) {
      if (entry_ == holder_->second.end()) {
        if (++holder_ != counters_.end()) entry_ = holder_->second.begin();
        continue;
      }
      const auto& [key, tally] = *entry_++;
      if (tally == 0) continue;
      std::string_view measure_name = kMeasures[static_cast<std::size_t>(key[0] - 'a')];
      row = {holder_->first, std::string(measure_name), key.substr(1), tally};
      return true;
    }
    return false;
  }

 private:
  const Counters& counters_;
  Counters::const_iterator holder_;
  std::unordered_map<std::string, std::int64_t>::const_iterator entry_;
};

//! RebuildStatistics without its cache setting.
Result<RebuildReport> RebuildAll(db::Connection& c);

}  // namespace

Result<RebuildReport> RebuildStatistics(db::Connection& c) {
  // statistics_span and statistics_counter are clustered by their keys, which the rows below do
  // not arrive in: on SQLite a larger page cache for this transaction keeps the inserts in memory.
  const bool sqlite = c.backend() == db::Backend::kSqlite;
  if (sqlite) {
    auto cache = c.ExecuteScript("PRAGMA cache_size = -262144");
    if (!cache) return Fail(cache.error());
  }
  auto rebuilt = RebuildAll(c);
  if (sqlite) {
    auto cache = c.ExecuteScript("PRAGMA cache_size = -2000");
    if (!cache) return Fail(cache.error());
  }
  return rebuilt;
}

namespace {

Result<RebuildReport> RebuildAll(db::Connection& c) {
  for (std::string_view table : {"statistics_counter", "statistics_span", "statistics_org"}) {
    auto cleared = c.Execute("DELETE FROM " + std::string(table));
    if (!cleared) return Fail(cleared.error());
  }
  RebuildReport report;
  // The organisations, and which counter holders lie on each one's path.
  auto org_rows = c.Query("SELECT id, kind, domain, units, path, status FROM organisation");
  if (!org_rows) return Fail(org_rows.error());
  std::unordered_map<std::int64_t, CountedOrg> orgs;
  for (std::size_t i = 0; i < org_rows->size(); ++i) {
    CountedOrg o;
    o.org_id = org_rows->Int(i, 0);
    o.kind = org_rows->Text(i, 1);
    o.domain = org_rows->Text(i, 2);
    std::tie(o.enterprises, o.with_own) = Enterprises(o.kind, o.domain, org_rows->Text(i, 3));
    o.path = org_rows->Text(i, 4);
    o.placed = org_rows->Text(i, 5) == "active";
    orgs.emplace(o.org_id, std::move(o));
  }
  auto committees = c.Query("SELECT org_id, MIN(elected_on) FROM committee GROUP BY org_id");
  if (!committees) return Fail(committees.error());
  for (std::size_t i = 0; i < committees->size(); ++i) {
    auto it = orgs.find(committees->Int(i, 0));
    if (it != orgs.end()) it->second.first_committee = committees->Text(i, 1);
  }
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> holders_of;
  for (const auto& [id, o] : orgs) {
    std::vector<std::int64_t> on;
    for (std::int64_t a : PathIds(o.path)) {
      auto it = orgs.find(a);
      if (it != orgs.end() && HoldsCounters(it->second.kind)) on.push_back(a);
    }
    holders_of.emplace(id, std::move(on));
  }
  CounterRows::Counters counters;
  auto count = [&](std::int64_t org_id, const std::vector<Fact>& facts) {
    auto on = holders_of.find(org_id);
    if (on == holders_of.end()) return;
    for (std::int64_t h : on->second) {
      auto& mine = counters[h];
      for (const Fact& f : facts) mine[CounterKey(f.measure, f.bucket)] += f.tally;
    }
  };

  // Every member's spans, a chunk of member ids at a time.
  const std::vector<std::string> span_columns = Split(kSpanColumns);
  auto bounds = c.Query("SELECT MIN(id), MAX(id) FROM member");
  if (!bounds) return Fail(bounds.error());
  if (!bounds->IsNull(0, 0)) {
    const std::int64_t last = bounds->Int(0, 1);
    for (std::int64_t from = bounds->Int(0, 0); from <= last; from += kRebuildChunk) {
      auto rows = c.Query(std::string(kSourceSpans) +
                              " WHERE s.member_id >= $1 AND s.member_id < $2 ORDER BY s.member_id",
                          {from, from + kRebuildChunk});
      if (!rows) return Fail(rows.error());
      std::vector<std::vector<db::Value>> values;
      values.reserve(rows->size());
      for (std::size_t begin = 0; begin < rows->size();) {
        std::size_t end = begin;
        while (end < rows->size() && rows->Int(end, 1) == rows->Int(begin, 1)) ++end;
        for (const CountedSpan& s : NumberSpans(*rows, begin, end)) {
          values.push_back(SpanValues(s));
          if (s.valid_to) continue;
          auto org = orgs.find(s.org_id);
          if (org == orgs.end() || !org->second.placed) continue;
          if (s.status == "full") ++org->second.full_members;
          count(s.org_id, SpanFacts(s));
        }
        begin = end;
      }
      Rows source(std::move(values));
      auto written = c.BulkInsert("statistics_span", span_columns, source);
      if (!written) return Fail(written.error());
      report.spans += *written;
    }
  }

  std::vector<std::vector<db::Value>> org_values;
  org_values.reserve(orgs.size());
  for (const auto& [id, o] : orgs) {
    count(id, OrgFacts(o));
    org_values.push_back(OrgValues(o));
  }
  Rows org_source(std::move(org_values));
  auto orgs_written = c.BulkInsert("statistics_org", Split(kOrgColumns), org_source);
  if (!orgs_written) return Fail(orgs_written.error());
  report.organisations = *orgs_written;

  CounterRows counter_source(counters);
  const std::vector<std::string> counter_columns{"org_id", "measure", "bucket", "tally"};
  auto counted = c.BulkInsert("statistics_counter", counter_columns, counter_source);
  if (!counted) return Fail(counted.error());
  report.counters = *counted;
  auto marked = c.Execute("UPDATE statistics_state SET ready = 1 WHERE id = 1");
  if (!marked) return Fail(marked.error());
  return report;
}

//! statistics_span rows made one at a time from spans in memory, in the order given.
class CountedSpanRows final : public db::RowSource {
 public:
  CountedSpanRows(std::span<const CountedSpan> spans, const std::vector<std::size_t>& order)
      : spans_(spans), order_(order) {}
  bool Next(std::vector<db::Value>& row) override {
    if (next_ >= order_.size()) return false;
    row = SpanValues(spans_[order_[next_++]]);
    return true;
  }

 private:
  std::span<const CountedSpan> spans_;
  const std::vector<std::size_t>& order_;
  std::size_t next_ = 0;
};

}  // namespace

Result<void> CountNewMembers(db::Connection& c, std::span<const CountedSpan> spans) {
  auto ready = StatisticsReady(c);
  if (!ready) return Fail(ready.error());
  if (!*ready || spans.empty()) return {};
  auto mark = std::chrono::steady_clock::now();
  long cpu = CpuMs();
  auto step = [&mark, &cpu](const char* what) {
    auto at = std::chrono::steady_clock::now();
    spdlog::debug("statistics: counted new members' {} in {} ms (cpu {} ms)", what,
                  std::chrono::duration_cast<std::chrono::milliseconds>(at - mark).count(),
                  CpuMs() - cpu);
    mark = at;
    cpu = CpuMs();
  };
  // statistics_span in the order of its key, so that the clustered table is appended to rather
  // than split all over.
  std::vector<std::size_t> in_key_order(spans.size());
  std::iota(in_key_order.begin(), in_key_order.end(), std::size_t{0});
  std::sort(in_key_order.begin(), in_key_order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(spans[a].valid_from, spans[a].member_id, spans[a].seq) <
           std::tie(spans[b].valid_from, spans[b].member_id, spans[b].seq);
  });
  CountedSpanRows rows(spans, in_key_order);
  auto written = c.BulkInsert("statistics_span", Split(kSpanColumns), rows);
  if (!written) return Fail(written.error());
  step("spans");

  // Where each organisation's members are counted: the holders on its stored path when placed
  // (an organisation not yet in statistics_org is counted in first, as RecountMembers does).
  Holders holders;
  std::unordered_map<std::int64_t, std::optional<std::vector<std::int64_t>>> counted_at;
  for (const CountedSpan& s : spans) {
    if (s.valid_to || counted_at.contains(s.org_id)) continue;
    auto org = LoadCountedOrg(c, s.org_id);
    if (!org) return Fail(org.error());
    if (!*org) {
      std::array<std::int64_t, 1> one{s.org_id};
      auto recounted = RecountOrganisations(c, one);
      if (!recounted) return Fail(recounted.error());
      org = LoadCountedOrg(c, s.org_id);
      if (!org) return Fail(org.error());
    }
    std::optional<std::vector<std::int64_t>> on;
    if (*org && (*org)->placed) {
      auto holders_on = holders.On(c, (*org)->path);
      if (!holders_on) return Fail(holders_on.error());
      on = std::move(*holders_on);
    }
    counted_at.emplace(s.org_id, std::move(on));
  }
  step("organisations");

  // The open spans' facts summed per organisation, then per holder above it. Each (measure,
  // bucket) met is numbered once; an organisation's few dozen facts are summed in a short vector,
  // then added to each holder's sums (maps of a few ten thousand entries at most, which stay in
  // the CPU's caches where one map of every holder's sums would not).
  std::unordered_map<std::string, std::uint32_t> fact_number;
  std::vector<std::pair<std::string_view, std::string>> facts;
  auto number = [&](const Fact& f) {
    auto [at, fresh] = fact_number.try_emplace(CounterKey(f.measure, f.bucket),
                                               static_cast<std::uint32_t>(facts.size()));
    if (fresh) facts.emplace_back(f.measure, f.bucket);
    return at->second;
  };
  std::vector<std::size_t> by_org(spans.size());
  std::iota(by_org.begin(), by_org.end(), std::size_t{0});
  std::stable_sort(by_org.begin(), by_org.end(),
                   [&](std::size_t a, std::size_t b) { return spans[a].org_id < spans[b].org_id; });
  std::unordered_map<std::int64_t, std::unordered_map<std::uint32_t, std::int64_t>> by_holder;
  std::vector<std::pair<std::uint32_t, std::int64_t>> local;
  for (std::size_t i = 0; i < by_org.size();) {
    const std::int64_t org_id = spans[by_org[i]].org_id;
    local.clear();
    for (; i < by_org.size() && spans[by_org[i]].org_id == org_id; ++i) {
      const CountedSpan& s = spans[by_org[i]];
      if (s.valid_to) continue;
      for (const Fact& f : SpanFacts(s)) local.emplace_back(number(f), f.tally);
    }
    auto at = counted_at.find(org_id);
    if (local.empty() || at == counted_at.end() || !at->second) continue;
    std::sort(local.begin(), local.end());
    for (std::int64_t h : *at->second) {
      auto& theirs = by_holder[h];
      for (const auto& [fact, tally] : local) theirs[fact] += tally;
    }
  }
  // Added in the order of statistics_counter's key, like the rows of a rebuild.
  std::vector<std::tuple<std::int64_t, std::string_view, std::string_view, std::int64_t>> added;
  for (const auto& [h, sums] : by_holder) {
    for (const auto& [fact, tally] : sums) {
      const auto& [measure_name, bucket] = facts[fact];
      added.emplace_back(h, measure_name, bucket, tally);
    }
  }
  std::sort(added.begin(), added.end());
  step("sums");
  for (const auto& [h, measure_name, bucket, tally] : added) {
    auto done =
        c.Execute(kUpsertCounter, {h, std::string(measure_name), std::string(bucket), tally});
    if (!done) return Fail(done.error());
  }
  step("counters");

  // Full members per branch (the committee measure) follow the spans just written.
  std::vector<std::int64_t> orgs;
  orgs.reserve(counted_at.size());
  for (const auto& [org_id, on] : counted_at) orgs.push_back(org_id);
  auto recounted = RecountOrganisations(c, orgs);
  if (!recounted) return Fail(recounted.error());
  step("organisations' full members");
  return {};
}

}  // namespace zhibu::member

#include "modules/member/statistics.h"

#include <array>
#include <boost/json/parse.hpp>
#include <cstdio>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <variant>

#include "modules/member/statistics_counters.h"
#include "modules/member/vocabulary.h"
#include "modules/org/org_store.h"
#include "platform/util/date.h"

namespace zhibu::member {
namespace {

constexpr std::string_view kMembersOn =
    "SELECT s.status, m.sex, m.ethnicity, m.birth_date, m.education, m.occupation, "
    "m.confirmed_on, s.org_id FROM member_span s "
    "JOIN organisation_placement p ON p.org_id = s.org_id AND p.valid_from <= $1 AND "
    "(p.valid_to IS NULL OR p.valid_to > $1) "
    "JOIN member m ON m.id = s.member_id "
    "WHERE s.valid_from <= $1 AND (s.valid_to IS NULL OR s.valid_to > $1) AND p.path >= $2 AND "
    "p.path < $3";
constexpr std::string_view kCountOn =
    "SELECT COUNT(*) FROM member_span s JOIN organisation_placement p ON p.org_id = s.org_id AND "
    "p.valid_from <= $1 AND (p.valid_to IS NULL OR p.valid_to > $1) WHERE s.valid_from <= $1 AND "
    "(s.valid_to IS NULL OR s.valid_to > $1) AND p.path >= $2 AND p.path < $3";
constexpr std::string_view kOrgsOn =
    "SELECT o.id, o.kind, o.domain, o.units FROM organisation_placement p JOIN organisation o ON "
    "o.id = p.org_id WHERE p.valid_from <= $1 AND (p.valid_to IS NULL OR p.valid_to > $1) AND "
    "p.path >= $2 AND p.path < $3";
constexpr std::string_view kCommitteesOn =
    "SELECT DISTINCT org_id FROM committee WHERE elected_on <= $1";
constexpr std::string_view kEventsIn =
    "SELECT kind, COUNT(*) FROM member_event WHERE org_path >= $1 AND org_path < $2 AND "
    "happened_on >= $3 AND happened_on <= $4 GROUP BY kind";

// The counters (statistics_counters.h).
constexpr std::string_view kCounterMeasures =
    "SELECT measure, bucket, tally FROM statistics_counter WHERE org_id = $1 AND measure IN "
    "('status', 'sex', 'ethnicity', 'education', 'occupation', 'kind', 'domain', 'enterprises', "
    "'with_own', 'birth_year', 'confirmed_year')";
constexpr std::string_view kCounterDaysUpTo =
    "SELECT COALESCE(SUM(tally), 0) FROM statistics_counter WHERE org_id = $1 AND measure = $2 AND "
    "bucket >= $3 AND bucket <= $4";
constexpr std::string_view kCounterCommittees =
    "SELECT COALESCE(SUM(tally), 0), COALESCE(SUM(CASE WHEN bucket = '' OR bucket > $2 THEN tally "
    "ELSE 0 END), 0) FROM statistics_counter WHERE org_id = $1 AND measure = 'committee'";
// The corrections from today's counts to a past date.
constexpr std::string_view kPlacementsChangedAfter =
    "SELECT org_id FROM organisation_placement WHERE valid_from > $1 UNION SELECT org_id FROM "
    "organisation_placement WHERE valid_to > $1";
constexpr std::string_view kOpenSpansAt =
    "SELECT COUNT(*) FROM statistics_span WHERE org_id = $1 AND valid_to IS NULL";
//! Placed organisations in today's subtree (the covering index statistics_org_path).
constexpr std::string_view kSubtreeToday =
    "SELECT org_id, kind, full_members, first_committee FROM statistics_org WHERE path >= $1 AND "
    "path < $2 AND placed = 1";
//! Open spans that began after the date (one range of statistics_span's primary key).
constexpr std::string_view kStartedAfter =
    "SELECT org_id, status, attributes, birth_date, confirmed_on FROM "
    "statistics_span WHERE valid_from > $1 AND valid_to IS NULL LIMIT $2";
//! Spans that covered the date and closed after it (statistics_span_closed).
constexpr std::string_view kEndedAfter =
    "SELECT org_id, status, attributes, birth_date, confirmed_on FROM "
    "statistics_span WHERE valid_to > $1 AND valid_from <= $1 LIMIT $2";
constexpr std::string_view kOpenSpansSince =
    "SELECT org_id, status, attributes, birth_date, confirmed_on FROM "
    "statistics_span WHERE org_id = $1 AND valid_to IS NULL AND valid_from <= $2";
constexpr std::string_view kFullMembersOn =
    "SELECT COUNT(*) FROM statistics_span WHERE org_id = $1 AND status = 'full' AND valid_from <= "
    "$2 AND (valid_to IS NULL OR valid_to > $2)";
//! More placements changed after the date than this: the scan answers.
constexpr std::size_t kMaxChangedOrganisations = 2000;
//! The occupation bucket of a member without one.
const std::string kUnfilled = "未填写";

//! What the statistics count, before it becomes JSON; the scan and the counters both fill it.
struct Tally {
  std::map<std::string, std::int64_t> by_kind, by_domain;
  std::int64_t enterprises = 0, with_own = 0;
  std::map<std::string, std::int64_t> by_status, by_sex, by_ethnicity, by_age, by_education,
      by_occupation, by_standing;
  std::int64_t needing = 0, without = 0;
};

std::string AgeBand(int age) {
  if (age <= 30) return "≤30";
  if (age >= 61) return "≥61";
  int low = 31 + ((age - 31) / 5) * 5;
  return std::to_string(low) + "–" + std::to_string(low + 4);
}

//! 党龄 counts from 转正 (党章 第七条); none yet: 预备期.
std::string StandingLabel(std::optional<int> years) {
  if (!years) return "预备期";
  if (*years < 5) return "5年以下";
  if (*years <= 10) return "5–10年";
  if (*years <= 20) return "11–20年";
  if (*years <= 30) return "21–30年";
  if (*years <= 40) return "31–40年";
  if (*years <= 50) return "41–50年";
  return "50年以上";
}

std::string StandingBand(const std::optional<std::string>& confirmed,
                         std::chrono::year_month_day on) {
  if (!confirmed) return StandingLabel(std::nullopt);
  return StandingLabel(WholeYearsBetween(*ParseIsoDate(*confirmed), on));
}

boost::json::object ToObject(const std::map<std::string, std::int64_t>& counts) {
  boost::json::object out;
  for (const auto& [k, v] : counts) {
    if (v != 0) out[k] = v;
  }
  return out;
}

std::int64_t Sum(const std::map<std::string, std::int64_t>& counts) {
  std::int64_t total = 0;
  for (const auto& [k, v] : counts) total += v;
  return total;
}

boost::json::object Render(const Tally& t, const std::string& as_of, std::int64_t org_id) {
  boost::json::object coverage{{"enterprises", t.enterprises}, {"with_organisation", t.with_own}};
  coverage["share"] = t.enterprises == 0
                          ? 0.0
                          : static_cast<double>(t.with_own) / static_cast<double>(t.enterprises);
  return boost::json::object{{"as_of", as_of},
                             {"org_id", org_id},
                             {"organisations",
                              {{"total", Sum(t.by_kind)},
                               {"by_kind", ToObject(t.by_kind)},
                               {"by_domain", ToObject(t.by_domain)}}},
                             {"members",
                              {{"total", Sum(t.by_status)},
                               {"by_status", ToObject(t.by_status)},
                               {"by_sex", ToObject(t.by_sex)},
                               {"by_ethnicity", ToObject(t.by_ethnicity)},
                               {"by_age_band", ToObject(t.by_age)},
                               {"by_education", ToObject(t.by_education)},
                               {"by_occupation", ToObject(t.by_occupation)},
                               {"by_standing", ToObject(t.by_standing)}}},
                             {"branches_needing_committee", t.needing},
                             {"branches_without_required_committee", t.without},
                             {"non_public_coverage", std::move(coverage)}};
}

//! The reference: every organisation and member span of the subtree under `root` on `as_of`.
Result<Tally> ScanTally(db::Connection& c, const std::string& root, const std::string& as_of) {
  const auto date = *ParseIsoDate(as_of);
  const std::string end = org::SubtreeEnd(root);
  Tally t;
  std::map<std::int64_t, std::string> branch_kind;
  auto orgs = c.Query(kOrgsOn, {as_of, root, end});
  if (!orgs) return Fail(orgs.error());
  for (std::size_t i = 0; i < orgs->size(); ++i) {
    std::string kind = orgs->Text(i, 1);
    std::string domain = orgs->Text(i, 2);
    ++t.by_kind[kind];
    ++t.by_domain[domain];
    if (org::IsBranchKind(kind)) branch_kind[orgs->Int(i, 0)] = kind;
    if (domain == "private" && org::IsBranchKind(kind)) {
      auto units = boost::json::parse(orgs->Text(i, 3)).as_array();
      t.enterprises += static_cast<std::int64_t>(units.size());
      if (kind == "branch" && units.size() == 1) ++t.with_own;
    }
  }

  std::map<std::int64_t, std::int64_t> full_per_branch;
  auto rows = c.Query(kMembersOn, {as_of, root, end});
  if (!rows) return Fail(rows.error());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string status = rows->Text(i, 0);
    ++t.by_status[status];
    ++t.by_sex[rows->Text(i, 1)];
    ++t.by_ethnicity[rows->Text(i, 2)];
    ++t.by_age[AgeBand(WholeYearsBetween(*ParseIsoDate(rows->Text(i, 3)), date))];
    ++t.by_education[rows->Text(i, 4)];
    std::string occupation = rows->Text(i, 5);
    ++t.by_occupation[occupation.empty() ? "未填写" : occupation];
    auto confirmed = rows->OptionalText(i, 6);
    if (confirmed && *confirmed > as_of) confirmed.reset();
    ++t.by_standing[StandingBand(confirmed, date)];
    if (status == "full") ++full_per_branch[rows->Int(i, 7)];
  }

  // 支部条例 第六章: a branch with 7 or more full members sets up a committee.
  auto committees = c.Query(kCommitteesOn, {as_of});
  if (!committees) return Fail(committees.error());
  std::set<std::int64_t> with_committee;
  for (std::size_t i = 0; i < committees->size(); ++i) with_committee.insert(committees->Int(i, 0));
  for (const auto& [branch, full] : full_per_branch) {
    if (full < 7 || !branch_kind.contains(branch)) continue;
    ++t.needing;
    if (!with_committee.contains(branch)) ++t.without;
  }
  return t;
}

//! Age and 党龄 bands of a date as text comparisons: someone born (or 转正) on `b` is at least k
//! whole years older on `on` exactly when b <= Threshold(on, k), the same month and day k years
//! earlier (WholeYearsBetween; 02-29 of a common year compares correctly as text).
class Bands {
 public:
  Bands(const std::string& on, std::vector<int> years) {
    int year = std::stoi(on.substr(0, 4));
    for (int k : years) {
      char digits[8];
      std::snprintf(digits, sizeof digits, "%04d", year - k);
      thresholds_.push_back(digits + on.substr(4));
      years_.push_back(year - k);
    }
  }
  //! The number of thresholds `date` is at or before (0 … size()).
  std::size_t Of(const std::string& date) const {
    std::size_t n = 0;
    for (const auto& t : thresholds_) n += date <= t ? 1 : 0;
    return n;
  }
  //! The same for every day of `year` when no threshold falls in it, and for the days after the
  //! threshold when one does.
  std::size_t OfYear(int year) const {
    std::size_t n = 0;
    for (int y : years_) n += year < y ? 1 : 0;
    return n;
  }
  //! The threshold falling in `year`, if any.
  std::optional<std::string> In(int year) const {
    for (std::size_t i = 0; i < years_.size(); ++i) {
      if (years_[i] == year) return thresholds_[i];
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> thresholds_;
  std::vector<int> years_;
};

//! Age bands ≤30, 31–35 … 56–60, ≥61: thresholds at 31, 36 … 61 years.
const std::vector<int> kAgeYears = {31, 36, 41, 46, 51, 56, 61};
//! 党龄 bands: 转正 on or before the date, then at 5, 11, 21, 31, 41, 51 years.
const std::vector<int> kStandingYears = {0, 5, 11, 21, 31, 41, 51};

std::string AgeLabel(std::size_t band) {
  return AgeBand(band == 0 ? 30 : 26 + 5 * static_cast<int>(band));
}
std::string StandingLabelOf(std::size_t band) {
  if (band == 0) return StandingLabel(std::nullopt);
  return StandingLabel(kStandingYears[band - 1]);
}

//! A text column of a result row without copying it (a NULL is a bug of the caller).
const std::string& TextAt(const db::ResultSet& r, std::size_t row, std::size_t col) {
  return std::get<std::string>(r.rows()[row][col]);
}
//! A nullable text column without copying it.
const std::string* OptionalTextAt(const db::ResultSet& r, std::size_t row, std::size_t col) {
  return std::get_if<std::string>(&r.rows()[row][col]);
}
void Add(std::map<std::string, std::int64_t>& counts, const std::string& key, std::int64_t n) {
  auto it = counts.find(key);
  if (it != counts.end()) {
    it->second += n;
  } else {
    counts.emplace(key, n);
  }
}

//! The counts while the counters and their corrections are added up.
struct Working {
  explicit Working(const std::string& on)
      : age_bands(on, kAgeYears), standing(on, kStandingYears) {}
  Bands age_bands;
  Bands standing;
  Tally t;  //!< everything but the bands, and the bands below
  std::array<std::int64_t, 8> by_age{};
  std::array<std::int64_t, 8> by_standing{};
  std::unordered_map<std::string, std::int64_t> attributes;  //!< by statistics_span.attributes

  //! The counts of a plain measure of statistics_counter (nothing for a dated one).
  std::map<std::string, std::int64_t>* Plain(std::string_view name) {
    if (name == measure::kStatus) return &t.by_status;
    if (name == measure::kSex) return &t.by_sex;
    if (name == measure::kEthnicity) return &t.by_ethnicity;
    if (name == measure::kEducation) return &t.by_education;
    if (name == measure::kOccupation) return &t.by_occupation;
    if (name == measure::kKind) return &t.by_kind;
    if (name == measure::kDomain) return &t.by_domain;
    return nullptr;
  }
  //! A counter row of a plain measure, enterprises or with_own.
  void Counter(std::string_view name, const std::string& bucket, std::int64_t tally) {
    if (auto* counts = Plain(name)) {
      (*counts)[bucket] += tally;
    } else if (name == measure::kEnterprises) {
      t.enterprises += tally;
    } else if (name == measure::kWithOwn) {
      t.with_own += tally;
    }
  }
  //! One member span (columns org_id, status, attributes, birth_date, confirmed_on), counted
  //! `sign` times. The attributes are summed by their key and spread over sex, ethnicity,
  //! education and occupation once, in Result.
  void Member(const db::ResultSet& r, std::size_t i, int sign) {
    Add(t.by_status, TextAt(r, i, 1), sign);
    auto [it, added] = attributes.try_emplace(TextAt(r, i, 2), sign);
    if (!added) it->second += sign;
    by_age[age_bands.Of(TextAt(r, i, 3))] += sign;
    const std::string* confirmed = OptionalTextAt(r, i, 4);
    by_standing[confirmed ? standing.Of(*confirmed) : 0] += sign;
  }
  //! An organisation's own facts (kind, domain, enterprises), counted `sign` times.
  void Organisation(const CountedOrg& o, int sign) {
    t.by_kind[o.kind] += sign;
    t.by_domain[o.domain] += sign;
    t.enterprises += sign * o.enterprises;
    t.with_own += sign * o.with_own;
  }
  //! A branch needing a committee (7 or more full members), counted `sign` times.
  void Needing(const std::optional<std::string>& first_committee, const std::string& on, int sign) {
    t.needing += sign;
    if (!first_committee || first_committee->empty() || *first_committee > on) t.without += sign;
  }

  Tally Result() {
    Tally out = t;
    for (const auto& [key, n] : attributes) {
      if (n == 0) continue;
      auto [sex, ethnicity, education, occupation] = AttributesOf(key);
      Add(out.by_sex, sex, n);
      Add(out.by_ethnicity, ethnicity, n);
      Add(out.by_education, education, n);
      Add(out.by_occupation, occupation.empty() ? kUnfilled : occupation, n);
    }
    for (std::size_t i = 0; i < by_age.size(); ++i) {
      if (by_age[i] != 0) out.by_age[AgeLabel(i)] = by_age[i];
      if (by_standing[i] != 0) out.by_standing[StandingLabelOf(i)] = by_standing[i];
    }
    return out;
  }
};

//! A dated measure (birth or 转正) of the counters into its bands: whole years by their year
//! bucket, the year a threshold falls in split by its day buckets.
Result<void> AddYears(db::Connection& c, std::int64_t holder, std::string_view day_measure,
                      const std::map<std::string, std::int64_t>& years, const Bands& bands,
                      std::array<std::int64_t, 8>& into, bool empty_is_band_zero) {
  for (const auto& [bucket, tally] : years) {
    if (bucket.empty()) {
      if (empty_is_band_zero) into[0] += tally;
      continue;
    }
    int year = std::stoi(bucket);
    std::size_t band = bands.OfYear(year);
    auto threshold = bands.In(year);
    if (!threshold) {
      into[band] += tally;
      continue;
    }
    auto upto =
        c.Query(kCounterDaysUpTo, {holder, std::string(day_measure), bucket + "-", *threshold});
    if (!upto) return Fail(upto.error());
    std::int64_t at_or_before = upto->Int(0, 0);
    into[band + 1] += at_or_before;
    into[band] += tally - at_or_before;
  }
  return {};
}

//! The subtree of `org` (path `then` on `as_of`) from the counters, corrected for what changed
//! after `as_of`; nothing when the counters cannot answer or, unless `force`, when the scan is
//! the cheaper way.
Result<std::optional<Tally>> CountersTally(db::Connection& c, const org::OrgRecord& org,
                                           const std::string& then, const std::string& as_of,
                                           bool force) {
  auto ready = StatisticsReady(c);
  if (!ready) return Fail(ready.error());
  if (!*ready || !HoldsCounters(org.kind) || org.status != "active") {
    return std::optional<Tally>();
  }
  const std::string& now = org.path;
  const std::string now_end = org::SubtreeEnd(now);
  const std::string then_end = org::SubtreeEnd(then);
  auto in_now = [&](const std::string& p) { return p >= now && p < now_end; };
  auto in_then = [&](const std::string& p) { return p >= then && p < then_end; };

  Working w(as_of);
  auto rows = c.Query(kCounterMeasures, {org.id});
  if (!rows) return Fail(rows.error());
  std::map<std::string, std::int64_t> birth_years, confirmed_years;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    std::string name = rows->Text(i, 0);
    if (name == measure::kBirthYear) {
      birth_years[rows->Text(i, 1)] += rows->Int(i, 2);
    } else if (name == measure::kConfirmedYear) {
      confirmed_years[rows->Text(i, 1)] += rows->Int(i, 2);
    } else {
      w.Counter(name, rows->Text(i, 1), rows->Int(i, 2));
    }
  }

  // Organisations whose place in the tree changed after the date, and how big the correction is.
  auto changed = c.Query(kPlacementsChangedAfter, {as_of});
  if (!changed) return Fail(changed.error());
  if (changed->size() > kMaxChangedOrganisations && !force) return std::optional<Tally>();
  std::set<std::int64_t> moved;
  for (std::size_t i = 0; i < changed->size(); ++i) moved.insert(changed->Int(i, 0));
  // The correction costs about as much per span as the scan does: past the subtree's size the
  // scan is the cheaper way (and the spans below are fetched no further than that).
  std::int64_t members = 0;
  for (const auto& [status, n] : w.t.by_status) members += n;
  const std::int64_t at_most = force ? std::numeric_limits<std::int64_t>::max() : members + 1;
  std::int64_t correction = 0;
  if (!force) {
    for (std::int64_t id : moved) {
      auto n = c.Query(kOpenSpansAt, {id});
      if (!n) return Fail(n.error());
      correction += n->Int(0, 0);
    }
  }
  auto started = c.Query(kStartedAfter, {as_of, at_most});
  if (!started) return Fail(started.error());
  correction += static_cast<std::int64_t>(started->size());
  if (correction > members && !force) return std::optional<Tally>();
  auto ended = c.Query(kEndedAfter, {as_of, at_most});
  if (!ended) return Fail(ended.error());
  correction += static_cast<std::int64_t>(ended->size());
  if (correction > members && !force) return std::optional<Tally>();

  auto birth = AddYears(c, org.id, measure::kBirth, birth_years, w.age_bands, w.by_age, false);
  if (!birth) return Fail(birth.error());
  auto standing =
      AddYears(c, org.id, measure::kConfirmed, confirmed_years, w.standing, w.by_standing, true);
  if (!standing) return Fail(standing.error());
  auto committees = c.Query(kCounterCommittees, {org.id, as_of});
  if (!committees) return Fail(committees.error());
  w.t.needing = committees->Int(0, 0);
  w.t.without = committees->Int(0, 1);

  // Today's subtree: an organisation whose place did not change after the date (not in `moved`)
  // is in the subtree on the date exactly when it is in it today. With what the committee
  // measure needs of each.
  struct Inside {
    std::string kind;
    std::int64_t full_now = 0;
    std::optional<std::string> first_committee;
    std::int64_t change = 0;  //!< full members on the date − today
  };
  std::unordered_map<std::int64_t, Inside> inside;
  auto subtree = started->empty() && ended->empty() ? Result<db::ResultSet>(db::ResultSet())
                                                    : c.Query(kSubtreeToday, {now, now_end});
  if (!subtree) return Fail(subtree.error());
  inside.reserve(subtree->size());
  for (std::size_t i = 0; i < subtree->size(); ++i) {
    inside.emplace(subtree->Int(i, 0),
                   Inside{subtree->Text(i, 1), subtree->Int(i, 2), subtree->OptionalText(i, 3), 0});
  }
  // Where each moved organisation was on the date.
  std::map<std::int64_t, std::string> moved_then;
  for (std::int64_t id : moved) {
    auto path = org::PathOn(c, id, as_of);
    if (!path) return Fail(path.error());
    if (*path) moved_then[id] = **path;
  }
  auto full = [](const db::ResultSet& r, std::size_t i) { return TextAt(r, i, 1) == "full"; };

  // Spans counted today but not on the date: opened after it.
  for (std::size_t i = 0; i < started->size(); ++i) {
    auto it = inside.find(started->Int(i, 0));
    if (it == inside.end()) continue;
    w.Member(*started, i, -1);
    if (full(*started, i)) --it->second.change;
  }
  // Spans counted on the date but not today: closed after it.
  for (std::size_t i = 0; i < ended->size(); ++i) {
    std::int64_t id = ended->Int(i, 0);
    auto it = inside.find(id);
    if (moved.contains(id)) {
      auto was = moved_then.find(id);
      if (was == moved_then.end() || !in_then(was->second)) continue;
    } else if (it == inside.end()) {
      continue;
    }
    w.Member(*ended, i, +1);
    if (it != inside.end() && full(*ended, i)) ++it->second.change;
  }
  // Branches whose full members crossed 7 between the date and today (those that moved are
  // counted below).
  for (const auto& [id, b] : inside) {
    if (b.change == 0 || moved.contains(id) || !org::IsBranchKind(b.kind)) continue;
    int before = b.full_now >= 7 ? 1 : 0;
    int after = b.full_now + b.change >= 7 ? 1 : 0;
    if (after != before) w.Needing(b.first_committee, as_of, after - before);
  }

  // Organisations that moved, merged, dissolved or were founded after the date: out of today's
  // subtree as they are now, into the date's as they were then, with the members they kept.
  for (std::int64_t id : moved) {
    auto rows_org = c.Query(
        "SELECT org_id, path, placed, kind, domain, enterprises, with_own, full_members, "
        "first_committee FROM statistics_org WHERE org_id = $1",
        {id});
    if (!rows_org) return Fail(rows_org.error());
    if (rows_org->empty()) continue;
    CountedOrg o{rows_org->Int(0, 0),  rows_org->Text(0, 1), rows_org->Int(0, 2) != 0,
                 rows_org->Text(0, 3), rows_org->Text(0, 4), rows_org->Int(0, 5),
                 rows_org->Int(0, 6),  rows_org->Int(0, 7),  rows_org->OptionalText(0, 8)};
    auto was = moved_then.find(id);
    bool now_inside = o.placed && in_now(o.path);
    bool then_inside = was != moved_then.end() && in_then(was->second);
    if (!now_inside && !then_inside) continue;
    auto kept = c.Query(kOpenSpansSince, {id, as_of});
    if (!kept) return Fail(kept.error());
    for (std::size_t i = 0; i < kept->size(); ++i) {
      if (now_inside) w.Member(*kept, i, -1);
      if (then_inside) w.Member(*kept, i, +1);
    }
    if (now_inside) {
      w.Organisation(o, -1);
      if (org::IsBranchKind(o.kind) && o.full_members >= 7) w.Needing(o.first_committee, as_of, -1);
    }
    if (then_inside) {
      w.Organisation(o, +1);
      auto full = c.Query(kFullMembersOn, {id, as_of});
      if (!full) return Fail(full.error());
      if (org::IsBranchKind(o.kind) && full->Int(0, 0) >= 7) {
        w.Needing(o.first_committee, as_of, +1);
      }
    }
  }
  return std::optional<Tally>(w.Result());
}

//! The organisation with what the statistics need of it (id, kind, status, today's path) when it
//! lies inside `scope`; otherwise the answer of org::GetOrg, so that an organisation outside the
//! scope is not found exactly like a missing one. (GetOrg itself also counts the subtree's members
//! today, which the statistics do not need and which costs as much as they do at the city root.)
Result<org::OrgRecord> VisibleOrg(db::Connection& c, const org::SubtreeScope& scope,
                                  std::int64_t org_id) {
  auto rows = c.Query("SELECT kind, status, path FROM organisation WHERE id = $1", {org_id});
  if (!rows) return Fail(rows.error());
  if (rows->empty() || !scope.Contains(rows->Text(0, 2))) return org::GetOrg(c, scope, org_id);
  org::OrgRecord o;
  o.id = org_id;
  o.kind = rows->Text(0, 0);
  o.status = rows->Text(0, 1);
  o.path = rows->Text(0, 2);
  return o;
}

}  // namespace

Result<std::int64_t> MemberCountOn(db::Connection& c, const std::string& path,
                                   const std::string& date) {
  auto rows = c.Query(kCountOn, {date, path, org::SubtreeEnd(path)});
  if (!rows) return Fail(rows.error());
  return rows->Int(0, 0);
}

Result<std::int64_t> NetFlow(db::Connection& c, const std::string& path, const std::string& from,
                             const std::string& to) {
  auto rows = c.Query(kEventsIn, {path, org::SubtreeEnd(path), from, to});
  if (!rows) return Fail(rows.error());
  std::int64_t net = 0;
  for (std::size_t i = 0; i < rows->size(); ++i) net += Flow(rows->Text(i, 0)) * rows->Int(i, 1);
  return net;
}

Result<boost::json::object> SubtreeStatistics(db::Connection& c, const org::SubtreeScope& scope,
                                              std::int64_t org_id, const std::string& as_of,
                                              StatisticsMethod method) {
  auto date = ParseIsoDate(as_of);
  if (!date) {
    return Fail(
        Error::Invalid("stats.as_of_invalid", "统计日期应为 YYYY-MM-DD 格式的有效日期", "as_of"));
  }
  auto current = VisibleOrg(c, scope, org_id);
  if (!current) return Fail(current.error());
  auto path = org::PathOn(c, org_id, as_of);
  if (!path) return Fail(path.error());
  if (!*path) {
    return Fail(Error::NotFound("stats.org_absent", "该组织在 " + as_of + " 尚未成立或已撤销"));
  }
  // The subtree as it was on `as_of`. The caller may see the organisation today; its members of
  // that date are counted even where they have since moved out of the caller's scope, as the
  // organisation's own report of that date counted them (counts only: no member is listed).
  const std::string& root = **path;
  if (method != StatisticsMethod::kScan) {
    auto counted = CountersTally(c, *current, root, as_of, method == StatisticsMethod::kCounters);
    if (!counted) return Fail(counted.error());
    if (*counted) return Render(**counted, as_of, org_id);
    if (method == StatisticsMethod::kCounters) {
      return Fail(Error::Conflict(
          "stats.counters_unavailable",
          "该组织的统计不由计数表提供（计数表未建立、支部级组织或已不在组织树中）"));
    }
  }
  auto scanned = ScanTally(c, root, as_of);
  if (!scanned) return Fail(scanned.error());
  return Render(*scanned, as_of, org_id);
}

}  // namespace zhibu::member

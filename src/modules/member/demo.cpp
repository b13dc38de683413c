#include "modules/member/demo.h"

#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <random>
#include <unordered_set>

#include "modules/member/member_store.h"
#include "modules/member/pinyin.h"
#include "modules/member/statistics_counters.h"
#include "modules/org/org_store.h"
#include "platform/audit/audit_trail.h"
#include "platform/identity/id_number.h"
#include "platform/util/clock.h"
#include "platform/util/date.h"

namespace zhibu::member {
namespace {

//! All demo organisations were placed in the tree from this date, before any member joined.
constexpr std::string_view kTreeSince = "1950-01-01";
//! The first current member of a branch (the demo 党员 account's member).
constexpr std::string_view kFirstCurrentMember =
    "SELECT id, name FROM member WHERE org_id = $1 AND status IN ('full', 'probationary') AND "
    "departed_on IS NULL ORDER BY id LIMIT 1";
//! The year of membership events the balance identity is checked on.
constexpr int kEventYear = 2025;

//! Deterministic choices: std::mt19937_64's output is fixed by the standard, and every draw goes
//! through these helpers (never through std distributions, whose output varies by library).
class Dice {
 public:
  explicit Dice(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  int Between(int low, int high) { return low + static_cast<int>(Below(high - low + 1)); }
  //! True with probability `per_mille` / 1000.
  bool Chance(int per_mille) { return static_cast<int>(Below(1000)) < per_mille; }
  //! An index of `weights` drawn by weight.
  template <std::size_t N>
  std::size_t Weighted(const std::array<int, N>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    int x = static_cast<int>(Below(total));
    for (std::size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return N - 1;
  }

 private:
  std::mt19937_64 engine_;
};

constexpr std::array<std::string_view, 40> kSurnames = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余"};
constexpr std::array<int, 40> kSurnameWeights = {
    72, 71, 70, 54, 46, 31, 24, 20, 19, 18, 17, 16, 12, 11, 10, 10, 10, 9, 9, 9,
    8,  7,  7,  7,  6,  6,  6,  6,  6,  6,  5,  5,  5,  5,  5,  5,  4,  4, 4, 4};
constexpr std::string_view kGivenChars =
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国文辉力明永健世广志义兴良海山仁波宁"
    "贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振"
    "壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦"
    "翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红"
    "娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍"
    "茜";

std::vector<std::string> Characters(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = (static_cast<unsigned char>(text[i]) >= 0xE0) ? 3 : 1;
    out.emplace_back(text.substr(i, n));
    i += n;
  }
  return out;
}

struct County {
  std::string code;  //!< GB/T 2260 area code
  std::string name;
};

const std::vector<County>& FulingCounty() {
  static const std::vector<County> c = {{"500102", "涪陵区"}};
  return c;
}
const std::vector<County>& HuanggangCounties() {
  static const std::vector<County> c = {
      {"421102", "黄州区"}, {"421121", "团风县"}, {"421122", "红安县"}, {"421123", "罗田县"},
      {"421124", "英山县"}, {"421125", "浠水县"}, {"421126", "蕲春县"}, {"421127", "黄梅县"},
      {"421181", "麻城市"}, {"421182", "武穴市"}};
  return c;
}

//! Leaf-branch sectors, with weights and naming.
struct Sector {
  std::string_view domain;
  std::string_view unit_suffix;
  int weight;
};
constexpr std::array<Sector, 10> kSectors = {{{"rural", "村", 300},
                                              {"community", "社区", 90},
                                              {"government", "局", 90},
                                              {"institution", "中心", 50},
                                              {"soe", "公司", 25},
                                              {"private", "有限公司", 120},
                                              {"social", "协会", 25},
                                              {"school", "学校", 40},
                                              {"hospital", "卫生院", 15},
                                              {"retired", "离退休干部", 25}}};
constexpr std::array<std::string_view, 12> kPlaceWords = {
    "青龙", "白鹤", "马鞍", "石桥", "新华", "红星", "金竹", "桂花", "清溪", "龙潭", "双河", "太平"};

struct Generator {
  db::Connection& c;
  const crypto::FieldCipher& cipher;
  Dice dice;
  std::string today;
  std::string now;
  std::vector<std::string> given;
  std::unordered_set<std::string> used_ids;
  DemoReport report;

  Result<std::int64_t> AddOrg(std::optional<std::int64_t> parent, const std::string& parent_path,
                              const std::string& code, const std::string& name,
                              std::string_view kind, std::string_view domain,
                              const std::string& units) {
    auto inserted = c.Query(
        "INSERT INTO organisation (code, name, kind, domain, parent_id, path, depth, founded_on, "
        "units, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $9) "
        "RETURNING id",
        {code, name, std::string(kind), std::string(domain),
         parent ? db::Value(*parent) : db::Value(nullptr),
         static_cast<std::int64_t>(std::count(parent_path.begin(), parent_path.end(), '/')),
         std::string("19") + std::to_string(50 + dice.Between(0, 49)) + "-07-01", units, now});
    if (!inserted) return Fail(inserted.error());
    std::int64_t id = inserted->Int(0, 0);
    std::string path = parent_path + std::to_string(id) + "/";
    auto set = c.Execute("UPDATE organisation SET path = $2 WHERE id = $1", {id, path});
    if (!set) return Fail(set.error());
    auto placed = c.Execute(
        "INSERT INTO organisation_placement (org_id, parent_id, path, valid_from) VALUES ($1, $2, "
        "$3, $4)",
        {id, parent ? db::Value(*parent) : db::Value(nullptr), path, std::string(kTreeSince)});
    if (!placed) return Fail(placed.error());
    auto noted = c.Execute(
        "INSERT INTO organisation_change (org_id, kind, happened_on, reason, to_parent, "
        "created_at) VALUES ($1, 'create', $2, '演示数据', $3, $4)",
        {id, std::string(kTreeSince), parent ? db::Value(*parent) : db::Value(nullptr), now});
    if (!noted) return Fail(noted.error());
    ++report.organisations;
    paths[id] = path;
    return id;
  }

  std::string Name(bool female) {
    std::string name(kSurnames[dice.Weighted(kSurnameWeights)]);
    // Women's names drawn more from the second half of the character list, men's from the first.
    std::size_t half = given.size() / 2;
    int length = dice.Chance(700) ? 2 : 1;
    for (int i = 0; i < length; ++i) {
      std::size_t k = female ? half + dice.Below(given.size() - half) : dice.Below(half + 40);
      name += given[k];
    }
    return name;
  }

  std::string IdNumber(const std::string& area, const std::string& birth, bool female) {
    std::string body;
    for (int attempt = 0;; ++attempt) {
      int seq = dice.Between(0, 499) * 2 + (female ? 0 : 1);
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "%03d", seq);
      body = area + birth.substr(0, 4) + birth.substr(5, 2) + birth.substr(8, 2) + buffer;
      std::string number = body + identity::CheckCode(body);
      if (used_ids.insert(number).second) return number;
    }
  }

  std::map<std::int64_t, std::string> paths;
};

std::string DateFrom(int year, int day_of_year) {
  using namespace std::chrono;
  return FormatIsoDate(year_month_day(
      sys_days(year_month_day(std::chrono::year(year), January, 1d)) + days(day_of_year)));
}

}  // namespace

DemoScale CountyScale() { return {"county", 1, 2600, 63000}; }
DemoScale CityScale() { return {"city", 10, 15976, 341759}; }

Result<DemoReport> GenerateDemo(db::Database& database, const crypto::FieldCipher& cipher,
                                const DemoScale& scale, std::uint64_t seed,
                                const std::string& today) {
  return database.Write([&](db::Connection& c) -> Result<DemoReport> {
    auto existing = c.Query("SELECT COUNT(*) FROM organisation");
    if (!existing) return Fail(existing.error());
    if (existing->Int(0, 0) > 0) {
      return Fail(Error::Conflict("demo.not_empty", "数据库中已有组织，演示数据只能载入空库"));
    }
    // Rows go in directly; the statistics' counters are rebuilt once at the end.
    auto stale = MarkStatisticsStale(c);
    if (!stale) return Fail(stale.error());
    Generator g{c,  cipher, Dice(seed), today, NowShanghaiIso(), Characters(kGivenChars),
                {}, {},     {}};
    const auto& counties = scale.counties == 1 ? FulingCounty() : HuanggangCounties();
    const int county_count = static_cast<int>(counties.size());

    // Fixed nodes: (city root) + per county: department, 机关工委, 27 towns and streets.
    std::optional<std::int64_t> city_root;
    std::string city_path = "/";
    if (county_count > 1) {
      auto root = g.AddOrg(std::nullopt, "/", "4211", "中共黄冈市委组织部", "department",
                           "government", "[]");
      if (!root) return Fail(root.error());
      city_root = *root;
      city_path = g.paths[*root];
      g.report.root_id = *root;
    }
    struct Town {
      std::int64_t id;
      bool rural;
    };
    std::vector<std::vector<Town>> towns(county_count);
    std::vector<std::int64_t> organs(county_count);
    std::vector<std::string> areas;
    for (int k = 0; k < county_count; ++k) {
      const County& county = counties[k];
      areas.push_back(county.code);
      auto dept = g.AddOrg(city_root, city_path, county.code, "中共" + county.name + "委组织部",
                           "department", "government", "[]");
      if (!dept) return Fail(dept.error());
      if (!city_root) g.report.root_id = *dept;
      auto organ = g.AddOrg(*dept, g.paths[*dept], county.code + "-JG",
                            "中共" + county.name + "直属机关工作委员会", "committee_higher",
                            "government", "[]");
      if (!organ) return Fail(organ.error());
      organs[k] = *organ;
      for (int t = 0; t < 27; ++t) {
        bool rural = t < 18;
        std::string name = std::string(kPlaceWords[t % kPlaceWords.size()]) +
                           (t >= 12 && rural ? "新" : "") + (rural ? "镇" : "街道");
        auto town =
            g.AddOrg(*dept, g.paths[*dept], county.code + "-" + std::to_string(100 + t),
                     "中共" + county.name + name + (rural ? "委员会" : "工作委员会"),
                     rural ? "committee" : "committee_higher", rural ? "rural" : "community", "[]");
        if (!town) return Fail(town.error());
        towns[k].push_back({*town, rural});
      }
    }

    // Branch slots and 党小组, exactly filling the organisation count.
    const std::int64_t remaining = scale.organisations - g.report.organisations;
    const std::int64_t slots = remaining * 78 / 100;
    const std::int64_t groups = remaining - slots;
    struct Branch {
      std::int64_t id;
      int county;
      std::string domain;
      std::int64_t members = 0;
      std::vector<std::int64_t> groups;
    };
    std::vector<Branch> branches;
    std::array<int, kSectors.size()> weights{};
    for (std::size_t i = 0; i < kSectors.size(); ++i) weights[i] = kSectors[i].weight;
    std::int64_t made = 0;
    int serial = 0;
    while (made < slots) {
      int k = static_cast<int>(made % county_count);
      const Sector& sector = kSectors[g.dice.Weighted(weights)];
      std::string domain(sector.domain);
      std::int64_t parent = 0;
      if (domain == "government" || domain == "institution") {
        parent = organs[k];
      } else {
        bool want_rural = domain == "rural";
        const auto& list = towns[k];
        do {
          parent = list[g.dice.Below(list.size())].id;
        } while (std::find_if(list.begin(), list.end(),
                              [&](const Town& t) {
                                return t.id == parent && t.rural == want_rural;
                              }) == list.end() &&
                 domain != "private" && domain != "soe" && domain != "social" &&
                 domain != "school" && domain != "hospital" && domain != "retired");
      }
      ++serial;
      std::string unit = std::string(kPlaceWords[g.dice.Below(kPlaceWords.size())]) +
                         std::to_string(serial) + std::string(sector.unit_suffix);
      std::string code = areas[k] + "-B" + std::to_string(serial);
      // One village in ten with room left becomes a 党总支 over two branches.
      if (domain == "rural" && serial % 10 == 0 && made + 3 <= slots) {
        auto general =
            g.AddOrg(parent, g.paths[parent], code, "中共" + unit + "总支部委员会",
                     "general_branch", domain, "[{\"name\":\"" + unit + "村民委员会\"}]");
        if (!general) return Fail(general.error());
        for (int b = 1; b <= 2; ++b) {
          auto branch = g.AddOrg(*general, g.paths[*general], code + "-" + std::to_string(b),
                                 "中共" + unit + "第" + std::to_string(b) + "支部委员会", "branch",
                                 domain, "[]");
          if (!branch) return Fail(branch.error());
          branches.push_back({*branch, k, domain, 0, {}});
        }
        made += 3;
        continue;
      }
      bool joint = domain == "private" && g.dice.Chance(300);
      std::string units = "[{\"name\":\"" + unit +
                          "\",\"employees\":" + std::to_string(g.dice.Between(8, 400)) + "}";
      if (joint) {
        for (int u = 0; u < g.dice.Between(1, 3); ++u) {
          units += ",{\"name\":\"" + std::string(kPlaceWords[g.dice.Below(kPlaceWords.size())]) +
                   std::to_string(serial) + "-" + std::to_string(u) +
                   "商贸有限公司\",\"employees\":" + std::to_string(g.dice.Between(5, 60)) + "}";
        }
      }
      units += "]";
      auto branch = g.AddOrg(parent, g.paths[parent], code,
                             "中共" + unit + (joint ? "联合支部委员会" : "支部委员会"),
                             joint ? "joint_branch" : "branch", domain, units);
      if (!branch) return Fail(branch.error());
      branches.push_back({*branch, k, domain, 0, {}});
      ++made;
    }

    // Members: skewed sizes scaled to the exact total; 3% of branches deliberately under 3.
    std::vector<std::int64_t> weights_m(branches.size());
    std::int64_t weight_sum = 0;
    for (std::size_t i = 0; i < branches.size(); ++i) {
      bool tiny = g.dice.Chance(30);
      weights_m[i] = tiny ? 0 : (branches[i].domain == "rural" ? 30 : 12) + g.dice.Between(0, 40);
      weight_sum += weights_m[i];
    }
    std::int64_t assigned = 0;
    for (std::size_t i = 0; i < branches.size(); ++i) {
      branches[i].members = weights_m[i] == 0 ? g.dice.Between(1, 2) : 0;
      assigned += branches[i].members;
    }
    std::int64_t left = scale.members - assigned;
    std::int64_t given_out = 0;
    for (std::size_t i = 0; i < branches.size(); ++i) {
      if (weights_m[i] == 0) continue;
      std::int64_t share = left * weights_m[i] / weight_sum;
      branches[i].members += share;
      given_out += share;
    }
    for (std::size_t i = 0; given_out < left; i = (i + 1) % branches.size()) {
      if (weights_m[i] == 0) continue;
      ++branches[i].members;
      ++given_out;
    }
    // 党小组 in the largest branches (支部条例 第十三条), exactly `groups` of them.
    std::vector<std::size_t> by_size(branches.size());
    for (std::size_t i = 0; i < by_size.size(); ++i) by_size[i] = i;
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
      return branches[a].members > branches[b].members;
    });
    for (std::int64_t n = 0; n < groups; ++n) {
      Branch& b = branches[by_size[static_cast<std::size_t>(n) % by_size.size()]];
      auto group =
          g.AddOrg(b.id, g.paths[b.id],
                   "G" + std::to_string(b.id) + "-" + std::to_string(b.groups.size() + 1),
                   "第" + std::to_string(b.groups.size() + 1) + "党小组", "group", b.domain, "[]");
      if (!group) return Fail(group.error());
      b.groups.push_back(*group);
    }

    // The members.
    const int this_year = std::stoi(today.substr(0, 4));
    constexpr std::array<int, 6> kEducationWeights = {5, 28, 25, 12, 10, 20};
    constexpr std::array<std::string_view, 6> kEducation = {
        "postgraduate", "bachelor", "college", "secondary", "high_school", "junior"};
    constexpr std::array<int, 5> kEthnicWeights = {930, 40, 15, 5, 10};
    constexpr std::array<std::string_view, 5> kEthnic = {"汉族", "土家族", "苗族", "回族",
                                                         "蒙古族"};
    constexpr std::array<int, 4> kAgeWeights = {10, 26, 35, 29};
    struct Living {
      std::int64_t id;
      std::size_t branch;
    };
    std::vector<Living> living;
    living.reserve(static_cast<std::size_t>(scale.members));
    for (std::size_t bi = 0; bi < branches.size(); ++bi) {
      Branch& b = branches[bi];
      const std::string& path = g.paths[b.id];
      for (std::int64_t n = 0; n < b.members; ++n) {
        bool female = g.dice.Chance(310);
        int band = static_cast<int>(g.dice.Weighted(kAgeWeights));
        int age = band == 0   ? g.dice.Between(19, 30)
                  : band == 1 ? g.dice.Between(31, 45)
                  : band == 2 ? g.dice.Between(46, 60)
                              : g.dice.Between(61, 92);
        std::string birth = DateFrom(this_year - age - 1, g.dice.Between(0, 364));
        std::string name = g.Name(female);
        std::string number = g.IdNumber(areas[b.county], birth, female);
        // 入党 at 18 or later; 1.6% joined in the event year, 1% in the current year.
        int join_age = 18 + g.dice.Between(0, std::max(0, std::min(age, 60) - 19));
        std::string joined;
        int roll = g.dice.Between(0, 999);
        if (roll < 16 && age >= 20) {
          joined = DateFrom(kEventYear, g.dice.Between(0, 364));
        } else if (roll < 26 && age >= 20) {
          joined = DateFrom(this_year, g.dice.Between(0, 300));
        } else {
          int year = std::stoi(birth.substr(0, 4)) + join_age;
          if (year >= kEventYear) year = kEventYear - 1 - g.dice.Between(0, 3);
          joined = DateFrom(year, g.dice.Between(0, 364));
        }
        if (WholeYearsBetween(*ParseIsoDate(birth), *ParseIsoDate(joined)) < 18 || joined > today) {
          joined = FormatIsoDate(AddMonths(*ParseIsoDate(birth), 12 * 18 + 1));
        }
        std::string confirmed = FormatIsoDate(AddMonths(*ParseIsoDate(joined), 12));
        bool probationary = confirmed > today;
        std::string status = probationary ? "probationary" : "full";
        std::string education(kEducation[g.dice.Weighted(kEducationWeights)]);
        std::string category = b.domain == "rural"       ? "rural"
                               : b.domain == "community" ? "community"
                               : b.domain == "retired"   ? "retired"
                               : b.domain == "private" || b.domain == "soe" || b.domain == "social"
                                   ? "private"
                                   : "government";
        if (age >= 61 && category != "rural") category = "retired";
        if (g.dice.Chance(20)) category = "mobile";
        std::string occupation = category == "rural"     ? "农牧渔民"
                                 : category == "retired" ? "离退休人员"
                                 : category == "private" ? "企业管理人员"
                                 : b.domain == "school" || b.domain == "hospital"
                                     ? "专业技术人员"
                                     : "党政机关工作人员";
        std::string phone;
        if (g.dice.Chance(850)) {
          phone = "1" + std::to_string(3 + g.dice.Between(0, 6));
          for (int d = 0; d < 9; ++d) phone += static_cast<char>('0' + g.dice.Between(0, 9));
        }
        db::Value group = b.groups.empty()
                              ? db::Value(nullptr)
                              : db::Value(b.groups[static_cast<std::size_t>(n) % b.groups.size()]);
        std::string masked_phone =
            phone.empty() ? "" : phone.substr(0, 3) + "****" + phone.substr(7);
        auto inserted = c.Query(
            "INSERT INTO member (org_id, org_path, group_id, name, initials, sex, ethnicity, "
            "birth_date, id_number_cipher, id_number_index, id_number_masked, phone_cipher, "
            "phone_index, phone_masked, education, occupation, joined_on, confirmed_on, category, "
            "status, status_on, hardship, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
            "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, "
            "$23) RETURNING id",
            {b.id,
             path,
             group,
             name,
             PinyinInitials(name),
             std::string(female ? "female" : "male"),
             std::string(kEthnic[g.dice.Weighted(kEthnicWeights)]),
             birth,
             db::Blob{cipher.Encrypt(number)},
             cipher.BlindIndex(number),
             identity::MaskIdNumber(number),
             phone.empty() ? db::Value(nullptr) : db::Value(db::Blob{cipher.Encrypt(phone)}),
             phone.empty() ? db::Value(nullptr) : db::Value(cipher.BlindIndex(phone)),
             masked_phone,
             education,
             occupation,
             joined,
             probationary ? db::Value(nullptr) : db::Value(confirmed),
             category,
             status,
             joined,
             static_cast<std::int64_t>(age >= 80 && g.dice.Chance(400) ? 1 : 0),
             g.now});
        if (!inserted) return Fail(inserted.error());
        std::int64_t id = inserted->Int(0, 0);
        // The span opens as probationary on 入党 and turns full on 转正 (status changes keep the
        // count, so one span from 入党 with today's status is enough for the statistics).
        auto span = c.Execute(
            "INSERT INTO member_span (member_id, org_id, status, valid_from) VALUES ($1, $2, $3, "
            "$4)",
            {id, b.id, status, joined});
        if (!span) return Fail(span.error());
        auto event = c.Execute(
            "INSERT INTO member_event (member_id, kind, happened_on, org_id, org_path, reason, "
            "created_at) VALUES ($1, 'develop', $2, $3, $4, '支部大会通过接收为预备党员', $5)",
            {id, joined, b.id, path, g.now});
        if (!event) return Fail(event.error());
        ++g.report.events;
        ++g.report.members;
        if (!probationary) {
          auto confirm = c.Execute(
              "INSERT INTO member_event (member_id, kind, happened_on, org_id, org_path, reason, "
              "created_at) VALUES ($1, 'confirm', $2, $3, $4, '支部大会通过按期转正', $5)",
              {id, confirmed, b.id, path, g.now});
          if (!confirm) return Fail(confirm.error());
          ++g.report.events;
        }
        if (joined < DateFrom(kEventYear, 0)) living.push_back({id, bi});
      }
    }

    // A year of events among members who joined before it: deaths, transfers between branches,
    // lost contact and 停止党籍, 出党.
    org::Change change{{std::nullopt, "demo", "", std::nullopt, "local"}, std::nullopt, "", ""};
    for (const Living& m : living) {
      int roll = g.dice.Between(0, 9999);
      std::string date = DateFrom(kEventYear, g.dice.Between(0, 364));
      const Branch& from = branches[m.branch];
      std::string end_kind, status, reason;
      if (roll < 80) {
        end_kind = "death", status = "deceased", reason = "病故";
      } else if (roll < 85) {
        end_kind = "exit", status = "exited",
        reason = "无正当理由连续六个月不参加组织生活，支部大会决定除名";
      } else if (roll < 95) {
        end_kind = "suspend", status = "suspended",
        reason = "失去联系六个月以上，经查找仍无法取得联系";
      } else if (roll < 245) {
        const Branch& to = branches[g.dice.Below(branches.size())];
        if (to.id == from.id) continue;
        change.date = date;
        change.reason = "工作调动，转移组织关系";
        auto moved = MoveMember(c, change, m.id, to.id, "transfer_out", "transfer_in");
        if (!moved) return Fail(moved.error());
        g.report.events += 2;
        continue;
      } else if (roll < 295) {
        auto lost = c.Execute("UPDATE member SET lost_contact_since = $2 WHERE id = $1",
                              {m.id, DateFrom(this_year - 1, g.dice.Between(0, 364))});
        if (!lost) return Fail(lost.error());
        continue;
      } else if (roll < 495) {
        auto away = c.Execute(
            "UPDATE member SET away_since = $2, destination = $3 WHERE id = $1",
            {m.id, DateFrom(this_year - 1, g.dice.Between(0, 364)), std::string("广东省深圳市")});
        if (!away) return Fail(away.error());
        continue;
      } else {
        continue;
      }
      auto updated = c.Execute(
          "UPDATE member SET status = $2, status_on = $3, exit_kind = $4 WHERE id = $1",
          {m.id, status, date,
           end_kind == "exit" ? db::Value(std::string("self_lapsed")) : db::Value(nullptr)});
      if (!updated) return Fail(updated.error());
      auto closed = c.Execute(
          "UPDATE member_span SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL",
          {m.id, date});
      if (!closed) return Fail(closed.error());
      auto event = AddEvent(c, m.id, end_kind, date, from.id, std::nullopt, reason, std::nullopt);
      if (!event) return Fail(event.error());
      ++g.report.events;
    }

    // Committees: branches with 7 or more members elect one; 4% have run past their term.
    for (const Branch& b : branches) {
      if (b.members < 7) continue;
      int term = (b.domain == "rural" || b.domain == "community") ? 5 : 3;
      // On time: elected between 30 days and a term less 30 days before today, so the term ends
      // after today; overdue: elected a term and up to a year before the term's end.
      int days_ago = g.dice.Chance(40) ? term * 365 + g.dice.Between(30, 364)
                                       : g.dice.Between(30, term * 365 - 30);
      std::string elected = FormatIsoDate(std::chrono::year_month_day(
          std::chrono::sys_days(*ParseIsoDate(g.today)) - std::chrono::days(days_ago)));
      std::string ends = FormatIsoDate(AddMonths(*ParseIsoDate(elected), 12 * term));
      auto committee = c.Query(
          "INSERT INTO committee (org_id, elected_on, term_years, term_ends_on, is_current, "
          "created_at) VALUES ($1, $2, $3, $4, 1, $5) RETURNING id",
          {b.id, elected, static_cast<std::int64_t>(term), ends, g.now});
      if (!committee) return Fail(committee.error());
      auto people = c.Query(
          "SELECT id, name FROM member WHERE org_id = $1 AND status = 'full' ORDER BY id LIMIT 3",
          {b.id});
      if (!people) return Fail(people.error());
      constexpr std::array<std::string_view, 3> kRoles = {"secretary", "organisation", "publicity"};
      for (std::size_t i = 0; i < people->size(); ++i) {
        auto held = c.Execute(
            "INSERT INTO committee_position (committee_id, position, member_id, member_name, "
            "concurrent_director) VALUES ($1, $2, $3, $4, $5)",
            {committee->Int(0, 0), std::string(kRoles[i]), people->Int(i, 0), people->Text(i, 1),
             static_cast<std::int64_t>(i == 0 && b.domain == "rural" ? 1 : 0)});
        if (!held) return Fail(held.error());
      }
    }
    g.report.sample_branch_id = branches.front().id;
    for (const Branch& b : branches) {
      if (b.members >= 20 && b.domain == "rural") {
        g.report.sample_branch_id = b.id;
        break;
      }
    }
    auto counted = RebuildStatistics(c);
    if (!counted) return Fail(counted.error());
    auto logged = audit::Append(c, {{std::nullopt, "demo", "", std::nullopt, "local"},
                                    "demo.load",
                                    "scale:" + scale.name,
                                    "success",
                                    {{"organisations", g.report.organisations},
                                     {"members", g.report.members},
                                     {"seed", seed}}});
    if (!logged) return Fail(logged.error());
    return g.report;
  });
}

Result<std::vector<std::string>> CreateDemoAccounts(db::Database& db,
                                                    auth::IdentityService& identity,
                                                    const DemoReport& report) {
  audit::Actor actor{std::nullopt, "demo", "", std::nullopt, "local"};
  struct DemoAccount {
    std::string_view username, name, role;
    std::int64_t org;
  };
  std::vector<std::string> lines;
  for (const DemoAccount& a :
       {DemoAccount{"zuzhibu", "演示组织部管理员", "org_department_admin", report.root_id},
        DemoAccount{"shuji", "演示支部书记", "branch_secretary", report.sample_branch_id}}) {
    auto created = identity.CreateAccount(actor, a.username, a.name, "", true);
    if (!created) return Fail(created.error());
    auto granted = identity.GrantRole(actor, created->account.id, a.role, a.org);
    if (!granted) return Fail(granted.error());
    lines.push_back("登录 " + std::string(a.username) + "（" + std::string(a.role) + "）初始密码 " +
                    created->password + "（只显示这一次；首次登录须改密码）");
  }
  // A member of the sample branch with their own account (组织生活签到、请假).
  auto member = identity.CreateAccount(actor, "dangyuan", "演示党员", "", true);
  if (!member) return Fail(member.error());
  auto granted =
      identity.GrantRole(actor, member->account.id, "party_member", report.sample_branch_id);
  if (!granted) return Fail(granted.error());
  auto linked = db.Write([&](db::Connection& c) -> Result<std::string> {
    auto first = c.Query(kFirstCurrentMember, {report.sample_branch_id});
    if (!first) return Fail(first.error());
    if (first->empty()) return std::string();
    auto done = identity.LinkMember(c, actor, member->account.id, first->Int(0, 0));
    if (!done) return Fail(done.error());
    return first->Text(0, 1);
  });
  if (!linked) return Fail(linked.error());
  lines.push_back("登录 dangyuan（party_member）初始密码 " + member->password +
                  "（只显示这一次；首次登录须改密码；账号关联党员" + *linked +
                  "，可扫码签到、请假）");
  return lines;
}

Result<std::string> LoadDemoCounty(DemoContext& context) {
  auto existing = context.db.Read([](db::Connection& c) -> Result<std::int64_t> {
    auto rows = c.Query("SELECT COUNT(*) FROM organisation");
    if (!rows) return Fail(rows.error());
    return rows->Int(0, 0);
  });
  if (!existing) return Fail(existing.error());
  if (*existing > 0) return std::string();
  auto report = GenerateDemo(context.db, context.cipher, CountyScale(), 2026, TodayShanghai());
  if (!report) return Fail(report.error());
  auto logins = CreateDemoAccounts(context.db, context.identity, *report);
  if (!logins) return Fail(logins.error());
  for (auto& line : *logins) context.lines.push_back(std::move(line));
  return "演示县 " + std::to_string(report->organisations) + " 个组织、" +
         std::to_string(report->members) + " 名党员、" + std::to_string(report->events) +
         " 条变动记录";
}

void RegisterDemoCommand(CommandRegistry& registry) {
  struct Options {
    std::string scale = "county";
    std::uint64_t seed = 2026;
    bool accounts = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* demo = registry.Add(
      "demo", "生成演示/压测数据（县或市规模，同一种子生成相同数据）",
      [options](const CommandContext& context) {
        auto runtime = context.open();
        if (!runtime) {
          std::cerr << "错误 [" << runtime.error().code << "]：" << runtime.error().message << '\n';
          return 1;
        }
        DemoScale scale = options->scale == "city" ? CityScale() : CountyScale();
        auto report =
            GenerateDemo(runtime->db, runtime->cipher, scale, options->seed, TodayShanghai());
        if (!report) {
          std::cerr << "错误 [" << report.error().code << "]：" << report.error().message << '\n';
          return 1;
        }
        std::cout << "{\"scale\":\"" << scale.name
                  << "\",\"organisations\":" << report->organisations
                  << ",\"members\":" << report->members << ",\"events\":" << report->events
                  << ",\"root_id\":" << report->root_id << "}\n";
        if (options->accounts) {
          auto logins = CreateDemoAccounts(runtime->db, runtime->identity, *report);
          if (!logins) {
            std::cerr << "错误 [" << logins.error().code << "]：" << logins.error().message << '\n';
            return 1;
          }
          for (const auto& line : *logins) std::cout << line << '\n';
        }
        return 0;
      });
  demo->add_option("--scale", options->scale, "county（约 2,600 个组织）或 city（15,976 个组织）")
      ->check(CLI::IsMember({"county", "city"}))
      ->capture_default_str();
  demo->add_option("--seed", options->seed, "随机种子")->capture_default_str();
  demo->add_flag("--accounts", options->accounts,
                 "同时创建演示组织部管理员（根组织）和支部书记账号，并输出一次性初始密码");
}

}  // namespace zhibu::member

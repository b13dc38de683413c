#include "modules/exchange/dues_base_import.h"

#include <algorithm>
#include <unordered_map>

#include "modules/dues/dues_store.h"
#include "modules/dues/quote.h"
#include "modules/dues/schedule.h"
#include "modules/exchange/member_columns.h"
#include "modules/exchange/xlsx_reader.h"
#include "modules/org/org_store.h"
#include "platform/document/xlsx_writer.h"
#include "platform/identity/id_number.h"

namespace zhibu::exchange {
namespace {

//! Blind indexes looked up per query.
constexpr std::size_t kLookupBatch = 500;
//! How often progress is published.
constexpr std::int64_t kProgressEvery = 500;

constexpr std::string_view kFindMembersByIndex =
    "SELECT id_number_index, id FROM member WHERE id_number_index IN (";

//! One field of the file: its JSONL key and the header's lookup key (HeaderKey of the title).
struct FieldName {
  std::string_view key;
  std::string_view header;
};
constexpr FieldName kFieldNames[] = {
    {"id_number", "身份证号码"},
    {"category", "类别"},
    {"base", "基数"},
    {"amount", "农民党员月交纳额"},
    {"effective_month", "生效月份"},
    {"note", "备注"},
};

struct HeaderAlias {
  std::string_view text;
  int field;
};
constexpr HeaderAlias kHeaderAliases[] = {
    {"公民身份号码", kBaseIdNumber}, {"身份证号", kBaseIdNumber},   {"党员类别", kBaseCategory},
    {"党费类别", kBaseCategory},     {"计算基数", kBaseYuan},       {"党费基数", kBaseYuan},
    {"月交纳额", kBaseFarmerAmount}, {"交纳额", kBaseFarmerAmount}, {"执行月份", kBaseMonth},
    {"起始月份", kBaseMonth},
};

struct CategoryAlias {
  std::string_view text;
  std::string_view id;
};
constexpr CategoryAlias kCategoryAliases[] = {
    {"在职", "employed"},
    {"在职党员", "employed"},
    {"退休", "retired"},
    {"离退休党员", "retired"},
    {"农民", "farmer"},
    {"学生", "student"},
    {"下岗失业", "unemployed"},
    {"失业", "unemployed"},
    {"抚恤救济", "relief"},
    {"低保", "low_income"},
    {"个体经营", "self_employed"},
};

std::string TitleOf(int field) { return DuesBaseTitles()[static_cast<std::size_t>(field)]; }

//! A cell as the report shows it: an ID number masked.
std::string Shown(int field, std::string_view value) {
  if (field == kBaseIdNumber) {
    return value.size() == 18 ? identity::MaskIdNumber(value) : std::string(value.size(), '*');
  }
  return std::string(value.size() > 200 ? value.substr(0, 200) : value);
}

//! The column a DeclareBase or quote error names (its `field`).
int FieldOfError(std::string_view field) {
  if (field == "category") return kBaseCategory;
  if (field == "base") return kBaseYuan;
  if (field == "amount") return kBaseFarmerAmount;
  if (field == "effective_month") return kBaseMonth;
  if (field == "note") return kBaseNote;
  return kBaseIdNumber;
}

//! The message of an error without the `field：` prefix the API puts before it.
std::string MessageOf(const Error& e) {
  std::string prefix = e.field + "：";
  if (!e.field.empty() && e.message.starts_with(prefix)) return e.message.substr(prefix.size());
  return e.message;
}

//! A row that passed the checks of its own cells.
struct ParsedRow {
  std::int64_t row = 0;
  std::vector<std::string> values;
  std::string id_index;
  dues::BaseInput input;
};

constexpr std::string_view kNotFound = "未找到该党员（不在党员信息库中，或不在您的管理范围内）";

}  // namespace

const std::vector<std::string>& DuesBaseTitles() {
  static const std::vector<std::string> titles = {
      "身份证号码", "类别", "基数（元）", "农民党员月交纳额（元）", "生效月份（YYYY-MM）", "备注"};
  return titles;
}

int DuesBaseFieldForHeader(std::string_view header) {
  std::string key = HeaderKey(header);
  if (key.empty()) return -1;
  for (std::size_t i = 0; i < std::size(kFieldNames); ++i) {
    if (kFieldNames[i].header == key || kFieldNames[i].key == key) return static_cast<int>(i);
  }
  for (const auto& a : kHeaderAliases) {
    if (a.text == key) return a.field;
  }
  return -1;
}

std::optional<std::string> DuesCategoryIdOfCell(std::string_view text) {
  for (const auto& c : dues::Categories()) {
    if (c.id == text || c.title == text || HeaderKey(c.title) == text) return std::string(c.id);
  }
  for (const auto& a : kCategoryAliases) {
    if (a.text == text) return std::string(a.id);
  }
  return std::nullopt;
}

std::optional<std::string> NormaliseMonthCell(std::string_view text, bool excel_serial) {
  auto month_of = [](int year, int month) -> std::optional<std::string> {
    if (year < 1900 || year > 2199 || month < 1 || month > 12) return std::nullopt;
    return dues::FormatYearMonth({year, month});
  };
  auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (text.size() == 6 && digits(text)) {
    return month_of(std::stoi(std::string(text.substr(0, 4))),
                    std::stoi(std::string(text.substr(4))));
  }
  if (excel_serial && !text.empty() && text.size() <= 12 &&
      text.find_first_not_of("0123456789.") == std::string_view::npos) {
    auto date = ExcelSerialToIsoDate(text);
    if (!date) return std::nullopt;
    return date->substr(0, 7);
  }
  // YYYY sep M[M] [月], sep one of - / . 年.
  std::size_t year_end = 0;
  while (year_end < text.size() && year_end < 5 && text[year_end] >= '0' && text[year_end] <= '9')
    ++year_end;
  if (year_end != 4) return std::nullopt;
  std::string_view rest = text.substr(4);
  if (rest.starts_with("年")) {
    rest.remove_prefix(3);
  } else if (!rest.empty() && (rest[0] == '-' || rest[0] == '/' || rest[0] == '.')) {
    rest.remove_prefix(1);
  } else {
    return std::nullopt;
  }
  if (rest.ends_with("月")) rest.remove_suffix(3);
  if (rest.empty() || rest.size() > 2 || !digits(rest)) return std::nullopt;
  return month_of(std::stoi(std::string(text.substr(0, 4))), std::stoi(std::string(rest)));
}

Result<std::string> DuesBaseTemplateBytes(FileFormat format) {
  switch (format) {
    case FileFormat::kCsv:
      return std::string(kUtf8Bom) + CsvRecord(DuesBaseTitles());
    case FileFormat::kXlsx:
      return document::XlsxBytes("党费基数", DuesBaseTitles(), {});
    case FileFormat::kJsonl:
      break;
  }
  return Fail(Error::Invalid("import.template_format", "模板只有 csv 和 xlsx 两种格式", "format"));
}

Result<ImportOutcome> ImportDuesBases(db::Database& db, const crypto::FieldCipher& cipher,
                                      const ImportCaller& caller, FileFormat format,
                                      std::string_view bytes, ImportProgress& progress) {
  ImportOutcome outcome;
  auto reader = RecordReader::Open(format, bytes, kDuesBaseFieldCount,
                                   [](std::string_view h) { return DuesBaseFieldForHeader(h); });
  if (!reader) return Fail(reader.error());
  RecordReader& records = **reader;
  progress.total_rows = records.estimated_rows();
  progress.Changed();
  if (records.tabular()) {
    for (int f : {kBaseIdNumber, kBaseCategory, kBaseMonth}) {
      if (!records.HasColumn(static_cast<std::size_t>(f))) {
        outcome.errors.push_back({records.header_row(), TitleOf(f), "",
                                  "缺少必填列“" + TitleOf(f) + "”（请使用导入模板的表头）"});
      }
    }
    if (!outcome.errors.empty()) return outcome;
  }

  // Each row's own cells: required, the ID number's form, the category, the base and the month.
  const bool excel = format == FileFormat::kXlsx;
  std::vector<ParsedRow> parsed;
  std::unordered_map<std::string, std::int64_t> first_row_of;  // id index + month → row
  Record record;
  while (true) {
    auto more = records.Next(record);
    if (!more) return Fail(more.error());
    if (!*more) break;
    if (progress.cancelled) return Fail(Cancelled());
    ++outcome.total_rows;
    if (outcome.total_rows % kProgressEvery == 0) {
      progress.processed_rows = outcome.total_rows;
      progress.Changed();
    }
    if (!record.unreadable.empty()) {
      outcome.errors.push_back({record.row, "", "", record.unreadable});
      continue;
    }
    std::vector<std::string>& v = record.values;
    for (auto& value : v) value = Trim(value);
    bool bad = false;
    auto add = [&](int field, std::string message) {
      outcome.errors.push_back({record.row, TitleOf(field),
                                Shown(field, v[static_cast<std::size_t>(field)]),
                                std::move(message)});
      bad = true;
    };
    for (int f : {kBaseIdNumber, kBaseCategory, kBaseMonth}) {
      if (v[static_cast<std::size_t>(f)].empty()) add(f, TitleOf(f) + "不能为空");
    }
    if (bad) continue;
    ParsedRow p;
    p.row = record.row;
    auto id = identity::ParseIdNumber(v[kBaseIdNumber]);
    if (!id) {
      add(kBaseIdNumber, id.error().message);
    } else {
      p.id_index = cipher.BlindIndex(id->number);
    }
    auto category = DuesCategoryIdOfCell(v[kBaseCategory]);
    if (!category) {
      std::string known;
      for (const auto& c : dues::Categories()) {
        known += (known.empty() ? "" : "、") + std::string(c.title);
      }
      add(kBaseCategory, "未知的党员类别，应为：" + known);
    } else {
      p.input.category = *category;
    }
    auto month = NormaliseMonthCell(v[kBaseMonth], excel);
    if (!month) {
      add(kBaseMonth, "生效月份应为 YYYY-MM，如 2026-01");
    } else {
      p.input.effective_month = *month;
    }
    if (!v[kBaseYuan].empty()) p.input.base = v[kBaseYuan];
    if (!v[kBaseFarmerAmount].empty()) p.input.amount = v[kBaseFarmerAmount];
    p.input.note = v[kBaseNote];
    p.input.source = "imported";
    if (category) {
      // The quote's own parsing: base and amount exactly to the fen, or the field it names.
      auto quote = dues::QuoteFromText(p.input.category, p.input.base, p.input.amount);
      if (!quote) add(FieldOfError(quote.error().field), MessageOf(quote.error()));
    }
    if (bad) continue;
    auto [first, fresh] = first_row_of.emplace(p.id_index + "|" + p.input.effective_month, p.row);
    if (!fresh) {
      add(kBaseIdNumber,
          "与第 " + std::to_string(first->second) + " 行重复：同一党员同一生效月份只能有一行");
      continue;
    }
    p.values = std::move(v);
    parsed.push_back(std::move(p));
  }
  progress.total_rows = outcome.total_rows;
  progress.processed_rows = outcome.total_rows;
  progress.Changed();

  // The members, by blind index, in the whole registry: whether they are in the caller's scope is
  // DeclareBase's question (its answer, like a missing member's, is "not found").
  auto found =
      db.Read([&](db::Connection& c) -> Result<std::unordered_map<std::string, std::int64_t>> {
        std::unordered_map<std::string, std::int64_t> out;
        for (std::size_t start = 0; start < parsed.size(); start += kLookupBatch) {
          std::size_t end = std::min(parsed.size(), start + kLookupBatch);
          std::vector<db::Value> params;
          std::string sql(kFindMembersByIndex);
          for (std::size_t i = start; i < end; ++i) {
            params.emplace_back(parsed[i].id_index);
            sql += (i == start ? "$" : ", $") + std::to_string(params.size());
          }
          sql += ")";
          auto rows = c.Query(sql, std::span<const db::Value>(params));
          if (!rows) return Fail(rows.error());
          for (std::size_t r = 0; r < rows->size(); ++r)
            out.emplace(rows->Text(r, 0), rows->Int(r, 1));
        }
        return out;
      });
  if (!found) return Fail(found.error());

  // Every row through DeclareBase in one transaction, rolled back when any row is refused (or an
  // earlier check found a bad row: the remaining rows are still checked, so that the report is
  // complete).
  const Error kRowsRefused = Error::Invalid("import.rows_invalid", "文件中有错误的行");
  std::int64_t written = 0;
  auto stored = db.Write([&](db::Connection& c) -> Result<std::int64_t> {
    auto scope = caller.scope(c);
    if (!scope) return Fail(scope.error());
    org::Change change{caller.actor, caller.account_id, "", "批量导入党费基数"};
    for (const ParsedRow& p : parsed) {
      if (progress.cancelled) return Fail(Cancelled());
      auto member = found->find(p.id_index);
      if (member == found->end()) {
        outcome.errors.push_back({p.row, TitleOf(kBaseIdNumber),
                                  Shown(kBaseIdNumber, p.values[kBaseIdNumber]),
                                  std::string(kNotFound)});
        continue;
      }
      auto declared = dues::DeclareBase(c, *scope, change, member->second, p.input);
      if (declared) {
        ++written;
        continue;
      }
      const Error& e = declared.error();
      if (e.kind == ErrorKind::kInternal || e.kind == ErrorKind::kUnavailable) return Fail(e);
      int field = FieldOfError(e.field);
      std::string message = e.kind == ErrorKind::kNotFound ? std::string(kNotFound) : MessageOf(e);
      outcome.errors.push_back({p.row, TitleOf(field),
                                Shown(field, p.values[static_cast<std::size_t>(field)]), message});
    }
    if (!outcome.errors.empty()) return Fail(kRowsRefused);
    auto logged = audit::Append(c, {caller.actor,
                                    "dues.base.import",
                                    "dues_base",
                                    "success",
                                    {{"format", std::string(FormatName(format))},
                                     {"rows", outcome.total_rows},
                                     {"bases", written}}});
    if (!logged) return Fail(logged.error());
    return written;
  });
  if (!stored) {
    if (stored.error().code != kRowsRefused.code || outcome.errors.empty()) {
      return Fail(stored.error());
    }
    std::stable_sort(outcome.errors.begin(), outcome.errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    return outcome;
  }
  outcome.imported = *stored;
  return outcome;
}

}  // namespace zhibu::exchange

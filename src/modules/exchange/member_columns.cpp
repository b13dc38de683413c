#include "modules/exchange/member_columns.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "modules/exchange/xlsx_reader.h"
#include "modules/member/vocabulary.h"

namespace zhibu::exchange {
namespace {

constexpr std::array<MemberColumn, kMemberFieldCount> kColumns = {{
    {"name", "姓名", true, CellKind::kText},
    {"sex", "性别", false, CellKind::kSex},
    {"ethnicity", "民族", true, CellKind::kText},
    {"birth_date", "出生日期", false, CellKind::kDate},
    {"id_number", "公民身份号码", true, CellKind::kText},
    {"phone", "手机号码", false, CellKind::kText},
    {"education", "学历", true, CellKind::kEducation},
    {"degree", "学位", false, CellKind::kText},
    {"occupation", "职业/岗位", false, CellKind::kText},
    {"work_unit", "工作单位", false, CellKind::kText},
    {"household", "户籍", false, CellKind::kText},
    {"address", "现居住地", false, CellKind::kText},
    {"work_started_on", "参加工作日期", false, CellKind::kDate},
    {"joined_on", "入党日期", true, CellKind::kDate},
    {"confirmed_on", "转正日期", false, CellKind::kDate},
    {"status", "党员状态", false, CellKind::kStatus},
    {"category", "人员类别", true, CellKind::kCategory},
    {"org_code", "所在党组织代码", true, CellKind::kText},
    {"org_name", "所在党组织名称", false, CellKind::kText},
    {"hardship", "困难党员", false, CellKind::kFlag},
}};

struct Alias {
  std::string_view text;
  MemberField field;
};
constexpr std::array kHeaderAliases = {
    Alias{"身份证号", kIdNumber},
    Alias{"身份证号码", kIdNumber},
    Alias{"公民身份证号码", kIdNumber},
    Alias{"手机", kPhone},
    Alias{"联系电话", kPhone},
    Alias{"手机号", kPhone},
    Alias{"职业", kOccupation},
    Alias{"工作岗位", kOccupation},
    Alias{"岗位", kOccupation},
    Alias{"户籍所在地", kHousehold},
    Alias{"家庭住址", kAddress},
    Alias{"现居住地址", kAddress},
    Alias{"党员类别", kCategory},
    Alias{"类别", kCategory},
    Alias{"党组织代码", kOrgCode},
    Alias{"所在支部代码", kOrgCode},
    Alias{"组织代码", kOrgCode},
    Alias{"党组织名称", kOrgName},
    Alias{"所在党支部", kOrgName},
    Alias{"所在支部", kOrgName},
    Alias{"人员状态", kStatus},
    Alias{"状态", kStatus},
    Alias{"是否困难党员", kHardship},
    Alias{"加入党组织日期", kJoinedOn},
    Alias{"转为正式党员日期", kConfirmedOn},
};

std::optional<std::string> VocabularyId(std::span<const member::Term> terms,
                                        std::string_view text) {
  for (const auto& t : terms) {
    if (t.title == text || t.id == text) return std::string(t.id);
  }
  return std::nullopt;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string HeaderKey(std::string_view text) {
  std::string out;
  int depth = 0;
  for (std::size_t i = 0; i < text.size();) {
    std::string_view rest = text.substr(i);
    if (rest.starts_with("（") || rest.starts_with("【")) {
      ++depth, i += 3;
    } else if (rest.starts_with("）") || rest.starts_with("】")) {
      depth = std::max(0, depth - 1), i += 3;
    } else if (rest.starts_with("　")) {
      i += 3;
    } else if (text[i] == '(' || text[i] == '[') {
      ++depth, ++i;
    } else if (text[i] == ')' || text[i] == ']') {
      depth = std::max(0, depth - 1), ++i;
    } else if (text[i] == ' ' || text[i] == '*' || text[i] == '\t') {
      ++i;
    } else {
      if (depth == 0) out.push_back(text[i]);
      ++i;
    }
  }
  return out;
}

std::span<const MemberColumn> MemberColumns() { return kColumns; }

int FieldForHeader(std::string_view header) {
  std::string key = HeaderKey(header);
  if (key.empty()) return -1;
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (kColumns[i].title == key || kColumns[i].key == key) return static_cast<int>(i);
  }
  if (key == "职业岗位" || key == "岗位职业") return kOccupation;
  for (const Alias& a : kHeaderAliases) {
    if (a.text == key) return a.field;
  }
  return -1;
}

std::string Trim(std::string_view text) {
  while (true) {
    if (text.starts_with(" ") || text.starts_with("\t")) {
      text.remove_prefix(1);
    } else if (text.starts_with("　")) {
      text.remove_prefix(3);
    } else {
      break;
    }
  }
  while (true) {
    if (text.ends_with(" ") || text.ends_with("\t") || text.ends_with("\r") ||
        text.ends_with("\n")) {
      text.remove_suffix(1);
    } else if (text.ends_with("　")) {
      text.remove_suffix(3);
    } else {
      break;
    }
  }
  return std::string(text);
}

std::optional<std::string> NormaliseDate(std::string_view text, bool excel_serial) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') return std::string(text);
  if (excel_serial && !text.empty() && text.size() <= 12 && text.find('-') == std::string::npos &&
      !(text.size() == 8 && AllDigits(text))) {
    if (auto date = ExcelSerialToIsoDate(text)) return date;
  }
  if (text.size() == 8 && AllDigits(text)) {
    return std::string(text.substr(0, 4)) + "-" + std::string(text.substr(4, 2)) + "-" +
           std::string(text.substr(6, 2));
  }
  // Y sep M sep D with sep one of - / . or 年 月 (日 optional).
  int parts[3] = {0, 0, 0};
  int digits[3] = {0, 0, 0};
  int part = 0;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (part > 2 || digits[part] >= (part == 0 ? 4 : 2)) return std::nullopt;
      parts[part] = parts[part] * 10 + (c - '0');
      ++digits[part];
      ++i;
      continue;
    }
    std::string_view rest = text.substr(i);
    std::size_t width = 0;
    if (c == '-' || c == '/' || c == '.') {
      width = 1;
    } else if (rest.starts_with("年") || rest.starts_with("月")) {
      width = 3;
    } else if (rest.starts_with("日") && part == 2 && i + 3 == text.size()) {
      break;
    } else {
      return std::nullopt;
    }
    if (part >= 2 || digits[part] == 0) return std::nullopt;
    ++part;
    i += width;
  }
  if (part != 2 || digits[0] != 4 || digits[1] == 0 || digits[2] == 0) return std::nullopt;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", parts[0], parts[1], parts[2]);
  return std::string(buffer);
}

std::string PlainDigits(std::string_view text) {
  if (text.find_first_of("Ee.") == std::string_view::npos) return std::string(text);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > 1e15 ||
      value != std::floor(value)) {
    return std::string(text);
  }
  return std::to_string(static_cast<std::int64_t>(value));
}

std::optional<std::string> EducationId(std::string_view text) {
  if (auto id = VocabularyId(member::Educations(), text)) return id;
  struct Pair {
    std::string_view alias, id;
  };
  static constexpr std::array kAliases = {
      Pair{"本科", "bachelor"},
      Pair{"大学", "bachelor"},
      Pair{"大专", "college"},
      Pair{"专科", "college"},
      Pair{"硕士研究生", "postgraduate"},
      Pair{"博士研究生", "postgraduate"},
      Pair{"硕士", "postgraduate"},
      Pair{"博士", "postgraduate"},
      Pair{"中等专科", "secondary"},
      Pair{"中技", "secondary"},
      Pair{"技工学校", "secondary"},
      Pair{"初中", "junior"},
      Pair{"小学", "junior"},
      Pair{"文盲", "junior"},
  };
  for (const auto& a : kAliases) {
    if (a.alias == text) return std::string(a.id);
  }
  return std::nullopt;
}

std::optional<std::string> CategoryId(std::string_view text) {
  if (auto id = VocabularyId(member::Categories(), text)) return id;
  if (text == "农村党员") return std::string("rural");
  if (text == "社区党员") return std::string("community");
  if (text == "机关党员" || text == "机关事业单位") return std::string("government");
  if (text == "离退休党员" || text == "离退休人员") return std::string("retired");
  if (text == "非公企业" || text == "非公有制经济组织") return std::string("private");
  if (text == "流动党员") return std::string("mobile");
  return std::nullopt;
}

std::optional<std::string> SexId(std::string_view text) {
  if (auto id = VocabularyId(member::Sexes(), text)) return id;
  if (text == "男性" || text == "M") return std::string("male");
  if (text == "女性" || text == "F") return std::string("female");
  return std::nullopt;
}

std::optional<std::string> StatusId(std::string_view text) {
  if (text == "正式党员" || text == "正式" || text == "full") return std::string("full");
  if (text == "预备党员" || text == "预备" || text == "probationary") {
    return std::string("probationary");
  }
  return std::nullopt;
}

std::optional<bool> FlagValue(std::string_view text) {
  if (text.empty() || text == "否" || text == "0" || text == "false" || text == "FALSE" ||
      text == "N" || text == "n" || text == "无") {
    return false;
  }
  if (text == "是" || text == "1" || text == "true" || text == "TRUE" || text == "Y" ||
      text == "y" || text == "困难") {
    return true;
  }
  return std::nullopt;
}

}  // namespace zhibu::exchange

#include "platform/workflow/workflow.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "platform/util/date.h"

namespace zhibu::workflow {
namespace {

Error FieldError(const FieldSpec& f, std::string_view what) {
  return Error::Invalid("workflow.field_invalid", f.title + "：" + std::string(what), f.name);
}

std::optional<std::int64_t> IntegerOf(const boost::json::value& v) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  return std::nullopt;
}

//! Validates one present, non-null value of field `f` and answers it normalised.
Result<boost::json::value> ValidateValue(const FieldSpec& f, const boost::json::value& v,
                                         const std::string& today) {
  switch (f.type) {
    case FieldType::kDate: {
      if (!v.is_string()) return Fail(FieldError(f, "应为 YYYY-MM-DD 格式的日期"));
      std::string text(v.as_string());
      auto date = RequireIsoDate(text, f.name, f.title);
      if (!date) return Fail(date.error());
      if (*date > today && !f.future_allowed)
        return Fail(FieldError(f, "不能晚于今天（" + today + "）"));
      return boost::json::value(*date);
    }
    case FieldType::kText: {
      if (!v.is_string()) return Fail(FieldError(f, "应为文字"));
      std::string text(v.as_string());
      if (text.size() > f.max_length) {
        return Fail(FieldError(f, "过长（最多 " + std::to_string(f.max_length) + " 字节）"));
      }
      if (f.required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
        return Fail(FieldError(f, "不能为空"));
      }
      return boost::json::value(text);
    }
    case FieldType::kInteger: {
      auto n = IntegerOf(v);
      if (!n) return Fail(FieldError(f, "应为整数"));
      if (*n < f.min || (f.max > 0 && *n > f.max)) {
        return Fail(FieldError(f, "应在 " + std::to_string(f.min) + "–" +
                                      (f.max > 0 ? std::to_string(f.max) : std::string("∞")) +
                                      " 之间"));
      }
      return boost::json::value(*n);
    }
    case FieldType::kChoice: {
      if (!v.is_string()) return Fail(FieldError(f, "应为选项代码"));
      std::string id(v.as_string());
      for (const auto& c : f.choices) {
        if (c.id == id) return boost::json::value(id);
      }
      std::string allowed;
      for (const auto& c : f.choices) allowed += (allowed.empty() ? "" : "、") + c.id;
      return Fail(FieldError(f, "应为以下之一：" + allowed));
    }
    case FieldType::kMember:
    case FieldType::kGroup: {
      auto n = IntegerOf(v);
      if (!n || *n <= 0) return Fail(FieldError(f, "应为编号（正整数）"));
      return boost::json::value(*n);
    }
    case FieldType::kMembers: {
      if (!v.is_array()) return Fail(FieldError(f, "应为党员编号的数组"));
      boost::json::array ids;
      for (const auto& item : v.as_array()) {
        auto n = IntegerOf(item);
        if (!n || *n <= 0) return Fail(FieldError(f, "应为党员编号（正整数）的数组"));
        if (std::find(ids.begin(), ids.end(), boost::json::value(*n)) != ids.end()) {
          return Fail(FieldError(f, "同一人不能重复"));
        }
        ids.emplace_back(*n);
      }
      if (static_cast<int>(ids.size()) < f.min ||
          (f.max > 0 && static_cast<int>(ids.size()) > f.max)) {
        std::string count = f.min == f.max ? std::to_string(f.min)
                                           : std::to_string(f.min) + "–" + std::to_string(f.max);
        return Fail(FieldError(f, "应为 " + count + " 人"));
      }
      return boost::json::value(std::move(ids));
    }
  }
  return Fail(FieldError(f, "类型未知"));
}

std::string LimitText(const LimitSpec& limit, int months) {
  if (months > 0) return std::to_string(months) + " 个月";
  return std::to_string(limit.days) + " 天";
}

int MonthsOf(const LimitSpec& limit, const std::map<std::string, std::int64_t>& settings) {
  if (limit.months_setting.empty()) return limit.months;
  auto found = settings.find(limit.months_setting);
  return found == settings.end() ? limit.months : static_cast<int>(found->second);
}

std::string AddToDate(const std::string& from, int months, int days) {
  auto date = ParseIsoDate(from);
  if (!date) return from;
  auto shifted = AddMonths(*date, months);
  if (days != 0) {
    shifted = std::chrono::year_month_day(std::chrono::sys_days(shifted) + std::chrono::days(days));
  }
  return FormatIsoDate(shifted);
}

std::string StepTitle(const WorkflowTable& table, int number) {
  const StepSpec* s = table.Find(number);
  return s ? "第" + std::to_string(number) + "步“" + s->title + "”" : std::to_string(number);
}

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kDate:
      return "date";
    case FieldType::kText:
      return "text";
    case FieldType::kInteger:
      return "integer";
    case FieldType::kChoice:
      return "choice";
    case FieldType::kMember:
      return "member";
    case FieldType::kMembers:
      return "members";
    case FieldType::kGroup:
      return "group";
  }
  return "text";
}

const StepSpec* WorkflowTable::Find(int number) const {
  for (const auto& s : steps) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

std::string WorkflowTable::StageTitle(std::string_view id) const {
  for (const auto& s : stages) {
    if (s.id == id) return s.title;
  }
  return {};
}

std::vector<int> NextSteps(const WorkflowTable& table, const std::vector<StepRecord>& history) {
  if (table.next_steps) {
    if (auto special = table.next_steps(history)) return *special;
  }
  if (history.empty())
    return table.steps.empty() ? std::vector<int>{} : std::vector<int>{table.steps[0].number};
  int last = history.back().number;
  std::vector<int> next;
  for (std::size_t i = 0; i < table.steps.size(); ++i) {
    if (table.steps[i].number != last) continue;
    if (table.steps[i].repeatable) next.push_back(last);
    if (i + 1 < table.steps.size()) next.insert(next.begin(), table.steps[i + 1].number);
  }
  return next;
}

const StepRecord* Latest(const std::vector<StepRecord>& history, int number) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (it->number == number) return &*it;
  }
  return nullptr;
}

std::int64_t IntOr(const boost::json::object& data, std::string_view key, std::int64_t fallback) {
  const auto* v = data.if_contains(key);
  if (v == nullptr) return fallback;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->as_uint64());
  return fallback;
}

std::string TextOr(const boost::json::object& data, std::string_view key) {
  const auto* v = data.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::string> LatestDate(const std::vector<StepRecord>& history, int number) {
  const StepRecord* r = Latest(history, number);
  if (r == nullptr) return std::nullopt;
  return r->done_on;
}

Result<boost::json::object> ValidateFields(const StepSpec& step, const boost::json::object& body,
                                           const std::string& today) {
  boost::json::object data;
  for (const auto& f : step.fields) {
    const boost::json::value* v = body.if_contains(f.name);
    bool empty = v == nullptr || v->is_null() || (v->is_string() && v->as_string().empty());
    if (empty) {
      if (f.required) {
        return Fail(Error::Invalid("workflow.field_missing", f.title + "：必填", f.name));
      }
      continue;
    }
    auto value = ValidateValue(f, *v, today);
    if (!value) return Fail(value.error());
    data[f.name] = std::move(*value);
  }
  return data;
}

std::optional<std::string> LimitDate(const LimitSpec& limit, const std::string& from,
                                     const std::map<std::string, std::int64_t>& settings) {
  int months = MonthsOf(limit, settings);
  if (!limit.months_setting.empty() && months == 0) return std::nullopt;
  return AddToDate(from, months, limit.days);
}

Result<void> Check(const WorkflowTable& table, const Attempt& attempt) {
  const auto& history = attempt.history;
  const auto& proposed = attempt.proposed;
  auto next = NextSteps(table, history);
  if (std::find(next.begin(), next.end(), proposed.number) == next.end()) {
    std::string allowed;
    for (int n : next) allowed += (allowed.empty() ? "" : "、") + StepTitle(table, n);
    return Fail(Error::Conflict(
        "workflow.step_out_of_order",
        "现在不能办理" + StepTitle(table, proposed.number) + "；" +
            (allowed.empty() ? std::string("本流程已结束") : "下一步应为" + allowed),
        "step"));
  }
  if (proposed.done_on > attempt.today) {
    return Fail(Error::Invalid("workflow.date_in_future",
                               "done_on：日期不能晚于今天（" + attempt.today + "）", "done_on"));
  }
  if (!history.empty() && proposed.done_on < history.back().done_on) {
    return Fail(Error::Invalid("workflow.date_before_previous",
                               "done_on：不能早于上一步" + StepTitle(table, history.back().number) +
                                   "的日期 " + history.back().done_on,
                               "done_on"));
  }
  for (const auto& limit : attempt.step.limits) {
    if (limit.kind == LimitKind::kWithin && !limit.hard) continue;
    auto from = LatestDate(history, limit.from_step);
    if (!from) continue;
    auto bound = LimitDate(limit, *from, attempt.settings);
    if (!bound) continue;
    int months = MonthsOf(limit, attempt.settings);
    std::string from_text = StepTitle(table, limit.from_step) + "（" + *from + "）";
    if (limit.kind == LimitKind::kAtLeast && proposed.done_on < *bound) {
      return Fail(Error::Unprocessable(limit.code,
                                       attempt.step.title + "应在" + from_text + "满 " +
                                           LimitText(limit, months) + "后，即 " + *bound +
                                           " 或以后办理（" + limit.source + "）",
                                       "done_on", limit.source));
    }
    if (limit.kind == LimitKind::kWithin && proposed.done_on > *bound) {
      bool extended = false;
      if (!limit.extension_field.empty() && limit.extended_months > 0) {
        auto outer = AddToDate(*from, limit.extended_months, 0);
        const auto* reason = proposed.data.if_contains(limit.extension_field);
        bool has_reason = reason != nullptr && reason->is_string() && !reason->as_string().empty();
        if (proposed.done_on <= outer && has_reason) extended = true;
        if (proposed.done_on <= outer && !has_reason) {
          return Fail(Error::Unprocessable(
              limit.code,
              attempt.step.title + "应在" + from_text + "后 " + LimitText(limit, months) + "内（" +
                  *bound + " 前）办理；有特殊情况的须写明原因（" + limit.extension_field +
                  "），最长不超过 " + std::to_string(limit.extended_months) + " 个月（" +
                  limit.source + "）",
              limit.extension_field, limit.source));
        }
      }
      if (!extended) {
        return Fail(Error::Unprocessable(
            limit.code,
            attempt.step.title + "应在" + from_text + "后 " +
                LimitText(limit, limit.extended_months > 0 ? limit.extended_months : months) +
                "内办理，已超过期限（" + limit.source + "）",
            "done_on", limit.source));
      }
    }
  }
  for (const auto& gate : attempt.step.gates) {
    if (!gate.check) continue;
    auto passed = gate.check(attempt);
    if (!passed) {
      Error e = passed.error();
      if (e.rule.empty()) e.rule = gate.source;
      return Fail(std::move(e));
    }
  }
  return {};
}

std::string DueState(const std::string& due_on, const std::string& today, int due_soon_days) {
  if (today > due_on) return "overdue";
  auto due = ParseIsoDate(due_on);
  auto now = ParseIsoDate(today);
  if (due && now && DaysBetween(*now, *due) <= due_soon_days) return "due_soon";
  return "ok";
}

std::vector<Deadline> Deadlines(const WorkflowTable& table, const std::vector<StepRecord>& history,
                                const std::map<std::string, std::int64_t>& settings,
                                const std::string& today, int due_soon_days) {
  std::vector<Deadline> out;
  if (history.empty()) return out;
  int last = history.back().number;
  for (const auto& step : table.steps) {
    for (const auto& limit : step.limits) {
      if (limit.kind != LimitKind::kWithin) continue;
      bool open = (last >= limit.from_step && last < step.number) ||
                  (step.repeatable && last == step.number && limit.from_step <= step.number);
      if (!open) continue;
      auto from = LatestDate(history, limit.from_step);
      if (step.repeatable) {
        auto again = LatestDate(history, step.number);
        if (again && (!from || *again > *from)) from = again;
      }
      if (!from) continue;
      auto due = LimitDate(limit, *from, settings);
      if (!due) continue;
      out.push_back(Deadline{step.number, step.title, *due, DueState(*due, today, due_soon_days),
                             limit.source});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Deadline& a, const Deadline& b) { return a.due_on < b.due_on; });
  return out;
}

boost::json::object TableJson(const WorkflowTable& table) {
  boost::json::array stages;
  for (const auto& stage : table.stages) {
    boost::json::array numbers;
    for (const auto& s : table.steps) {
      if (s.stage == stage.id) numbers.push_back(s.number);
    }
    stages.push_back({{"id", stage.id}, {"title", stage.title}, {"steps", std::move(numbers)}});
  }
  boost::json::array steps;
  for (const auto& s : table.steps) {
    boost::json::array fields;
    fields.push_back(
        {{"name", "done_on"}, {"title", "办理日期"}, {"type", "date"}, {"required", true}});
    for (const auto& f : s.fields) {
      boost::json::object field{{"name", f.name},
                                {"title", f.title},
                                {"type", FieldTypeName(f.type)},
                                {"required", f.required}};
      if (!f.choices.empty()) {
        boost::json::array choices;
        for (const auto& c : f.choices) choices.push_back({{"id", c.id}, {"title", c.title}});
        field["choices"] = std::move(choices);
      }
      if (f.future_allowed) field["future_allowed"] = true;
      if (f.min != 0) field["min"] = f.min;
      if (f.max != 0) field["max"] = f.max;
      fields.push_back(std::move(field));
    }
    fields.push_back({{"name", "note"}, {"title", "备注"}, {"type", "text"}, {"required", false}});
    boost::json::array gates;
    for (const auto& g : s.gates) {
      gates.push_back({{"id", g.id}, {"title", g.title}, {"source", g.source}});
    }
    boost::json::array limits;
    for (const auto& l : s.limits) {
      boost::json::object limit{{"from_step", l.from_step},
                                {"kind", l.kind == LimitKind::kAtLeast ? "at_least" : "within"},
                                {"months", l.months},
                                {"days", l.days},
                                {"hard", l.kind == LimitKind::kAtLeast || l.hard},
                                {"source", l.source}};
      if (!l.code.empty()) limit["code"] = l.code;
      if (!l.months_setting.empty()) limit["setting"] = l.months_setting;
      if (l.extended_months > 0) {
        limit["extended_months"] = l.extended_months;
        limit["extension_field"] = l.extension_field;
      }
      limits.push_back(std::move(limit));
    }
    boost::json::array documents;
    for (const auto& d : s.documents) documents.push_back({{"id", d.id}, {"title", d.title}});
    steps.push_back({{"number", s.number},
                     {"id", s.id},
                     {"title", s.title},
                     {"stage", s.stage},
                     {"actor", s.actor},
                     {"repeatable", s.repeatable},
                     {"source", s.source},
                     {"fields", std::move(fields)},
                     {"gates", std::move(gates)},
                     {"limits", std::move(limits)},
                     {"documents", std::move(documents)}});
  }
  return {{"workflow", table.id},
          {"title", table.title},
          {"stages", std::move(stages)},
          {"steps", std::move(steps)}};
}

}  // namespace zhibu::workflow

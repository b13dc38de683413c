#include "platform/workflow/history.h"

#include <boost/json/serialize.hpp>
#include <utility>

#include "platform/json/json.h"
#include "platform/util/date.h"

namespace zhibu::workflow {

Result<std::vector<StepRecord>> LoadHistory(db::Connection& c, std::string_view steps_sql,
                                            std::int64_t case_id, const WorkflowTable& table,
                                            boost::json::array* timeline) {
  auto rows = c.Query(steps_sql, {case_id});
  if (!rows) return Fail(rows.error());
  std::vector<StepRecord> history;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    StepRecord r;
    r.number = static_cast<int>(rows->Int(i, 1));
    r.done_on = rows->Text(i, 2);
    auto data = ParseJson(rows->Text(i, 3), JsonLimits{});
    if (data && data->is_object()) r.data = data->as_object();
    if (timeline != nullptr) {
      const auto* spec = table.Find(r.number);
      timeline->push_back({{"seq", rows->Int(i, 0)},
                           {"number", r.number},
                           {"id", spec ? spec->id : ""},
                           {"title", spec ? spec->title : ""},
                           {"stage", spec ? spec->stage : ""},
                           {"done_on", r.done_on},
                           {"data", r.data},
                           {"note", rows->Text(i, 4)},
                           {"recorded_at", rows->Text(i, 5)},
                           {"actor", rows->Text(i, 6)}});
    }
    history.push_back(std::move(r));
  }
  return history;
}

Result<void> AppendStep(db::Connection& c, std::string_view insert_sql, std::int64_t case_id,
                        std::int64_t seq, const StepRecord& record, const std::string& note,
                        const std::string& recorded_at, const Recorder& by) {
  auto inserted = c.Execute(
      insert_sql, {case_id, seq, static_cast<std::int64_t>(record.number), record.done_on,
                   boost::json::serialize(record.data), note, recorded_at,
                   by.account_id ? db::Value(*by.account_id) : db::Value(nullptr), by.name});
  if (!inserted) return Fail(inserted.error());
  return {};
}

Result<StepRequest> ReadStepRequest(const boost::json::object& body, const WorkflowTable& table,
                                    int first, std::string_view prefix) {
  std::string last = table.steps.empty() ? "0" : std::to_string(table.steps.back().number);
  const auto* step_value = body.if_contains("step");
  if (step_value == nullptr || !step_value->is_int64()) {
    return Fail(Error::Invalid(std::string(prefix) + ".step_missing",
                               "step：请写明办理第几步（1–" + last + "）", "step"));
  }
  const auto* spec = table.Find(static_cast<int>(step_value->as_int64()));
  if (spec == nullptr || spec->number < first) {
    return Fail(Error::Invalid(std::string(prefix) + ".step_unknown",
                               "step：应为 " + std::to_string(first) + "–" + last + " 中的一步",
                               "step"));
  }
  const auto* done_value = body.if_contains("done_on");
  std::string done_text =
      done_value != nullptr && done_value->is_string() ? std::string(done_value->as_string()) : "";
  auto done_on = RequireIsoDate(done_text, "done_on", "办理日期");
  if (!done_on) return Fail(done_on.error());
  return StepRequest{spec, *done_on};
}

Result<std::string> StepNote(const boost::json::object& body, std::string_view prefix) {
  const auto* n = body.if_contains("note");
  if (n == nullptr || n->is_null()) return std::string();
  if (!n->is_string() || n->as_string().size() > 2000) {
    return Fail(Error::Invalid(std::string(prefix) + ".note_invalid",
                               "note：应为文字（最多 2000 字节）", "note"));
  }
  return std::string(n->as_string());
}

}  // namespace zhibu::workflow

#include "modules/idcard/check_result.h"

#include <string>

#include "platform/identity/id_number.h"
#include "platform/json/json.h"
#include "platform/util/clock.h"

namespace zhibu::idcard {

boost::json::object CheckResult(std::string_view number, std::string_view today) {
  auto parsed = identity::ParseIdNumber(number, today);
  if (!parsed) {
    boost::json::object out;
    out["valid"] = false;
    out["error"] = std::move(ErrorEnvelope(parsed.error())["error"]);
    return out;
  }
  boost::json::object out;
  out["valid"] = true;
  out["number"] = parsed->number;
  out["masked"] = identity::MaskIdNumber(parsed->number);
  out["birth_date"] = parsed->birth_date;
  out["sex"] = identity::SexName(parsed->sex);
  out["area_code"] = parsed->area_code;
  out["converted_from_15"] = parsed->converted_from_15;
  return out;
}

boost::json::object CheckResult(std::string_view number) {
  return CheckResult(number, TodayShanghai());
}

bool IsValid(const boost::json::object& result) {
  const auto* valid = result.if_contains("valid");
  return valid != nullptr && valid->is_bool() && valid->as_bool();
}

}  // namespace zhibu::idcard

#pragma once
//! The answer of the idcard module, shared by `GET /api/v1/idcard/check` and `zhibu idcard check`
//! so both print exactly the same JSON.

#include <boost/json/object.hpp>
#include <string_view>

namespace zhibu::idcard {

//! Checks `number` (GB 11643-1999, platform/identity/id_number.h) as of `today` (ISO date) and
//! answers, when valid:
//!   {"valid":true,"number":"11010519491231002X","masked":"110105********002X",
//!    "birth_date":"1949-12-31","sex":"female","area_code":"110105","converted_from_15":false}
//! and when invalid — a check, not a failed request, so both are answered the same way:
//!   {"valid":false,"error":{"code":"idcard.checksum","message":"校验码应为 X，实为 1",
//!    "field":"number","rule":"GB 11643-1999《公民身份号码》"}}
boost::json::object CheckResult(std::string_view number, std::string_view today);

//! As above, as of today's Shanghai date.
boost::json::object CheckResult(std::string_view number);

//! Whether a CheckResult says valid.
bool IsValid(const boost::json::object& result);

}  // namespace zhibu::idcard

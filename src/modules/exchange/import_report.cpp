#include "modules/exchange/import_report.h"

namespace zhibu::exchange {

boost::json::object RowError::ToJson() const {
  return {{"row", row}, {"column", column}, {"value", value}, {"message", message}};
}

Error Cancelled() {
  return Error::Unavailable("import.cancelled", "服务正在停止，导入已中止，未导入任何数据");
}

}  // namespace zhibu::exchange

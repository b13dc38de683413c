#pragma once
//! The routes of 连续六个月不交纳党费的处置 (docs/api-dues.md, "处置").

#include "platform/module/manifest.h"

namespace zhibu::lapse {

//! Registers /api/v1/dues/lapse/*.
void RegisterRoutes(ModuleContext& context);

}  // namespace zhibu::lapse

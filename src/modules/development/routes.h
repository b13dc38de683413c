#pragma once
//! The 发展党员 routes (docs/api-development.md).

#include "platform/module/manifest.h"

namespace zhibu::development {

//! Registers /api/v1/development/*.
void RegisterRoutes(ModuleContext& context);

}  // namespace zhibu::development

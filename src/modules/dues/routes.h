#pragma once
//! The dues routes (docs/api-dues.md).

#include "platform/module/manifest.h"

namespace zhibu::dues {

//! Registers /api/v1/dues/* and /api/v1/members/{id}/dues*.
void RegisterRoutes(ModuleContext& context);

}  // namespace zhibu::dues

#pragma once
//! `zhibu import` and `zhibu export`: members and organisations from and to files, and the whole
//! deployment from and to a directory, with a progress bar on a terminal and the row report on
//! failure (exit 1).

#include "platform/module/manifest.h"

namespace zhibu::exchange {

//! Adds `import` and `export` to the `zhibu` command.
void RegisterCommands(CommandRegistry& registry);

}  // namespace zhibu::exchange

#pragma once
//! The downloadable templates (the header row only) and the temporary files Excel goes through.

#include <string>
#include <string_view>

#include "modules/exchange/records.h"

namespace zhibu::exchange {

//! The template of `kind` (`members` or `orgs`) as a CSV (UTF-8 with BOM) or .xlsx file; JSONL
//! has no template (400 `import.template_format`).
Result<std::string> TemplateBytes(std::string_view kind, FileFormat format);

//! A fresh path in the temporary directory: `zhibu-PREFIX-<pid>-<n>SUFFIX`.
std::string TemporaryPath(std::string_view prefix, std::string_view suffix);

//! The file's bytes, removing it (empty when it does not exist).
std::string TakeFile(const std::string& path);

//! The whole file, or `import.file_unreadable`.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace zhibu::exchange

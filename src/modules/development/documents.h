#pragma once
//! The standard forms of 发展党员 generated from a case's data, entered once (spec 06 "What users
//! see"): the 公示 of a development target, the 政治审查综合材料, and the 批复 admitting a
//! probationary member. Word documents (.docx) through platform/document/docx_writer.h: the
//! clerk prints them or adjusts them in WPS/Word, and the server needs no CJK fonts.

#include <string>

#include "modules/development/case_store.h"

namespace zhibu::development {

struct GeneratedDocument {
  std::string bytes;
  std::string filename;  //!< e.g. `发展对象公示-张三.docx`
};

//! The document `kind` (public_notice | political_review | approval_letter) of `file`: 404
//! `development.document_unknown` for another kind, 409 `development.document_not_ready` before
//! the step that yields it is recorded.
Result<GeneratedDocument> GenerateDocument(const CaseFile& file, const std::string& kind,
                                           const std::string& today);

}  // namespace zhibu::development

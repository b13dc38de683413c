#pragma once
//! The member registry's store (党员信息库): create, read, search, unmask and status changes,
//! each limited to a SubtreeScope and audited. Personal numbers are stored only encrypted
//! (FieldCipher) with a blind index; every membership change writes a member_event and keeps
//! member_span, the member's placement and status over time.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/org/org_store.h"
#include "platform/crypto/field_cipher.h"
#include "platform/json/json_text.h"
#include "platform/util/embedded.h"

namespace zhibu::embedded {
const std::vector<EmbeddedFile>& member_migrations();
}  // namespace zhibu::embedded

namespace zhibu::member {

//! A new member as entered (API, import, demo), before validation.
struct MemberInput {
  std::int64_t org_id = 0;
  std::string name;
  std::string id_number;
  std::string phone;
  std::string ethnicity;
  std::string education;
  std::string degree;
  std::string occupation;
  std::string work_unit;
  std::string household;
  std::string address;
  std::string joined_on;
  std::string confirmed_on;  //!< empty: still probationary
  std::string work_started_on;
  std::string category;
  bool hardship = false;
  std::string event_kind = "develop";  //!< develop | transfer_in | rejoin | restore
  std::string event_date;              //!< empty: `joined_on` for develop, else today
  std::string reason;
};

//! A validated member, ready to store: the numbers normalised, encrypted, indexed and masked.
struct PreparedMember {
  MemberInput input;
  std::string id_number;  //!< normalised 18 characters
  std::string birth_date;
  std::string sex;
  std::string status;  //!< full | probationary
  std::string initials;
  std::string event_date;
};

//! A mobile number as lists show it: `138****0000` (anything else all asterisks).
std::string MaskPhone(std::string_view phone);

//! Validates `input` as of `today`: the ID number (GB 11643), dates (入党 not before the 18th
//! birthday, 转正 after 入党 and not in the future), the vocabularies, the phone. Errors name the
//! field. Does not look at the database.
Result<PreparedMember> PrepareMember(const MemberInput& input, const std::string& today);

//! The JSON body of POST /api/v1/members as a MemberInput (400 naming a field of the wrong type).
Result<MemberInput> MemberInputFromJson(const boost::json::value& body);

//! Stores a prepared member in an active branch inside `scope`; a duplicate ID number is a 409
//! `member.duplicate_id`. Answers the new id.
Result<std::int64_t> CreateMember(db::Connection& c, const org::SubtreeScope& scope,
                                  const crypto::FieldCipher& cipher, const org::Change& change,
                                  const PreparedMember& member);

//! One member, masked (404 `member.not_found` outside the scope).
Result<boost::json::object> GetMember(db::Connection& c, const org::SubtreeScope& scope,
                                      std::int64_t id);

//! A page of members. `q` is a name prefix, pinyin initials, a full ID number or a phone number;
//! `org_id` limits to that subtree; `status` is a status id, `all`, or empty for current members.
struct MemberQuery {
  std::optional<std::int64_t> org_id;
  std::string q;
  std::string status;
  std::int64_t page = 1;
  std::int64_t page_size = 20;
};
//! The page is answered as JSON text `{"items":[summary…],"total","page","page_size"}`, written
//! straight from the rows.
Result<JsonText> ListMembers(db::Connection& c, const org::SubtreeScope& scope,
                             const crypto::FieldCipher& cipher, const MemberQuery& query);

//! The clear ID and phone numbers, audited with the reason (permission `member.unmask`).
Result<boost::json::object> UnmaskMember(db::Connection& c, const org::SubtreeScope& scope,
                                         const crypto::FieldCipher& cipher,
                                         const org::Change& change, std::int64_t id);

//! The member's events, oldest first.
Result<boost::json::array> EventsOf(db::Connection& c, const org::SubtreeScope& scope,
                                    std::int64_t id);

//! A status change on `change.date` (转正, 停止党籍, 恢复党籍, 出党 with its kind, 死亡), with the
//! event it implies. Refuses impossible transitions (an exited member cannot be 转正).
Result<boost::json::object> ChangeStatus(db::Connection& c, const org::SubtreeScope& scope,
                                         const org::Change& change, std::int64_t id,
                                         const std::string& status, const std::string& exit_kind);

//! Moves an active member to branch `to_org` on `change.date`, writing `out_kind` at the old
//! branch and `in_kind` at the new one (transfer_out/transfer_in, bulk_out/bulk_in). No scope
//! check: callers have done theirs.
Result<void> MoveMember(db::Connection& c, const org::Change& change, std::int64_t member_id,
                        std::int64_t to_org, std::string_view out_kind, std::string_view in_kind);

//! The member's relation leaves the deployment on `change.date` for `destination` (an outgoing
//! transfer whose 回执 came back): a 转出 event, the span closed, the record kept with
//! departed_on/departed_to. No scope check: callers have done theirs.
Result<void> DepartMember(db::Connection& c, const org::Change& change, std::int64_t member_id,
                          const std::string& destination);

//! 流动党员 (党员教育管理工作条例 第三十二条): the member is away from `away_since` at
//! `destination`, optionally attached to an active branch there for organisational life
//! (多重组织生活; the branch may lie outside `scope`). An empty `away_since` ends the absence (the
//! member is back). Audited, with a neutral event on the timeline.
struct Mobility {
  std::string away_since;
  std::string destination;
  std::optional<std::int64_t> attached_org_id;
};
Result<boost::json::object> SetMobility(db::Connection& c, const org::SubtreeScope& scope,
                                        const org::Change& change, std::int64_t id,
                                        const Mobility& mobility);

//! 失去联系 from `since` (empty: contact restored on `change.date`). Audited, with a neutral event.
Result<boost::json::object> SetLostContact(db::Connection& c, const org::SubtreeScope& scope,
                                           const org::Change& change, std::int64_t id,
                                           const std::string& since);

//! 留党察看 (a 党纪处分, 党章 第四十条; rules.md §1.4: no 表决权、选举权和被选举权 meanwhile) from
//! `since`, decided by the competent organisation and recorded here as an event on the timeline;
//! an empty `since` records its end on `change.date` (恢复党员权利). Only a full member can be put
//! under it; the reason (the decision) is required. Audited.
Result<boost::json::object> SetPartyProbation(db::Connection& c, const org::SubtreeScope& scope,
                                              const org::Change& change, std::int64_t id,
                                              const std::string& since);

//! The start of the 留党察看 member `member_id` was under on `date`, or nothing. No scope check:
//! for rules that judge a member's rights (votes of organisational life, elections, sponsors).
Result<std::optional<std::string>> PartyProbationOn(db::Connection& c, std::int64_t member_id,
                                                    const std::string& date);

//! Members of other branches attached to branch `org_id` (流入党员), for organisational life there;
//! `org_id` must be inside `scope`. Only what the destination needs: no personal numbers.
Result<boost::json::array> AttachedMembers(db::Connection& c, const org::SubtreeScope& scope,
                                           std::int64_t org_id);

//! Corrects a member's registry fields (`name`, `phone`, `ethnicity`, `education`, `degree`,
//! `occupation`, `work_unit`, `household`, `address`, `work_started_on`, `category`, `hardship`)
//! when present in `body`; each field is validated as on creation; audited with before/after (no
//! clear numbers). A change of 入党/转正 dates or the ID number is a status or correction matter
//! and is refused here (400 naming the field).
Result<boost::json::object> UpdateMember(db::Connection& c, const org::SubtreeScope& scope,
                                         const crypto::FieldCipher& cipher,
                                         const org::Change& change, std::int64_t id,
                                         const boost::json::object& body);

//! Writes one event (the branch's current path is recorded with it).
Result<void> AddEvent(db::Connection& c, std::int64_t member_id, std::string_view kind,
                      const std::string& date, std::int64_t org_id,
                      std::optional<std::int64_t> other_org, const std::string& reason,
                      std::optional<std::int64_t> account_id);

//! Installs the tree's membership hooks (counts, moves, merges).
void InstallTreeHooks();

}  // namespace zhibu::member

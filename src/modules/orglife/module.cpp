//! 组织生活 (organisational life, spec 04): the records of 三会一课, 主题党日, 组织生活会,
//! 民主评议党员 and the rest, with attendance computed from the registry on the record's date,
//! quorums and the "two halves" votes computed by the server, the higher organisation's review,
//! archiving and linked corrections; the frequency duties and the 6-month rule as compliance
//! rules; a year of demo records.

#include "modules/orglife/attachments.h"
#include "modules/orglife/checkin.h"
#include "modules/orglife/demo.h"
#include "modules/orglife/meeting_store.h"
#include "modules/orglife/routes.h"
#include "modules/orglife/rules.h"
#include "platform/module/manifest.h"

namespace zhibu::modules {

const ModuleManifest& orglife_module() {
  using orglife::kCheckinPermission;
  using orglife::kReadPermission;
  using orglife::kReviewPermission;
  using orglife::kWritePermission;
  static const ModuleManifest manifest{
      .name = "orglife",
      .title = "组织生活",
      .optional = false,
      .depends_on = {"org", "member", "compliance"},
      .migrations =
          [] { return db::MigrationsFromFiles("orglife", embedded::orglife_migrations()); },
      .register_routes = orglife::RegisterRoutes,
      .permissions = {{std::string(kReadPermission), "查看组织生活记录"},
                      {std::string(kWritePermission), "填写、提交、撤回、更正组织生活记录"},
                      {std::string(kReviewPermission), "审核、归档下级组织的组织生活记录"},
                      {std::string(kCheckinPermission),
                       "扫码签到、请假（党员本人，账号须关联党员）"}},
      .role_permissions = {{"org_department_admin",
                            {std::string(kReadPermission), std::string(kWritePermission),
                             std::string(kReviewPermission)}},
                           {"party_committee_secretary",
                            {std::string(kReadPermission), std::string(kWritePermission),
                             std::string(kReviewPermission)}},
                           {"branch_secretary",
                            {std::string(kReadPermission), std::string(kWritePermission)}},
                           {"organising_member",
                            {std::string(kReadPermission), std::string(kWritePermission)}},
                           {"publicity_member", {std::string(kReadPermission)}},
                           {"discipline_member", {std::string(kReadPermission)}},
                           // Self-service only: it acts on the caller's own member.
                           {"party_member", {std::string(kCheckinPermission)}}},
      .encrypted_columns = {},
      .settings =
          {{.key = std::string(orglife::kThemeDaySetting),
            .title = "主题党日固定日期（每月几日）",
            .unit = "日",
            .default_value = 10,
            .min = 1,
            .max = 28,
            .source = "本地做法：党员教育管理工作条例 第十六条要求每月开展1次主题党日，"
                      "“每月相对固定1天”由各地确定（如涪陵每月10日）"},
           {.key = std::string(orglife::kPartyLectureMonthsSetting),
            .title = "党课频次（每几个月至少1次）",
            .unit = "个月",
            .default_value = 3,
            .min = 1,
            .max = 12,
            .source = "本地做法：支部工作条例 第十六条未规定党课次数，“每季度至少1次”"
                      "为常见的地方规定（rules.md §1.4）；自1月起按此月数分段"},
           {.key = std::string(orglife::kDueSoonMonthSetting),
            .title = "每月任务临近期限提醒（提前天数）",
            .unit = "天",
            .default_value = 7,
            .min = 1,
            .max = 27,
            .source = "本地做法：支委会、党小组会、主题党日在期限前多少天尚未开展时黄灯提醒"},
           {.key = std::string(orglife::kDueSoonQuarterSetting),
            .title = "每季度任务临近期限提醒（提前天数）",
            .unit = "天",
            .default_value = 15,
            .min = 1,
            .max = 88,
            .source = "本地做法：支部党员大会、党课在期限前多少天尚未召开时黄灯提醒"},
           {.key = std::string(orglife::kDueSoonYearSetting),
            .title = "每年任务临近期限提醒（提前天数）",
            .unit = "天",
            .default_value = 31,
            .min = 1,
            .max = 364,
            .source = "本地做法：组织生活会（一般安排在第四季度）、民主评议党员在年底前多少天"
                      "尚未开展时黄灯提醒"},
           {.key = std::string(orglife::kAbsenceNoticeSetting),
            .title = "党员未参加组织生活提前提醒（月数）",
            .unit = "个月",
            .default_value = 5,
            .min = 1,
            .max = 5,
            .source = "本地做法：党章 第九条以连续6个月为限，此前多少个月起黄灯提醒党支部"},
           {.key = std::string(orglife::kCheckinBeforeSetting),
            .title = "扫码签到开始时间（计划开始前多少分钟）",
            .unit = "分钟",
            .default_value = 20,
            .min = 0,
            .max = 240,
            .source = "本地做法（spec 04：默认开始前后各20分钟）：党员教育管理工作条例 第十六条"
                      "要求党员按期参加组织生活，签到留下出席的痕迹；含该分钟"},
           {.key = std::string(orglife::kCheckinAfterSetting),
            .title = "扫码签到截止时间（计划开始后多少分钟）",
            .unit = "分钟",
            .default_value = 20,
            .min = 0,
            .max = 240,
            .source = "本地做法（spec 04：默认开始前后各20分钟）；截止的那一分钟内仍可签到"},
           {.key = std::string(orglife::kLeaveCloseSetting),
            .title = "请假截止时间（计划开始前多少分钟）",
            .unit = "分钟",
            .default_value = 20,
            .min = 0,
            .max = 1440,
            .source = "本地做法（spec 04：默认开始前20分钟截止）：党章 第九条以“正当理由”区分"
                      "请假与无故缺席，请假应在会前提出；自截止的那一分钟起不再受理"},
           {.key = std::string(orglife::kAttachmentMaxBytesSetting),
            .title = "组织生活记录附件大小上限",
            .unit = "字节",
            .default_value = orglife::kAttachmentMaxBytesDefault,
            .min = orglife::kAttachmentMaxBytesLowest,
            .max = orglife::kAttachmentMaxBytesHighest,
            .source = "本地做法（spec 04：附件检查大小和类型；spec 02：上传文件有大小上限）："
                      "默认 10 MiB，足够一张手机照片或一份多页扫描件"}},
      .rules = orglife::OrgLifeRules(),
      .periodic_tasks = {},
      .register_commands = orglife::RegisterCommands,
      .load_demo = orglife::LoadDemo,
  };
  return manifest;
}

}  // namespace zhibu::modules

#include "modules/member/vocabulary.h"

#include <array>

namespace zhibu::member {
namespace {

constexpr std::array kStatuses = {
    Term{"full", "正式党员"}, Term{"probationary", "预备党员"}, Term{"suspended", "停止党籍"},
    Term{"exited", "出党"},   Term{"deceased", "死亡"},
};
constexpr std::array kExitKinds = {
    Term{"expelled", "开除党籍"},        Term{"withdrawn", "退党除名"},
    Term{"persuaded", "劝退"},           Term{"persuaded_removed", "劝而不退除名"},
    Term{"self_lapsed", "自行脱党除名"}, Term{"probation_cancelled", "取消预备党员资格"},
    Term{"not_recognised", "不予承认"},
};
constexpr std::array kCategories = {
    Term{"government", "机关"}, Term{"community", "社区"},      Term{"rural", "农村"},
    Term{"retired", "离退休"},  Term{"unemployed", "下岗失业"}, Term{"private", "非公"},
    Term{"mobile", "流动"},
};
constexpr std::array kEducations = {
    Term{"postgraduate", "研究生"}, Term{"bachelor", "大学本科"}, Term{"college", "大学专科"},
    Term{"secondary", "中专"},      Term{"high_school", "高中"},  Term{"junior", "初中及以下"},
};
constexpr std::array kSexes = {Term{"male", "男"}, Term{"female", "女"}};
constexpr std::array kEventKinds = {
    Term{"develop", "发展党员"},
    Term{"rejoin", "重新入党"},
    Term{"restore", "恢复党籍"},
    Term{"transfer_in", "转入组织关系"},
    Term{"bulk_in", "整建制转入"},
    Term{"exit", "出党"},
    Term{"suspend", "停止党籍"},
    Term{"death", "死亡"},
    Term{"transfer_out", "转出组织关系"},
    Term{"bulk_out", "整建制转出"},
    Term{"confirm", "按期转正"},
    Term{"extend_probation", "延长预备期"},
    Term{"update", "信息变更"},
    Term{"mobile_out", "外出流动"},
    Term{"mobile_back", "流动返回"},
    Term{"lost_contact", "失去联系"},
    Term{"contact_restored", "恢复联系"},
    Term{"party_probation", "留党察看"},
    Term{"party_probation_end", "恢复党员权利"},
};

}  // namespace

std::span<const Term> Statuses() { return kStatuses; }
std::span<const Term> ExitKinds() { return kExitKinds; }
std::span<const Term> Categories() { return kCategories; }
std::span<const Term> Educations() { return kEducations; }
std::span<const Term> Sexes() { return kSexes; }
std::span<const Term> EventKinds() { return kEventKinds; }

int Flow(std::string_view kind) {
  if (kind == "develop" || kind == "rejoin" || kind == "restore" || kind == "transfer_in" ||
      kind == "bulk_in") {
    return 1;
  }
  if (kind == "exit" || kind == "suspend" || kind == "death" || kind == "transfer_out" ||
      kind == "bulk_out") {
    return -1;
  }
  return 0;
}

}  // namespace zhibu::member

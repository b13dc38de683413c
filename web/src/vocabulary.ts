// Titles of the contract's codes (docs/api-org-member.md), for charts and selects. The server
// also sends *_title fields beside each code; these are for counts keyed by code.

export const ORG_KIND_TITLES: Record<string, string> = {
  department: '组织部门',
  committee_higher: '上级党委/党工委',
  committee: '基层党委',
  general_branch: '党总支',
  branch: '党支部',
  joint_branch: '联合党支部',
  temporary_branch: '临时党支部',
  group: '党小组',
}

export const ORG_DOMAIN_TITLES: Record<string, string> = {
  rural: '农村',
  community: '城市社区',
  government: '机关',
  institution: '事业单位',
  soe: '国有企业',
  private: '非公企业',
  social: '社会组织',
  school: '学校',
  hospital: '公立医院',
  retired: '离退休',
  other: '其他',
}

export const BRANCH_KINDS = ['branch', 'joint_branch', 'temporary_branch']

/** Member statuses (spec 03) as the status filter offers them. */
export const MEMBER_STATUS_OPTIONS: { value: string; label: string }[] = [
  { value: 'full', label: '正式党员' },
  { value: 'probationary', label: '预备党员' },
  { value: 'suspended', label: '停止党籍' },
  { value: 'exited', label: '出党' },
  { value: 'deceased', label: '死亡' },
  { value: 'departed', label: '已转出' },
]

/** 学历 and 党员类别 as the server's vocabulary has them (src/modules/member/vocabulary.cpp). */
export const EDUCATION_OPTIONS: { value: string; label: string }[] = [
  { value: 'postgraduate', label: '研究生' },
  { value: 'bachelor', label: '大学本科' },
  { value: 'college', label: '大学专科' },
  { value: 'secondary', label: '中专' },
  { value: 'high_school', label: '高中' },
  { value: 'junior', label: '初中及以下' },
]

export const CATEGORY_OPTIONS: { value: string; label: string }[] = [
  { value: 'government', label: '机关' },
  { value: 'community', label: '社区' },
  { value: 'rural', label: '农村' },
  { value: 'retired', label: '离退休' },
  { value: 'unemployed', label: '下岗失业' },
  { value: 'private', label: '非公' },
  { value: 'mobile', label: '流动' },
]

export const MEMBER_COUNT_TITLES: Record<string, string> = {
  male: '男',
  female: '女',
  full: '正式党员',
  probationary: '预备党员',
  suspended: '停止党籍',
  exited: '出党',
  deceased: '死亡',
  postgraduate: '研究生',
  bachelor: '大学本科',
  college: '大学专科',
  secondary: '中专',
  high_school: '高中',
  junior: '初中及以下',
  government: '机关',
  community: '社区',
  rural: '农村',
  retired: '离退休',
  unemployed: '下岗失业',
  private: '非公',
  mobile: '流动',
}

/** Transfer statuses with the server's titles (src/modules/member/transfer_store.cpp). */
export const TRANSFER_STATUS_OPTIONS: { value: string; label: string }[] = [
  { value: 'requested', label: '待审批' },
  { value: 'approved', label: '已开具介绍信' },
  { value: 'received', label: '已接收' },
  { value: 'rejected', label: '已退回' },
  { value: 'cancelled', label: '已撤销' },
]

export const TRANSFER_DIRECTION_TITLES: Record<string, string> = {
  internal: '系统内转接',
  outgoing: '转出本系统',
  incoming: '从系统外转入',
}

export const TRANSFER_DIRECTION_OPTIONS = Object.entries(TRANSFER_DIRECTION_TITLES).map(([value, label]) => ({ value, label }))

/** 民族: the common ones first; the field also takes any other name. */
export const ETHNICITY_SUGGESTIONS = ['汉族', '土家族', '苗族', '回族', '壮族', '满族', '蒙古族', '藏族', '维吾尔族', '彝族', '布依族', '侗族', '瑶族', '白族', '朝鲜族']

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

export const TRANSFER_STATUS_OPTIONS: { value: string; label: string }[] = [
  { value: 'requested', label: '已申请' },
  { value: 'approved', label: '已审批' },
  { value: 'received', label: '已接收' },
  { value: 'rejected', label: '已退回' },
  { value: 'cancelled', label: '已撤回' },
]

export const TRANSFER_DIRECTION_TITLES: Record<string, string> = {
  internal: '系统内',
  outgoing: '转出系统外',
  incoming: '从系统外转入',
}

// Lazy loading of the organisation tree for el-tree and el-tree-select: the roots of the user's
// scope first, then each node's children when it is opened.

import { api } from './api'
import type { OrgSummary } from './types'

export interface TreeNodeLike {
  level: number
  data: OrgSummary | OrgSummary[] | Record<string, unknown>
}

export const orgTreeProps = {
  label: 'name',
  children: 'children',
  isLeaf: (data: OrgSummary) => data.child_count === 0,
}

export async function loadOrgNode(node: TreeNodeLike, resolve: (items: OrgSummary[]) => void, reject?: () => void) {
  try {
    if (node.level === 0) {
      resolve((await api.orgs.roots()).items)
    } else {
      const id = (node.data as OrgSummary).id
      resolve((await api.orgs.children(id)).items)
    }
  } catch {
    if (reject) reject()
    else resolve([])
  }
}

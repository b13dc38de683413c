// Which organisation a 党费 page opens with when its address names none: the organisation chosen
// in the tree, else the first of the user's scope. The ledger is a 党支部's: it opens with one only
// when that choice is a branch (a 组织部 user drills down from 汇总与上缴 instead).

import { api } from '../../api'
import { session } from '../../session'
import { BRANCH_KINDS } from '../../vocabulary'

export interface OrgRef {
  id: number
  name: string
}

/** The organisation chosen in the tree, or the first root of the user's scope. */
export async function defaultOrg(): Promise<OrgRef | null> {
  if (session.org) return { id: session.org.id, name: session.org.name }
  try {
    const root = (await api.orgs.roots()).items[0]
    return root ? { id: root.id, name: root.name } : null
  } catch {
    return null
  }
}

/** The default organisation when it is a branch (the ledger's subject), else null. */
export async function defaultBranch(): Promise<OrgRef | null> {
  const org = await defaultOrg()
  if (!org) return null
  try {
    const detail = await api.orgs.get(org.id, true)
    return BRANCH_KINDS.includes(detail.kind) ? { id: detail.id, name: detail.name } : null
  } catch {
    return null
  }
}

/** A positive id from the address, or null. */
export function idFromQuery(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : NaN
  return Number.isInteger(n) && n > 0 ? n : null
}

/** `YYYY-MM` from the address when it is one and not after `latest`, else `latest`. */
export function monthFromQuery(value: unknown, latest: string): string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value) && value <= latest ? value : latest
}

/** A year from the address when it is one and not after `latest`, else `latest`. */
export function yearFromQuery(value: unknown, latest: number): number {
  const n = typeof value === 'string' && /^\d{4}$/.test(value) ? Number(value) : NaN
  return Number.isInteger(n) && n >= 1900 && n <= latest ? n : latest
}

// Whether an organisation lies in the signed-in user's scope (their grants' subtrees). The server
// answers 404 for an organisation outside, so one quiet GET tells; an account whose scope roots
// include the deployment's root (no parent) sees everything without asking. Answers are kept per
// account for the session.

import { api } from './api'
import { session } from './session'
import type { Transfer } from './types'
import type { TransferSide } from './format'

let owner: number | null = null
let everything: Promise<boolean> | null = null
const known = new Map<number, Promise<boolean>>()

function reset(): void {
  const id = session.me?.id ?? null
  if (id !== owner) {
    owner = id
    everything = null
    known.clear()
  }
}

export function inScope(orgId: number | null | undefined): Promise<boolean> {
  if (!orgId) return Promise.resolve(false)
  reset()
  everything ??= api.orgs.roots().then(
    (r) => r.items.some((o) => o.parent_id === null),
    () => false,
  )
  let answer = known.get(orgId)
  if (!answer) {
    answer = everything.then((all) =>
      all
        ? true
        : api.orgs.get(orgId, true).then(
            () => true,
            () => false,
          ),
    )
    known.set(orgId, answer)
  }
  return answer
}

/** The user's side of a transfer (see format.ts transferActions). */
export async function transferSide(
  transfer: Pick<Transfer, 'from_org_id' | 'to_org_id'>,
  canApprove: boolean,
): Promise<TransferSide> {
  const [sender, receiver] = await Promise.all([inScope(transfer.from_org_id), inScope(transfer.to_org_id)])
  return { sender, receiver, approver: sender && canApprove }
}

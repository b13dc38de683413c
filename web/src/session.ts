// The signed-in account (GET /api/v1/me) and the organisation the user is working on.

import { reactive } from 'vue'
import { ApiError, api, setCsrfToken } from './api'
import type { Me, OrgSummary } from './types'

export const session = reactive({
  me: null as Me | null,
  loaded: false,
  /** The organisation chosen in the tree (or the first root of the user's scope). */
  org: null as Pick<OrgSummary, 'id' | 'name'> | null,
  /** The ids of the chosen organisation's ancestors, top first (the tree opens them). */
  orgPath: [] as number[],
})

/** Loads the account; null when not signed in. */
export async function loadMe(): Promise<Me | null> {
  try {
    const me = await api.auth.me()
    session.me = me
    setCsrfToken(me.csrf_token)
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    session.me = null
    setCsrfToken('')
  }
  session.loaded = true
  return session.me
}

export function clearSession(): void {
  session.me = null
  session.org = null
  session.orgPath = []
  setCsrfToken('')
}

/** Where a signed-in account must go before anything else, if anywhere. */
export function pendingSetupRoute(me: Me | null): string | null {
  if (!me) return '/login'
  if (me.password_expired) return '/password'
  if (me.totp_enrollment_required) return '/totp'
  return null
}

/** True when the account holds a business role on some organisation (the 三员 hold none). */
export function hasOrgScope(me: Me | null = session.me): boolean {
  return !!me?.grants.some((g) => g.organisation_id !== null && g.organisation_id !== undefined)
}

export function can(permission: string): boolean {
  return !!session.me?.permissions.includes(permission)
}

/** The user's role titles, for the header. */
export function roleTitles(me: Me | null): string {
  if (!me) return ''
  return [...new Set(me.grants.map((g) => g.title))].join('、')
}

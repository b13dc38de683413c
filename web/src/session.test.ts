import { describe, expect, it } from 'vitest'
import { hasOrgScope, pendingSetupRoute, roleTitles } from './session'
import type { Me } from './types'

const me = (over: Partial<Me> = {}): Me => ({
  id: 1,
  username: 'zuzhibu',
  display_name: '演示组织部管理员',
  grants: [{ id: 1, role: 'org_department_admin', title: '组织部管理员', organisation_id: 1 }],
  permissions: ['org.read'],
  csrf_token: 'x',
  password_expired: false,
  totp_enrollment_required: false,
  ...over,
})

describe('session', () => {
  it('sends an account to the setup it still owes', () => {
    expect(pendingSetupRoute(null)).toBe('/login')
    expect(pendingSetupRoute(me({ password_expired: true, totp_enrollment_required: true }))).toBe('/password')
    expect(pendingSetupRoute(me({ totp_enrollment_required: true }))).toBe('/totp')
    expect(pendingSetupRoute(me())).toBeNull()
  })

  it('tells business accounts from the 三员', () => {
    expect(hasOrgScope(me())).toBe(true)
    expect(hasOrgScope(me({ grants: [{ id: 2, role: 'system_admin', title: '系统管理员', organisation_id: null }] }))).toBe(false)
    expect(hasOrgScope(null)).toBe(false)
  })

  it('lists role titles once each', () => {
    const two = me({
      grants: [
        { id: 1, role: 'branch_secretary', title: '支部书记', organisation_id: 4 },
        { id: 2, role: 'branch_secretary', title: '支部书记', organisation_id: 5 },
        { id: 3, role: 'organiser', title: '组织委员', organisation_id: 5 },
      ],
    })
    expect(roleTitles(two)).toBe('支部书记、组织委员')
  })
})

import { describe, expect, it } from 'vitest'
import { mayEnter, refusalMessage, routePermission } from './access'
import type { Me } from './types'

const account = (permissions: string[]): Me => ({
  id: 1,
  username: 'u',
  display_name: 'u',
  grants: [],
  permissions,
  csrf_token: 'x',
  password_expired: false,
  totp_enrollment_required: false,
})

describe('access', () => {
  it('lets anyone signed in open a route without a permission', () => {
    expect(routePermission({ title: '工作台' })).toBeNull()
    expect(mayEnter({ title: '工作台' }, account([]))).toBe(true)
  })

  it('opens the audit page to holders of audit.read only', () => {
    const meta = { title: '审计日志', permission: 'audit.read' }
    expect(routePermission(meta)).toBe('audit.read')
    expect(mayEnter(meta, account(['audit.read']))).toBe(true)
    expect(mayEnter(meta, account(['org.read', 'member.read', 'member.unmask']))).toBe(false)
    expect(mayEnter(meta, account(['account.read', 'grant.change']))).toBe(false)
    expect(mayEnter(meta, null)).toBe(false)
  })

  it('names the refused page', () => {
    expect(refusalMessage({ title: '审计日志' })).toBe('您的账号没有访问“审计日志”的权限')
    expect(refusalMessage({})).toBe('您的账号没有访问该页面的权限')
  })
})

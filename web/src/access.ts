// Pages that only some roles may open: the route's `meta.permission` against the signed-in
// account's permissions (GET /api/v1/me). The server refuses the calls anyway (403, audited);
// this keeps a person from landing on a page that can only fail, and tells them why.

import type { Me } from './types'

/** The permission a route asks for, when it asks for one. */
export function routePermission(meta: Record<string | number | symbol, unknown>): string | null {
  return typeof meta.permission === 'string' && meta.permission ? meta.permission : null
}

/** Whether `me` may open a route with this `meta`. */
export function mayEnter(meta: Record<string | number | symbol, unknown>, me: Me | null): boolean {
  const needed = routePermission(meta)
  return needed === null || !!me?.permissions.includes(needed)
}

/** The message shown when a route is refused. */
export function refusalMessage(meta: Record<string | number | symbol, unknown>): string {
  const title = typeof meta.title === 'string' && meta.title ? `“${meta.title}”` : '该页面'
  return `您的账号没有访问${title}的权限`
}

import { describe, expect, it } from 'vitest'
import script from '../public/entry.js?raw'
import copy from '../public/m/entry.js?raw'

// public/entry.js (and its copy public/m/entry.js) turns the QR code's /m/checkin?t= into the
// console's hash route before the console loads.

function run(pathname: string, search = '', hash = ''): string | null {
  let replaced: string | null = null
  const location = { pathname, search, hash, replace: (to: string) => (replaced = to) }
  new Function('window', script)({ location })
  return replaced
}

describe('the entry script', () => {
  it('sends the QR code’s address to the check-in route, keeping the token and any prefix', () => {
    expect(run('/m/checkin', '?t=abc_-9')).toBe('/#/m/checkin?t=abc_-9')
    expect(run('/zhibu/m/checkin/', '?t=x')).toBe('/zhibu/#/m/checkin?t=x')
  })

  it('leaves every other address alone', () => {
    expect(run('/')).toBeNull()
    expect(run('/zhibu/', '', '#/orglife/calendar')).toBeNull()
    expect(run('/m/checkin', '?t=x', '#/m/checkin?t=x')).toBeNull()
    expect(run('/m/checkins')).toBeNull()
  })

  it('has the same copy under m/ (the relative src resolves there on /m/checkin)', () => {
    expect(copy).toBe(script)
  })
})

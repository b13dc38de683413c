// 审计日志: the audit administrator signs in for the first time (new password, authenticator
// enrolment with a code computed here per RFC 6238), finds the logins this test made, filters the
// trail, opens one record's before/after detail and verifies the hash chain; a 组织部管理员 has
// no menu entry and is refused on the route — and by the server.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AUDITOR,
  DESKTOP,
  ORG_ADMIN,
  apiGet,
  base32Decode,
  firstAdministratorLogIn,
  launchBrowser,
  logIn,
  newPage,
  settle,
  startServer,
  totpCode,
} from './harness.mjs'

test('TOTP codes follow RFC 6238 (appendix B, SHA-1)', () => {
  const secret = Buffer.from('12345678901234567890')
  assert.equal(totpCode(secret, Math.floor(59 / 30), 8), '94287082')
  assert.equal(totpCode(secret, Math.floor(1111111109 / 30), 8), '07081804')
  assert.equal(totpCode(secret, Math.floor(20000000000 / 30), 8), '65353130')
  assert.deepEqual(base32Decode('GEZD GNBV GY3T QOJQ'), Buffer.from('1234567890'))
})

/** The rows of the audit table as {seq, actor, action, result}. */
async function rows(page) {
  await settle(page)
  return page.locator('[data-test="audit-table"] .el-table__body-wrapper tr.audit-row').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())
      return { seq: Number(cells[0]), actor: cells[2].split('\n')[0], action: cells[3].split('\n').pop(), result: cells[5] }
    }),
  )
}

async function waitForRows(page, predicate, what) {
  for (let i = 0; i < 50; i++) {
    const seen = await rows(page)
    if (seen.length > 0 && predicate(seen)) return seen
    await page.waitForTimeout(200)
  }
  assert.fail(`the audit table never showed ${what}: ${JSON.stringify(await rows(page))}`)
}

test('the audit administrator reads, filters and verifies the trail; nobody else can', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  const pages = []
  try {
    // Events for the auditor to find: a failed login and the 组织部管理员's first login.
    const wrong = await fetch(server.base + 'api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'zuzhibu', password: 'Not-the-password#1' }),
    })
    assert.equal(wrong.status, 401)
    const admin = await newPage(browser, DESKTOP)
    pages.push(admin)
    await logIn(admin, server.base, server.login(ORG_ADMIN))

    // The 组织部管理员: no 审计日志 in the menu, refused on the route, refused by the server.
    const adminMenu = await admin.locator('.top-nav .el-menu-item').allTextContents()
    assert.ok(adminMenu.includes('党员'), `the business menu is there: ${adminMenu}`)
    assert.ok(!adminMenu.some((t) => t.includes('审计')), `no audit entry for the 组织部管理员: ${adminMenu}`)
    await admin.goto(server.base + '#/audit')
    await admin.getByText('您的账号没有访问“审计日志”的权限').waitFor()
    await admin.waitForURL((url) => url.hash === '#/')
    assert.equal(await admin.locator('[data-test="audit-table"]').count(), 0)
    const refused = await admin.evaluate(async () => (await fetch('api/v1/audit', { credentials: 'same-origin' })).status)
    assert.equal(refused, 403, 'the server refuses the trail to the 组织部管理员')

    // The audit administrator's first login: password, then the authenticator.
    const page = await newPage(browser, DESKTOP)
    pages.push(page)
    const auditor = server.login(AUDITOR)
    await firstAdministratorLogIn(page, server.base, auditor)
    const menu = await page.locator('.top-nav .el-menu-item').allTextContents()
    const titles = menu.map((t) => t.trim())
    assert.ok(titles.includes('审计日志'), `the auditor sees the audit page: ${titles}`)
    for (const business of ['组织', '党员', '组织关系转接', '预警', '导入', '统计']) {
      assert.ok(!titles.includes(business), `not the business page ${business}: ${titles}`)
    }
    await page.locator('.top-nav .el-menu-item', { hasText: '审计日志' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#/audit'))

    // The logins of this test are there, newest first.
    const all = await waitForRows(
      page,
      (r) => r.some((x) => x.actor === auditor.username && x.action === 'auth.login'),
      'the auditor’s own login',
    )
    assert.ok(all.some((x) => x.actor === 'zuzhibu' && x.action === 'auth.login' && x.result === '成功'), 'the 组织部管理员 login')
    assert.ok(all.some((x) => x.actor === 'zuzhibu' && x.action === 'auth.login' && x.result === '失败'), 'the failed login')
    for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].seq > all[i].seq, 'newest first')

    // Filter: one actor's logins.
    await page.locator('input[data-test="audit-actor"]').fill('zuzhibu')
    await page.locator('[data-test="audit-action"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '登录（auth.login）' }).click()
    const logins = await waitForRows(page, (r) => r.every((x) => x.actor === 'zuzhibu' && x.action === 'auth.login'), 'only zuzhibu’s logins')
    assert.deepEqual([...new Set(logins.map((x) => x.result))].sort(), ['失败', '成功'])
    assert.match(page.url(), /actor=zuzhibu/)
    assert.match(page.url(), /action=auth\.login/)
    // …and only the failures.
    await page.locator('[data-test="audit-result"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '失败' }).click()
    const failures = await waitForRows(page, (r) => r.length === 1 && r[0].result === '失败', 'the one failed login')
    assert.equal(failures[0].actor, 'zuzhibu')
    // A time range that ends before the test began holds nothing.
    await page.getByRole('button', { name: '重置' }).click()
    await waitForRows(page, (r) => r.length > 5, 'everything again')
    const range = page.locator('.el-date-editor--datetimerange input')
    await range.first().fill('2000-01-01 00:00:00')
    await range.nth(1).fill('2000-12-31 23:59:59')
    await range.nth(1).press('Enter')
    await page.getByText('没有符合条件的审计记录').waitFor()
    assert.match(decodeURIComponent(page.url()), /from=2000-01-01T00:00:00&to=2000-12-31T23:59:59/)
    assert.equal(await page.locator('.el-message--error').count(), 0, 'the server took the range')
    await page.getByRole('button', { name: '重置' }).click()

    // One record in detail: the demo's grant of this very role, with before and after.
    await page.locator('[data-test="audit-action"]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '授权（grant.）' }).click()
    await waitForRows(page, (r) => r.length >= 5 && r.every((x) => x.action === 'grant.create'), 'the grants')
    const grants = await apiGet(page, `api/v1/audit?action=grant.&size=200`)
    const mine = grants.items.find((e) => JSON.stringify(e.detail.after).includes('audit_admin'))
    assert.ok(mine, 'the grant of audit_admin is recorded')
    await page.locator(`tr.audit-row-${mine.seq} [data-test="audit-open"]`).click()
    const drawer = page.locator('[data-test="audit-detail"]')
    await drawer.waitFor()
    assert.equal((await drawer.locator('[data-test="audit-detail-target"]').textContent()).trim(), mine.target)
    assert.ok((await drawer.locator('[data-test="audit-after"]').textContent()).includes('audit_admin'))
    assert.equal((await drawer.locator('[data-test="audit-before"]').textContent()).trim(), '[]')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })

    // Verify the chain.
    await page.locator('[data-test="audit-verify"]').click()
    const verdict = page.locator('[data-test="audit-verdict"]')
    await verdict.waitFor()
    assert.match(await verdict.textContent(), /审计哈希链完整/)
    const report = await apiGet(page, 'api/v1/audit/verify')
    assert.equal(report.intact, true)
    assert.ok((await verdict.textContent()).includes(`${report.events} 条`), 'the verdict counts the events checked')

    for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})

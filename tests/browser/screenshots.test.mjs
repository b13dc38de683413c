// Visits every page of the console at desktop (1366×768) and phone (390×844) sizes and saves a
// screenshot of each to build/screenshots/ (the CI artefact folder), failing on any uncaught
// error in the page.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  AUDITOR,
  BRANCH_KINDS,
  BRANCH_SECRETARY,
  DESKTOP,
  ORG_ADMIN,
  PHONE,
  SCREENSHOTS,
  apiGet,
  findOrg,
  firstAdministratorLogIn,
  freshPassword,
  launchBrowser,
  logIn,
  newPage,
  screenshot,
  settle,
  startServer,
} from './harness.mjs'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

async function visit(page, url, ready) {
  await page.goto(url)
  await settle(page)
  if (ready) await ready()
  await sleep(300)
}

/** The pages of the console, in the order a person would meet them. */
async function tour(page, base, size, facts) {
  const shots = []
  const shoot = async (name) => shots.push(await screenshot(page, `${size}-${name}`))

  await visit(page, `${base}#/`, () => page.locator('.stat-value').first().waitFor())
  await shoot('03-home')

  if (size === 'phone') {
    await page.locator('[data-test="menu-button"]').click()
    await page.locator('.el-drawer [data-test="org-tree"] .el-tree-node').first().waitFor()
    await sleep(400)
    await shoot('03b-drawer')
    await page.keyboard.press('Escape')
    await sleep(400)
  }

  await visit(page, `${base}#/orgs/${facts.root.id}`, () => page.locator('[data-test="org-name"]').waitFor())
  await shoot('04-org-root')
  await page.getByRole('tab', { name: /下级组织/ }).click()
  await sleep(300)
  await shoot('04b-org-root-children')

  await visit(page, `${base}#/orgs/${facts.branch.id}`, () => page.locator('[data-test="org-name"]').waitFor())
  await page.getByRole('tab', { name: '班子' }).click()
  await sleep(300)
  await shoot('05-org-branch-committee')
  await page.getByRole('tab', { name: '党员', exact: true }).click()
  await settle(page)
  await shoot('05b-org-branch-members')
  await page.getByRole('tab', { name: '沿革' }).click()
  await settle(page)
  await shoot('05c-org-branch-history')
  if (size === 'desktop') {
    await page.getByRole('tab', { name: '概况' }).click()
    await page.getByRole('button', { name: '调整隶属关系' }).click()
    await page.locator('.el-dialog').waitFor()
    await sleep(400)
    await shoot('05d-org-move-dialog')
    await page.keyboard.press('Escape')
  }

  await visit(page, `${base}#/members`, () => page.locator('[data-test="member-table"] .el-table__row').first().waitFor())
  await shoot('06-members')

  await visit(page, `${base}#/members/${facts.member.id}`, () => page.locator('[data-test="member-events"]').waitFor())
  await shoot('07-member')

  await visit(page, `${base}#/transfers`)
  await shoot('08-transfers')
  await page.locator('[data-test="new-transfer"]').click()
  await page.locator('.el-dialog').waitFor()
  await sleep(400)
  await shoot('08b-transfer-dialog')
  await page.keyboard.press('Escape')

  await visit(page, `${base}#/imports`)
  await shoot('09-imports')

  await visit(page, `${base}#/stats?org=${facts.root.id}`, () => page.locator('.chart-card canvas').first().waitFor({ timeout: 30_000 }))
  await sleep(1200) // chart animations
  await shoot('10-stats')
  if (size === 'desktop') {
    // The as-of date picker: the same subtree on 2000-01-01 has fewer members.
    const today = await page.locator('.figure .value').nth(1).textContent()
    const input = page.locator('.date input')
    await input.fill('2000-01-01')
    await Promise.all([page.waitForResponse((r) => r.url().includes('as_of=2000-01-01') && r.ok()), input.press('Enter')])
    await page.getByText('截至 2000年1月1日').waitFor()
    const then = await page.locator('.figure .value').nth(1).textContent()
    assert.ok(Number(then) < Number(today), `fewer members on 2000-01-01 (${then}) than today (${today})`)
    await sleep(1200)
    await shoot('10b-stats-2000')
  }

  return shots
}

test('every page at desktop and phone size, with screenshots', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  const pages = []
  try {
    const admin = server.login(ORG_ADMIN)

    // Desktop: the login page, the forced password change, then every page.
    const desktop = await newPage(browser, DESKTOP)
    pages.push(desktop)
    await desktop.goto(`${server.base}#/login`)
    await desktop.locator('input[name="username"]').waitFor()
    await screenshot(desktop, 'desktop-01-login')
    await desktop.locator('input[name="username"]').fill(admin.username)
    await desktop.locator('input[name="password"]').fill(admin.password)
    await desktop.locator('[data-test="login-submit"]').click()
    await desktop.waitForURL((url) => url.hash.startsWith('#/password'))
    await desktop.locator('input[name="current_password"]').waitFor()
    await screenshot(desktop, 'desktop-02-password-change')
    const password = freshPassword()
    await desktop.locator('input[name="current_password"]').fill(admin.password)
    await desktop.locator('input[name="new_password"]').fill(password)
    await desktop.locator('input[name="new_password_again"]').fill(password)
    await desktop.locator('[data-test="password-submit"]').click()
    await desktop.locator('[data-test="user-menu"]').waitFor()

    const root = (await apiGet(desktop, 'api/v1/orgs/roots')).items[0]
    const branch = await findOrg(desktop, async (o) => BRANCH_KINDS.includes(o.kind) && o.member_count >= 7)
    assert.ok(root && branch, 'the demo has a root and a branch')
    const member = (await apiGet(desktop, `api/v1/members?org=${branch.id}&page_size=1`)).items[0]
    assert.ok(member, 'the branch has a member')
    const facts = { root, branch, member }
    const desktopShots = await tour(desktop, server.base, 'desktop', facts)

    // Phone: the login page, then the same tour with the tree in a drawer.
    const phone = await newPage(browser, PHONE)
    pages.push(phone)
    await phone.goto(`${server.base}#/login`)
    await phone.locator('input[name="username"]').waitFor()
    await screenshot(phone, 'phone-01-login')
    await logIn(phone, server.base, { username: admin.username, password })
    const phoneShots = await tour(phone, server.base, 'phone', facts)

    // On a phone the page never scrolls sideways.
    for (const url of ['#/', '#/members', '#/transfers', '#/imports', '#/stats']) {
      await visit(phone, server.base + url)
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      assert.ok(overflow <= 1, `${url} fits the phone's width (overflow ${overflow}px)`)
    }

    // The 支部书记 sees only their own branch: the tree has that one root.
    const secretary = await newPage(browser, DESKTOP)
    pages.push(secretary)
    await logIn(secretary, server.base, server.login(BRANCH_SECRETARY))
    await secretary.locator('[data-test="org-tree"] .el-tree-node').first().waitFor()
    const scopeRoots = (await apiGet(secretary, 'api/v1/orgs/roots')).items
    assert.equal(scopeRoots.length, 1, 'the 支部书记 has one organisation in scope')
    assert.ok(BRANCH_KINDS.includes(scopeRoots[0].kind), 'and it is a branch')
    const treeRoots = await secretary.locator('[data-test="org-tree"] .el-tree > .el-tree-node > .el-tree-node__content').allTextContents()
    assert.equal(treeRoots.length, 1, `the tree shows one root: ${treeRoots.join(' | ')}`)
    assert.ok(treeRoots[0].includes(scopeRoots[0].name), `the tree's root is ${scopeRoots[0].name}`)
    await visit(secretary, `${server.base}#/`, () => secretary.locator('.stat-value').first().waitFor())
    await screenshot(secretary, 'desktop-11-branch-secretary-home')

    // The 审计管理员 (after the authenticator enrolment): the audit page, a verified chain and one
    // record's detail; the same session on a phone.
    const auditor = await newPage(browser, DESKTOP)
    pages.push(auditor)
    await firstAdministratorLogIn(auditor, server.base, server.login(AUDITOR))
    const auditShots = []
    const auditTour = async (page, size) => {
      await visit(page, `${server.base}#/audit`, () => page.locator('[data-test="audit-table"] tr.audit-row').first().waitFor())
      await page.locator('[data-test="audit-verify"]').click()
      await page.locator('[data-test="audit-verdict"]').waitFor()
      await sleep(300)
      auditShots.push(await screenshot(page, `${size}-12-audit`))
      await visit(page, `${server.base}#/audit?action=grant.`, () => page.locator('[data-test="audit-table"] tr.audit-row').first().waitFor())
      await page.locator('[data-test="audit-table"] tr.audit-row').first().click()
      await page.locator('[data-test="audit-after"]').waitFor()
      await sleep(500)
      auditShots.push(await screenshot(page, `${size}-12b-audit-detail`, { fullPage: false }))
      await page.keyboard.press('Escape')
    }
    await auditTour(auditor, 'desktop')
    const auditorPhone = await newPage(browser, PHONE)
    pages.push(auditorPhone)
    await auditorPhone.context().addCookies(await auditor.context().cookies())
    await auditTour(auditorPhone, 'phone')
    await visit(auditorPhone, `${server.base}#/audit`)
    const auditOverflow = await auditorPhone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(auditOverflow <= 1, `#/audit fits the phone's width (overflow ${auditOverflow}px)`)

    console.log(`screenshots: ${desktopShots.length + phoneShots.length + 4 + auditShots.length} in ${SCREENSHOTS}`)
    for (const p of pages) assert.deepEqual(p.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})

// 组织关系转接 through the console: a member of one branch is transferred to a sibling branch
// (request → approve → receive) and then appears in the new branch; until receipt they stay in
// the old one.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BRANCH_KINDS, ORG_ADMIN, apiGet, findOrg, launchBrowser, logIn, missingRoutes, newPage, pickOrg, settle, startServer } from './harness.mjs'

async function confirmBox(page) {
  const box = page.locator('.el-message-box')
  await box.waitFor()
  await box.getByRole('button', { name: '确定' }).click()
  await box.waitFor({ state: 'hidden' })
}

const ROUTES = [
  '/api/v1/transfers',
  '/api/v1/transfers/{id}',
  '/api/v1/transfers/{id}/letter',
  '/api/v1/transfers/{id}/approve',
  '/api/v1/transfers/{id}/receive',
]

test('transfer a member between two branches: request, approve, receive', async (t) => {
  const server = await startServer()
  const missing = await missingRoutes(server, ROUTES)
  if (missing.length > 0) {
    await server.stop()
    t.skip(`pending: the server does not offer ${missing.join(', ')} yet`)
    return
  }
  const browser = await launchBrowser()
  try {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    // Two active sibling branches, the first with members.
    let from = null
    let to = null
    await findOrg(page, async (parent) => {
      if (parent.child_count < 2) return false
      const kids = (await apiGet(page, `api/v1/orgs/${parent.id}/children`)).items.filter(
        (o) => o.status === 'active' && BRANCH_KINDS.includes(o.kind),
      )
      const withMembers = kids.find((o) => o.member_count >= 2)
      const other = kids.find((o) => o !== withMembers)
      if (!withMembers || !other) return false
      from = withMembers
      to = other
      return true
    })
    assert.ok(from && to, 'the demo has two sibling branches')
    const member = (await apiGet(page, `api/v1/members?org=${from.id}&status=full&page_size=20`)).items[0]
    assert.ok(member, `${from.name} has a full member`)

    // From the member's page: 发起转接 opens the dialog with the member filled in.
    await page.goto(`${server.base}#/members/${member.id}`)
    await page.getByRole('button', { name: '发起转接' }).click()
    await page.waitForURL((url) => url.hash.startsWith('#/transfers'))
    const dialog = page.locator('.el-dialog').filter({ hasText: '发起组织关系转接' })
    await dialog.waitFor()

    // The destination: open the tree picker and walk down the ancestors to the branch.
    await pickOrg(page, dialog.locator('.org-picker'), to.id)
    await dialog.locator('textarea').fill('工作调动（浏览器测试）')
    await dialog.locator('[data-test="submit-transfer"]').click()
    await dialog.waitFor({ state: 'hidden' })

    // The new transfer, as the server has it.
    const transfers = (await apiGet(page, 'api/v1/transfers')).items.filter((t) => t.member_id === member.id && t.to_org_id === to.id)
    assert.equal(transfers.length, 1, 'one transfer was created')
    const transfer = transfers[0]
    assert.equal(transfer.status, 'requested')
    const row = page.locator(`[data-test="transfer-table"] tr.transfer-${transfer.id}`)
    await row.waitFor()

    // Until receipt the member stays in the sending branch.
    assert.equal((await apiGet(page, `api/v1/members/${member.id}`)).org_id, from.id)

    await row.locator('[data-test="transfer-approve"]').click()
    await confirmBox(page)
    await row.locator('[data-test="transfer-receive"]').waitFor()
    assert.equal((await apiGet(page, `api/v1/transfers/${transfer.id}`)).status, 'approved')

    // The printable letter (介绍信) is linked from the row.
    const href = await row.locator('[data-test="letter-link"]').getAttribute('href')
    const letter = await page.evaluate(async (h) => (await fetch(h, { credentials: 'same-origin' })).text(), href)
    assert.ok(letter.includes(member.name), 'the letter names the member')

    await row.locator('[data-test="transfer-receive"]').click()
    await confirmBox(page)
    await page.waitForFunction(
      (id) => !document.querySelector(`tr.transfer-${id} [data-test="transfer-receive"]`),
      transfer.id,
    )
    assert.equal((await apiGet(page, `api/v1/transfers/${transfer.id}`)).status, 'received')

    // The member is now listed in the receiving branch (its 党员 tab).
    await page.goto(`${server.base}#/orgs/${to.id}`)
    await page.locator('[data-test="org-name"]').getByText(to.name).waitFor()
    await page.getByRole('tab', { name: '党员' }).click()
    await settle(page)
    await page.locator('[data-test="member-table"]').getByRole('link', { name: member.name, exact: true }).first().waitFor()
    assert.equal((await apiGet(page, `api/v1/members/${member.id}`)).org_id, to.id)

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})

// The organisation page: move a branch under another town's committee with the 调整隶属关系
// dialog (its picker walks the lazily loaded tree), then see the new ancestors in the breadcrumb
// and the move in the 沿革 tab.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BRANCH_KINDS, ORG_ADMIN, apiGet, launchBrowser, logIn, newPage, pickOrg, settle, startServer } from './harness.mjs'

test('move a branch to another parent through the organisation page', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    // Two towns under the root; a branch of the first one moves under the second.
    const root = (await apiGet(page, 'api/v1/orgs/roots')).items[0]
    const towns = (await apiGet(page, `api/v1/orgs/${root.id}/children`)).items.filter((o) => o.status === 'active' && o.child_count > 0)
    assert.ok(towns.length >= 2, 'the demo has two towns')
    const [from, to] = towns
    const branch = (await apiGet(page, `api/v1/orgs/${from.id}/children`)).items.find((o) => o.status === 'active' && BRANCH_KINDS.includes(o.kind))
    assert.ok(branch, `${from.name} has a branch`)

    // Through the tree: open the branch from its town.
    await page.goto(`${server.base}#/orgs/${from.id}`)
    await page.getByRole('tab', { name: /下级组织/ }).click()
    await page.locator('[data-test="org-children"]').getByRole('link', { name: branch.name, exact: true }).click()
    await page.waitForURL((url) => url.hash === `#/orgs/${branch.id}`)
    await page.locator('[data-test="org-breadcrumb"]').getByText(from.name).waitFor()

    await page.getByRole('button', { name: '调整隶属关系' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '调整隶属关系' })
    await dialog.waitFor()
    await pickOrg(page, dialog.locator('.org-picker'), to.id)
    await dialog.locator('textarea').fill('区委组织部 2026 年 1 号文件（浏览器测试）')
    await dialog.getByRole('button', { name: '确定' }).click()
    await dialog.waitFor({ state: 'hidden' })

    await page.locator('[data-test="org-breadcrumb"]').getByText(to.name).waitFor()
    assert.equal((await apiGet(page, `api/v1/orgs/${branch.id}`)).parent_id, to.id, 'the server has the new parent')
    await page.getByRole('tab', { name: '沿革' }).click()
    await settle(page)
    await page.locator('.history').getByText('区委组织部 2026 年 1 号文件（浏览器测试）').waitFor()

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})

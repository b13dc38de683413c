// Log in as the demo's 组织部管理员, find a member by pinyin initials in the 党员 list and open
// their page (profile with masked numbers, unmask with a reason, event timeline).

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BRANCH_KINDS, ORG_ADMIN, apiGet, findOrg, launchBrowser, logIn, newPage, pinyinInitials, settle, startServer } from './harness.mjs'

test('find a member by pinyin initials and open their page', async () => {
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    const page = await newPage(browser)
    await logIn(page, server.base, server.login(ORG_ADMIN))

    // A branch with members, and a member whose initials the server's search finds there
    // (the server's own answer decides, so a polyphonic surname cannot make this flaky).
    const branch = await findOrg(page, async (o) => BRANCH_KINDS.includes(o.kind) && o.member_count >= 3)
    assert.ok(branch, 'the demo has a branch with members')
    const members = (await apiGet(page, `api/v1/members?org=${branch.id}&page_size=50`)).items
    let target = null
    for (const m of members) {
      const q = pinyinInitials(m.name)
      if (q.length < 2) continue
      const found = await apiGet(page, `api/v1/members?org=${branch.id}&q=${q}&page_size=100`)
      if (found.items.some((x) => x.id === m.id)) {
        target = { ...m, q }
        break
      }
    }
    assert.ok(target, `a member of ${branch.name} is found by pinyin initials`)

    // The 党员 page, limited to the branch, searched by initials like a person would.
    await page.goto(`${server.base}#/members?org=${branch.id}`)
    await settle(page)
    const search = page.locator('input[data-test="member-search"]')
    await search.fill(target.q)
    await search.press('Enter')
    await page.waitForURL((url) => url.hash.includes(`q=${target.q}`))
    await settle(page)
    await page.getByText('按拼音首字母查找').waitFor()
    const rows = page.locator('[data-test="member-table"] .el-table__body-wrapper tr')
    const link = rows.getByRole('link', { name: target.name, exact: true }).first()
    await link.waitFor()
    // Every row shown carries a masked ID number.
    const idCells = await page.locator('[data-test="member-table"] .el-table__body-wrapper .zb-mono').allTextContents()
    assert.ok(idCells.some((t) => t.includes('*')), 'ID numbers are masked in the list')

    await link.click()
    await page.waitForURL((url) => url.hash.startsWith(`#/members/${target.id}`))
    await page.locator('[data-test="member-name"]').getByText(target.name).waitFor()
    const masked = await page.locator('[data-test="id-number"]').textContent()
    assert.match(masked, /\*/, 'the profile shows the masked ID number first')
    await page.locator('[data-test="member-events"]').waitFor()

    // 查看完整信息: asks a reason, then shows the full number.
    await page.locator('[data-test="unmask"]').click()
    const box = page.locator('.el-message-box')
    await box.locator('input').fill('核对身份信息（浏览器测试）')
    await box.getByRole('button', { name: '查看' }).click()
    await page.waitForFunction(() => !document.querySelector('[data-test="id-number"]')?.textContent?.includes('*'))
    const full = await page.locator('[data-test="id-number"]').textContent()
    assert.match(full.trim(), /^\d{17}[\dX]$/, 'the unmasked ID number is shown')

    assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)})`)
  }
})

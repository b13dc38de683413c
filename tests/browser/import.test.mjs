// 导入 through the console: a CSV in the server's own template layout with one bad row (an ID
// number whose GB 11643 check digit is wrong) is refused as a whole, and the report names that
// row; the same file without the bad row then imports.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { BRANCH_KINDS, ORG_ADMIN, apiGet, findOrg, logIn, newPage, settle, withServer } from './harness.mjs'

const ROUTES = ['/api/v1/imports', '/api/v1/imports/{id}', '/api/v1/imports/template']

/** GB 11643-1999 check digit of the first 17 digits. */
export function checkDigit(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return '10X98765432'[sum % 11]
}

function person(i, seed) {
  const month = String(1 + ((seed + i) % 12)).padStart(2, '0')
  const day = String(1 + ((seed * 7 + i) % 28)).padStart(2, '0')
  const sequence = String(100 + ((seed + i * 37) % 899)).padStart(3, '0')
  const first17 = `500102${1980 + i}${month}${day}${sequence}`
  const male = Number(sequence[2]) % 2 === 1
  return {
    name: ['测试甲', '测试乙', '测试丙', '测试丁'][i],
    id: first17 + checkDigit(first17),
    sex: male ? '男' : '女',
    birth: `${1980 + i}-${month}-${day}`,
    phone: `139${String(seed).padStart(4, '0').slice(-4)}${String(1000 + i).slice(-4)}`,
  }
}

/** A value for a template column, by its Chinese name. */
function valueFor(column, p, branch) {
  const c = column.replace(/[\s*]|（.*?）|\(.*?\)/g, '')
  if (/姓名/.test(c)) return p.name
  if (/身份证|身份号码/.test(c)) return p.id
  if (/性别/.test(c)) return p.sex
  if (/民族/.test(c)) return '汉族'
  if (/出生/.test(c)) return p.birth
  if (/手机|电话/.test(c)) return p.phone
  if (/学位/.test(c)) return ''
  if (/学历/.test(c)) return '大学本科'
  if (/(组织|支部).*(代码|编码|编号)/.test(c)) return branch.code
  if (/组织|支部/.test(c)) return branch.name
  if (/类别/.test(c)) return '农村'
  if (/状态/.test(c)) return '正式党员'
  if (/入党/.test(c)) return '2010-07-01'
  if (/转正/.test(c)) return '2011-07-01'
  if (/参加工作/.test(c)) return '2008-09-01'
  if (/岗位|职业/.test(c)) return '农牧渔民'
  return ''
}

const csvCell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

test('import a CSV with one bad row: nothing imported, the report names the row', (t) =>
  withServer(t, ROUTES, async ({ server, browser }) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhibu-import-'))
    try {
      const page = await newPage(browser)
      await logIn(page, server.base, server.login(ORG_ADMIN))
      const branch = await findOrg(page, async (o) => BRANCH_KINDS.includes(o.kind))
      assert.ok(branch, 'the demo has a branch')

      // The template's header row, from the console's own download link.
      await page.goto(`${server.base}#/imports`)
      const templateHref = await page.locator('[data-test="template-csv"]').getAttribute('href')
      const template = await page.evaluate(async (h) => (await fetch(h, { credentials: 'same-origin' })).text(), templateHref)
      const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',').map((h) => h.replace(/^"|"$/g, ''))
      assert.ok(header.some((h) => h.includes('姓名')), `the template has a 姓名 column: ${header.join(',')}`)

      const seed = Date.now() % 10000
      const people = [0, 1, 2].map((i) => person(i, seed))
      const bad = { ...people[1], id: people[1].id.slice(0, 17) + (people[1].id[17] === '0' ? '1' : '0') }
      const rows = [people[0], bad, people[2]].map((p) => header.map((h) => csvCell(valueFor(h, p, branch))).join(','))
      const badFile = path.join(dir, '党员名册-有误.csv')
      writeFileSync(badFile, '\uFEFF' + [header.join(','), ...rows].join('\r\n') + '\r\n')

      const before = (await apiGet(page, `api/v1/members?org=${branch.id}&page_size=1`)).total

      // Upload, start, watch the progress bar, read the report.
      await page.locator('[data-test="import-upload"] input[type="file"]').setInputFiles(badFile)
      await page.locator('[data-test="start-import"]').click()
      await page.locator('[data-test="import-report"]').waitFor()
      await page.locator('[data-test="import-status"]').getByText('未导入').waitFor({ timeout: 60_000 })
      const errorRows = page.locator('[data-test="import-errors"] .el-table__body-wrapper tr.el-table__row')
      await errorRows.first().waitFor()
      const cells = await errorRows.first().locator('td').allTextContents()
      // Rows are numbered as in the file, the header being row 1: the bad person is on row 3.
      assert.equal(cells[0].trim(), '3', `the report names row 3: ${cells.join(' | ')}`)
      assert.ok(cells.join(' ').includes(bad.id) || /身份证|校验/.test(cells.join(' ')), `the error is about the ID number: ${cells.join(' | ')}`)
      assert.equal(await errorRows.count(), 1, 'only the bad row is reported')
      assert.equal((await apiGet(page, `api/v1/members?org=${branch.id}&page_size=1`)).total, before, 'nothing was imported')

      // Without the bad row the file imports.
      const goodFile = path.join(dir, '党员名册.csv')
      writeFileSync(goodFile, '\uFEFF' + [header.join(','), rows[0], rows[2]].join('\r\n') + '\r\n')
      await page.locator('.el-upload-list__item').hover()
      await page.locator('.el-upload-list__item .el-icon--close').click()
      await page.locator('[data-test="import-upload"] input[type="file"]').setInputFiles(goodFile)
      await page.locator('[data-test="start-import"]').click()
      await page.locator('[data-test="import-status"]').getByText('已完成').waitFor({ timeout: 60_000 })
      await settle(page)
      assert.equal((await apiGet(page, `api/v1/members?org=${branch.id}&page_size=1`)).total, before + 2, 'two members were imported')
      const found = await apiGet(page, `api/v1/members?q=${people[0].id}`)
      assert.equal(found.items[0]?.name, people[0].name, 'the imported member is found by ID number')

      assert.deepEqual(page.errors, [], 'no uncaught errors in the page')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }),
)

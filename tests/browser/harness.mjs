// The browser tests' harness: a real `zhibu serve` per test on its own copy of the demo county
// (generated once by `zhibu serve --demo` on a template database, like tests/api/harness.h's
// TestDatabase::WithDemo(); kernel-chosen port, stopped with SIGTERM), Debian's chromium driven by
// playwright-core (no downloaded browsers), the demo's one-time passwords parsed from the template
// server's stdout, and the forced first password change done through the console like a person
// would.

import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash, createHmac } from 'node:crypto'
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, renameSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
// Paths given in the environment are relative to where the tests are run (as in README.md:
// `ZHIBU_BINARY=../../build/release/zhibu npm test`); the defaults are relative to the repository.
const fromEnv = (name, fallback) => (process.env[name] ? path.resolve(process.env[name]) : path.resolve(ROOT, fallback))
export const BINARY = fromEnv('ZHIBU_BINARY', 'build/release/zhibu')
export const WEB_ROOT = fromEnv('ZHIBU_WEB_ROOT', 'web/dist')
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
export const SCREENSHOTS = fromEnv('ZHIBU_SCREENSHOTS', 'build/screenshots')

export const DESKTOP = { width: 1366, height: 768 }
export const PHONE = { width: 390, height: 844 }

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Demo logins printed by `serve --demo`: `登录 USERNAME（ROLE）初始密码 PASSWORD（…`. */
export function parseDemoLogins(stdout) {
  const logins = []
  const re = /登录\s+(\S+?)（([^）]+)）初始密码\s+([^\s（]+)/g
  for (const m of stdout.matchAll(re)) logins.push({ username: m[1], role: m[2], password: m[3] })
  return logins
}

/**
 * Runs `zhibu serve` with `args` in `dir` until its port file is written and /healthz answers.
 * Answers {child, base, exit, output(): {stdout, stderr}, exited(): null | {code, signal}}; kills it
 * and throws when it exits early or does not answer within `timeoutMs`.
 */
async function launchServer(dir, args, timeoutMs) {
  const portFile = path.join(dir, 'port')
  const child = spawn(BINARY, ['serve', ...args, '--listen', '127.0.0.1:0', '--port-file', portFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d))
  let exited = null
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))))

  const started = Date.now()
  let base = null
  let healthy = false
  while (!healthy && Date.now() - started < timeoutMs) {
    if (exited) throw new Error(`zhibu serve exited early (${JSON.stringify(exited)}):\n${stdout}\n${stderr}`)
    if (!base && existsSync(portFile)) {
      const port = readFileSync(portFile, 'utf8').trim()
      if (/^\d+$/.test(port)) base = `http://127.0.0.1:${port}/`
    }
    if (base) {
      try {
        healthy = (await fetch(base + 'healthz')).ok
      } catch {
        /* not yet */
      }
    }
    if (!healthy) await sleep(100)
  }
  if (!healthy) {
    child.kill('SIGKILL')
    throw new Error(`zhibu serve did not start within ${timeoutMs} ms:\n${stdout}\n${stderr}`)
  }
  return { child, base, exit, output: () => ({ stdout, stderr }), exited: () => exited }
}

/** SIGTERM, then waits for the exit (SIGKILL and a throw after 20 s); answers {code, signal}. */
async function stopServer(launched) {
  if (!launched.exited()) launched.child.kill('SIGTERM')
  let timer
  const result = await Promise.race([launched.exit, new Promise((resolve) => (timer = setTimeout(() => resolve(null), 20_000)))])
  clearTimeout(timer)
  if (!result) {
    launched.child.kill('SIGKILL')
    await launched.exit
    throw new Error('zhibu serve did not stop within 20 s of SIGTERM')
  }
  return result
}

// The files of a SQLite database and its field-encryption key (beside it: `PATH.key`, the
// server's default); the write-ahead log is checkpointed on a clean stop, copied if left over.
const DB_FILES = ['z.db', 'z.db.key', 'z.db-wal']

/**
 * The folder holding the demo county's template database and `demo.log` (what `serve --demo`
 * printed: the one-time passwords). Generated once by a `zhibu serve --demo` stopped with SIGTERM,
 * then reused: in $ZHIBU_DEMO_TEMPLATE when set (shared by the test files of one run — scripts/test
 * sets it and removes it afterwards), else in a temporary folder of this process, removed when it
 * exits. Keyed by the binary (path, size, modification time) and today's date in Asia/Shanghai, so a
 * rebuilt binary or a run across midnight generates it afresh. A folder is made under a temporary
 * name and renamed into place, so concurrent test files never see half a template.
 */
let processTemplateRoot = null
const templates = new Map()
async function demoTemplate(timeoutMs) {
  let root = process.env.ZHIBU_DEMO_TEMPLATE ? path.resolve(process.env.ZHIBU_DEMO_TEMPLATE) : null
  if (!root) {
    if (!processTemplateRoot) {
      processTemplateRoot = mkdtempSync(path.join(tmpdir(), 'zhibu-browser-demo-'))
      process.on('exit', () => rmSync(processTemplateRoot, { recursive: true, force: true }))
    }
    root = processTemplateRoot
  }
  mkdirSync(root, { recursive: true })
  const binary = statSync(BINARY)
  const key = createHash('sha256').update(JSON.stringify([BINARY, binary.size, binary.mtimeMs, shanghaiDate()])).digest('hex').slice(0, 16)
  const dir = path.join(root, `demo-${key}`)
  if (templates.has(dir)) return templates.get(dir)
  const made = (async () => {
    if (!existsSync(path.join(dir, 'demo.log'))) {
      const building = mkdtempSync(path.join(root, `building-${key}-`))
      const launched = await launchServer(building, ['--demo', '--db', `sqlite:${path.join(building, 'z.db')}`], timeoutMs)
      const status = await stopServer(launched)
      const { stdout, stderr } = launched.output()
      if (status.code !== 0) throw new Error(`the demo template's server exited with ${JSON.stringify(status)}:\n${stdout}\n${stderr}`)
      if (parseDemoLogins(stdout).length === 0) throw new Error(`zhibu serve --demo printed no demo logins:\n${stdout}\n${stderr}`)
      writeFileSync(path.join(building, 'demo.log'), stdout)
      rmSync(path.join(building, 'port'), { force: true })
      try {
        renameSync(building, dir)
      } catch (e) {
        // Another test file made it meanwhile: use theirs.
        rmSync(building, { recursive: true, force: true })
        if (!existsSync(path.join(dir, 'demo.log'))) throw e
      }
    }
    return { dir, log: readFileSync(path.join(dir, 'demo.log'), 'utf8') }
  })()
  templates.set(dir, made)
  made.catch(() => templates.delete(dir))
  return made
}

/**
 * Starts `zhibu serve` on a fresh copy of the demo county (what `zhibu serve --demo` first loads,
 * generated once: demoTemplate). Resolves once the port file is written and /healthz answers;
 * `logins` are the demo's one-time passwords the template's server printed.
 */
export async function startServer({ timeoutMs = 120_000 } = {}) {
  if (!existsSync(BINARY)) throw new Error(`zhibu binary not found: ${BINARY} (set ZHIBU_BINARY)`)
  if (!existsSync(path.join(WEB_ROOT, 'index.html'))) throw new Error(`web console not built: ${WEB_ROOT} (npm run build in web/)`)
  const template = await demoTemplate(timeoutMs)
  const logins = parseDemoLogins(template.log)
  const dir = mkdtempSync(path.join(tmpdir(), 'zhibu-browser-'))
  for (const file of DB_FILES) {
    if (existsSync(path.join(template.dir, file))) copyFileSync(path.join(template.dir, file), path.join(dir, file))
  }
  const launched = await launchServer(dir, ['--db', `sqlite:${path.join(dir, 'z.db')}`, '--insecure-cookie', '--web-root', WEB_ROOT], timeoutMs)
  const { base } = launched

  return {
    base,
    dir,
    logins,
    /** What the template's `serve --demo` printed, then this server's own stdout. */
    get stdout() {
      return template.log + launched.output().stdout
    },
    get stderr() {
      return launched.output().stderr
    },
    /** The business login whose role matches (组织部管理员 on the root, 支部书记 on a branch). */
    login(rolePattern) {
      const found = logins.find((l) => rolePattern.test(l.role) || rolePattern.test(l.username))
      if (!found) throw new Error(`no demo login matching ${rolePattern}; printed: ${logins.map((l) => `${l.username}（${l.role}）`).join(', ')}`)
      return found
    },
    /** SIGTERM, then waits for a clean exit (0); the temporary folder is removed. */
    async stop() {
      const result = await stopServer(launched)
      rmSync(dir, { recursive: true, force: true })
      return result
    },
  }
}

/**
 * The contract routes (docs/api-org-member.md) this server does not offer yet, from its own
 * OpenAPI document (which a unit test keeps equal to the router's table). A scenario whose routes
 * are missing is skipped as pending, never run against a stand-in.
 */
export async function missingRoutes(server, paths) {
  const r = await fetch(server.base + 'api/v1/openapi.json')
  if (!r.ok) throw new Error(`GET /api/v1/openapi.json → ${r.status}`)
  const offered = Object.keys((await r.json()).paths ?? {})
  return paths.filter((p) => !offered.includes(p))
}

/**
 * Runs one scenario against its own server (startServer) with Debian's chromium: `scenario({ server,
 * browser })`. When the server does not offer one of `routes` (missingRoutes) the test `t` is
 * skipped as pending and the scenario not run. Afterwards, whether the scenario passed or threw,
 * the browser is closed and the server stopped with SIGTERM, which must exit 0.
 */
export async function withServer(t, routes, scenario) {
  const server = await startServer()
  const missing = await missingRoutes(server, routes)
  if (missing.length > 0) {
    await server.stop()
    t.skip(`pending: the server does not offer ${missing.join(', ')} yet`)
    return
  }
  const browser = await launchBrowser()
  try {
    await scenario({ server, browser })
  } finally {
    await browser.close()
    const result = await server.stop()
    assert.equal(result.code, 0, `zhibu serve exits 0 on SIGTERM (${JSON.stringify(result)}): ${server.stderr}`)
  }
}

export const ORG_ADMIN = /组织部|org_department_admin|org_admin/
export const BRANCH_SECRETARY = /支部书记|branch_secretary/

/** Debian's chromium, headless. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage', '--lang=zh-CN'],
  })
}

/**
 * How far the page scrolls sideways: the document, or the layout's scrolling main area (the
 * console scrolls inside it, so the document alone would not tell; `.m-main` on the phone layout).
 */
export function sidewaysOverflow(page) {
  return page.evaluate(() =>
    Math.max(
      ...[document.documentElement, document.querySelector('.layout-main'), document.querySelector('.m-main')]
        .filter(Boolean)
        .map((e) => e.scrollWidth - e.clientWidth),
    ),
  )
}

/**
 * A page at the given viewport that records uncaught errors (the test checks none happened). With
 * `signedInAs` (another page), it starts with that page's session: its cookies and storage.
 */
export async function newPage(browser, viewport = DESKTOP, signedInAs = null) {
  const phone = viewport.width < 768
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    isMobile: phone,
    hasTouch: phone,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: true,
    ...(signedInAs ? { storageState: await signedInAs.context().storageState() } : {}),
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  page.errors = []
  page.on('pageerror', (e) => page.errors.push(String(e?.stack ?? e)))
  return page
}

/**
 * Opens the form of step `n` of a case (发展党员, 处置) from its place on the timeline
 * (StageTimeline.vue's 办理) and answers the dialog once it shows that step's form.
 */
export async function openStep(page, n) {
  await page.locator(`.step-item[data-step="${n}"] [data-test="do-step"]`).click()
  const dialog = page.locator('.el-dialog:visible').filter({ has: page.locator(`[data-test="step-form"][data-step="${n}"]`) })
  await dialog.waitFor()
  return dialog
}

/** A strong password that the policy accepts and that was never used before. */
export function freshPassword() {
  return `Zb-${Math.random().toString(36).slice(2, 8)}!Aa9`
}

/**
 * Logs in through the console. When the server demands a new password (every demo account's
 * first login), changes it through the change-password page. Returns the password in force.
 */
export async function logIn(page, base, { username, password }) {
  await page.goto(base + '#/login')
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.waitForURL((url) => !url.hash.startsWith('#/login'))
  let current = password
  if (page.url().includes('#/password')) {
    const next = freshPassword()
    await page.locator('input[name="current_password"]').fill(password)
    await page.locator('input[name="new_password"]').fill(next)
    await page.locator('input[name="new_password_again"]').fill(next)
    await page.locator('[data-test="password-submit"]').click()
    await page.waitForURL((url) => !url.hash.startsWith('#/password'))
    current = next
  }
  await page.locator('[data-test="user-menu"]').waitFor()
  return current
}

/** GET an API path with the page's session (reads facts to drive the UI; never a mock). */
export async function apiGet(page, apiPath) {
  return page.evaluate(async (p) => {
    const r = await fetch(p, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
    const text = await r.text()
    if (!r.ok) throw new Error(`GET ${p} → ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }, apiPath)
}

/**
 * POST/PUT/PATCH an API path with the page's session and CSRF token, to set up facts a scenario
 * needs before it drives the console (never a mock). Answers {status, body}.
 */
export async function apiSend(page, method, apiPath, body = {}) {
  return page.evaluate(
    async ([m, p, b]) => {
      const me = await (await fetch('api/v1/me', { credentials: 'same-origin' })).json()
      const r = await fetch(p, {
        method: m,
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify(b),
      })
      const text = await r.text()
      return { status: r.status, body: text ? JSON.parse(text) : null }
    },
    [method, apiPath, body],
  )
}

/** Like apiSend, but fails unless the server answers 2xx; answers the body. */
export async function apiDo(page, method, apiPath, body = {}) {
  const r = await apiSend(page, method, apiPath, body)
  if (r.status < 200 || r.status > 299) throw new Error(`${method} ${apiPath} → ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

/** A valid 18-digit ID number (GB 11643 check digit) born on `birth` (YYYYMMDD), never seen before. */
export function idNumber(birth = '19850615', region = '500101') {
  const seq = String(Math.floor(Math.random() * 1000)).padStart(3, '0')
  const body = region + birth + seq
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * weights[i], 0)
  return body + '10X98765432'[sum % 11]
}

/** Today in Asia/Shanghai, shifted by whole days, as YYYY-MM-DD. */
export function shanghaiDate(offsetDays = 0) {
  const now = new Date(Date.now() + offsetDays * 86_400_000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** Chooses an option of an Element Plus select by its label. */
export async function pickOption(page, select, label) {
  await select.click()
  const popper = page.locator('.el-select__popper:visible').last()
  await popper.waitFor()
  await popper.locator('.el-select-dropdown__item').filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) }).first().click()
  await popper.waitFor({ state: 'hidden' }).catch(() => {})
}

/** A full member of `org` with no open transfer, not away and in contact. */
export async function plainMember(page, org) {
  const members = (await apiGet(page, `api/v1/members?org=${org.id}&status=full&page_size=50`)).items
  for (const m of members) {
    const detail = await apiGet(page, `api/v1/members/${m.id}`)
    if (detail.mobile || detail.lost_contact_since) continue
    const open = (await apiGet(page, `api/v1/transfers?member=${m.id}`)).items.filter((t) => t.status === 'requested' || t.status === 'approved')
    if (open.length === 0) return m
  }
  return null
}

/** A form item by its label, within a dialog or a page. */
export function formItem(scope, label) {
  return scope.locator('.el-form-item').filter({ has: scope.page().locator(`.el-form-item__label:text-is("${label}")`) })
}

/** Types a date into an Element Plus date picker and confirms it. */
export async function fillDate(picker, date) {
  const input = (await picker.evaluate((e) => e.tagName)) === 'INPUT' ? picker : picker.locator('input').first()
  await input.click()
  await input.fill(date)
  await input.press('Enter')
}

/** Pinyin initials of Chinese text with the ICU pinyin collation (zs for 张三). */
const LETTERS = 'abcdefghjklmnopqrstwxyz'
const BOUNDS = [...'阿八嚓哒妸发旮哈讥咔垃痳拏噢妑七呥扨它穵夕丫帀']
const collator = new Intl.Collator('zh-Hans-CN-u-co-pinyin')
export function pinyinInitials(text) {
  return [...text]
    .map((ch) => {
      if (/[a-z0-9]/i.test(ch)) return ch.toLowerCase()
      let letter = ''
      for (let i = 0; i < BOUNDS.length; i++) if (collator.compare(BOUNDS[i], ch) <= 0) letter = LETTERS[i]
      return letter
    })
    .join('')
}

/** Saves a screenshot to build/screenshots/NAME.png (the artefact folder). */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  // A passing success toast would hide the header; errors stay in the picture.
  await page.locator('.el-message--success').first().waitFor({ state: 'detached', timeout: 4000 }).catch(() => {})
  const file = path.join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path: file, fullPage })
  return file
}

/**
 * A screenshot of the whole page or dialog: the console scrolls inside its layout, so the window is
 * made as tall as the content (or the open dialog) for the picture, then set back.
 */
export async function tallScreenshot(page, name) {
  const height = await page.evaluate(() => {
    const main = document.querySelector('.layout-main')
    const dialog = document.querySelector('.el-overlay-dialog:not([style*="display: none"]) .el-dialog')
    // An open dialog: as tall as the dialog; otherwise as tall as the page's content.
    if (dialog) return Math.ceil(Math.max(dialog.getBoundingClientRect().bottom + 40, 768))
    const content = main ? main.scrollHeight + main.getBoundingClientRect().top : document.body.scrollHeight
    return Math.ceil(Math.max(content, 768))
  })
  const viewport = page.viewportSize()
  await page.setViewportSize({ width: viewport.width, height: Math.min(height, 6000) })
  await page.evaluate(() => document.querySelector('.layout-main')?.scrollTo(0, 0))
  await new Promise((resolve) => setTimeout(resolve, 300))
  await screenshot(page, name, { fullPage: false })
  await page.setViewportSize(viewport)
}

/** Waits until no Element Plus loading mask is shown and the network is idle. */
export async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {})
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => {})
}

/** Walks the tree depth-first from the roots to the first active organisation matching `predicate`. */
export async function findOrg(page, predicate, { maxVisits = 200 } = {}) {
  const queue = [...(await apiGet(page, 'api/v1/orgs/roots')).items]
  let visits = 0
  while (queue.length && visits < maxVisits) {
    const org = queue.shift()
    visits++
    if (org.status === 'active' && (await predicate(org))) return org
    if (org.child_count > 0) queue.unshift(...(await apiGet(page, `api/v1/orgs/${org.id}/children`)).items)
  }
  return null
}

export const BRANCH_KINDS = ['branch', 'joint_branch', 'temporary_branch']

/**
 * Chooses `orgId` in an organisation picker (el-tree-select, lazily loaded): opens it, expands
 * the ancestors top-down like a person would, and clicks the organisation.
 */
export async function pickOrg(page, picker, orgId) {
  const org = await apiGet(page, `api/v1/orgs/${orgId}`)
  await picker.click()
  const popper = page.locator('.el-tree-select__popper:visible, .el-select__popper:visible').last()
  await popper.waitFor()
  const row = (name) => popper.locator('.el-tree-node__content').filter({ has: page.getByText(name, { exact: true }) }).first()
  for (const ancestor of org.ancestors) {
    await row(ancestor.name).waitFor()
    const icon = row(ancestor.name).locator('.el-tree-node__expand-icon')
    if (!(await icon.getAttribute('class')).includes('expanded')) await icon.click()
  }
  await row(org.name).click()
  await popper.waitFor({ state: 'hidden' }).catch(() => {})
  return org
}

/** RFC 4648 base32 (the form authenticator apps take; spaces and padding ignored) → bytes. */
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const bytes = []
  let bits = 0
  let value = 0
  for (const ch of clean) {
    const index = alphabet.indexOf(ch)
    if (index < 0) throw new Error(`not base32: ${ch}`)
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** RFC 6238 TOTP: HMAC-SHA1 over the 30-second step, dynamic truncation, `digits` digits. */
export function totpCode(secret, step, digits = 6) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const mac = createHmac('sha1', secret).update(counter).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/**
 * A code the server will accept next for `holder` ({secret, lastStep}): a step after the last one
 * used (codes cannot be replayed) within the server's ±1-step window; waits for the next step
 * when all of them are used.
 */
export async function nextTotpCode(holder) {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / 30)
    const step = Math.max(now - 1, (holder.lastStep ?? 0) + 1)
    if (step <= now + 1) {
      holder.lastStep = step
      return totpCode(holder.secret, step)
    }
    await sleep(1000)
  }
}

/**
 * The first login of a 三员 administrator through the console: the forced password change, then
 * the authenticator enrolment (the secret read from the page, the code computed here like an
 * authenticator app would). Returns {password, secret, lastStep} for later logins.
 */
export async function firstAdministratorLogIn(page, base, { username, password }) {
  await page.goto(base + '#/login')
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.waitForURL((url) => url.hash.startsWith('#/password'))
  const chosen = freshPassword()
  await page.locator('input[name="current_password"]').fill(password)
  await page.locator('input[name="new_password"]').fill(chosen)
  await page.locator('input[name="new_password_again"]').fill(chosen)
  await page.locator('[data-test="password-submit"]').click()
  await page.waitForURL((url) => url.hash.startsWith('#/totp'))
  const shown = await page.locator('[data-test="totp-secret"]').textContent()
  const holder = { password: chosen, secret: base32Decode(shown), lastStep: 0 }
  await page.locator('input[name="totp_code"]').fill(await nextTotpCode(holder))
  await page.getByRole('button', { name: '确认绑定' }).click()
  await page.locator('[data-test="user-menu"]').waitFor()
  return holder
}

export const AUDITOR = /audit_admin|审计管理员/

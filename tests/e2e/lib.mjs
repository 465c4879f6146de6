// Shared helpers for the browser tests: start a throw-away ltci server on a demo database,
// drive Debian's Chromium through playwright-core (resolved from web/node_modules, never
// downloading a browser), log in and out through the UI, read the menu, and report results
// with a closing "N passed, N failed" line. Everything started here is stopped on exit.
import { spawn, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdtempSync, mkdirSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const require = createRequire(new URL('../../web/package.json', import.meta.url))

export const DEMO_PASSWORD = 'Demo@2026'
const CHROMIUM = process.env.LTCI_CHROMIUM || '/usr/bin/chromium'
const TEST_TIMEOUT_MS = Number(process.env.LTCI_E2E_TIMEOUT_MS || 240000)

const cleanups = []
let finished = false

async function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop()
    try {
      await fn()
    } catch (e) {
      console.error('cleanup:', e.message)
    }
  }
}

function fail(msg) {
  console.log(`FAIL: ${msg}`)
}

// Kills the server synchronously if the process dies some other way.
const syncKills = new Set()
process.on('exit', () => {
  for (const k of syncKills) k()
})
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await runCleanups()
    process.exit(130)
  })
}

// Starts `ltci demo` + `ltci serve` on a fresh temp database (data directory inside the same temp
// directory); resolves to { base, dir }.
export async function startServer() {
  const bin = process.env.LTCI_BIN || join(ROOT, 'build/ltci')
  const webDist = join(ROOT, 'web/dist')
  const scheme = join(ROOT, 'schemes/zhoushan.json')
  if (!existsSync(bin)) throw new Error(`server binary not found: ${bin} (set LTCI_BIN or build it)`)
  if (!existsSync(join(webDist, 'index.html'))) {
    throw new Error(`web/dist/index.html not found: build the web app first (cd web && npm ci && npm run build)`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'ltci-e2e-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const db = `sqlite:${join(dir, 't.db')}`
  const demo = spawnSync(bin, ['demo', '--db', db], { encoding: 'utf8' })
  if (demo.status !== 0) throw new Error(`ltci demo failed (${demo.status}): ${demo.stderr || demo.stdout}`)

  const data = join(dir, 'data') // uploads, import jobs and their rejects files
  const proc = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web', webDist, '--scheme', scheme, '--data', data], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  const kill = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM')
  }
  syncKills.add(kill)
  cleanups.push(async () => {
    kill()
    await new Promise((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve()
      const t = setTimeout(() => {
        proc.kill('SIGKILL')
        resolve()
      }, 5000)
      proc.once('exit', () => {
        clearTimeout(t)
        resolve()
      })
    })
    syncKills.delete(kill)
  })
  const base = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report its port within 15 s:\n${log}`)), 15000)
    const onData = (chunk) => {
      log += chunk
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(log)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    }
    proc.stdout.setEncoding('utf8').on('data', onData)
    proc.stderr.setEncoding('utf8').on('data', (c) => {
      log += c
    })
    proc.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited early (${code}):\n${log}`))
    })
  })
  return { base, dir }
}

export async function launchBrowser() {
  const { chromium } = require('playwright-core')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  })
  cleanups.push(() => browser.close())
  return browser
}

// A fresh browser context (own cookies) with a desktop-sized page; opts may give another viewport
// (e.g. a tablet's { width: 800, height: 1280 }) and a position the page may read through
// navigator.geolocation ({ latitude, longitude }).
export async function newPage(browser, base, opts = {}) {
  const context = await browser.newContext({
    baseURL: base,
    viewport: opts.viewport || { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(opts.geolocation ? { geolocation: opts.geolocation, permissions: ['geolocation'] } : {})
  })
  const page = await context.newPage()
  page.setDefaultTimeout(15000)
  page.on('pageerror', (e) => console.error(`[browser error] ${e.message}`))
  return page
}

export async function screenshot(page, name) {
  const dir = join(ROOT, 'build')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `e2e-${name}.png`)
  // Let Element Plus finish its enter transitions (tags, dialogs) before the picture.
  await page.waitForTimeout(400)
  await page.screenshot({ path, fullPage: true })
  console.log(`  screenshot: ${path}`)
  return path
}

// Fills the login form and submits; does not wait for the outcome.
export async function submitLogin(page, username, password) {
  if (!/\/login/.test(page.url())) await page.goto('/login')
  await page.locator('input[name=username]').fill(username)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-testid=login-submit]').click()
}

// Logs in and waits for the layout with its menu.
export async function login(page, username, password = DEMO_PASSWORD) {
  await submitLogin(page, username, password)
  await page.locator('[data-testid=main-menu]').waitFor()
  await page.locator('[data-testid=user-name]').waitFor()
}

export async function logout(page) {
  await page.locator('[data-testid=logout]').click()
  await page.locator('input[name=username]').waitFor()
}

// Texts of the left-menu items, trimmed.
export async function menuTexts(page) {
  const items = page.locator('[data-testid=main-menu] .el-menu-item')
  await items.first().waitFor()
  return (await items.allInnerTexts()).map((t) => t.trim())
}

// Clicks the visible option of an open el-select / el-tree-select dropdown.
export async function pickOption(page, text) {
  const opt = page.locator('.el-select-dropdown__item:visible, .el-tree-node__content:visible').filter({ hasText: text }).first()
  await opt.click()
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg)
}

// Runs named steps in order (each depends on the previous page state), stops at the first failure,
// always cleans up, prints a closing "N passed, N failed" line and exits 0 only if all passed.
export async function run(title, steps) {
  let passed = 0
  let failed = 0
  const watchdog = setTimeout(async () => {
    fail(`${title}: timed out after ${TEST_TIMEOUT_MS / 1000} s`)
    await runCleanups()
    process.exit(1)
  }, TEST_TIMEOUT_MS)
  console.log(`# ${title}`)
  const ctx = {}
  try {
    for (const [name, fn] of steps) {
      const t0 = Date.now()
      try {
        await fn(ctx)
        passed++
        console.log(`ok - ${name} (${Date.now() - t0} ms)`)
      } catch (e) {
        failed++
        console.log(`not ok - ${name}`)
        fail(`${name}: ${e.message}`)
        if (ctx.page) {
          try {
            await screenshot(ctx.page, `failure-${title.replace(/\W+/g, '_')}`)
          } catch {
            /* ignore */
          }
        }
        break
      }
    }
  } finally {
    clearTimeout(watchdog)
    await runCleanups()
    finished = true
  }
  const skipped = steps.length - passed - failed
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
  process.exit(failed || !finished ? 1 : 0)
}

// Clicks a left-menu item by its text and waits for the address to change to `url` (RegExp).
export async function openMenu(page, title, url) {
  await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: title }).click()
  if (url) await page.waitForURL(url)
}

// An 18-character resident ID number (GB 11643-1999): the 17 digits given plus their check character.
export function idNumber(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * w[i]
  return first17 + '10X98765432'[sum % 11]
}

// Integer fen -> "19,125.00", as the web console shows money.
export function yuan(fen) {
  const neg = fen < 0
  const s = String(Math.abs(fen)).padStart(3, '0')
  return `${neg ? '-' : ''}${s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${s.slice(-2)}`
}

// Calls the JSON API with the page's session cookie (and CSRF token for writes); returns { status, body }.
export async function apiCall(page, method, path, body) {
  const me = await page.request.get('/api/v1/me')
  const headers = { 'X-CSRF-Token': (await me.json()).csrf_token || '' }
  const res = await page.request.fetch(`/api/v1${path}`, { method, headers, data: body })
  const text = await res.text()
  return { status: res.status(), body: text ? JSON.parse(text) : null }
}

// Browser test: the left menu shows exactly the pages each role's API routes allow (admin,
// intake, auditor), a wrong password shows the server's message, and screenshots of the admin
// home and users pages are saved to build/e2e-*.png.
//   node tests/e2e/menus.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import { startServer, launchBrowser, newPage, login, logout, menuTexts, submitLogin, screenshot, assert, run } from './lib.mjs'

function expectMenu(menu, present, absent, who) {
  for (const t of present) assert(menu.includes(t), `${who}: menu should contain ${t}, got [${menu.join(', ')}]`)
  for (const t of absent) assert(!menu.includes(t), `${who}: menu should not contain ${t}, got [${menu.join(', ')}]`)
}

await run('menus', [
  ['start server and browser', async (ctx) => {
    const { base } = await startServer()
    ctx.base = base
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
  }],
  ['unauthenticated visit goes to the login page', async ({ page }) => {
    await page.goto('/users')
    await page.locator('input[name=username]').waitFor()
    assert(/\/login\?redirect=(%2F|\/)users$/.test(page.url()), `expected login with redirect, got ${page.url()}`)
    const title = await page.locator('h1').innerText()
    assert(title.includes('长期护理保险经办管理平台'), `login title: ${title}`)
  }],
  ['wrong password shows the server message', async ({ page }) => {
    await submitLogin(page, 'admin', 'wrong-password')
    const err = page.locator('[data-testid=login-error]')
    await err.waitFor()
    const text = await err.innerText()
    assert(text.includes('用户名或密码错误'), `login error text: ${text}`)
  }],
  ['admin sees every admin page', async (ctx) => {
    const { page } = ctx
    await login(page, 'admin')
    // The redirect kept from the first visit brings admin to 用户管理.
    await page.waitForURL(/\/users$/)
    const menu = await menuTexts(page)
    expectMenu(menu, ['工作台', '用户管理', '区域管理', '审计日志', '接口令牌', '我的账号'], [], 'admin')
    const header = await page.locator('.el-header').innerText()
    assert(header.includes('系统管理员') && header.includes('退出登录'), `admin header: ${header}`)
    await page.locator('[data-testid=users-table] .el-table__row').first().waitFor()
    const rows = await page.locator('[data-testid=users-table] .el-table__row').count()
    assert(rows >= 15, `users table should list the 15 demo accounts, got ${rows}`)
    await screenshot(page, 'admin-users')
    await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: '工作台' }).click()
    await page.locator('[data-testid=scheme-info]').waitFor()
    await page.locator('[data-testid=scheme-info]', { hasText: '舟山市长期护理保险保障方案' }).waitFor()
    await screenshot(page, 'admin-home')
  }],
  ['admin logs out', async ({ page }) => {
    await logout(page)
    const r = await page.request.get('/api/v1/me')
    assert(r.status() === 401, `after logout /me should be 401, got ${r.status()}`)
  }],
  ['intake sees areas and account only', async ({ page }) => {
    await login(page, 'intake')
    const menu = await menuTexts(page)
    expectMenu(menu, ['工作台', '区域管理', '我的账号'], ['用户管理', '审计日志', '接口令牌'], 'intake')
  }],
  ['intake cannot open admin pages by address', async ({ page }) => {
    await page.goto('/users')
    await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
    await page.goto('/audit')
    await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
  }],
  ['intake sees the area tree read-only', async ({ page }) => {
    await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: '区域管理' }).click()
    await page.locator('[data-testid=areas-table] .el-table__row', { hasText: '望江街道' }).first().waitFor()
    const buttons = await page.locator('[data-testid=areas-table]').getByRole('button', { name: '新增下级' }).count()
    assert(buttons === 0, `intake should not see 新增下级 buttons, got ${buttons}`)
    await logout(page)
  }],
  ['auditor sees the audit log but not user administration', async ({ page }) => {
    await login(page, 'auditor')
    const menu = await menuTexts(page)
    expectMenu(menu, ['审计日志', '我的账号'], ['用户管理', '接口令牌'], 'auditor')
    await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: '审计日志' }).click()
    await page.locator('[data-testid=audit-table] .el-table__row', { hasText: '登录' }).first().waitFor()
    await page.locator('[data-testid=audit-verify]').click()
    const res = page.locator('[data-testid=audit-verify-result]')
    await res.waitFor()
    const text = await res.innerText()
    assert(text.includes('哈希链完整'), `verify result: ${text}`)
    await screenshot(page, 'auditor-audit')
    await logout(page)
  }]
])

// Browser test of account administration: admin creates a user through the 新建用户 dialog and
// finds it in the list, then (after a page reload) resets its password; the new user, who must change the initial password, is held on 我的账号,
// changes it there (a wrong current password shows the server's message first), and then gets
// the full menu; the new password works for the next login.
//   node tests/e2e/admin.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import { startServer, launchBrowser, newPage, login, logout, menuTexts, submitLogin, pickOption, screenshot, assert, run } from './lib.mjs'

const NEW_USER = 'e2e_clerk'
const NEW_NAME = '测试受理员（端到端）'
const INITIAL_PW = 'Start#2026x'
const RESET_PW = 'Reset#2026z'
const NEW_PW = 'Better@2027y'

await run('admin', [
  ['start server and browser', async (ctx) => {
    const { base } = await startServer()
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
  }],
  ['admin opens 用户管理', async ({ page }) => {
    await login(page, 'admin')
    await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: '用户管理' }).click()
    await page.waitForURL(/\/users$/)
    await page.locator('[data-testid=users-table] .el-table__row').first().waitFor()
  }],
  ['create dialog validates before sending', async ({ page }) => {
    await page.locator('[data-testid=user-create]').click()
    const dialog = page.locator('.el-dialog', { hasText: '新建用户' })
    await dialog.waitFor()
    await dialog.locator('[data-testid=user-save]').click()
    await dialog.locator('.el-form-item__error', { hasText: '请输入用户名' }).waitFor()
    await dialog.locator('.el-form-item__error', { hasText: '请选择角色' }).waitFor()
  }],
  ['admin creates a user through the dialog', async ({ page }) => {
    const dialog = page.locator('.el-dialog', { hasText: '新建用户' })
    await dialog.locator('input[data-testid=user-username], [data-testid=user-username] input').first().fill(NEW_USER)
    await dialog.locator('input[data-testid=user-display-name], [data-testid=user-display-name] input').first().fill(NEW_NAME)
    await dialog.locator('[data-testid=user-role]').click()
    await pickOption(page, '受理人员')
    await dialog.locator('[data-testid=scope-area]').click()
    await pickOption(page, '望江街道')
    await dialog.locator('input[data-testid=user-password], [data-testid=user-password] input').first().fill(INITIAL_PW)
    await screenshot(page, 'admin-create-user')
    await dialog.locator('[data-testid=user-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.el-message--success', { hasText: '已创建' }).waitFor()
  }],
  ['the new user is in the list', async ({ page }) => {
    const row = page.locator('[data-testid=users-table] .el-table__row', { hasText: NEW_USER })
    await row.first().waitFor()
    const text = await row.first().innerText()
    for (const want of [NEW_NAME, '受理人员', '望江街道', '启用', '从未登录']) {
      assert(text.includes(want), `row for ${NEW_USER} should show ${want}: ${text.replace(/\s+/g, ' ')}`)
    }
    // Also found by a fresh search from the filter bar.
    await page.locator('input[data-testid=users-q], [data-testid=users-q] input').first().fill('端到端')
    await page.locator('[data-testid=users-search]').click()
    await page.locator('[data-testid=users-table] .el-table__row', { hasText: NEW_USER }).first().waitFor()
    const rows = await page.locator('[data-testid=users-table] .el-table__row').count()
    assert(rows === 1, `search for 端到端 should find 1 user, got ${rows}`)
  }],
  ['after a page reload admin can still write (CSRF token from /me): 重置密码', async ({ page }) => {
    await page.reload()
    // the demo has more accounts than one page (the expert pool's): find the user first
    await page.locator('input[data-testid=users-q], [data-testid=users-q] input').first().fill(NEW_USER)
    await page.locator('[data-testid=users-search]').click()
    const row = page.locator('[data-testid=users-table] .el-table__row', { hasText: NEW_USER }).first()
    await row.waitFor()
    await row.getByRole('button', { name: '重置密码' }).click()
    const dialog = page.locator('.el-dialog', { hasText: '重置密码' })
    await dialog.waitFor()
    await dialog.locator('input[type=password]').fill(RESET_PW)
    await dialog.getByRole('button', { name: '确定重置' }).click()
    await page.locator('.el-message--success', { hasText: '已重置' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await logout(page)
  }],
  ['the new user is held on 我的账号 until the password is changed', async ({ page }) => {
    await submitLogin(page, NEW_USER, RESET_PW)
    await page.waitForURL(/\/account/)
    await page.locator('[data-testid=must-change-notice]').waitFor()
    const menu = await menuTexts(page)
    assert(menu.length === 1 && menu[0] === '我的账号', `menu while the password must change: [${menu.join(', ')}]`)
    await page.goto('/areas')
    await page.waitForURL(/\/account/)
    await page.locator('[data-testid=must-change-notice]').waitFor()
    await screenshot(page, 'must-change-password')
  }],
  ['a wrong current password shows the server message', async ({ page }) => {
    await page.locator('input[data-testid=pw-current], [data-testid=pw-current] input').first().fill('Wrong#Pass1')
    await page.locator('input[data-testid=pw-new], [data-testid=pw-new] input').first().fill(NEW_PW)
    await page.locator('input[data-testid=pw-confirm], [data-testid=pw-confirm] input').first().fill(NEW_PW)
    await page.locator('[data-testid=pw-submit]').click()
    await page.locator('.el-form-item__error', { hasText: '当前密码不正确' }).waitFor()
  }],
  ['changing the password opens the menu', async ({ page }) => {
    await page.locator('input[data-testid=pw-current], [data-testid=pw-current] input').first().fill(RESET_PW)
    await page.locator('[data-testid=pw-submit]').click()
    await page.locator('.el-message--success', { hasText: '密码已修改' }).waitFor()
    await page.waitForURL((u) => !/\/account/.test(u.pathname))
    await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: '区域管理' }).waitFor()
    const menu = await menuTexts(page)
    for (const t of ['工作台', '区域管理', '我的账号']) assert(menu.includes(t), `menu after change lacks ${t}: [${menu.join(', ')}]`)
    assert(!menu.includes('用户管理'), `intake-role user should not see 用户管理`)
    await logout(page)
  }],
  ['the new password works', async ({ page }) => {
    await login(page, NEW_USER, NEW_PW)
    const header = await page.locator('.el-header').innerText()
    assert(header.includes(NEW_NAME) && header.includes('受理人员'), `header: ${header}`)
    await logout(page)
  }]
])

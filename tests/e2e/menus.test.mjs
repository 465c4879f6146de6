// Browser test: the left menu shows exactly the pages each role's API routes allow (admin,
// intake, auditor, for the assessment workflow bureau, assessor, expert and committee, for
// providers, caregivers and care plans, and for the staff's service-delivery pages (服务排班 to
// 机构在院), every role from the bureau to the family account, and for settlement (结算管理 and 支付批次 for
// the bureau and auditors, 结算单 for provider staff), caregivers and family accounts cannot open the
// staff's service-delivery pages by address, provider staff cannot open the bureau's settlement pages nor
// others any settlement page, a wrong password shows the server's message,
// and screenshots of the admin home and users pages are saved to build/e2e-*.png.
//   node tests/e2e/menus.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import { startServer, launchBrowser, newPage, login, logout, menuTexts, submitLogin, screenshot, assert, run } from './lib.mjs'

const ASSESSMENT_PAGES = ['评估申请', '评估任务', '委员会审核', '专家确认', '认定结果', '评估统计']

// Assessment-workflow pages each role sees (the rest of ASSESSMENT_PAGES must be absent).
const ASSESSMENT_MENUS = {
  bureau: ['评估申请', '认定结果', '评估统计'],
  assessor: ['评估任务'],
  expert: ['评估任务', '专家确认'],
  committee: ['委员会审核', '专家确认', '认定结果', '评估统计'],
  coordinator: ['认定结果', '评估统计']
}

const CARE_PAGES = ['护理机构', '护理员', '护理计划', '我的护理计划', '护理队伍统计']

// Care pages each role sees: the provider directory is open to everyone; family accounts read their
// plans through 我的护理计划 instead of the staff list; provider staff see their own workforce.
const CARE_MENUS = {
  bureau: ['护理机构', '护理员', '护理计划', '护理队伍统计'],
  auditor: ['护理机构', '护理员', '护理计划', '护理队伍统计'],
  nurse: ['护理机构', '护理员', '护理计划'],
  coordinator: ['护理机构', '护理员', '护理计划'],
  provider_admin: ['护理机构', '护理员', '护理计划', '护理队伍统计'],
  applicant: ['护理机构', '我的护理计划'],
  caregiver: ['护理机构'],
  intake: ['护理机构']
}

const VISIT_PAGES = ['服务排班', '服务记录', '异常处理', '服务地图', '服务评价', '投诉处理', '机构在院']

// Service-delivery pages of the staff each role sees: the bureau and provider staff schedule and act
// on exceptions; the map is the bureau's and auditors'; ratings are for the bureau, auditors and
// provider staff; complaints and presence also for street coordinators; community nurses read the
// visit records. Caregivers and family accounts have pages of their own and none of these.
const VISIT_MENUS = {
  bureau: VISIT_PAGES,
  auditor: ['服务记录', '服务地图', '服务评价', '投诉处理', '机构在院'],
  provider_admin: ['服务排班', '服务记录', '异常处理', '服务评价', '投诉处理', '机构在院'],
  coordinator: ['服务记录', '投诉处理', '机构在院'],
  nurse: ['服务记录'],
  intake: [],
  caregiver: [],
  applicant: []
}

const SETTLE_PAGES = ['结算管理', '结算单', '支付批次']

// Settlement pages each role sees: the bureau and auditors the month's statements and the payment
// batches; provider staff their own statements (结算单, the same list restricted by the server); no one
// else any.
const SETTLE_MENUS = {
  bureau: ['结算管理', '支付批次'],
  auditor: ['结算管理', '支付批次'],
  provider_admin: ['结算单'],
  nurse: [],
  coordinator: [],
  intake: [],
  caregiver: [],
  applicant: []
}

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
    expectMenu(menu, ['工作台', '用户管理', '区域管理', '审计日志', '接口令牌', '我的账号'], ASSESSMENT_PAGES, 'admin')
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
  ['intake sees areas, account and the intake pages', async ({ page }) => {
    await login(page, 'intake')
    const menu = await menuTexts(page)
    expectMenu(menu, ['工作台', '区域管理', '我的账号', '评估申请', '认定结果'],
      ['用户管理', '审计日志', '接口令牌', '评估任务', '委员会审核', '专家确认', '评估统计'], 'intake')
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
    expectMenu(menu, ['审计日志', '我的账号', '认定结果', '评估统计'],
      ['用户管理', '接口令牌', '评估申请', '评估任务', '委员会审核', '专家确认'], 'auditor')
    await page.locator('[data-testid=main-menu] .el-menu-item', { hasText: '审计日志' }).click()
    await page.locator('[data-testid=audit-table] .el-table__row', { hasText: '登录' }).first().waitFor()
    await page.locator('[data-testid=audit-verify]').click()
    const res = page.locator('[data-testid=audit-verify-result]')
    await res.waitFor()
    const text = await res.innerText()
    assert(text.includes('哈希链完整'), `verify result: ${text}`)
    await screenshot(page, 'auditor-audit')
    await logout(page)
  }],
  ['assessment workflow menus follow each role\'s routes', async ({ page }) => {
    for (const [user, present] of Object.entries(ASSESSMENT_MENUS)) {
      await login(page, user)
      const menu = await menuTexts(page)
      expectMenu(menu, present, ASSESSMENT_PAGES.filter((t) => !present.includes(t)), user)
      await logout(page)
    }
  }],
  ['an assessor cannot open the committee or intake pages by address', async ({ page }) => {
    await login(page, 'assessor')
    for (const path of ['/reviews', '/applications', '/certifications']) {
      await page.goto(path)
      await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
    }
    await logout(page)
  }],
  ['care and service-delivery menus follow each role\'s routes', async ({ page }) => {
    for (const [user, present] of Object.entries(CARE_MENUS)) {
      await login(page, user)
      const menu = await menuTexts(page)
      expectMenu(menu, present, CARE_PAGES.filter((t) => !present.includes(t)), user)
      const visits = VISIT_MENUS[user]
      expectMenu(menu, visits, VISIT_PAGES.filter((t) => !visits.includes(t)), user)
      const settle = SETTLE_MENUS[user]
      expectMenu(menu, settle, SETTLE_PAGES.filter((t) => !settle.includes(t)), user)
      await logout(page)
    }
  }],
  ['caregivers and family accounts cannot open the staff\'s service-delivery pages by address', async ({ page }) => {
    for (const user of ['caregiver', 'applicant']) {
      await login(page, user)
      for (const path of ['/schedule', '/visits', '/visit-exceptions', '/visit-map', '/ratings', '/presence']) {
        await page.goto(path)
        await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
      }
      await logout(page)
    }
  }],
  ['settlement pages cannot be opened by address outside their roles', async ({ page }) => {
    for (const [user, paths] of [
      ['provider_admin', ['/settlements', '/payments']],
      ['caregiver', ['/settlements', '/my-settlements', '/payments']],
      ['bureau', ['/my-settlements']]
    ]) {
      await login(page, user)
      for (const path of paths) {
        await page.goto(path)
        await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
      }
      await logout(page)
    }
  }],
  ['a family account cannot open the staff care pages by address', async ({ page }) => {
    await login(page, 'applicant')
    for (const path of ['/caregivers', '/workforce', '/care-plans/new']) {
      await page.goto(path)
      await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
    }
    await logout(page)
  }]
])

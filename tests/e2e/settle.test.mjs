// Browser test of monthly settlement. The demo leaves its last full month settled and approved; the
// month before it has visits but no statements, and some of its verification exceptions undecided.
// The bureau opens 结算管理, runs that month (生成结算单: the run's result and the month's figures),
// opens P0001's statement and tries to publish it: refused while exceptions are undecided (the server's
// message on the page); the exceptions are then decided through the API, the statement is computed
// again (重新计算) and published. provider_admin (P0001) sees 结算单 with its own statements only (no
// other provider's name) and objects to a line; the bureau answers (异议不成立) and takes the first
// review; the same user trying the second review sees the refusal (复审须由初审人以外的人员办理); bureau02
// takes it; the bureau approves after the confirmation (审批后结算单不可更改): 已审批, and no button that
// changes the statement is left. The statement's Excel downloads and its print view hides the app's
// chrome; an adjustment of an approved line is refused into the same month (the field's error shown) and
// registered into the current one. The bureau makes the month's payment batch, downloads its Excel and
// bank CSV, confirms the payment; 基金概况 shows the months' spending by funding source.
// Screenshots: build/e2e-settle-*.png.
//   node tests/e2e/settle.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import {
  startServer, launchBrowser, newPage, login, logout, menuTexts, screenshot, assert, run, openMenu, apiCall, yuan,
  DEMO_PASSWORD
} from './lib.mjs'

function addMonths(month, n) {
  const [y, m] = month.split('-').map(Number)
  const k = y * 12 + (m - 1) + n
  return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`
}

function cnToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
}

// "2026-10" as the month pickers show it.
function monthLabel(month) {
  return `${month.slice(0, 4)}年${month.slice(5, 7)}月`
}

// A page signed in through the API only (set-up and checks, not under test).
async function apiPage(browser, base, username) {
  const page = await newPage(browser, base)
  const r = await page.request.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } })
  assert(r.ok(), `API login of ${username}: ${r.status()}`)
  return page
}

async function ok(page, method, path, body, status = [200, 201]) {
  const r = await apiCall(page, method, path, body)
  assert(status.includes(r.status), `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

// The <input>/<textarea> of an Element Plus input carrying data-testid.
function field(scope, testid) {
  return scope.locator(`input[data-testid=${testid}], textarea[data-testid=${testid}], [data-testid=${testid}] input, [data-testid=${testid}] textarea`).first()
}

// Types a month into an el-date-picker (type month) and closes its panel by clicking `away`.
async function typeMonth(scope, testid, month, away) {
  const input = field(scope, testid)
  await input.click()
  await input.fill(monthLabel(month))
  await input.press('Enter')
  await away.click()
}

// Accepts the open ElMessageBox (confirm or prompt) with the button of the given text.
async function confirmBox(page, text, promptText) {
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  if (promptText !== undefined) await box.locator('textarea, input').first().fill(promptText)
  await box.locator('.el-message-box__btns .el-button', { hasText: text }).click()
  await box.waitFor({ state: 'hidden' })
}

async function statusIs(page, text) {
  await page.locator('[data-testid=settle-status]', { hasText: text }).waitFor()
}

// Waits for the download a click starts; returns its suggested file name.
async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()])
  const failure = await dl.failure()
  assert(!failure, `download failed: ${failure}`)
  return dl.suggestedFilename()
}

// A screenshot without the transient messages over the page header.
async function shot(page, name) {
  await page.evaluate(() => {
    const st = document.createElement('style')
    st.id = 'e2e-no-toasts'
    st.textContent = '.el-message { display: none !important; }'
    document.head.appendChild(st)
  })
  await screenshot(page, name)
  await page.evaluate(() => document.getElementById('e2e-no-toasts')?.remove())
}

const STEP_BUTTONS = ['act-rerun', 'act-claim', 'act-first-review', 'act-second-review', 'act-approve', 'act-reopen']

await run('settle', [
  ['start server and browser; the month before the demo\'s settled month is the one to settle', async (ctx) => {
    const { base } = await startServer()
    ctx.base = base
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
    ctx.api = await apiPage(ctx.browser, base, 'bureau')
    const months = (await ok(ctx.api, 'GET', '/settlement/months')).items
    assert(months.length && months[0].by_status.approved === months[0].statements, `demo month approved: ${JSON.stringify(months[0])}`)
    ctx.demoMonth = months[0].month
    ctx.month = addMonths(ctx.demoMonth, -1)
    const providers = (await ok(ctx.api, 'GET', '/providers?page_size=100')).items
    ctx.p1 = providers.find((p) => p.code === 'P0001')
    ctx.others = providers.filter((p) => p.code !== 'P0001').map((p) => p.name)
    assert(ctx.p1 && ctx.others.length, 'demo providers')
    console.log(`  demo month ${ctx.demoMonth} (approved), month to settle ${ctx.month}, provider ${ctx.p1.name}`)
  }],

  ['bureau opens 结算管理 and runs the month (生成结算单)', async (ctx) => {
    const { page } = ctx
    await login(page, 'bureau')
    const menu = await menuTexts(page)
    for (const t of ['结算管理', '支付批次', '基金概况']) assert(menu.includes(t), `bureau menu lacks ${t}: [${menu.join(', ')}]`)
    assert(!menu.includes('结算单'), `bureau menu should not have the provider's 结算单: [${menu.join(', ')}]`)
    await openMenu(page, '结算管理', /\/settlements/)
    // the latest month is shown first: the demo's approved month
    await page.locator('[data-testid=settle-kpis]').waitFor()
    await page.locator('[data-testid=settle-table] .el-table__row', { hasText: ctx.p1.name }).waitFor()
    assert((await page.locator('[data-testid=settle-kpis]').innerText()).includes('已审批'), 'demo month statuses')
    await typeMonth(page, 'settle-month', ctx.month, page.locator('.el-header .title'))
    await page.waitForURL(new RegExp(`month=${ctx.month}`))
    await page.locator('[data-testid=settle-table]', { hasText: '尚未生成结算单' }).waitFor()
    await page.locator('[data-testid=settle-run]').click()
    const result = page.locator('[data-testid=settle-run-result]')
    await result.waitFor()
    const text = await result.innerText()
    assert(text.includes('结算单已生成') && text.includes('结算服务'), `run result: ${text}`)
    ctx.pendingAll = /尚有 (\d+) 条异常服务/.exec(text)?.[1]
    await page.locator('[data-testid=settle-table] .el-table__row', { hasText: ctx.p1.name }).waitFor()
    const list = await ok(ctx.api, 'GET', `/settlement/statements?month=${ctx.month}&page_size=100`)
    const rows = await page.locator('[data-testid=settle-table] .el-table__body-wrapper .el-table__row').count()
    assert(rows === list.items.length && rows > 1, `one row per provider: ${rows} vs ${list.items.length}`)
    const kpis = await page.locator('[data-testid=settle-kpis]').innerText()
    assert(kpis.includes(yuan(list.totals.total_fen)) && kpis.includes('草稿'), `KPIs: ${kpis}`)
    assert((await page.locator('[data-testid=kpi-statements]').innerText()) === String(list.items.length), 'providers KPI')
    ctx.statement = list.items.find((s) => s.provider.code === 'P0001')
    console.log(`  ${list.items.length} statements, ${yuan(list.totals.total_fen)} yuan; pending exceptions: ${ctx.pendingAll || 0}`)
    await shot(page, 'settle-overview')
  }],

  ['publishing is refused while exceptions are undecided; decided, computed again and published', async (ctx) => {
    const { page } = ctx
    await page.locator('[data-testid=settle-table] [data-testid=settle-provider]', { hasText: ctx.p1.name }).click()
    await page.waitForURL(new RegExp(`/settlements/${ctx.statement.id}$`))
    await statusIs(page, '草稿')
    await page.locator('[data-testid=settle-steps]').waitFor()
    if (ctx.statement.visits.pending) {
      await page.locator('[data-testid=pending-banner]').waitFor()
      await page.locator('[data-testid=act-claim]').click()
      await confirmBox(page, '发布')
      const err = await page.locator('[data-testid=step-error]').innerText()
      assert(err.includes('异常服务未经审核'), `refusal shown: ${err}`)
      await statusIs(page, '草稿')
      // the bureau decides the month's open exceptions of P0001 (not under test here)
      const [from, to] = [`${ctx.month}-01`, `${ctx.month}-31`]
      let decided = 0
      for (const review of ['open', 'explained']) {
        const v = await ok(ctx.api, 'GET', `/visits?provider_id=${ctx.p1.id}&from=${from}&to=${to}&verify_state=exception&review_state=${review}&page_size=200`)
        for (const x of v.items) {
          await ok(ctx.api, 'POST', `/visits/${x.id}/decision`, { decision: 'reject', note: '结算前集中审核，不予认可' })
          decided++
        }
      }
      console.log(`  ${decided} exceptions decided through the API`)
      await page.locator('[data-testid=act-rerun]').click()
      await page.locator('[data-testid=pending-banner]').waitFor({ state: 'hidden' })
    } else {
      console.log('  (no undecided exceptions for P0001 this month)')
    }
    await page.locator('[data-testid=act-claim]').click()
    await confirmBox(page, '发布')
    await statusIs(page, '已发布待初审')
    assert((await page.locator('[data-testid=step-claimed]').innerText()).includes('bureau'), 'who published')
    await page.locator('[data-testid=items-table] .el-table__row').first().waitFor()
    const st = await ok(ctx.api, 'GET', `/settlement/statements/${ctx.statement.id}`)
    ctx.statement = st
    assert((await page.locator('[data-testid=settle-total]').innerText()) === yuan(st.total_fen), 'total on the page')
    const sources = await page.locator('[data-testid=settle-funding]').innerText()
    assert(sources.includes('长护险基金') && sources.includes(yuan(st.by_source.fund)), `funding sources: ${sources}`)
    assert((await page.locator('[data-testid=settle-quality]').innerText()).includes('质量系数 1.000'), 'quality factor')
    await shot(page, 'settle-statement')
  }],

  ['the drawer shows a beneficiary\'s month down to its visits', async ({ page }) => {
    await page.locator('[data-testid=items-table] [data-testid=item-open]').first().click()
    const drawer = page.locator('[data-testid=settle-item-drawer]')
    await drawer.locator('[data-testid=item-entitled-days]').waitFor()
    await drawer.locator('[data-testid=item-lines] .el-table__row').first().waitFor()
    const days = await drawer.locator('[data-testid=item-days] .day').count()
    assert(days >= 28 && days <= 31, `a day per day of the month: ${days}`)
    const links = await drawer.locator('[data-testid=item-visit-link]').count()
    console.log(`  ${links} visits behind the month, each linked to its record`)
    if (links) assert(/\/visits\/\d+$/.test(await drawer.locator('[data-testid=item-visit-link]').first().getAttribute('href')), 'visit link')
    await shot(page, 'settle-item')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    await logout(page)
  }],

  ['provider_admin sees its own statements only and objects to a line', async (ctx) => {
    const { page } = ctx
    await login(page, 'provider_admin')
    const menu = await menuTexts(page)
    assert(menu.includes('结算单'), `provider menu lacks 结算单: [${menu.join(', ')}]`)
    for (const t of ['结算管理', '支付批次']) assert(!menu.includes(t), `provider menu should not have ${t}`)
    await openMenu(page, '结算单', /\/my-settlements/)
    const rows = page.locator('[data-testid=settle-table] .el-table__body-wrapper .el-table__row')
    await rows.first().waitFor()
    const text = await page.locator('[data-testid=settle-table]').innerText()
    assert(text.includes(ctx.p1.name), 'its own statement listed')
    for (const name of ctx.others) assert(!text.includes(name), `another provider's statement shown: ${name}`)
    assert((await rows.count()) === 2, `the demo month and the published one: ${await rows.count()}`)
    assert((await page.locator('[data-testid=settle-run]').count()) === 0, 'no run button for providers')
    await shot(page, 'settle-provider-list')
    await rows.filter({ hasText: '已发布待初审' }).locator('[data-testid=settle-provider]').click()
    await page.waitForURL(new RegExp(`/my-settlements/${ctx.statement.id}$`))
    await statusIs(page, '已发布待初审')
    for (const b of STEP_BUTTONS) assert((await page.locator(`[data-testid=${b}]`).count()) === 0, `provider sees ${b}`)
    // the first beneficiary's lines, the first line objected to
    await page.locator('[data-testid=items-table] .el-table__expand-icon').first().click()
    await page.locator('[data-testid=item-line-table] [data-testid=line-object]').first().click()
    const dlg = page.locator('[data-testid=objection-dialog]')
    await dlg.waitFor()
    await field(dlg, 'objection-reason').fill('该服务对象本月实际接受上门服务次数多于记录，请核对')
    await field(dlg, 'objection-claimed').fill('1,280.00')
    await dlg.locator('[data-testid=objection-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.locator('[data-testid=objections-table] .el-table__row', { hasText: '待答复' })
    await row.waitFor()
    assert((await row.innerText()).includes('1,280.00'), 'claimed amount shown in yuan')
    await row.scrollIntoViewIfNeeded()
    await shot(page, 'settle-provider-objection')
    await logout(page)
  }],

  ['bureau answers the objection and takes the first review', async (ctx) => {
    const { page } = ctx
    await login(page, 'bureau')
    await page.goto(`/settlements/${ctx.statement.id}`)
    await statusIs(page, '已发布待初审')
    await page.locator('.el-alert', { hasText: '异议待答复' }).waitFor()
    await page.locator('[data-testid=tab-objections]').click()
    await page.locator('[data-testid=objections-table] [data-testid=objection-answer]').click()
    const dlg = page.locator('[data-testid=answer-dialog]')
    await dlg.waitFor()
    await dlg.locator('[data-testid=answer-decision] .el-radio-button', { hasText: '异议不成立' }).click()
    await field(dlg, 'answer-text').fill('经核对服务记录和签到定位，按记录结算')
    await dlg.locator('[data-testid=answer-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-testid=objections-table] [data-testid=objection-status]', { hasText: '异议不成立' }).waitFor()
    await page.locator('[data-testid=act-first-review]').click()
    await confirmBox(page, '初审通过', '材料齐全，金额核对无误')
    await statusIs(page, '已初审')
  }],

  ['the first reviewer cannot take the second review', async ({ page }) => {
    await page.locator('[data-testid=act-second-review]').click()
    await confirmBox(page, '复审通过')
    const err = page.locator('[data-testid=step-error]')
    await err.waitFor()
    const text = await err.innerText()
    assert(text.includes('复审须由初审人以外'), `refusal: ${text}`)
    await statusIs(page, '已初审')
    await shot(page, 'settle-second-review-refused')
    await logout(page)
  }],

  ['bureau02 takes the second review; bureau approves, and the statement cannot change', async (ctx) => {
    const { page } = ctx
    await login(page, 'bureau02')
    await page.goto(`/settlements/${ctx.statement.id}`)
    await statusIs(page, '已初审')
    await page.locator('[data-testid=act-second-review]').click()
    await confirmBox(page, '复审通过')
    await statusIs(page, '已复审')
    await logout(page)
    await login(page, 'bureau')
    await page.goto(`/settlements/${ctx.statement.id}`)
    await statusIs(page, '已复审')
    await page.locator('[data-testid=act-approve]').click()
    const dlg = page.locator('[data-testid=approve-dialog]')
    await dlg.waitFor()
    const entry = await field(dlg, 'approve-entry-date').inputValue()
    assert(entry.startsWith(ctx.month), `entry date in the month by default: ${entry}`)
    await dlg.locator('[data-testid=approve-submit]').click()
    const box = page.locator('.el-message-box:visible')
    await box.waitFor()
    assert((await box.innerText()).includes('审批后结算单不可更改'), 'the confirmation warns')
    await confirmBox(page, '确定审批')
    await statusIs(page, '已审批')
    await page.locator('[data-testid=approved-banner]').waitFor()
    for (const b of STEP_BUTTONS) assert((await page.locator(`[data-testid=${b}]`).count()) === 0, `approved statement still offers ${b}`)
    const steps = await page.locator('[data-testid=settle-steps]').innerText()
    assert(steps.includes('bureau02') && steps.includes('bureau'), `steps show who: ${steps}`)
    ctx.statement = await ok(ctx.api, 'GET', `/settlement/statements/${ctx.statement.id}`)
    assert(ctx.statement.status === 'approved' && ctx.statement.entry_date === entry, `approved: ${ctx.statement.status} ${ctx.statement.entry_date}`)
    await shot(page, 'settle-approved')
  }],

  ['the statement downloads as Excel and prints without the app\'s chrome', async (ctx) => {
    const { page } = ctx
    const name = await download(page, page.locator('[data-testid=act-xlsx]'))
    assert(name === `${ctx.statement.number}.xlsx`, `statement file: ${name}`)
    await page.evaluate(() => {
      window.print = () => {
        window.__printed = true
      }
    })
    await page.locator('[data-testid=act-print]').click()
    assert(await page.evaluate(() => window.__printed === true), 'window.print called')
    await page.emulateMedia({ media: 'print' })
    assert(await page.locator('[data-testid=settle-print]').isVisible(), 'printable statement visible in print')
    assert(!(await page.locator('.el-aside').isVisible()), 'menu hidden in print')
    assert(!(await page.locator('[data-testid=settle-actions]').isVisible()), 'buttons hidden in print')
    const text = await page.locator('[data-testid=settle-print]').innerText()
    assert(text.includes('长期护理保险护理服务费用结算单') && text.includes(yuan(ctx.statement.total_fen)) && text.includes('bureau02'), `print: ${text.slice(0, 200)}`)
    await shot(page, 'settle-print')
    await page.emulateMedia({ media: 'screen' })
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
  }],

  ['an adjustment of an approved line: refused into the same month, registered into the current one', async (ctx) => {
    const { page } = ctx
    await page.locator('[data-testid=tab-items]').click()
    await page.locator('[data-testid=items-table] .el-table__expand-icon').first().click()
    await page.locator('[data-testid=item-line-table] [data-testid=line-adjust]').first().click()
    const dlg = page.locator('[data-testid=adjustment-dialog]')
    await dlg.waitFor()
    await typeMonth(dlg, 'adjustment-month', ctx.month, dlg.locator('.el-dialog__title'))
    await field(dlg, 'adjustment-amount').fill('-50')
    await field(dlg, 'adjustment-reason').fill('稽核发现一次服务未实际提供，追回')
    await field(dlg, 'adjustment-reference').fill('稽〔2026〕12号')
    await dlg.locator('[data-testid=adjustment-submit]').click()
    const err = dlg.locator('.el-form-item__error', { hasText: '之后的月份' })
    await err.waitFor()
    await shot(page, 'settle-adjustment-refused')
    const now = cnToday().slice(0, 7)
    await typeMonth(dlg, 'adjustment-month', now, dlg.locator('.el-dialog__title'))
    await dlg.locator('[data-testid=adjustment-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.locator('[data-testid=adjustments-table] .el-table__row', { hasText: '待结算' })
    await row.waitFor()
    assert((await row.innerText()).includes('-50.00'), `adjustment row: ${await row.innerText()}`)
  }],

  ['bureau makes the month\'s payment batch, downloads its files and confirms the payment', async (ctx) => {
    const { page } = ctx
    await openMenu(page, '支付批次', /\/payments/)
    await page.locator('[data-testid=payments-table]').waitFor()
    await page.locator('[data-testid=payment-create]').click()
    const dlg = page.locator('[data-testid=payment-create-dialog]')
    await dlg.waitFor()
    await typeMonth(dlg, 'payment-create-month', ctx.month, dlg.locator('.el-dialog__title'))
    await dlg.locator('[data-testid=payment-create-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    const drawer = page.locator('[data-testid=payment-drawer]')
    await drawer.locator('[data-testid=payment-items] .el-table__row', { hasText: ctx.p1.name }).waitFor()
    assert((await drawer.locator('[data-testid=payment-total]').innerText()) === yuan(ctx.statement.total_fen), 'batch total')
    await shot(page, 'settle-payment')
    await page.keyboard.press('Escape')
    await drawer.waitFor({ state: 'hidden' })
    const batch = (await ok(ctx.api, 'GET', `/settlement/payments?month=${ctx.month}`)).items[0]
    const line = page.locator('[data-testid=payments-table] .el-table__row', { hasText: batch.number })
    await line.waitFor()
    const xlsx = await download(page, line.locator('[data-testid=payment-xlsx]'))
    const csv = await download(page, line.locator('[data-testid=payment-csv]'))
    assert(xlsx.endsWith('.xlsx') && csv.endsWith('.csv'), `payment files: ${xlsx}, ${csv}`)
    for (const kind of ['xlsx', 'csv']) {
      const r = await ctx.api.request.get(`/api/v1/settlement/payments/${batch.id}/${kind}`)
      assert(r.status() === 200, `${kind}: ${r.status()}`)
    }
    await line.locator('[data-testid=payment-paid]').click()
    const paid = page.locator('[data-testid=payment-paid-dialog]')
    await paid.waitFor()
    await field(paid, 'payment-bank-reference').fill('ICBC2026120700001')
    await paid.locator('[data-testid=payment-paid-submit]').click()
    await paid.waitFor({ state: 'hidden' })
    await line.locator('[data-testid=payment-status]', { hasText: '已付款' }).waitFor()
    await shot(page, 'settle-payments')
    const st = await ok(ctx.api, 'GET', `/settlement/statements/${ctx.statement.id}`)
    assert(st.status === 'paid', `statement paid: ${st.status}`)
    console.log(`  batch ${batch.number}: ${xlsx}, ${csv}`)
  }],

  ['基金概况 shows the months\' spending by funding source', async (ctx) => {
    const { page } = ctx
    await openMenu(page, '基金概况', /\/fund$/)
    const thisYear = cnToday().slice(0, 4)
    if (ctx.month.slice(0, 4) !== thisYear) {
      await page.locator('[data-testid=fund-year]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: `${ctx.month.slice(0, 4)}年` }).click()
    }
    const table = page.locator('[data-testid=fund-months-table]')
    const row = table.locator('.el-table__row', { hasText: ctx.month })
    await row.waitFor()
    const text = await row.innerText()
    assert(text.includes(yuan(ctx.statement.by_source.fund)), `the month's fund spending ${yuan(ctx.statement.by_source.fund)}: ${text}`)
    const fm = await ok(ctx.api, 'GET', `/fund/months?from=${ctx.demoMonth}&to=${ctx.demoMonth}`)
    if (ctx.demoMonth.slice(0, 4) === ctx.month.slice(0, 4)) {
      const demo = await table.locator('.el-table__row', { hasText: ctx.demoMonth }).innerText()
      assert(demo.includes(yuan(fm.items[0].spending.fund)), `the demo month's spending: ${demo}`)
    }
    await page.locator('[data-testid=fund-spending-chart] canvas').first().waitFor()
    await page.locator('[data-testid=fund-spending-chart]').scrollIntoViewIfNeeded()
    const annual = await page.locator('[data-testid=kpi-annual]').innerText()
    assert(annual.includes('年化使用率') && annual.includes('%'), `annualised usage rate: ${annual}`)
    await shot(page, 'settle-fund')
  }]
])

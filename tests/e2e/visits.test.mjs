// Browser test of service delivery on the caregiver's phone and in the family account. Set-up through
// the API: the nurse drafts a home-care plan for the beneficiary linked to the family account (望江街道,
// P0001), the family confirms it, and the provider's administrator schedules two visits today for
// 冯桂英 (demo user `caregiver`). On a phone (375x812, touch, geolocation granted at the beneficiary's
// home) the caregiver signs in and lands on 今日服务: visit A is checked in and out online (the
// checklist, notes, the warning that it is shorter than an hour, the verification result 异常). Then
// the network is cut (context.setOffline): the indicator says 离线, visit B is checked in and, an hour
// later by the phone's clock, checked out, both kept on the phone (离线已签到/离线已签退, 待上传 2 条).
// Back online, the check-in's answer is lost on the way (the server has it, the phone does not know):
// the record stays queued under the same key and is sent again; the queue empties, and the API
// (bureau, admin's audit log) shows exactly one check-in and one check-out for B, delivered late (迟传)
// with the phone's times, verified. The family account opens 我的服务记录, rates B (5 stars) and
// disputes A (服务时间短于记录), files a complaint; the public short link /r/:token of a demo visit
// rates it without an account, and an unknown token says the link is invalid. Entry points: the
// caregiver's 今日服务 menu item and home shortcut on a desktop, the family's 我的服务记录. The
// monthly family-care attestation is confirmed on 我的护理计划 for a family-care beneficiary linked to
// the account for the test. The phone also shows each visit's address with tap-to-call links (tel:),
// read once per visit and audited (visit.contact_read), the care plan's items first in the checklist,
// and 临时上门（无排班）: the plans open today (masked names) and a check-in on one without a schedule.
// Screenshots: build/e2e-visits-*.png.
//   node tests/e2e/visits.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import {
  startServer, launchBrowser, newPage, login, logout, menuTexts, screenshot, assert, run, openMenu, apiCall, DEMO_PASSWORD
} from './lib.mjs'

const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
// The plan's items: 15 + 20 + 15 + 10 = 60 minutes a visit (as in the care test).
const ITEMS = [
  { code: 'QJ01', per_week: 3, minutes: 15 }, { code: 'PX02', per_week: 3, minutes: 20 },
  { code: 'YD01', per_week: 3, minutes: 15 }, { code: 'YZ01', per_week: 3, minutes: 10 }
]

function cnToday(offsetDays = 0) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offsetDays * 86400000))
}

// A page signed in through the API only (for set-up and checks, not under test).
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

// Accepts the open ElMessageBox with the button of the given text.
async function confirmBox(page, text) {
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button', { hasText: text }).click()
  await box.waitFor({ state: 'hidden' })
}

// Ticks checklist items on a visit card, opening their category first.
async function tick(card, codes) {
  const cats = { QJ: '清洁卫生', PX: '排泄护理', YD: '移动舒适和安全护理', YZ: '用药指导' }
  for (const code of codes) {
    const row = card.locator(`[data-testid=item-${code}]`)
    if (!(await row.isVisible())) {
      await card.locator('.el-collapse-item__header', { hasText: cats[code.slice(0, 2)] }).click()
      await row.waitFor({ state: 'visible' })
    }
    await row.click()
    const on = card.locator(`[data-testid=item-${code}][aria-checked=true]`)
    if (!(await on.waitFor({ timeout: 2000 }).then(() => true, () => false))) {
      console.log(`  (item ${code} not ticked by the first tap; tapping again)`)
      await row.click()
      await on.waitFor()
    }
  }
}

// The <input>/<textarea> of an Element Plus input carrying data-testid.
function field(scope, testid) {
  return scope.locator(`input[data-testid=${testid}], textarea[data-testid=${testid}], [data-testid=${testid}] input, [data-testid=${testid}] textarea`).first()
}

// Nothing on the page is wider than the phone's screen.
async function fitsScreen(page) {
  const over = await page.evaluate(() => {
    const w = document.documentElement.clientWidth
    return [...document.querySelectorAll('body *')]
      .filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > w + 1)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)
      .slice(0, 5)
  })
  assert(over.length === 0, `elements wider than the phone's screen: ${over.join(', ')}`)
}

await run('visits', [
  ['start server and browser; a plan in force and two visits today for 冯桂英', async (ctx) => {
    const { base } = await startServer()
    ctx.base = base
    ctx.browser = await launchBrowser()
    console.log(`  server: ${base}`)
    ctx.today = cnToday()
    const fam = await apiPage(ctx.browser, base, 'applicant')
    const me = await ok(fam, 'GET', '/me')
    ctx.person = me.user.persons[0]
    ctx.applicantId = me.user.id
    const nurse = await apiPage(ctx.browser, base, 'nurse')
    const providers = await ok(nurse, 'GET', '/providers?q=P0001')
    const p1 = providers.items.find((p) => p.code === 'P0001')
    const draft = await ok(nurse, 'POST', '/care-plans', {
      person_id: ctx.person.id, mode: 'home', provider_id: p1.id, visits_per_week: 3, items: ITEMS
    })
    const plan = await ok(fam, 'POST', `/care-plans/${draft.id}/confirm`, {})
    assert(plan.status === 'active', `plan confirmed: ${plan.status}`)
    ctx.planId = plan.id
    const padmin = await apiPage(ctx.browser, base, 'provider_admin')
    const cgs = await ok(padmin, 'GET', `/caregivers?q=${encodeURIComponent('冯桂英')}`)
    const cg = cgs.items.find((c) => c.name === '冯桂英')
    ctx.visitA = await ok(padmin, 'POST', '/visits', { plan_id: plan.id, visit_date: ctx.today, planned_start: '08:00', caregiver_id: cg.id })
    ctx.visitB = await ok(padmin, 'POST', '/visits', { plan_id: plan.id, visit_date: ctx.today, planned_start: '10:00', caregiver_id: cg.id })
    ctx.bureau = await apiPage(ctx.browser, base, 'bureau')
    const detail = await ok(ctx.bureau, 'GET', `/visits/${ctx.visitA.id}`)
    assert(detail.home, 'the beneficiary has home coordinates')
    ctx.home = detail.home
    ctx.personFull = await ok(ctx.bureau, 'GET', `/persons/${ctx.person.id}`)
    ctx.admin = await apiPage(ctx.browser, base, 'admin')
    for (const p of [fam, nurse, padmin]) await p.context().close()
    console.log(`  beneficiary: ${ctx.person.name}, home ${ctx.home.lat}, ${ctx.home.lon}; visits ${ctx.visitA.id}, ${ctx.visitB.id}`)
  }],

  ['on a phone the caregiver signs in and lands on 今日服务', async (ctx) => {
    const context = await ctx.browser.newContext({
      baseURL: ctx.base, ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
      geolocation: { latitude: ctx.home.lat, longitude: ctx.home.lon, accuracy: 12 }, permissions: ['geolocation']
    })
    // the phone's clock, to be set back later (a record made an hour ago, delivered now)
    await context.clock.install({ time: Date.now() })
    ctx.phoneContext = context
    const page = await context.newPage()
    page.setDefaultTimeout(15000)
    page.on('pageerror', (e) => console.error(`[browser error] ${e.message}`))
    ctx.page = page
    await page.goto('/login')
    await page.locator('input[name=username]').fill('caregiver')
    await page.locator('input[name=password]').fill(DEMO_PASSWORD)
    await page.locator('[data-testid=login-submit]').click()
    await page.waitForURL(/\/caregiver$/)
    await page.locator('[data-testid=caregiver-page]').waitFor()
    assert((await page.locator('[data-testid=main-menu]').count()) === 0, 'no console menu on the phone page')
    await page.locator('[data-testid=net-status]', { hasText: '在线' }).waitFor()
    await page.locator('[data-testid=queue-status]', { hasText: '记录已全部上传' }).waitFor()
    for (const v of [ctx.visitA, ctx.visitB]) {
      const card = page.locator(`[data-testid=visit-${v.id}]`)
      await card.waitFor()
      const text = await card.innerText()
      assert(text.includes(ctx.person.name) && text.includes('待服务') && text.includes(v.planned_start), `visit card: ${text}`)
      // the way to the home: the full address and a tel: link for the beneficiary and the agent
      const addr = await card.locator('[data-testid=visit-address]').innerText()
      assert(addr.includes(ctx.personFull.address), `address on the card: ${addr} (${ctx.personFull.address})`)
      const tel = await card.locator('[data-testid=call-person]').getAttribute('href')
      assert(tel === `tel:${ctx.personFull.phone.replace(/[^\d+]/g, '')}`, `call link: ${tel}`)
      const agents = ctx.personFull.contacts.filter((c) => c.phone)
      assert((await card.locator('[data-testid=call-contact]').count()) === agents.length, `one link per contact: ${agents.length}`)
    }
    // large buttons that fit the screen
    const box = await page.locator(`[data-testid=visit-${ctx.visitA.id}] [data-testid=checkin]`).boundingBox()
    assert(box.height >= 56 && box.width >= 300, `the 签到 button should be large: ${JSON.stringify(box)}`)
    await fitsScreen(page)
    await screenshot(page, 'visits-caregiver-today')
  }],

  ['visit A online: check in, the checklist, check out, verified at once', async (ctx) => {
    const { page, visitA } = ctx
    const card = page.locator(`[data-testid=visit-${visitA.id}]`)
    await card.locator('[data-testid=checkin]').click()
    await card.locator('[data-testid=visit-status]', { hasText: '服务中' }).waitFor()
    await card.locator('[data-testid=visit-distance]').waitFor()
    // the care plan's items come first, with the plan's minutes
    const planRows = card.locator('[data-testid=plan-items] [data-plan="1"]')
    assert((await planRows.count()) === ITEMS.length, `the plan's ${ITEMS.length} items first: ${await planRows.count()}`)
    assert((await planRows.first().innerText()).includes('15分钟'), 'the plan item shows its minutes')
    await tick(card, ['QJ01', 'PX02'])
    await field(card, 'visit-notes').fill('老人精神好，血压平稳')
    assert((await card.locator('[data-testid=checklist-summary]').innerText()).includes('35'), 'two items, 35 minutes')
    await fitsScreen(page)
    await screenshot(page, 'visits-caregiver-in-progress')
    await card.locator('[data-testid=checkout]').click()
    // a few minutes of service: the caregiver is told it will be an exception
    const box = page.locator('.el-message-box:visible')
    await box.waitFor()
    assert((await box.innerText()).includes('不足 60 分钟'), `short-visit warning: ${await box.innerText()}`)
    await screenshot(page, 'visits-caregiver-short-warning')
    await confirmBox(page, '仍要签退')
    await card.locator('[data-testid=visit-status]', { hasText: '已完成' }).waitFor()
    await card.locator('[data-testid=verify-state]', { hasText: '异常' }).waitFor()
    const text = await card.locator('[data-testid=visit-reasons]').innerText()
    assert(text.includes('服务时长不足'), `reasons: ${text}`)
    const v = await ok(ctx.bureau, 'GET', `/visits/${visitA.id}`)
    assert(v.status === 'done' && !v.late && v.items.join() === 'QJ01,PX02' && v.notes === '老人精神好，血压平稳', `visit A: ${JSON.stringify(v)}`)
    assert(Math.abs(v.checkin.position.lat - ctx.home.lat) < 1e-5 && v.checkin.position.accuracy === 12, `position: ${JSON.stringify(v.checkin)}`)
    await screenshot(page, 'visits-caregiver-done')
  }],

  ['visit B offline: checked in and out on the phone, 待上传 2 条', async (ctx) => {
    const { page, visitB } = ctx
    const card = page.locator(`[data-testid=visit-${visitB.id}]`)
    await ctx.phoneContext.setOffline(true)
    await page.locator('[data-testid=net-status]', { hasText: '离线' }).waitFor()
    await page.locator('[data-testid=offline-banner]').waitFor()
    // the check-in 135 minutes ago by the phone's clock, the check-out 65 minutes later
    const t0 = Date.now()
    ctx.inAt = Math.floor((t0 - 135 * 60000) / 1000)
    await page.clock.setSystemTime(t0 - 135 * 60000)
    await card.locator('[data-testid=checkin]').click()
    await card.locator('[data-testid=offline-checkin]', { hasText: '离线已签到' }).waitFor()
    await page.locator('[data-testid=queue-count]', { hasText: '1' }).waitFor()
    await page.locator('[data-testid=queue-status]', { hasText: '待上传 1 条' }).waitFor()
    await card.locator('[data-testid=visit-status]', { hasText: '服务中' }).waitFor()
    await fitsScreen(page)
    await screenshot(page, 'visits-caregiver-offline-checkin')
    ctx.outAt = Math.floor((t0 - 70 * 60000) / 1000)
    await page.clock.setSystemTime(t0 - 70 * 60000)
    await tick(card, ['QJ01', 'PX02', 'YD01', 'YZ01'])
    await card.locator('[data-testid=checkout]').click()
    await card.locator('[data-testid=offline-checkout]', { hasText: '离线已签退' }).waitFor()
    await page.locator('[data-testid=queue-status]', { hasText: '待上传 2 条' }).waitFor()
    await page.clock.setSystemTime(Date.now())
    // nothing has reached the server
    const v = await ok(ctx.bureau, 'GET', `/visits/${visitB.id}`)
    assert(v.status === 'scheduled', `visit B on the server while offline: ${v.status}`)
    await screenshot(page, 'visits-caregiver-offline')
  }],

  ['back online: a lost answer is sent again under the same key, the queue empties', async (ctx) => {
    const { page, visitB } = ctx
    // the first delivery of the check-in reaches the server, but its answer never reaches the phone
    let lost = 0
    const sent = []
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/v1\/visits\/check(in|out)$/.test(r.url())) sent.push(JSON.parse(r.postData()))
    })
    await page.route('**/api/v1/visits/checkin', async (route) => {
      if (lost++ === 0) {
        await route.fetch()
        await route.abort('connectionreset')
      } else {
        await route.continue()
      }
    })
    ctx.restoredAt = Math.floor(Date.now() / 1000)
    await ctx.phoneContext.setOffline(false)
    // the 'online' event sends the queue; the check-in's answer is lost: still 2 waiting, server unreachable
    for (let i = 0; lost === 0 && i < 100; i++) await page.waitForTimeout(100)
    assert(lost === 1, `one delivery with a lost answer, got ${lost}`)
    await page.locator('[data-testid=net-status]', { hasText: '离线' }).waitFor()
    await page.locator('[data-testid=queue-status]', { hasText: '待上传 2 条' }).waitFor()
    await screenshot(page, 'visits-caregiver-answer-lost')
    await page.locator('[data-testid=queue-flush]').click()
    await page.locator('[data-testid=queue-status]', { hasText: '记录已全部上传' }).waitFor()
    await page.locator('[data-testid=net-status]', { hasText: '在线' }).waitFor()
    const card = page.locator(`[data-testid=visit-${visitB.id}]`)
    await card.locator('[data-testid=visit-status]', { hasText: '已完成' }).waitFor()
    await card.locator('[data-testid=late]', { hasText: '迟传' }).waitFor()
    await card.locator('[data-testid=resent]', { hasText: '已补传' }).waitFor()
    await card.locator('[data-testid=verify-state]', { hasText: '核验通过' }).waitFor()
    const keys = sent.filter((b) => b.visit_id === visitB.id)
    const ins = keys.filter((b) => !b.items)
    const outs = keys.filter((b) => b.items)
    assert(ins.length === 2 && ins[0].key === ins[1].key && ins[0].device_at === ins[1].device_at, `the check-in sent twice with one key: ${JSON.stringify(ins)}`)
    assert(outs.length === 1, `the check-out sent once: ${JSON.stringify(outs)}`)
    assert(Math.abs(ins[0].device_at - ctx.inAt) <= 5 && Math.abs(outs[0].device_at - ctx.outAt) <= 5, `device times of the taps: ${ins[0].device_at} ${outs[0].device_at}`)
    await fitsScreen(page)
    await screenshot(page, 'visits-caregiver-synced')
    // a reload shows the server's record: delivered late
    await page.reload()
    await card.locator('[data-testid=late]', { hasText: '迟传' }).waitFor()
  }],

  ['the server has one check-in and one check-out of B, delivered late with the phone\'s times', async (ctx) => {
    const { visitB } = ctx
    const v = await ok(ctx.bureau, 'GET', `/visits/${visitB.id}`)
    assert(v.status === 'done' && v.late === true && v.verify_state === 'verified', `visit B: ${v.status} late=${v.late} ${v.verify_state} ${JSON.stringify(v.reasons)}`)
    assert(Math.abs(v.checkin.device_at - ctx.inAt) <= 5 && v.checkin_at === v.checkin.device_at, `check-in times: ${JSON.stringify(v.checkin)} at ${v.checkin_at}`)
    assert(v.checkin.received_at >= ctx.restoredAt, `received after the network came back: ${v.checkin.received_at} < ${ctx.restoredAt}`)
    assert(Math.abs(v.checkout.device_at - ctx.outAt) <= 5 && v.checkout_at === v.checkout.device_at, `check-out times: ${JSON.stringify(v.checkout)}`)
    assert(v.minutes >= 64 && v.minutes <= 66, `minutes: ${v.minutes}`)
    assert(v.items.length === 4, `items: ${v.items}`)
    for (const action of ['visit.checkin', 'visit.checkout']) {
      // a record sent again writes nothing; the audit row of that request names the visit too, without the
      // recorded fix (gps) that the writing row carries
      const a = await ok(ctx.admin, 'GET', `/audit?action=${action}&target_id=${visitB.id}&outcome=ok`)
      const writes = a.items.filter((x) => x.detail && 'gps' in x.detail)
      assert(writes.length === 1, `${action} of visit B recorded once, got ${writes.length} of ${JSON.stringify(a.items)}`)
    }
    const today = await ok(ctx.bureau, 'GET', `/visits?plan_id=${ctx.planId}&from=${ctx.today}&to=${ctx.today}`)
    assert(today.total === 2, `no extra visit for the plan today: ${today.total}`)
    // the home's address and phones were read once per visit (kept on the phone), each read audited
    for (const v of [visitB, ctx.visitA]) {
      const a = await ok(ctx.admin, 'GET', `/audit?action=visit.contact_read&target_id=${v.id}`)
      assert(a.items.length === 1 && a.items[0].username === 'caregiver', `contact reads of visit ${v.id}: ${JSON.stringify(a.items)}`)
    }
  }],

  ['临时上门（无排班）: the plans open today, masked, and a check-in on one', async (ctx) => {
    const { page } = ctx
    await page.locator('[data-testid=unscheduled-open]').click()
    const drawer = page.locator('[data-testid=plans-drawer]')
    await drawer.waitFor()
    const rows = drawer.locator('[data-testid^=plan-]:not([data-testid=plans-empty])').filter({ has: page.locator('[data-testid=plan-checkin]') })
    await rows.first().waitFor()
    const text = await drawer.innerText()
    assert(/\*/.test(text), `names masked in the list: ${text.slice(0, 200)}`)
    await fitsScreen(page)
    await screenshot(page, 'visits-caregiver-unscheduled')
    const open = await ok(ctx.bureau, 'GET', `/visits?caregiver_id=${ctx.visitA.caregiver.id}&status=in_progress&page_size=50`)
    // a plan without a visit of the caregiver scheduled today if there is one (the demo's have: the phone then
    // says so before the check-in)
    const n = await rows.count()
    let row = rows.first()
    for (let i = n - 1; i >= 0; i--) if (!(await rows.nth(i).innerText()).includes('今天已有排班')) row = rows.nth(i)
    const planId = Number((await row.getAttribute('data-testid')).slice(5))
    await row.locator('[data-testid=plan-checkin]').click()
    await confirmBox(page, '签到')
    await drawer.waitFor({ state: 'hidden' })
    const after = await ok(ctx.bureau, 'GET', `/visits?caregiver_id=${ctx.visitA.caregiver.id}&status=in_progress&page_size=50`)
    const added = after.items.filter((v) => !open.items.some((o) => o.id === v.id))
    assert(added.length === 1 && added[0].plan_id === planId && !added[0].planned_start, `one unscheduled visit in progress: ${JSON.stringify(added)}`)
    const card = page.locator(`[data-testid=visit-${added[0].id}]`)
    await card.locator('[data-testid=visit-status]', { hasText: '服务中' }).waitFor()
    await card.locator('[data-testid=plan-items]').waitFor()
    await screenshot(page, 'visits-caregiver-unscheduled-in')
  }],

  ['the caregiver signs out from the phone page', async (ctx) => {
    const { page } = ctx
    await page.locator('[data-testid=cg-logout]').click()
    await page.locator('input[name=username]').waitFor()
    await ctx.phoneContext.close()
  }],

  ['entry points: 今日服务 for the caregiver at a desk, 我的服务记录 for the family', async (ctx) => {
    const page = await newPage(ctx.browser, ctx.base)
    ctx.page = page
    await login(page, 'caregiver')
    let menu = await menuTexts(page)
    assert(menu.includes('今日服务') && !menu.includes('我的服务记录'), `caregiver menu: ${menu}`)
    await page.locator('.shortcuts .el-button', { hasText: '今日服务' }).waitFor()
    await openMenu(page, '今日服务', /\/caregiver$/)
    await page.locator(`[data-testid=visit-${ctx.visitB.id}] [data-testid=verify-state]`, { hasText: '核验通过' }).waitFor()
    await page.locator('[data-testid=cg-logout]').click()
    await page.locator('input[name=username]').waitFor()
    await login(page, 'applicant')
    menu = await menuTexts(page)
    assert(menu.includes('我的服务记录') && menu.includes('我的护理计划') && !menu.includes('今日服务'), `applicant menu: ${menu}`)
  }],

  ['the family rates visit B and disputes visit A on 我的服务记录', async (ctx) => {
    const { page, visitA, visitB } = ctx
    await openMenu(page, '我的服务记录', /\/my-visits$/)
    const b = page.locator(`[data-testid=my-visit-${visitB.id}]`)
    await b.waitFor()
    const bt = await b.innerText()
    assert(bt.includes('冯桂英') && bt.includes('核验通过') && bt.includes('面部清洁和梳头'), `visit B for the family: ${bt}`)
    const a = page.locator(`[data-testid=my-visit-${visitA.id}]`)
    assert((await a.innerText()).includes('服务时长不足'), 'visit A shows its exception')
    await screenshot(page, 'visits-family-list')
    await b.locator('[data-testid=rate-visit]').click()
    const dlg = page.locator('[data-testid=rating-dialog]')
    await dlg.waitFor()
    await dlg.locator('.el-rate__item').nth(4).click()
    await dlg.locator('[data-testid="rating-tag-准时"]').click()
    await dlg.locator('[data-testid="rating-tag-耐心"]').click()
    await field(dlg, 'rating-comment').fill('冯阿姨很细心')
    await screenshot(page, 'visits-family-rating')
    await dlg.locator('[data-testid=rating-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    await b.locator('[data-testid=my-visit-rating] .el-rate').waitFor()
    assert((await b.innerText()).includes('准时'), 'the rating is shown on the card')
    // visit A: 2 stars and a dispute
    await a.locator('[data-testid=rate-visit]').click()
    await dlg.waitFor()
    await dlg.locator('.el-rate__item').nth(1).click()
    await dlg.locator('[data-testid=dispute-shorter]').click()
    await dlg.locator('.el-alert', { hasText: '重新核验' }).waitFor()
    await field(dlg, 'rating-comment').fill('护理员只待了几分钟')
    await dlg.locator('[data-testid=rating-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    await a.locator('.el-tag', { hasText: '已提出异议' }).waitFor()
    const ra = await ok(ctx.bureau, 'GET', `/ratings?from=${ctx.today}&to=${ctx.today}&page_size=200`)
    const mine = ra.items.filter((r) => [visitA.id, visitB.id].includes(r.visit_id))
    const byVisit = Object.fromEntries(mine.map((r) => [r.visit_id, r]))
    assert(byVisit[visitB.id]?.stars === 5 && byVisit[visitB.id].channel === 'portal' && byVisit[visitB.id].tags.join() === '准时,耐心', `rating of B: ${JSON.stringify(byVisit[visitB.id])}`)
    assert(byVisit[visitA.id]?.stars === 2 && byVisit[visitA.id].dispute === 'shorter', `rating of A: ${JSON.stringify(byVisit[visitA.id])}`)
  }],

  ['the family files a complaint about visit A', async (ctx) => {
    const { page, visitA } = ctx
    const a = page.locator(`[data-testid=my-visit-${visitA.id}]`)
    await a.locator('[data-testid=complain-visit]').click()
    const dlg = page.locator('[data-testid=complaint-dialog]')
    await dlg.waitFor()
    await dlg.locator('[data-testid=complaint-category] .el-radio', { hasText: '虚假服务' }).click()
    await field(dlg, 'complaint-description').fill('护理员签到后几分钟就离开了，记录却显示已完成服务')
    await field(dlg, 'complaint-phone').fill('13912345678')
    await screenshot(page, 'visits-family-complaint')
    await dlg.locator('[data-testid=complaint-submit]').click()
    await dlg.waitFor({ state: 'hidden' })
    const row = page.locator('[data-role=my-complaint]', { hasText: '护理员签到后几分钟就离开了' })
    await row.waitFor()
    const text = await row.innerText()
    assert(text.includes('待处理') && text.includes('虚假服务') && text.includes('前答复'), `complaint: ${text}`)
    await screenshot(page, 'visits-family-complaints')
  }],

  ['the family confirms a month of family care on 我的护理计划', async (ctx) => {
    const { page } = ctx
    // a family-care beneficiary of the demo linked to the account for this step
    const plans = await ok(ctx.bureau, 'GET', '/care-plans?mode=family&status=active&page_size=1')
    const fp = plans.items[0]
    await ok(ctx.admin, 'PUT', `/users/${ctx.applicantId}/persons`, {
      persons: [{ person_id: ctx.person.id, relation: ctx.person.relation }, { person_id: fp.person.id, relation: '子女' }]
    })
    await openMenu(page, '我的护理计划', /\/my-care-plans$/)
    const card = page.locator('[data-testid=attestation-card]')
    await card.waitFor()
    const month = ctx.today.slice(0, 7)
    const row = card.locator(`[data-testid=attest-${month}]`)
    await row.waitFor()
    const days = Math.min(20, Number(ctx.today.slice(8)))
    await field(row, 'attest-days').fill(String(days))
    await field(row, 'attest-days').press('Tab')
    await screenshot(page, 'visits-family-attestation')
    await row.locator('[data-testid=attest-submit]').click()
    await confirmBox(page, '确认')
    await card.locator('[data-testid=attest-done] .el-table__row', { hasText: month }).waitFor()
    const list = await ok(ctx.bureau, 'GET', `/care-plans/${fp.id}/attestations`)
    const got = list.items.find((x) => x.month === month)
    assert(got && got.caregiver_days === days && got.method === 'online', `attestation: ${JSON.stringify(got)}`)
    await logout(page)
  }],

  ['the public short link rates a demo visit without an account', async (ctx) => {
    // a finished demo visit of the last days, not yet rated
    const list = await ok(ctx.bureau, 'GET', `/visits?status=done&from=${cnToday(-5)}&page_size=100`)
    let token = null
    for (const v of list.items) {
      const d = await ok(ctx.bureau, 'GET', `/visits/${v.id}`)
      if (!d.rating_token) continue
      const view = await ok(ctx.bureau, 'GET', `/ratings/${d.rating_token}`)
      if (view.can_rate && !view.rating) {
        token = d.rating_token
        break
      }
    }
    assert(token, 'a demo visit that can be rated by its link')
    const context = await ctx.browser.newContext({ baseURL: ctx.base, ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const page = await context.newPage()
    ctx.page = page
    await page.goto(`/r/${token}`)
    await page.locator('[data-testid=rating-visit]').waitFor()
    const text = await page.locator('[data-testid=rating-visit]').innerText()
    assert(text.includes('服务日期') && /\*/.test(text), `the visit in plain words, caregiver masked: ${text}`)
    await fitsScreen(page)
    await screenshot(page, 'visits-rating-link')
    await page.locator('.el-rate__item').nth(3).click()
    await page.locator('[data-testid="rating-tag-专业"]').click()
    await page.locator('[data-testid=rating-submit]').click()
    await page.locator('[data-testid=rating-done]', { hasText: '感谢您的评价' }).waitFor()
    await page.reload()
    await page.locator('[data-testid=rating-done]', { hasText: '已经评价过了' }).waitFor()
    await screenshot(page, 'visits-rating-link-done')
    const view = await ok(ctx.bureau, 'GET', `/ratings/${token}`)
    assert(view.rating.stars === 4 && view.rating.tags.join() === '专业', `link rating: ${JSON.stringify(view.rating)}`)
    await page.goto(`/r/${'0'.repeat(32)}`)
    await page.locator('[data-testid=rating-link-invalid]', { hasText: '评价链接无效或已失效' }).waitFor()
    await screenshot(page, 'visits-rating-link-invalid')
    await context.close()
  }]
])

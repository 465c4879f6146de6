// Browser test of the service-delivery console for provider and bureau staff. The provider's
// administrator (颐康, P0001) opens 异常处理, sees its queue counted by reason (the server's counts; a
// reason narrows the queue to it) and explains the newest exception of the demo data (原因类别, 情况说明,
// 佐证材料): the record is 待经办审核. On a home-care
// plan's page (服务安排) it sets a weekly pattern of two visits and generates the schedule for the
// coming week; 服务排班 shows the new visits on the board and one is reassigned (改派) to another
// caregiver. The bureau finds the explained record in its queue and accepts it (认可) with a note: the
// record is 经办审核认可. The bureau then opens 服务地图 for the latest day with visits (an SVG plot
// with a point per visit, a tooltip and the chosen visit beside the plot, narrowed to one 护理机构),
// enters a 12345 hotline complaint about the provider (办理时限 from its category) and replies to it
// (已答复). Along the way the record's page, 服务评价 and 机构在院 are photographed. Last, the demo
// caregiver's phone (through the API) uploads a recording of one of her visits and the bureau plays it
// on the record's page (fetched as a blob, allowed by the page's Content-Security-Policy). State is
// checked through the API.
// Screenshots: build/e2e-visitconsole-*.png.
//   node tests/e2e/visitconsole.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import { startServer, launchBrowser, newPage, login, logout, screenshot, assert, run, openMenu, apiCall, pickOption } from './lib.mjs'

const PROVIDER = '江海市颐康居家护理服务有限公司' // P0001, the demo provider_admin's
const EXPLANATION = '护理员手机定位信号弱，已由家属签字确认服务'
const DECISION_NOTE = '经电话回访家属，情况属实'
const REPLY = '经核查，已责成机构整改并约谈护理员，感谢您的监督。'

// "YYYY-MM-DD" of today and later days in Asia/Shanghai.
function dayCN(offset = 0) {
  const d = new Date(Date.now() + offset * 86400000)
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}

// The <input> of an Element Plus input-like component carrying data-testid.
function field(scope, testid) {
  return scope.locator(`input[data-testid=${testid}], [data-testid=${testid}] input, textarea[data-testid=${testid}], [data-testid=${testid}] textarea`).first()
}

async function dialogGone(page, testid) {
  await page.locator(`[data-testid=${testid}]`).waitFor({ state: 'hidden' })
}

async function get(page, path) {
  const r = await apiCall(page, 'GET', path)
  assert(r.status === 200, `GET ${path}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}

await run('visitconsole', [
  ['start server and browser', async (ctx) => {
    const { base } = await startServer()
    ctx.base = base
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
  }],

  ['provider staff explain an exception from the queue', async (ctx) => {
    const { page } = ctx
    await login(page, 'provider_admin')
    await openMenu(page, '异常处理', /\/visit-exceptions/)
    const table = page.locator('[data-testid=exc-table]')
    await table.locator('.el-table__row').first().waitFor()
    // the provider's queue: 待机构说明, counted by reason
    await page.locator('[data-testid=exc-tab-open].is-active').waitFor()
    const counts = page.locator('[data-testid=exc-reason-counts] .el-check-tag')
    await counts.first().waitFor()
    assert((await counts.count()) >= 1, 'reason counts should be shown')
    const row = table.locator('.el-table__row').first()
    ctx.visitId = Number((await row.locator('[data-testid=exc-id]').innerText()).trim())
    const before = await get(page, `/visits/${ctx.visitId}`)
    assert(before.review_state === 'open' && before.provider.name === PROVIDER, `queue row: ${JSON.stringify(before.review_state)}`)
    ctx.visitDate = before.visit_date
    await row.locator('[data-testid=exc-explain]').click()
    const dlg = page.locator('[data-testid=explain-dialog]')
    await dlg.waitFor()
    await dlg.locator('.el-radio', { hasText: '设备或信号故障' }).click()
    await field(dlg, 'explain-text').fill(EXPLANATION)
    await field(dlg, 'explain-evidence').fill('家属签字的服务确认单')
    await screenshot(page, 'visitconsole-explain')
    await dlg.locator('[data-testid=explain-submit]').click()
    await dialogGone(page, 'explain-dialog')
    const v = await get(page, `/visits/${ctx.visitId}`)
    assert(v.review_state === 'explained', `after explaining: ${v.review_state}`)
    assert(v.explanation.resolution === 'device_problem' && v.explanation.text.startsWith(EXPLANATION) &&
      v.explanation.text.includes('佐证材料：家属签字的服务确认单'), `explanation: ${JSON.stringify(v.explanation)}`)
    // it left the 待机构说明 queue
    await table.locator('[data-testid=exc-id]', { hasText: new RegExp(`^${ctx.visitId}$`) }).waitFor({ state: 'detached' })
    await screenshot(page, 'visitconsole-exceptions')
    // a reason narrows the queue to the visits with it, as many as counted
    const tag = counts.first()
    const n = Number((await tag.locator('b').innerText()).trim())
    const code = (await tag.getAttribute('data-testid')).replace('exc-reason-', '')
    await tag.click()
    await page.waitForURL(new RegExp(`reason=${code}`))
    await page.locator('.el-pagination__total', { hasText: `共 ${n} 条` }).waitFor()
    const listed = await get(page, `/visits?verify_state=exception&review_state=open&reason=${code}&page_size=1`)
    assert(listed.total === n, `reason ${code}: counted ${n}, listed ${listed.total}`)
    await tag.click()
    await page.waitForURL((u) => !u.search.includes('reason='))
  }],

  ['provider staff set a weekly pattern on a plan and generate the schedule', async (ctx) => {
    const { page } = ctx
    // a home-care plan in force with room for two visits a week, no weekly pattern and nothing scheduled yet
    const plans = await get(page, '/care-plans?status=active&mode=home&page_size=50')
    let plan = null
    for (const p of plans.items.filter((x) => x.visits_per_week >= 2)) {
      const pats = await get(page, `/care-plans/${p.id}/patterns`)
      const sched = await get(page, `/visits?plan_id=${p.id}&status=scheduled&page_size=1`)
      if (!pats.patterns.length && !sched.total) {
        plan = p
        break
      }
    }
    assert(plan, 'a home-care plan without a weekly pattern')
    ctx.planId = plan.id
    const cgs = (await get(page, '/caregivers?status=active&kind=staff&page_size=200')).items.filter((c) => c.qualified_today)
    assert(cgs.length >= 2, 'two qualified caregivers')
    ctx.cg1 = cgs[0]
    ctx.cg2 = cgs[1]
    await page.goto(`/care-plans/${plan.id}`)
    const box = page.locator('[data-testid=plan-arrangement]')
    await box.waitFor()
    await box.locator('[data-testid=pattern-edit]').click()
    const rows = box.locator('[data-testid=pattern-row]')
    await rows.first().waitFor()
    await rows.first().locator('[data-testid=pattern-caregiver]').click()
    await pickOption(page, ctx.cg1.name)
    // a second visit: the next weekday, same time and caregiver
    await box.locator('[data-testid=pattern-add]').click()
    assert((await rows.count()) === 2, `two pattern rows, got ${await rows.count()}`)
    await box.locator('[data-testid=pattern-save]').click()
    const table = box.locator('[data-testid=plan-patterns]')
    await table.locator('.el-table__row').nth(1).waitFor()
    const text = await table.innerText()
    assert(text.includes('周一') && text.includes('周三') && text.includes(ctx.cg1.name), `patterns: ${text}`)
    const pats = await get(page, `/care-plans/${plan.id}/patterns`)
    assert(pats.patterns.length === 2, `patterns stored: ${pats.patterns.length}`)
    // generate the coming week (tomorrow + 6 days holds one Monday and one Wednesday)
    await box.locator('[data-testid=pattern-generate]').click()
    await page.locator('[data-testid=generate-dialog]').waitFor()
    await page.locator('[data-testid=generate-submit]').click()
    await dialogGone(page, 'generate-dialog')
    // one Monday and one Wednesday (a week already holding the plan's visits a week is skipped)
    const sched = await get(page, `/visits?plan_id=${plan.id}&status=scheduled&page_size=10`)
    assert(sched.total >= 1 && sched.total <= 2, `scheduled visits of the plan: ${sched.total}`)
    await box.locator('[data-testid=plan-visits] .el-table__row', { hasText: '待服务' }).first().waitFor()
    await box.locator('[data-testid=plan-visits]').scrollIntoViewIfNeeded()
    await screenshot(page, 'visitconsole-plan-arrangement')
    ctx.scheduled = sched.items.sort((a, b) => a.visit_date.localeCompare(b.visit_date))[0]
  }],

  ['the schedule board shows the visits and one is reassigned', async (ctx) => {
    const { page } = ctx
    const v = ctx.scheduled
    await openMenu(page, '服务排班', /\/schedule/)
    await page.goto(`/schedule?week=${v.visit_date}`)
    const board = page.locator('[data-testid=schedule-board]')
    await board.waitFor()
    const chip = board.locator(`[data-testid=board-visit][data-visit-id="${v.id}"]`)
    await chip.waitFor()
    const chips = await board.locator('[data-testid=board-visit]').count()
    assert(chips >= 1, 'visits on the board')
    const summary = await page.locator('[data-testid=board-summary]').innerText()
    assert(summary.includes('待服务'), `summary: ${summary}`)
    await screenshot(page, 'visitconsole-board')
    await chip.click()
    const card = page.locator('[data-testid=board-visit-dialog]')
    await card.waitFor()
    await card.locator('[data-testid=board-reassign]').click()
    const dlg = page.locator('[data-testid=reassign-dialog]')
    await dlg.waitFor()
    await dlg.locator('[data-testid=reassign-caregiver]').click()
    await pickOption(page, ctx.cg2.name)
    await dlg.locator('[data-testid=reassign-reason]').click()
    await pickOption(page, '原护理员请假')
    await dlg.locator('[data-testid=reassign-submit]').click()
    await dialogGone(page, 'reassign-dialog')
    await card.locator('[data-testid=board-visit-caregiver]', { hasText: ctx.cg2.name }).waitFor()
    const after = await get(page, `/visits/${v.id}`)
    assert(after.caregiver.id === ctx.cg2.id && after.status === 'scheduled', `after reassign: ${JSON.stringify(after.caregiver)}`)
    await page.keyboard.press('Escape')
    await card.waitFor({ state: 'hidden' })
    // the board now shows the visit in the new caregiver's row (按护理员)
    const row = board.locator('[data-testid=board-row]', { hasText: ctx.cg2.name })
    await row.locator(`[data-testid=board-visit][data-visit-id="${v.id}"]`).waitFor()
    await logout(page)
  }],

  ['the bureau finds the explanation in its queue and agrees', async (ctx) => {
    const { page } = ctx
    await login(page, 'bureau')
    await openMenu(page, '异常处理', /\/visit-exceptions/)
    await page.locator('[data-testid=exc-tab-explained].is-active').waitFor()
    await page.goto(`/visit-exceptions?tab=explained&provider_id=1&from=${ctx.visitDate}&to=${ctx.visitDate}`)
    const row = page.locator('[data-testid=exc-table] .el-table__row', { has: page.locator('[data-testid=exc-id]', { hasText: new RegExp(`^${ctx.visitId}$`) }) })
    await row.waitFor()
    await row.locator('[data-testid=exc-accept]').click()
    const dlg = page.locator('[data-testid=decision-dialog]')
    await dlg.locator('[data-testid=decision-explanation]', { hasText: EXPLANATION }).waitFor()
    await field(dlg, 'decision-note').fill(DECISION_NOTE)
    await screenshot(page, 'visitconsole-decision')
    await dlg.locator('[data-testid=decision-submit]').click()
    await dialogGone(page, 'decision-dialog')
    await row.waitFor({ state: 'detached' })
    const v = await get(page, `/visits/${ctx.visitId}`)
    assert(v.review_state === 'accepted' && v.decision.note === DECISION_NOTE && v.decision.by === 'bureau',
      `after the decision: ${v.review_state} ${JSON.stringify(v.decision)}`)
    // the record's page: six data elements, the reasons and the handling
    await page.goto(`/visits/${ctx.visitId}`)
    await page.locator('[data-testid=visit-evv]').waitFor()
    await page.locator('[data-testid=visit-decision]').waitFor()
    const decided = (await page.locator('[data-testid=visit-decision]').innerText()).trim()
    assert(decided === '认可', `the record's decision should read 认可: ${decided}`)
    const evv = await page.locator('[data-testid=visit-evv]').innerText()
    for (const t of ['服务项目', '服务对象', '护理员', '服务日期', '服务地点', '开始与结束', '手机时间']) {
      assert(evv.includes(t), `visit page should show ${t}`)
    }
    await screenshot(page, 'visitconsole-visit')
  }],

  ['the bureau opens the map of a day with visits', async ({ page }) => {
    let day = dayCN()
    const today = await get(page, `/visits/map?date=${day}`)
    if (!today.items.length) day = (await get(page, `/visits?to=${day}&status=done&page_size=1`)).items[0].visit_date
    const expected = (await get(page, `/visits/map?date=${day}`)).items.filter((p) => p.lat !== null).length
    await openMenu(page, '服务地图', /\/visit-map/)
    await page.goto(`/visit-map?date=${day}`)
    const svg = page.locator('svg[data-testid=visit-map]')
    await svg.waitFor()
    const points = svg.locator('[data-testid=map-point]')
    const n = await points.count()
    assert(n > 0 && n === expected, `map points: ${n}, expected ${expected}`)
    const legend = await page.locator('[data-testid=map-legend]').innerText()
    assert(legend.includes('核验通过') && legend.includes('核验异常'), `legend: ${legend}`)
    const point = points.last()
    await point.hover()
    await page.locator('[data-testid=map-tooltip]').waitFor()
    await point.click({ force: true })
    await page.locator('[data-testid=map-selected] .el-descriptions').waitFor()
    await screenshot(page, 'visitconsole-map')
    // one provider's visits (the server filters)
    const all = (await get(page, `/visits/map?date=${day}`)).items
    const mine = all.find((p) => p.provider === PROVIDER)
    if (mine) {
      const only = (await get(page, `/visits/map?date=${day}&provider_id=${mine.provider_id}`)).items.filter((p) => p.lat !== null)
      await page.locator('[data-testid=map-provider]').click()
      await pickOption(page, PROVIDER)
      await page.waitForURL(new RegExp(`provider_id=${mine.provider_id}`))
      await page.waitForFunction((k) => document.querySelectorAll('[data-testid=map-point]').length === k, only.length)
    }
  }],

  ['the bureau enters a hotline complaint and replies to it', async (ctx) => {
    const { page } = ctx
    await openMenu(page, '投诉处理', /\/complaints/)
    await page.locator('[data-testid=complaints-table] .el-table__row').first().waitFor()
    await page.locator('[data-testid=complaint-create]').click()
    const dlg = page.locator('[data-testid=complaint-dialog]')
    await dlg.waitFor()
    await dlg.locator('[data-testid=complaint-category]').click()
    await pickOption(page, '服务质量')
    await dlg.locator('[data-testid=complaint-provider]').click()
    await pickOption(page, PROVIDER)
    await field(dlg, 'complaint-name').fill('王秀英')
    await field(dlg, 'complaint-phone').fill('13912345678')
    await field(dlg, 'complaint-description').fill('护理员上门时间比约定晚一个小时')
    await dlg.locator('.hint', { hasText: '办理时限 5 天' }).waitFor()
    await screenshot(page, 'visitconsole-complaint-new')
    await dlg.locator('[data-testid=complaint-submit]').click()
    await page.waitForURL(/\/complaints\/\d+$/)
    ctx.complaintId = Number(page.url().split('/').pop())
    await page.locator('[data-testid=complaint-status]', { hasText: '待处理' }).waitFor()
    await page.locator('[data-testid=complaint-reply]').click()
    const act = page.locator('[data-testid=complaint-act-dialog]')
    await act.waitFor()
    await field(act, 'complaint-act-text').fill(REPLY)
    await act.locator('[data-testid=complaint-act-submit]').click()
    await dialogGone(page, 'complaint-act-dialog')
    await page.locator('[data-testid=complaint-status]', { hasText: '已答复' }).waitFor()
    await page.locator('[data-testid=complaint-reply-text]', { hasText: REPLY }).waitFor()
    const c = await get(page, `/complaints/${ctx.complaintId}`)
    assert(c.status === 'replied' && c.reply === REPLY && c.source === 'hotline' && c.category === 'service_quality',
      `complaint: ${c.status} ${c.source} ${c.category}`)
    assert(c.deadline === dayCN(5), `deadline ${c.deadline}, expected ${dayCN(5)}`)
    await screenshot(page, 'visitconsole-complaint')
  }],

  ['the bureau reads the ratings and the institutions\' presence', async ({ page }) => {
    await openMenu(page, '服务评价', /\/ratings/)
    await page.locator('[data-testid=ratings-table] .el-table__row').first().waitFor()
    await page.locator('[data-testid=ratings-by-provider] .el-table__row', { hasText: PROVIDER }).waitFor()
    await screenshot(page, 'visitconsole-ratings')
    await openMenu(page, '机构在院', /\/presence/)
    await page.locator('[data-testid=presence-grid] [data-testid=presence-row]').first().waitFor()
    const marks = await page.locator('[data-testid=presence-cell] .mark').count()
    assert(marks > 0, 'presence marks in the grid')
    await screenshot(page, 'visitconsole-presence')
  }],

  ['the bureau plays a visit\'s recording', async (ctx) => {
    const { page } = ctx
    // the demo caregiver's phone, in a context of its own: one of her visits (checked in if need be) gets a
    // half-second recording
    const phone = await ctx.browser.newContext({ baseURL: ctx.base })
    const login = await phone.request.post('/api/v1/session', { data: { username: 'caregiver', password: 'Demo@2026' } })
    assert(login.status() === 201, `caregiver login: ${login.status()}`)
    const headers = { 'X-CSRF-Token': (await login.json()).csrf_token }
    const mine = async (status) => (await (await phone.request.get(`/api/v1/visits?mine=1&status=${status}&page_size=1`)).json()).items[0]
    let visit = (await mine('done')) || (await mine('in_progress'))
    if (!visit) {
      const s = await mine('scheduled')
      assert(s, 'a visit of the demo caregiver')
      const r = await phone.request.post('/api/v1/visits/checkin', {
        headers, data: { key: `e2e-audio-${Date.now()}`, visit_id: s.id, device_at: Math.floor(Date.now() / 1000) }
      })
      assert(r.status() === 200, `check-in: ${r.status()} ${await r.text()}`)
      visit = s
    }
    const samples = 4000 // 0.5 s of silence, 8 kHz, 8-bit mono PCM
    const wav = Buffer.alloc(44 + samples, 128)
    wav.write('RIFF', 0)
    wav.writeUInt32LE(36 + samples, 4)
    wav.write('WAVEfmt ', 8)
    wav.writeUInt32LE(16, 16)
    wav.writeUInt16LE(1, 20)
    wav.writeUInt16LE(1, 22)
    wav.writeUInt32LE(8000, 24)
    wav.writeUInt32LE(8000, 28)
    wav.writeUInt16LE(1, 32)
    wav.writeUInt16LE(8, 34)
    wav.write('data', 36)
    wav.writeUInt32LE(samples, 40)
    const up = await phone.request.post(`/api/v1/visits/${visit.id}/audio?seconds=1`, {
      headers: { ...headers, 'Content-Type': 'audio/wav' }, data: wav
    })
    assert(up.status() === 200, `upload: ${up.status()} ${await up.text()}`)
    await phone.close()
    // the bureau's record page: fetched on request, played from a blob URL
    await page.goto(`/visits/${visit.id}`)
    await page.locator('[data-testid=visit-audio-load]').click()
    const audio = page.locator('audio[data-testid=visit-audio]')
    await audio.waitFor()
    assert((await audio.getAttribute('src')).startsWith('blob:'), 'the recording is played from a blob URL')
    await page.waitForFunction(() => document.querySelector('audio[data-testid=visit-audio]').readyState >= 1)
    const dur = await audio.evaluate((a) => a.duration)
    assert(Math.abs(dur - 0.5) < 0.05, `recording's duration ${dur}`)
    await screenshot(page, 'visitconsole-audio')
    await logout(page)
  }]
])

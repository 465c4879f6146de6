// Browser test of the assessment workflow, from application to conclusion. A fresh insured person is
// registered through the API (bureau). Intake opens 评估申请 → 新建申请, finds the person by name,
// fills the agent, pledge, disability date and the self-assessment (gate E: proceeds), uploads a
// discharge summary (PDF) on the case page and downloads it back, sees every pre-screening check
// pass and accepts (受理).
// Bureau assigns (派单): the drawn pair, seed, candidate counts, exclusions and the server's
// reproduction check are shown. The drawn assessor opens 评估任务 on a tablet-sized page (800 px),
// scores the 17 items (live subtotals and level 5 重度失能Ⅲ级), takes the position from the browser,
// picks a video file whose SHA-256 is computed in the page, and records a 15-minute visit: shorter
// than the scheme's 30 minutes, so the server flags it and sends the case to the committee. The
// committee sees the flag's message in 委员会审核 and upholds (维持); expert02 and expert03 confirm
// in 专家确认; the case page and 认定结果 show level 5 重度失能Ⅲ级 in publication, bureau sees the
// SMS notice, and 评估统计 draws its charts. Screenshots: build/e2e-assessment-*.png.
//   node tests/e2e/assessment.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import { createHash } from 'node:crypto'
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  startServer, launchBrowser, newPage, login, logout, menuTexts, screenshot, assert, run, openMenu, idNumber, apiCall,
  DEMO_PASSWORD
} from './lib.mjs'

const PERSON = { id: idNumber('33010619380512106'), name: '评估测试甲', area: '339902001001' } // 望江街道: intake's street
const AGENT = { name: '王小明', relation: '子女', phone: '13912345678', email: 'wxm@example.com' }
const HOME = { latitude: 29.99, longitude: 122.2 }
const LEVEL = '重度失能Ⅲ级'

// Scores of the 17 items: ADL 10 (重度), cognition 1 (重度), perception 8 (轻度) -> level 5.
const SCORES = {
  eating: 0, dressing: 0, face_oral: 0, bowel: 0, bladder: 5, toilet: 0, walking: 0, transfer: 5, stairs: 0, bathing: 0,
  time_orientation: 1, person_orientation: 0, place_orientation: 0, memory: 0, vision: 4, hearing: 3, communication: 1
}
// Self-assessment: the three a-class items dependent -> gate E (proceeds).
const GATE = { eating: '依赖', continence: '依赖', bathing: '依赖', dressing: '独立', toileting: '独立', transfer: '独立' }

// The <input> of an Element Plus input-like component carrying data-testid.
function field(scope, testid) {
  return scope.locator(`input[data-testid=${testid}], [data-testid=${testid}] input`).first()
}

// Signs a page's context in through the API (for set-up calls, not for what the test checks).
async function apiLogin(page, username) {
  const r = await page.request.post('/api/v1/session', { data: { username, password: DEMO_PASSWORD } })
  assert(r.ok(), `API login of ${username}: ${r.status()}`)
}

// Accepts the open ElMessageBox with the button of the given text.
async function confirmBox(page, text) {
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button', { hasText: text }).click()
  await box.waitFor({ state: 'hidden' })
}

// "YYYY-MM-DD HH:mm" in Beijing time.
function beijing(ms) {
  const p = {}
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23'
  })
  for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

// Types a date (or date and time) into an el-date-picker and closes its panel by clicking `away`.
async function typeDate(scope, testid, text, away) {
  const input = field(scope, testid)
  await input.click()
  await input.fill(text)
  await input.press('Enter')
  await away.click()
}

await run('assessment', [
  ['start server and browser; bureau registers a fresh insured person', async (ctx) => {
    const { base, dir } = await startServer()
    ctx.base = base
    ctx.dir = dir
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
    ctx.admin = await newPage(ctx.browser, base) // set-up calls only
    await apiLogin(ctx.admin, 'bureau')
    const areas = await apiCall(ctx.admin, 'GET', `/areas?q=${PERSON.area}`)
    const area = areas.body.items.find((a) => a.code === PERSON.area)
    assert(area, `area ${PERSON.area} not found`)
    const r = await apiCall(ctx.admin, 'POST', '/persons', {
      id_number: PERSON.id, name: PERSON.name, area_id: area.id, phone: '13700002222', address: '江海市望江路8号',
      lat: HOME.latitude, lon: HOME.longitude,
      enrolment: { category: 'resident', status: 'active', effective_from: '2020-01-01' }
    })
    assert(r.status === 201, `person: ${r.status} ${JSON.stringify(r.body)}`)
    ctx.personId = r.body.id
    ctx.pdf = join(dir, '出院小结.pdf')
    writeFileSync(ctx.pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
    ctx.video = join(dir, 'visit-20261123.mp4')
    writeFileSync(ctx.video, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)))
    ctx.videoSha = createHash('sha256').update(readFileSync(ctx.video)).digest('hex')
  }],
  ['intake files the application through 新建申请 (gate E)', async (ctx) => {
    const { page } = ctx
    await login(page, 'intake')
    const menu = await menuTexts(page)
    assert(menu.includes('评估申请') && menu.includes('认定结果'), `intake menu: [${menu.join(', ')}]`)
    await openMenu(page, '评估申请', /\/applications/)
    await page.locator('[data-testid=apps-table] .el-table__row').first().waitFor()
    await page.locator('[data-testid=counter-submitted]').waitFor()
    await screenshot(page, 'assessment-queue')
    await page.locator('[data-testid=app-create]').click()
    const dialog = page.locator('[data-testid=app-dialog]')
    await dialog.waitFor()
    const person = field(dialog, 'app-person')
    await person.click()
    await person.fill(PERSON.name)
    await page.locator('.el-select-dropdown__item:visible', { hasText: PERSON.name }).first().click()
    await dialog.locator('[data-testid=app-type] .el-radio-button', { hasText: '首次评估' }).click()
    await field(dialog, 'app-agent-name').fill(AGENT.name)
    await field(dialog, 'app-agent-relation').fill(AGENT.relation)
    await field(dialog, 'app-agent-phone').fill(AGENT.phone)
    await field(dialog, 'app-agent-email').fill(AGENT.email)
    await typeDate(dialog, 'app-since', '2025-01-01', dialog.locator('.el-dialog__title'))
    await dialog.locator('[data-testid=app-pledge]').click()
    const result = dialog.locator('[data-testid=app-gate-result]')
    assert((await result.innerText()).includes('全部作答后'), 'gate shown before all answers')
    for (const [key, answer] of Object.entries(GATE)) {
      await dialog.locator(`[data-testid=gate-${key}] .el-radio-button`).filter({ hasText: new RegExp(`^${answer}$`) }).click()
    }
    await result.filter({ hasText: 'E' }).filter({ hasText: '可进入正式评估' }).waitFor()
    await screenshot(page, 'assessment-new')
    await dialog.locator('[data-testid=app-save]').click()
    await page.waitForURL(/\/applications\/\d+$/)
    ctx.appId = Number(/\/applications\/(\d+)$/.exec(page.url())[1])
    const header = page.locator('[data-testid=app-header]')
    await header.locator('[data-testid=app-title]', { hasText: PERSON.name }).waitFor()
    await header.locator('[data-testid=app-status]', { hasText: '待初筛' }).waitFor()
    const text = await header.innerText()
    assert(text.includes(AGENT.name) && text.includes(AGENT.phone) && text.includes('2025-01-01'), `header: ${text}`)
  }],
  ['a discharge summary is uploaded and every check passes', async (ctx) => {
    const { page } = ctx
    // the materials check fails until a medical record is uploaded
    await page.locator('.el-tabs__item', { hasText: '初筛检查' }).click()
    await page.locator('[data-testid=checks-table] .el-table__row', { hasText: '须提交出院小结' }).waitFor()
    assert(await page.locator('[data-testid=act-accept]').isDisabled(), '受理 must wait for the materials')
    await page.locator('.el-tabs__item', { hasText: '申请材料' }).click()
    await page.locator('[data-testid=material-file]').setInputFiles(ctx.pdf)
    await page.locator('[data-testid=material-submit]').click()
    const row = page.locator('[data-testid=materials-table] .el-table__row', { hasText: '出院小结.pdf' })
    await row.waitFor()
    const rowText = await row.innerText()
    assert(rowText.includes('出院小结') && rowText.includes('PDF') && rowText.includes('intake'), `material row: ${rowText}`)
    const sha = createHash('sha256').update(readFileSync(ctx.pdf)).digest('hex')
    const r = await apiCall(page, 'GET', `/applications/${ctx.appId}`)
    assert(r.body.materials[0].sha256 === sha, 'stored SHA-256 of the material')
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('[data-testid=material-download]').click()])
    const saved = join(ctx.dir, 'downloaded.pdf')
    await download.saveAs(saved)
    assert(readFileSync(saved).equals(readFileSync(ctx.pdf)), 'the downloaded material is the uploaded file')
    await page.locator('.el-tabs__item', { hasText: '初筛检查' }).click()
    const checks = page.locator('[data-testid=checks-table] .el-table__row')
    await checks.filter({ hasText: '已提交病历材料' }).waitFor()
    const all = await checks.allInnerTexts()
    assert(all.length >= 6 && all.every((t) => t.includes('通过') && !t.includes('未通过')), `checks: ${all.join(' | ')}`)
    assert(all.some((t) => t.includes('自评结果E')), `gate check: ${all.join(' | ')}`)
    await screenshot(page, 'assessment-application')
  }],
  ['intake accepts the application (受理)', async (ctx) => {
    const { page } = ctx
    await page.locator('[data-testid=act-accept]').click()
    await confirmBox(page, '受理')
    await page.locator('[data-testid=app-status]', { hasText: '已受理' }).waitFor()
    assert((await page.locator('[data-testid=act-assign]').count()) === 0, 'intake must not see 派单')
    assert((await page.locator('[data-testid=act-reject]').count()) === 0, 'no 不予受理 after the decision')
    await logout(page)
  }],
  ['bureau assigns (派单): the drawn pair, seed, candidates, exclusions and the reproduction check', async (ctx) => {
    const { page } = ctx
    await login(page, 'bureau')
    await page.goto(`/applications/${ctx.appId}`)
    await page.locator('[data-testid=app-status]', { hasText: '已受理' }).waitFor()
    await page.locator('[data-testid=act-assign]').first().click()
    await confirmBox(page, '抽取')
    await page.locator('[data-testid=app-status]', { hasText: '待评估' }).waitFor()
    const card = page.locator('[data-testid=draw-card]').first()
    await card.locator('[data-testid=draw-reproduced]', { hasText: '复现一致' }).waitFor()
    const seed = (await card.locator('[data-testid=draw-seed]').innerText()).trim()
    assert(/^\d+$/.test(seed), `seed: ${seed}`)
    const text = await card.innerText()
    assert(/候选专家 \d+ 人/.test(text) && /候选评估员 \d+ 人/.test(text), `candidate counts: ${text}`)
    await card.locator('[data-testid=draw-excluded] .el-table__row', { hasText: '受雇于定点护理机构' }).waitFor()
    const draws = await apiCall(page, 'GET', `/applications/${ctx.appId}/draws`)
    const d = draws.body.items[0]
    assert(d.seed === seed && d.reproduced, `draw: ${JSON.stringify(d)}`)
    assert(text.includes(d.expert.name) && text.includes(d.assessor.name), `pair names in ${text}`)
    ctx.assessorName = d.assessor.name
    await screenshot(page, 'assessment-draw')
    // the assessor's account, to log in as them
    const pool = await apiCall(page, 'GET', '/assessors')
    const member = pool.body.items.find((m) => m.id === d.assessor.id)
    await apiLogin(ctx.admin, 'admin')
    const users = await apiCall(ctx.admin, 'GET', '/users?page_size=200')
    ctx.assessorUser = users.body.items.find((u) => u.id === member.user_id).username
    console.log(`  drawn: expert ${d.expert.name}, assessor ${d.assessor.name} (${ctx.assessorUser}); seed ${seed}`)
    await logout(page)
  }],
  ['the drawn assessor finds the case in 评估任务 on a tablet', async (ctx) => {
    ctx.tablet = await newPage(ctx.browser, ctx.base, { viewport: { width: 800, height: 1280 }, geolocation: HOME })
    const tab = ctx.tablet
    await login(tab, ctx.assessorUser)
    await tab.goto('/tasks')
    const task = tab.locator('[data-testid=task-card]', { hasText: PERSON.name })
    await task.waitFor()
    await screenshot(tab, 'assessment-tasks-tablet')
    await task.locator('[data-testid=task-start]').click()
    await tab.waitForURL(new RegExp(`/assess/${ctx.appId}$`))
    await tab.locator('[data-testid=assess-title]', { hasText: PERSON.name }).waitFor()
  }],
  ['scores the 17 items: live subtotals and level 5', async (ctx) => {
    const tab = ctx.tablet
    const level = tab.locator('[data-testid=live-level]')
    assert((await level.innerText()).includes('全部评完后显示'), 'no level before scoring')
    for (const [key, score] of Object.entries(SCORES)) {
      await tab.locator(`[data-testid=item-${key}] .opt[data-score="${score}"]`).click()
    }
    await tab.locator('[data-testid=subtotal-adl]', { hasText: '10' }).filter({ hasText: '重度' }).waitFor()
    await tab.locator('[data-testid=subtotal-cognition]', { hasText: '重度' }).waitFor()
    await tab.locator('[data-testid=subtotal-perception]', { hasText: '8' }).filter({ hasText: '轻度' }).waitFor()
    await level.filter({ hasText: `5级 ${LEVEL}` }).waitFor()
    assert(await tab.locator(`[data-testid=item-eating] .opt[data-score="0"]`).getAttribute('aria-checked') === 'true', 'chosen score marked')
  }],
  ['records the evidence: a 15-minute visit, GPS from the device, video SHA-256 computed in the page', async (ctx) => {
    const tab = ctx.tablet
    const end = Math.floor(Date.now() / 60000) * 60000 - 2 * 60000
    const away = tab.locator('[data-testid=evidence] .card-header')
    await typeDate(tab, 'ev-start', beijing(end - 15 * 60000), away)
    await typeDate(tab, 'ev-end', beijing(end), away)
    await tab.locator('[data-testid=ev-duration]', { hasText: '评估时长 15 分钟' }).filter({ hasText: '少于规定的30分钟' }).waitFor()
    await tab.locator('[data-testid=ev-gps]').click()
    await tab.locator('[data-testid=ev-gps-note]', { hasText: '已获取定位' }).waitFor()
    assert((await field(tab, 'ev-lat').inputValue()) === '29.990000', 'latitude from the device')
    await tab.locator('[data-testid=ev-video-file]').setInputFiles(ctx.video)
    const sha = field(tab, 'ev-video-sha')
    await tab.waitForFunction((v) => document.querySelector('[data-testid=ev-video-sha] input, input[data-testid=ev-video-sha]')?.value === v, ctx.videoSha)
    assert((await sha.inputValue()) === ctx.videoSha, 'SHA-256 computed in the browser')
    assert((await field(tab, 'ev-video-ref').inputValue()) === 'visit-20261123.mp4', 'video file name')
    const minutes = field(tab, 'ev-video-min')
    await minutes.fill('15')
    await minutes.press('Tab')
    // the pair and the applicant's agent are prefilled as present
    const present = tab.locator('[data-testid=ev-present]')
    assert((await field(present, 'present-name-2').inputValue()) === AGENT.name, 'agent prefilled as present')
    await screenshot(tab, 'assessment-tablet-form')
  }],
  ['submits: the server flags the short visit and sends the case to the committee', async (ctx) => {
    const tab = ctx.tablet
    await tab.locator('[data-testid=assess-submit]').click()
    const box = tab.locator('.el-message-box:visible')
    await box.waitFor()
    assert((await box.innerText()).includes('少于规定的30分钟'), 'the expected flag is announced before submitting')
    await confirmBox(tab, '提交')
    const result = tab.locator('[data-testid=assess-result]')
    await result.waitFor()
    await result.locator('[data-testid=assess-result-level]', { hasText: `5级 ${LEVEL}` }).waitFor()
    const flags = await result.locator('[data-testid=assess-flag]').allInnerTexts()
    assert(flags.length === 1 && flags[0].includes('评估时长不足') && flags[0].includes('现场评估15分钟，少于规定的30分钟'), `flags: ${flags.join(' | ')}`)
    assert((await result.innerText()).includes('转评估委员会审核'), 'in review')
    await screenshot(tab, 'assessment-tablet-result')
    await tab.context().close()
  }],
  ['the committee sees the flag in 委员会审核 and upholds (维持)', async (ctx) => {
    const { page } = ctx
    await login(page, 'committee')
    await openMenu(page, '委员会审核', /\/reviews$/)
    const row = page.locator('[data-testid=queue-table] .el-table__row', { hasText: PERSON.name })
    await row.locator('[data-testid=queue-flags]', { hasText: '现场评估15分钟，少于规定的30分钟' }).waitFor()
    assert((await row.innerText()).includes(`5级 ${LEVEL}`), `queue row: ${await row.innerText()}`)
    await screenshot(page, 'assessment-committee')
    await row.locator('[data-testid=queue-review]').click()
    const dialog = page.locator('[data-testid=review-dialog]')
    await dialog.waitFor()
    assert((await dialog.innerText()).includes('少于规定的30分钟'), 'the flag in the dialog')
    await dialog.locator('[data-testid=review-decision] .el-radio-button', { hasText: '维持' }).click()
    await dialog.locator('textarea[data-testid=review-reason], [data-testid=review-reason] textarea').first().fill('经核查全程视频，评估过程规范，时长不足系家属提前准备材料所致')
    await dialog.locator('[data-testid=review-submit]').click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('[data-testid=queue-table] .el-table__row', { hasText: PERSON.name }).waitFor({ state: 'detached' })
    await logout(page)
  }],
  ['two experts confirm (专家确认)', async (ctx) => {
    const { page } = ctx
    for (const [i, user] of ['expert02', 'expert03'].entries()) {
      await login(page, user)
      await openMenu(page, '专家确认', /\/confirmations$/)
      const row = page.locator('[data-testid=queue-table] .el-table__row', { hasText: PERSON.name })
      await row.filter({ hasText: `已确认 ${i}/2` }).waitFor()
      assert((await row.innerText()).includes('委员会维持'), `review shown: ${await row.innerText()}`)
      if (i === 1) await screenshot(page, 'assessment-confirm')
      await row.locator('[data-testid=queue-confirm]').click()
      await confirmBox(page, '确认')
      if (i === 0) await row.filter({ hasText: '已确认 1/2' }).filter({ hasText: '您已确认' }).waitFor()
      else await row.waitFor({ state: 'detached' })
      await logout(page)
    }
  }],
  ['the level appears on the case page and in 认定结果', async (ctx) => {
    const { page } = ctx
    await login(page, 'bureau')
    await page.goto(`/applications/${ctx.appId}`)
    await page.locator('[data-testid=app-status]', { hasText: '公示中' }).waitFor()
    const lv = await page.locator('[data-testid=app-level]').innerText()
    assert(lv.includes('5') && lv.includes(LEVEL) && lv.includes('符合待遇享受条件'), `level box: ${lv}`)
    const cert = page.locator('[data-testid=certification]')
    await cert.waitFor()
    assert(/\d{4}-\d{2}-01 至 \d{4}-\d{2}-\d{2}/.test(await cert.locator('[data-testid=cert-validity]').innerText()), 'validity')
    // the outbox shows the agent's number masked
    const masked = AGENT.phone.slice(0, 3) + '****' + AGENT.phone.slice(-4)
    await page.locator('[data-testid=notices-table] .el-table__row', { hasText: masked }).filter({ hasText: LEVEL }).waitFor()
    assert((await page.locator('[data-testid=reviews-table]').count()) === 1, 'reviews table present')
    await screenshot(page, 'assessment-conclusion')
    await openMenu(page, '认定结果', /\/certifications/)
    const row = page.locator('[data-testid=certs-table] .el-table__row', { hasText: PERSON.name })
    await row.waitFor()
    const text = await row.innerText()
    assert(text.includes('5级') && text.includes(LEVEL) && text.includes('公示中') && text.includes('符合'), `certification row: ${text}`)
    await screenshot(page, 'assessment-certifications')
    await page.locator('[data-testid=certs-expiring]').click()
    await page.locator('[data-testid=certs-table]', { hasText: /30天内没有到期|天后到期/ }).waitFor()
  }],
  ['评估统计 shows the tables and charts', async ({ page }) => {
    await openMenu(page, '评估统计', /\/assessment-stats$/)
    await page.locator('[data-testid=stats-monthly] canvas').first().waitFor()
    await page.locator('[data-testid=stats-levels] canvas').first().waitFor()
    await page.locator('[data-testid=stats-street-table] .el-table__row', { hasText: '望江街道' }).waitFor()
    const kpi = await page.locator('[data-testid=stats-kpi-applications]').innerText()
    assert(/\d+/.test(kpi), `kpi: ${kpi}`)
    await screenshot(page, 'assessment-stats')
    await logout(page)
  }]
])

// Browser test of care plans, from the nurse's draft to the provider's new client. The community nurse
// (望江街道) opens 护理计划 → 制定护理计划, finds the beneficiary linked to the family account (certified,
// no plan yet) in the registry and sees the level; 居家上门护理 is offered and the region's one home-care
// provider (P0001 颐康, 未评级, with its distance and free capacity) is chosen. With 2 visits a week the
// entitlement panel (POST /care-plans/check) names the problem (fewer than Zhoushan's 3 visits) and
// highlights the field; 3 visits with the items still at 2 a week is too short a visit; items at 3 a
// week (15 + 20 + 15 + 10 = 60 minutes a visit) meet the standard and the draft is saved (待确认).
// The family account opens 我的护理计划, reads the draft in plain words and confirms it with the big
// button: the plan is in force (执行中). The provider's administrator sees the new client among its
// plans in force. Along the way the other new screens are opened and photographed: the provider
// directory and a barred provider's page with its status dialog, the caregiver roll and a caregiver's
// full record with the qualification check, the plan's page and the workforce statistics.
// Screenshots: build/e2e-care-*.png.
//   node tests/e2e/care.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import {
  startServer, launchBrowser, newPage, login, logout, menuTexts, screenshot, assert, run, openMenu, apiCall, DEMO_PASSWORD
} from './lib.mjs'

const PROVIDER = '江海市颐康居家护理服务有限公司' // P0001, the home-care provider of 望江街道's region
// The plan's items: 15 + 20 + 15 + 10 = 60 minutes a visit (standard minutes of the catalogue).
const ITEMS = ['QJ01', 'PX02', 'YD01', 'YZ01']

// The <input> of an Element Plus input-like component carrying data-testid.
function field(scope, testid) {
  return scope.locator(`input[data-testid=${testid}], [data-testid=${testid}] input`).first()
}

async function setNumber(page, testid, value) {
  const input = field(page, testid)
  await input.fill(String(value))
  await input.press('Tab')
}

// Waits until the entitlement panel has answered for the form as it now is.
async function panelSettled(page) {
  await page.waitForTimeout(500) // the check is debounced (400 ms)
  await page.locator('[data-testid=entitlement-panel] .is-loading').waitFor({ state: 'detached' }).catch(() => {})
  await page.locator('[data-testid=ent-verdict]').waitFor()
}

// Accepts the open ElMessageBox with the button of the given text.
async function confirmBox(page, text) {
  const box = page.locator('.el-message-box:visible')
  await box.waitFor()
  await box.locator('.el-message-box__btns .el-button', { hasText: text }).click()
  await box.waitFor({ state: 'hidden' })
}

await run('care', [
  ['start server and browser; the family account\'s beneficiary', async (ctx) => {
    const { base } = await startServer()
    ctx.base = base
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
    // who the family account acts for (read through the API, not under test here)
    const fam = await newPage(ctx.browser, base)
    const r = await fam.request.post('/api/v1/session', { data: { username: 'applicant', password: DEMO_PASSWORD } })
    assert(r.ok(), `API login of applicant: ${r.status()}`)
    const me = await (await fam.request.get('/api/v1/me')).json()
    ctx.person = me.user.persons[0]
    assert(ctx.person, 'the demo family account should act for one beneficiary')
    const plans = await (await fam.request.get('/api/v1/care-plans')).json()
    assert(plans.total === 0, `the beneficiary should have no plan yet, got ${plans.total}`)
    await fam.context().close()
    console.log(`  beneficiary: ${ctx.person.name} (${ctx.person.relation})`)
  }],

  ['bureau sees the provider directory and a barred provider', async ({ page }) => {
    await login(page, 'bureau')
    await openMenu(page, '护理机构', /\/providers$/)
    const table = page.locator('[data-testid=providers-table]')
    await table.locator('.el-table__row', { hasText: PROVIDER }).waitFor()
    const barred = table.locator('.el-table__row', { hasText: '盐田福缘护理站' })
    await barred.locator('[data-testid=provider-status]', { hasText: '暂停接收新服务对象' }).waitFor()
    const text = await table.innerText()
    assert(text.includes('未评级'), 'credit grade should read 未评级')
    await screenshot(page, 'care-providers')
    await barred.locator('.el-link').click()
    await page.waitForURL(/\/providers\/\d+$/)
    await page.locator('[data-testid=provider-status-alert]', { hasText: '暂停接收新服务对象至' }).waitFor()
    await page.locator('[data-testid=agreements-table] .el-table__row', { hasText: '盐田街道' }).waitFor()
    await screenshot(page, 'care-provider')
    await page.locator('[data-testid=provider-status-change]').click()
    const dlg = page.locator('[data-testid=status-dialog]')
    await dlg.waitFor()
    await dlg.locator('.el-radio', { hasText: '终止协议' }).click()
    await dlg.locator('.el-alert', { hasText: '终止协议后不可恢复' }).waitFor()
    await screenshot(page, 'care-provider-status')
    await dlg.locator('.el-button', { hasText: '取消' }).click()
    await dlg.waitFor({ state: 'hidden' })
  }],

  ['bureau sees the caregiver roll, a full record and the qualification check', async ({ page }) => {
    await openMenu(page, '护理员', /\/caregivers/)
    const table = page.locator('[data-testid=caregivers-table]')
    await table.locator('.el-table__row').first().waitFor()
    await page.locator('[data-testid=caregivers-provider]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: PROVIDER }).click()
    await page.waitForURL(/provider_id=\d+/)
    await table.locator('.el-table__row', { hasText: PROVIDER }).first().waitFor()
    const ids = await table.locator('.el-table__row .mono').allInnerTexts()
    assert(ids.some((t) => /^\d{4}\*{10}[\dX]{4}$/.test(t.trim())), `ID numbers should be masked, got ${ids.slice(0, 3)}`)
    await screenshot(page, 'care-caregivers')
    await table.locator('.el-table__row', { hasText: PROVIDER }).first().locator('.el-link').click()
    await page.waitForURL(/\/caregivers\/\d+$/)
    const info = await page.locator('[data-testid=caregiver-info]').innerText()
    assert(/\d{17}[\dX]/.test(info), 'the full record shows the whole ID number')
    await page.locator('[data-testid=qual-check]').click()
    await page.locator('[data-testid=qual-result]').waitFor()
    await screenshot(page, 'care-caregiver')
    await logout(page)
  }],

  ['the nurse finds the beneficiary and the region\'s provider', async (ctx) => {
    const { page, person } = ctx
    await login(page, 'nurse')
    const menu = await menuTexts(page)
    for (const t of ['护理机构', '护理员', '护理计划']) assert(menu.includes(t), `nurse menu should contain ${t}: ${menu}`)
    for (const t of ['我的护理计划', '护理队伍统计']) assert(!menu.includes(t), `nurse menu should not contain ${t}: ${menu}`)
    // the masked ID number tells the beneficiary apart from namesakes
    const certs = await apiCall(page, 'GET', `/certifications?person_id=${person.id}`)
    const masked = certs.body.items[0].id_number
    ctx.level = certs.body.items[0].level
    await openMenu(page, '护理计划', /\/care-plans/)
    await page.locator('[data-testid=plan-create]').click()
    await page.waitForURL(/\/care-plans\/new$/)
    await field(page, 'plan-person').click()
    await page.keyboard.type(person.name)
    await page.locator('.el-select-dropdown__item:visible', { hasText: masked }).click()
    const cert = page.locator('[data-testid=plan-cert]')
    await cert.locator('.el-tag', { hasText: `${ctx.level}级` }).waitFor()
    assert((await cert.innerText()).includes('符合待遇享受条件'), 'the level qualifies')
    // home care is offered first; the one provider of the region is chosen for the nurse
    await page.locator('[data-testid=plan-mode] .el-radio-button.is-active', { hasText: '居家上门护理' }).waitFor()
    const row = page.locator('[data-testid=plan-provider-options] .el-table__row', { hasText: PROVIDER })
    await row.waitFor()
    await row.locator('.el-radio.is-checked').waitFor()
    const rowText = await row.innerText()
    assert(rowText.includes('未评级') && /km|\bm\b/.test(rowText) && rowText.includes('可接收新服务对象'), `provider option: ${rowText}`)
  }],

  ['too few visits: the entitlement panel names the problem', async ({ page }) => {
    await setNumber(page, 'plan-visits', 2)
    for (const code of ITEMS) {
      const tab = await page.locator(`[data-testid=item-${code}]`).isVisible()
      if (!tab) {
        const cat = { QJ: '清洁卫生', PX: '排泄护理', YD: '移动舒适和安全护理', YZ: '用药指导' }[code.slice(0, 2)]
        await page.locator('.cat-tabs .el-tabs__item', { hasText: cat }).click()
      }
      await page.locator(`[data-testid=item-${code}]`).click()
    }
    await panelSettled(page)
    const problem = page.locator('[data-testid=ent-problem][data-field=visits_per_week]')
    await problem.waitFor()
    const text = await problem.innerText()
    assert(text.includes('少于规定的至少3次'), `visits problem: ${text}`)
    assert(await page.locator('#f-visits-input.is-error').count() === 1, 'the visits field is highlighted')
    assert(await page.locator('[data-testid=plan-save]').isDisabled(), 'saving waits until the problems are solved')
    const monthly = await page.locator('[data-testid=ent-monthly]').innerText()
    assert(monthly.includes('1,280.00'), `monthly entitlement: ${monthly}`)
    await screenshot(page, 'care-plan-editor-problem')
  }],

  ['three visits of an hour meet the standard; the draft is saved', async ({ page }) => {
    await setNumber(page, 'plan-visits', 3)
    await panelSettled(page)
    // the items still come twice a week: 120 minutes over 3 visits is too short a visit
    await page.locator('[data-testid=ent-problem][data-field=minutes_per_visit]').waitFor()
    assert(await page.locator('[data-testid=ent-problem][data-field=visits_per_week]').count() === 0, 'the visits problem is gone')
    for (const code of ITEMS) {
      const cat = { QJ: '清洁卫生', PX: '排泄护理', YD: '移动舒适和安全护理', YZ: '用药指导' }[code.slice(0, 2)]
      await page.locator('.cat-tabs .el-tabs__item', { hasText: cat }).click()
      await setNumber(page, `item-${code}-per-week`, 3)
    }
    await panelSettled(page)
    await page.locator('[data-testid=ent-ok]').waitFor()
    assert((await page.locator('[data-testid=ent-per-visit]').innerText()).includes('60分钟'), 'an hour a visit')
    assert((await page.locator('[data-testid=ent-week]').innerText()).includes('180分钟'), '180 minutes a week')
    await screenshot(page, 'care-plan-editor')
    await page.locator('[data-testid=plan-save]').click()
    await page.waitForURL(/\/care-plans\/\d+$/)
    await page.locator('[data-testid=plan-status]', { hasText: '待确认' }).waitFor()
    const items = await page.locator('[data-testid=plan-items]').innerText()
    assert(items.includes('面部清洁和梳头') && items.includes('180'), `plan items: ${items}`)
    await screenshot(page, 'care-plan-draft')
    await logout(page)
  }],

  ['the family account reads the draft in plain words and confirms it', async ({ page, person }) => {
    await login(page, 'applicant')
    const menu = await menuTexts(page)
    assert(menu.includes('我的护理计划') && menu.includes('护理机构'), `applicant menu: ${menu}`)
    for (const t of ['护理计划', '护理员', '护理队伍统计']) assert(!menu.includes(t), `applicant menu should not contain ${t}: ${menu}`)
    await openMenu(page, '我的护理计划', /\/my-care-plans$/)
    const draft = page.locator('[data-testid=my-plan-draft]')
    await draft.waitFor()
    const text = await draft.innerText()
    assert(text.includes(person.name) && text.includes(PROVIDER), `draft card: ${text}`)
    assert(text.includes('每周上门 3 次，每次约 60 分钟'), `visits in plain words: ${text}`)
    assert(text.includes('面部清洁和梳头') && text.includes('每周3次，每次15分钟'), `items in plain words: ${text}`)
    assert(text.includes('1,280.00'), `what the insurance pays: ${text}`)
    await screenshot(page, 'care-my-plan-draft')
    await page.locator('[data-testid=my-plan-confirm]').click()
    await confirmBox(page, '确认')
    await page.locator('[data-testid=my-plan-status]', { hasText: '执行中' }).waitFor()
    assert(await page.locator('[data-testid=my-plan-draft]').count() === 0, 'nothing left to confirm')
    const current = await page.locator('[data-testid=my-plan-current]').innerText()
    assert(current.includes('家属账号网上确认'), `confirmation recorded: ${current}`)
    await screenshot(page, 'care-my-plan-active')
    await logout(page)
  }],

  ['the provider\'s administrator sees the new client in force', async ({ page, person }) => {
    await login(page, 'provider_admin')
    await openMenu(page, '护理计划', /\/care-plans/)
    await page.locator('[data-testid=plan-counter-active]').click()
    const row = page.locator('[data-testid=plans-table] .el-table__row', { hasText: person.name })
    await row.first().waitFor()
    const text = await row.first().innerText()
    assert(text.includes('执行中') && text.includes('居家上门护理'), `new client row: ${text}`)
    const providers = await page.locator('[data-testid=plans-table] .el-table__row').allInnerTexts()
    assert(providers.every((t) => t.includes(PROVIDER)), 'only the own provider\'s plans')
    await screenshot(page, 'care-provider-plans')
    await row.first().locator('.el-link').click()
    await page.waitForURL(/\/care-plans\/\d+$/)
    await page.locator('[data-testid=plan-status]', { hasText: '执行中' }).waitFor()
    const info = await page.locator('[data-testid=plan-info]').innerText()
    assert(info.includes('女儿') || info.includes(person.relation), `confirmation shown: ${info}`)
    await screenshot(page, 'care-plan-active')
  }],

  ['the provider\'s administrator sees its workforce statistics', async ({ page }) => {
    await openMenu(page, '护理队伍统计', /\/workforce$/)
    await page.locator('[data-testid=workforce-kpi-caregivers]').waitFor()
    await page.locator('[data-testid=workforce-ages] canvas').waitFor()
    const rows = await page.locator('[data-testid=workforce-providers] .el-table__body .el-table__row').allInnerTexts()
    assert(rows.length === 1 && rows[0].includes(PROVIDER), `own provider only: ${rows}`)
    await screenshot(page, 'care-workforce')
    await logout(page)
  }]
])

// Browser test of the registry and funding pages. As bureau: a persons CSV written here (4 valid ID
// numbers with GB 11643 check characters and 1 with a wrong one) is uploaded on 批量导入 and followed
// to 已完成 (4 imported, 1 rejected, the rejects file downloads), then an enrolments CSV; one of the
// new persons is found on 参保人员, opened, and given an enrolment record (resident, active,
// 2026-01-01); 核定年度筹资 for 2026 on 基金概况 posts exactly the contributions worked out by hand
// below, and running it again posts nothing. Then intake sees 参保人员 but not 基金概况 or 批量导入,
// and registers a person through the 新增参保人 form (the ID number is checked as it is typed), and
// auditor sees 基金概况 without the 核定年度筹资 button. Independent of demo persons: a first
// contribution run before any of the test's enrolments absorbs whatever the demo data is due, and the
// fund totals are compared before and after. Screenshots: build/e2e-registry-*.png.
//   node tests/e2e/registry.test.mjs      (env LTCI_BIN=path/to/ltci; web/dist must be built)
import { writeFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  startServer, launchBrowser, newPage, login, logout, menuTexts, screenshot, assert, run, openMenu, idNumber, yuan, apiCall
} from './lib.mjs'

const YEAR = 2026

// Four persons of the demo city (region code 330106 keeps them apart from generated demo people).
const A = { id: idNumber('33010619400312101'), name: '测试甲', area: '339902001001' } // 望江街道: intake sees them
const B = { id: idNumber('33010619450720102'), name: '测试乙', area: '339902001002' } // 望江街道
const C = { id: idNumber('33010619380105103'), name: '测试丙', area: '339902002001' }
const D = { id: idNumber('33010619421130104'), name: '测试丁', area: '339903001001' }
const E = { id: idNumber('33010619480229107'), name: '测试己' } // registered by intake through the form
const goodE = idNumber('33010619500101105')
const BAD = { id: goodE.slice(0, 17) + (goodE[17] === '0' ? '1' : '0'), name: '测试戊', area: '339902001001' }

// Enrolments: A employee from 2025 (due 2026: personal account 45 + pooled fund 45); B resident and
// medical-assistance recipient (due: the personal 30 moves to finance, so finance 90); C resident
// who ended in 2025 (not due in 2026); D gets resident/active/2026-01-01 through the UI (individual
// 30 + finance 60). Expected 2026 postings in fen:
const EXPECTED = { personal_account: 4500, pooled_fund: 4500, individual: 3000, finance: 6000 + 9000 }
const EXPECTED_TOTAL = Object.values(EXPECTED).reduce((a, b) => a + b, 0) // 27000 fen = 270.00 yuan

// The <input> of an Element Plus input-like component carrying data-testid (on the input itself or
// on a wrapper, depending on the component).
function field(scope, testid) {
  return scope.locator(`input[data-testid=${testid}], [data-testid=${testid}] input`).first()
}

async function incomeTotal(page) {
  const r = await apiCall(page, 'GET', `/fund/summary?year=${YEAR}`)
  assert(r.status === 200, `fund summary: ${r.status}`)
  return r.body.income.total
}

// Uploads a CSV file on 批量导入 and waits for the job to finish; returns the progress card.
async function importCsv(page, kindLabel, file) {
  await page.locator('[data-testid=import-kind] .el-radio-button', { hasText: kindLabel }).click()
  await page.locator('[data-testid=import-upload] input[type=file]').setInputFiles(file)
  await page.locator('[data-testid=import-start]').click()
  const card = page.locator('[data-testid=import-progress]')
  await card.locator('[data-testid=import-status]', { hasText: /已完成|失败/ }).waitFor({ timeout: 30000 })
  const status = (await card.locator('[data-testid=import-status]').innerText()).trim()
  assert(status === '已完成', `import of ${file} ended with ${status}: ${await card.innerText()}`)
  return card
}

async function statValue(card, testid) {
  return Number((await card.locator(`[data-testid=${testid}] .el-statistic__content`).innerText()).replace(/\D/g, ''))
}

await run('registry', [
  ['start server and browser', async (ctx) => {
    const { base, dir } = await startServer()
    ctx.dir = dir
    ctx.browser = await launchBrowser()
    ctx.page = await newPage(ctx.browser, base)
    console.log(`  server: ${base}`)
    const persons = [
      'id_number,name,phone,address,area_code,lat,lon',
      `${A.id},${A.name},13800001111,江海市人民路1号101室,${A.area},29.990100,122.200200`,
      `${B.id},${B.name},,江海市江滨路2号,${B.area},,`,
      `${BAD.id},${BAD.name},,,${BAD.area},,`,
      `${C.id},${C.name},0580-2261234,,${C.area},,`,
      `${D.id},${D.name},13900002222,江海市海港路3号,${D.area},29.950000,122.300000`
    ]
    ctx.personsCsv = join(dir, 'e2e-persons.csv')
    writeFileSync(ctx.personsCsv, persons.join('\r\n') + '\r\n')
    const enrolments = [
      'id_number,category,flags,status,effective_from',
      `${A.id},employee,,active,2025-01-01`,
      `${B.id},resident,assistance,active,2026-01-01`,
      `${C.id},resident,,active,2025-06-01`,
      `${C.id},resident,,ended,2025-12-01`
    ]
    ctx.enrolmentsCsv = join(dir, 'e2e-enrolments.csv')
    writeFileSync(ctx.enrolmentsCsv, enrolments.join('\n') + '\n')
  }],
  ['bureau sees the registry and fund pages', async ({ page }) => {
    await login(page, 'bureau')
    const menu = await menuTexts(page)
    for (const t of ['参保人员', '批量导入', '基金概况']) assert(menu.includes(t), `bureau menu lacks ${t}: [${menu.join(', ')}]`)
  }],
  ['a first contribution run absorbs what demo data is due', async (ctx) => {
    const r = await apiCall(ctx.page, 'POST', '/contributions/runs', { year: YEAR })
    assert(r.status === 200, `baseline run: ${r.status} ${JSON.stringify(r.body)}`)
    ctx.incomeBefore = await incomeTotal(ctx.page)
    console.log(`  income ${YEAR} before: ${yuan(ctx.incomeBefore)} yuan`)
  }],
  ['persons CSV: 4 imported, 1 rejected', async (ctx) => {
    const { page } = ctx
    await openMenu(page, '批量导入', /\/imports$/)
    await page.locator('[data-testid=import-format]', { hasText: 'area_code' }).waitFor()
    const card = await importCsv(page, '参保人员', ctx.personsCsv)
    const total = await statValue(card, 'import-total')
    const ok = await statValue(card, 'import-ok')
    const rejected = await statValue(card, 'import-rejected')
    assert(total === 5 && ok === 4 && rejected === 1, `counters: total ${total}, ok ${ok}, rejected ${rejected}`)
    const result = await card.locator('[data-testid=import-result]').innerText()
    assert(result.includes('成功 4 行') && result.includes('拒绝 1 行'), `result: ${result}`)
    await screenshot(page, 'registry-import')
  }],
  ['the rejects file downloads and names the bad row', async (ctx) => {
    const { page } = ctx
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=import-rejects-link]').click()
    ])
    const path = join(ctx.dir, 'rejects.csv')
    await download.saveAs(path)
    const text = readFileSync(path, 'utf8')
    assert(text.includes('line,field,reason,record'), `rejects header: ${text}`)
    assert(text.includes(BAD.id) && text.includes('校验位'), `rejects should name ${BAD.id} and 校验位: ${text}`)
    assert(!text.includes(A.id), 'rejects should not contain good rows')
    // the history table lists the job with its rejects link
    const row = page.locator('[data-testid=imports-table] .el-table__row', { hasText: 'e2e-persons.csv' })
    await row.waitFor()
    assert((await row.innerText()).includes('已完成'), `history row: ${await row.innerText()}`)
  }],
  ['enrolments CSV: 4 imported', async (ctx) => {
    const card = await importCsv(ctx.page, '参保登记', ctx.enrolmentsCsv)
    const ok = await statValue(card, 'import-ok')
    const rejected = await statValue(card, 'import-rejected')
    assert(ok === 4 && rejected === 0, `enrolments: ok ${ok}, rejected ${rejected}`)
    assert((await card.locator('[data-testid=import-rejects-link]').count()) === 0, 'no rejects link expected')
  }],
  ['find 测试丁 on 参保人员 with masked values', async ({ page }) => {
    await openMenu(page, '参保人员', /\/persons$/)
    await page.locator('[data-testid=persons-table] .el-table__row').first().waitFor().catch(() => {})
    await field(page, 'persons-name').fill(D.name)
    await page.locator('[data-testid=persons-search]').click()
    const rows = page.locator('[data-testid=persons-table] .el-table__row')
    await rows.filter({ hasText: D.name }).first().waitFor()
    assert((await rows.count()) === 1, `one row expected for ${D.name}, got ${await rows.count()}`)
    const text = await rows.first().innerText()
    assert(text.includes(`${D.id.slice(0, 4)}**********${D.id.slice(14)}`), `masked ID expected: ${text}`)
    assert(text.includes('139****2222'), `masked phone expected: ${text}`)
    assert(text.includes('未参保'), `status 未参保 expected: ${text}`)
    // search by the last 4 characters of the ID number as well
    await field(page, 'persons-name').fill('')
    await field(page, 'persons-id').fill(B.id.slice(-6))
    await page.locator('[data-testid=persons-search]').click()
    await rows.filter({ hasText: B.name }).first().waitFor()
    await field(page, 'persons-id').fill('')
    await field(page, 'persons-name').fill(D.name)
    await page.locator('[data-testid=persons-search]').click()
    await rows.filter({ hasText: D.name }).first().waitFor()
    await rows.filter({ hasText: D.name }).first().locator('.el-link').click()
    await page.waitForURL(/\/persons\/\d+$/)
  }],
  ['the detail shows the full record', async ({ page }) => {
    const header = page.locator('[data-testid=person-header]')
    await header.locator('[data-testid=person-title]', { hasText: D.name }).waitFor()
    const text = await header.innerText()
    assert(text.includes(D.id), `full ID expected in the header: ${text}`)
    assert(text.includes('1942-11-30') && text.includes('女'), `birth date and sex from the ID expected: ${text}`)
    assert(text.includes('13900002222') && text.includes('江海市海港路3号'), `phone and address expected: ${text}`)
    assert(text.includes('记入审计日志'), 'the audited read should be mentioned')
    assert(text.includes('未参保'), `status 未参保 expected: ${text}`)
  }],
  ['bureau adds an enrolment record (resident, active, 2026-01-01)', async ({ page }) => {
    await page.locator('[data-testid=enrol-add]').click()
    const dialog = page.locator('[data-testid=enrol-dialog]')
    await dialog.waitFor()
    await dialog.locator('[data-testid=enrol-category] .el-radio', { hasText: '城乡居民医保' }).click()
    await dialog.locator('[data-testid=enrol-status] .el-radio', { hasText: '参保缴费' }).click()
    const date = field(dialog, 'enrol-from')
    await date.click()
    await date.fill('2026-01-01')
    await date.press('Enter')
    await dialog.locator('.el-dialog__title').click() // close the date panel
    await dialog.locator('[data-testid=enrol-save]').click()
    await dialog.waitFor({ state: 'hidden' })
    const row = page.locator('[data-testid=enrolments-table] .el-table__row', { hasText: '2026-01-01' })
    await row.waitFor()
    const text = await row.innerText()
    assert(text.includes('城乡居民医保') && text.includes('参保缴费') && text.includes('手工登记'), `enrolment row: ${text}`)
    await page.locator('[data-testid=person-status]', { hasText: '参保缴费' }).waitFor()
    await screenshot(page, 'registry-person')
  }],
  ['核定年度筹资 for 2026 posts the expected contributions', async (ctx) => {
    const { page } = ctx
    await openMenu(page, '基金概况', /\/fund$/)
    await page.locator('[data-testid=kpi-income]').waitFor()
    // pick the year explicitly (the page opens on the current year)
    await page.locator('[data-testid=fund-year]').click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: `${YEAR}年` }).click()
    await page.locator('[data-testid=kpi-income]', { hasText: yuan(ctx.incomeBefore) }).waitFor()

    await page.locator('[data-testid=fund-run]').click()
    const dialog = page.locator('[data-testid=run-dialog]')
    await dialog.waitFor()
    const yearInput = field(dialog, 'run-year')
    await yearInput.fill(String(YEAR))
    await yearInput.press('Tab')
    await dialog.locator('[data-testid=run-submit]').click()
    const result = dialog.locator('[data-testid=run-result]')
    await result.waitFor()
    const text = await result.innerText()
    assert(text.includes(`本次记入基金收入 ${yuan(EXPECTED_TOTAL)} 元`), `run result should post ${yuan(EXPECTED_TOTAL)}: ${text}`)
    const labels = { personal_account: '个人账户划转', pooled_fund: '统筹基金划转', individual: '个人缴费', finance: '财政补助' }
    for (const [payer, fen] of Object.entries(EXPECTED)) {
      const row = result.locator('[data-testid=run-table] .el-table__row', { hasText: labels[payer] })
      const rowText = await row.innerText()
      assert(rowText.includes(`+${yuan(fen)}`), `${labels[payer]} should post +${yuan(fen)}: ${rowText}`)
    }
    await screenshot(page, 'registry-run')
  }],
  ['running it again is safe: nothing more is posted', async ({ page }) => {
    const dialog = page.locator('[data-testid=run-dialog]')
    await dialog.locator('[data-testid=run-submit]').click()
    await dialog.locator('[data-testid=run-result]', { hasText: '本次没有新的记账' }).waitFor()
    await dialog.getByRole('button', { name: '关闭', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
  }],
  ['基金概况 shows the new income and the ledger its entries', async (ctx) => {
    const { page } = ctx
    const after = ctx.incomeBefore + EXPECTED_TOTAL
    await page.locator('[data-testid=kpi-income]', { hasText: yuan(after) }).waitFor()
    assert((await incomeTotal(page)) === after, 'API income total after the run')
    await page.locator('[data-testid=fund-monthly] canvas').first().waitFor()
    await page.locator('[data-testid=fund-income-table] .el-table__row', { hasText: '财政补助' }).waitFor()
    await screenshot(page, 'registry-fund')
    await page.locator('.el-tabs__item', { hasText: '明细账' }).click()
    const rows = page.locator('[data-testid=ledger-table] .el-table__row')
    await rows.first().waitFor()
    const text = (await rows.allInnerTexts()).join('\n')
    assert(text.includes(`+${yuan(EXPECTED.finance)}`) && text.includes(`${YEAR}年度筹资`), `ledger rows: ${text}`)
    await screenshot(page, 'registry-ledger')
    await logout(page)
  }],
  ['intake sees 参保人员 but not 基金概况 or 批量导入', async ({ page }) => {
    await login(page, 'intake')
    const menu = await menuTexts(page)
    assert(menu.includes('参保人员'), `intake menu lacks 参保人员: [${menu.join(', ')}]`)
    for (const t of ['基金概况', '批量导入']) assert(!menu.includes(t), `intake menu should not contain ${t}: [${menu.join(', ')}]`)
    await openMenu(page, '参保人员', /\/persons$/)
    await field(page, 'persons-name').fill('测试')
    await page.locator('[data-testid=persons-search]').click()
    // intake works for 望江街道: A and B live there, C and D do not
    const rows = page.locator('[data-testid=persons-table] .el-table__row')
    await rows.filter({ hasText: A.name }).first().waitFor()
    const names = await rows.allInnerTexts()
    assert(names.some((t) => t.includes(B.name)), `intake should see ${B.name}`)
    assert(!names.some((t) => t.includes(D.name) || t.includes(C.name)), `intake should not see persons outside 望江街道: ${names}`)
    await page.goto('/fund')
    await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
    await page.goto('/imports')
    await page.locator('.el-result', { hasText: '无权访问' }).waitFor()
  }],
  ['intake registers a person through 新增参保人 (ID checked as typed)', async ({ page }) => {
    await openMenu(page, '参保人员', /\/persons$/)
    await page.locator('[data-testid=person-create]').click()
    const dialog = page.locator('[data-testid=person-dialog]')
    await dialog.waitFor()
    assert((await dialog.locator('[data-testid=person-enrol-switch]').count()) === 0, 'enrolment fields are for bureau only')
    const idInput = field(dialog, 'person-id-number')
    const derived = dialog.locator('[data-testid=person-id-derived]')
    await idInput.fill(E.id.slice(0, 17))
    await derived.filter({ hasText: `校验位应为 ${E.id[17]}` }).waitFor()
    await idInput.fill(E.id.slice(0, 17) + (E.id[17] === '0' ? '1' : '0'))
    await field(dialog, 'person-name').click()
    await dialog.locator('.el-form-item__error', { hasText: '校验位错误' }).waitFor()
    await idInput.fill(E.id)
    await derived.filter({ hasText: '出生日期 1948-02-29' }).filter({ hasText: '性别 男' }).waitFor()
    await field(dialog, 'person-name').fill(E.name)
    await field(dialog, 'person-phone').fill('13700003333')
    await field(dialog, 'person-area').click()
    await field(dialog, 'person-area').fill('江滨社区')
    await page.locator('.el-tree-node__content:visible', { hasText: '江滨社区居委会' }).first().click()
    await dialog.getByRole('button', { name: '添加联系人' }).click()
    const contact = dialog.locator('[data-testid=contacts-editor] .el-table__row').first()
    await contact.locator('input').nth(0).fill('测试庚')
    await contact.locator('input').nth(1).fill('子女')
    await contact.locator('input').nth(1).press('Enter')
    await contact.locator('input').nth(2).fill('13600004444')
    await dialog.locator('[data-testid=person-save]').click()
    await page.waitForURL(/\/persons\/\d+$/)
    const header = page.locator('[data-testid=person-header]')
    await header.locator('[data-testid=person-title]', { hasText: E.name }).waitFor()
    const text = await header.innerText()
    assert(text.includes(E.id) && text.includes('江滨社区居委会') && text.includes('未参保'), `new person header: ${text}`)
    assert((await page.locator('[data-testid=enrol-add]').count()) === 0, 'intake must not add enrolment records')
    assert((await page.locator('[data-testid=person-death]').count()) === 0, 'intake must not record deaths')
    await page.locator('.el-tabs__item', { hasText: '联系人' }).click()
    await page.locator('[data-testid=contacts-table] .el-table__row', { hasText: '测试庚' }).waitFor()
    await screenshot(page, 'registry-intake-person')
    await logout(page)
  }],
  ['auditor sees 基金概况 without 核定年度筹资, imports read-only', async ({ page }) => {
    await login(page, 'auditor')
    const menu = await menuTexts(page)
    for (const t of ['基金概况', '批量导入', '参保人员']) assert(menu.includes(t), `auditor menu lacks ${t}: [${menu.join(', ')}]`)
    await openMenu(page, '基金概况', /\/fund$/)
    await page.locator('[data-testid=kpi-income]').waitFor()
    await page.locator('[data-testid=fund-income-table] .el-table__row').first().waitFor()
    assert((await page.locator('[data-testid=fund-run]').count()) === 0, 'auditor must not see 核定年度筹资')
    await screenshot(page, 'registry-auditor-fund')
    await openMenu(page, '批量导入', /\/imports$/)
    await page.locator('[data-testid=imports-table] .el-table__row', { hasText: 'e2e-persons.csv' }).waitFor()
    assert((await page.locator('[data-testid=import-start]').count()) === 0, 'auditor must not see the upload form')
    await logout(page)
  }]
])

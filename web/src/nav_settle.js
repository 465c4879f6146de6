// Pages of monthly settlement (结算管理, 结算单详情, 支付批次, and the provider's own 结算单), spliced into
// the page list of nav.js. Same shape as the entries there.
//
// The routes that gate them: statements are read by the bureau, auditors and provider staff alike, so
// the list is offered twice with the same view: as 结算管理 to the bureau and auditors, gated by the
// payment list (which they, and only they, may read), and as 结算单 to provider staff, gated by the
// objection route (theirs alone), where the server shows them their own published statements only.
// Each has its detail page under its own path so the menu keeps the right item lit.
const SETTLE_STAFF = 'GET /api/v1/settlement/payments'
const SETTLE_PROVIDER = 'POST /api/v1/settlement/lines/:id/objections'
const STATEMENT = 'GET /api/v1/settlement/statements/:id'

export const settlePages = [
  { path: 'settlements', name: 'settlements', component: () => import('./views/SettlementsView.vue'),
    meta: { title: '结算管理', icon: 'Money', menu: true, api: SETTLE_STAFF } },
  { path: 'settlements/:id(\\d+)', name: 'settlement', component: () => import('./views/SettlementDetailView.vue'),
    props: true, meta: { title: '结算单详情', menu: false, api: STATEMENT } },
  { path: 'my-settlements', name: 'my-settlements', component: () => import('./views/SettlementsView.vue'),
    meta: { title: '结算单', icon: 'Money', menu: true, api: SETTLE_PROVIDER } },
  { path: 'my-settlements/:id(\\d+)', name: 'my-settlement', component: () => import('./views/SettlementDetailView.vue'),
    props: true, meta: { title: '结算单详情', menu: false, api: STATEMENT } },
  { path: 'payments', name: 'payments', component: () => import('./views/PaymentsView.vue'),
    meta: { title: '支付批次', icon: 'Wallet', menu: true, api: SETTLE_STAFF } }
]

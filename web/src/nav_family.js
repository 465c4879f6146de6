// Pages of service delivery for family accounts (their visits, ratings and disputes, complaints),
// spliced into the page list of nav.js, plus the caregiver's menu entry 今日服务 that opens the
// full-screen phone page (/caregiver, a top-level route in router.js). Same shape as the entries
// there. The monthly family-care attestation lives on 我的护理计划.
export const familyVisitPages = [
  { path: 'today', name: 'caregiver-entry', redirect: { name: 'caregiver-today' },
    meta: { title: '今日服务', icon: 'Location', menu: true, api: 'POST /api/v1/visits/checkin' } },
  { path: 'my-visits', name: 'my-visits', component: () => import('./views/MyVisitsView.vue'),
    meta: { title: '我的服务记录', icon: 'Document', menu: true, audience: 'family', api: 'POST /api/v1/visits/:id/rating' } }
]

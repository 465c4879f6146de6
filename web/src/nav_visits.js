// Pages of service delivery for provider and bureau staff (schedule board, visit records and
// exceptions, map of the day's visits, ratings, complaints, institutional presence), spliced into
// the page list of nav.js. Same shape as the entries there.
//
// The routes that gate them: the visit list (GET /visits) is also open to caregivers and family
// accounts, who have pages of their own, so the staff visit pages are gated by the weekly patterns
// route, which the same staff (bureau, auditor, nurse, coordinator, provider staff) and only they
// may read. The exception queue is for those who act on exceptions (provider staff explain, the
// bureau decides; both may correct a record). Family accounts may read their own complaints, hence
// audience 'staff' on the complaint pages.
const STAFF_VISITS = 'GET /api/v1/care-plans/:id/patterns'

export const visitPages = [
  { path: 'schedule', name: 'visit-schedule', component: () => import('./views/ScheduleBoardView.vue'),
    meta: { title: '服务排班', icon: 'Calendar', menu: true, api: 'POST /api/v1/visits/schedule' } },
  { path: 'visits', name: 'visit-records', component: () => import('./views/VisitRecordsView.vue'),
    meta: { title: '服务记录', icon: 'List', menu: true, audience: 'staff', api: STAFF_VISITS } },
  { path: 'visits/:id(\\d+)', name: 'visit-detail', component: () => import('./views/VisitDetailView.vue'),
    props: true, meta: { title: '服务记录详情', menu: false, active: '/visits', audience: 'staff', api: STAFF_VISITS } },
  { path: 'visit-exceptions', name: 'visit-exceptions', component: () => import('./views/VisitExceptionsView.vue'),
    meta: { title: '异常处理', icon: 'Warning', menu: true, api: 'PATCH /api/v1/visits/:id' } },
  { path: 'visit-map', name: 'visit-map', component: () => import('./views/VisitMapView.vue'),
    meta: { title: '服务地图', icon: 'MapLocation', menu: true, api: 'GET /api/v1/visits/map' } },
  { path: 'ratings', name: 'ratings', component: () => import('./views/RatingsView.vue'),
    meta: { title: '服务评价', icon: 'Star', menu: true, api: 'GET /api/v1/ratings' } },
  { path: 'complaints', name: 'complaints', component: () => import('./views/ComplaintsView.vue'),
    meta: { title: '投诉处理', icon: 'ChatLineSquare', menu: true, audience: 'staff', api: 'GET /api/v1/complaints' } },
  { path: 'complaints/:id(\\d+)', name: 'complaint', component: () => import('./views/ComplaintDetailView.vue'),
    props: true, meta: { title: '投诉详情', menu: false, audience: 'staff', api: 'GET /api/v1/complaints/:id' } },
  { path: 'presence', name: 'presence', component: () => import('./views/PresenceView.vue'),
    meta: { title: '机构在院', icon: 'Grid', menu: true, api: 'GET /api/v1/presence' } }
]

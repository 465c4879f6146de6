// Reference data shared by several pages (roles, providers, areas, the assessment form and scheme, the
// care catalogue with its entitlements), fetched once per session and cached; area lists are turned
// into trees client-side.
import { api } from './api.js'

const cache = { roles: null, providers: null, areas: null }
const forms = { form: null, scheme: null, catalogue: null }

export function clearRefData() {
  cache.roles = cache.providers = cache.areas = null
  forms.form = forms.scheme = forms.catalogue = null
}

export async function loadRoles() {
  if (!cache.roles) cache.roles = api.get('/roles').then((d) => d.items || []).catch((e) => { cache.roles = null; throw e })
  return cache.roles
}

// The whole provider directory (every status), ordered by code. force: after a provider was added
// or changed.
export async function loadProviders(force = false) {
  if (force || !cache.providers) cache.providers = api.get('/providers', { page_size: 200 }).then((d) => d.items || []).catch((e) => { cache.providers = null; throw e })
  return cache.providers
}

export async function loadAreas(force = false) {
  if (force || !cache.areas) cache.areas = api.get('/areas').then((d) => d.items || []).catch((e) => { cache.areas = null; throw e })
  return cache.areas
}

// Flat list [{id,parent_id,...}] -> forest of nodes {...item, children:[]} ordered by code.
// Items whose parent is not in the list (outside the user's scope) become roots.
export function buildAreaTree(items) {
  const byId = new Map()
  for (const a of items) byId.set(a.id, { ...a, children: [] })
  const roots = []
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : null
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const sort = (list) => {
    list.sort((a, b) => String(a.code).localeCompare(String(b.code)))
    for (const n of list) sort(n.children)
  }
  sort(roots)
  return roots
}

// Area levels that make sense as an account scope for a role: staff work for the whole region,
// a district or a street; only applicants may be tied to a neighbourhood committee.
const WIDE_ROLES = ['admin', 'bureau', 'auditor', 'committee', 'dept']
export function scopeLevelsFor(role) {
  if (role === 'applicant') return ['region', 'district', 'street', 'neighbourhood']
  if (WIDE_ROLES.includes(role)) return ['region', 'district']
  return ['region', 'district', 'street']
}

// The assessment standard of the scheme in force (GET /assessment/form: items, score hints, grade
// bands, combination table, self-assessment gate, quality thresholds, levels) and the scheme summary
// (GET /scheme: periods), each fetched once per session.
export async function loadAssessmentForm() {
  if (!forms.form) forms.form = api.get('/assessment/form').catch((e) => { forms.form = null; throw e })
  return forms.form
}

export async function loadScheme() {
  if (!forms.scheme) forms.scheme = api.get('/scheme').catch((e) => { forms.scheme = null; throw e })
  return forms.scheme
}

// Service catalogue (categories and items) and the entitlement of each mode and level
// (GET /care/catalogue), fetched once per session.
export async function loadCatalogue() {
  if (!forms.catalogue) forms.catalogue = api.get('/care/catalogue').catch((e) => { forms.catalogue = null; throw e })
  return forms.catalogue
}

// Streets and towns visible to the user, ordered by code, each with its district's name.
export async function loadStreets() {
  const items = await loadAreas()
  const names = new Map(items.map((a) => [a.id, a.name]))
  return items
    .filter((a) => a.level === 'street')
    .map((a) => ({ ...a, district: names.get(a.parent_id) || '' }))
    .sort((a, b) => String(a.code).localeCompare(String(b.code)))
}

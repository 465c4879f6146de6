// Pages of service delivery for family accounts (their visits, ratings and disputes, monthly
// family-care attestation), spliced into the page list of nav.js. Same shape as the entries there.
export const familyVisitPages = []

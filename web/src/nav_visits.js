// Pages of service delivery for provider and bureau staff (schedule board, visit records and
// exceptions, map of the day's visits, ratings, complaints, institutional presence), spliced into
// the page list of nav.js. Same shape as the entries there.
export const visitPages = []

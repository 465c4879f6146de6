/* feedback.h: what beneficiaries and the public say about the service.
 *
 * Ratings (服务评价): after a visit is done the beneficiary or agent rates it once, 1-5 stars, tags from a fixed
 * Chinese list and a comment of at most 500 characters, within the scheme's rating_days of the visit date, through
 * the visit's short link (public, no account: the 32-hex-digit rating token) or the family portal (a family account,
 * for the persons it acts for). A rating may dispute the visit (not served, shorter than recorded): the visit is
 * marked disputed and verified again in the same transaction, so it becomes an exception for the provider to explain
 * and the bureau to decide. Provider staff read the ratings of their own visits, area staff those of the persons in
 * their area.
 *
 * Complaints (投诉): from the family portal (about its persons' provider, caregiver or visit), the 12345 hotline
 * entered by bureau or coordinator staff (with the caller's name and phone), or inspections by the bureau. A category
 * from the scheme gives the deadline (the day of receipt + the category's days); the target is a provider and/or a
 * caregiver and/or a visit, checked against each other; status open -> processing (first handling note) -> replied
 * (the reply to the complainant is required; an SMS with it goes to a complainant's mobile) -> closed. Lists mask the
 * complainant's name and phone and flag overdue complaints; provider staff never see who complained; a staff read
 * of the full complaint is audited. */
#ifndef LTCI_FEEDBACK_H
#define LTCI_FEEDBACK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

#define RATING_TOKEN_LEN 32      /* visits.rating_token: 32 lower-case hex digits */
#define RATING_COMMENT_MAX 500   /* characters (code points) of a rating's comment */

struct rating_filter {
	int64_t provider_id;
	int64_t visit_id;          /* 0: any (the list only) */
	int stars;                 /* 0: any */
	const char *from, *to;     /* visit dates, inclusive */
	int page, page_size;
};

struct complaint_filter {
	const char *status;        /* open, processing, replied, closed */
	const char *category;      /* a key of the scheme's complaint categories */
	const char *source;        /* portal, hotline, inspection */
	int64_t provider_id;
	bool overdue;              /* still open or processing after the deadline */
	const char *from, *to;     /* days of receipt, inclusive */
	int page, page_size;
};

/* Mask a person's name for lists and the public: the first and last character kept ("王*英", "王*" for two
 * characters). UTF-8 aware; out should hold strlen(name) + 1 bytes at least. */
void feedback_mask_name(const char *name, char *out, size_t size);

/* Reference lists for forms: {tags: [{tag, positive}], disputes: [{key, label}], rating_days, complaint_sources,
 * complaint_statuses, complaint_categories: [{key, name, days}], attestation_methods, attestation_day,
 * presence_statuses, visit_statuses, verify_states, review_states} (the last three as the visit records word them,
 * svc/visit_label.h). */
json_t *feedback_options_json(const struct scheme *s);

/* ---- ratings ---- */

/* The visit behind a short link in plain words, for the public page: date, times, care mode, the caregiver's masked
 * name, the provider, the items and minutes; whether it may still be rated (until when, or why not) and the rating
 * if given. No other personal data. Unknown token: ERR_NOT_FOUND. */
int rating_link_view(struct db *db, const struct scheme *s, const char *token, json_t **out, struct err *e);
/* Rate through the short link (rated_by 'link'). in: {stars 1-5, tags?: [tag], comment?, dispute?:
 * not_served|shorter}. ERR_NOT_FOUND for an unknown token; ERR_CONFLICT when the visit is not done, the window has
 * passed or it was rated already. *id: the rating. */
int rating_by_link(struct db *db, const struct scheme *s, struct actor *a, const char *token, const json_t *in,
		   int64_t *id, struct err *e);
/* Rate from the family portal: the same body, for a visit of a person the family account acts for (else
 * ERR_NOT_FOUND). */
int rating_by_portal(struct db *db, const struct scheme *s, struct actor *a, int64_t visit_id, const json_t *in,
		     int64_t *id, struct err *e);
/* One rating as the rating routes answer it. */
int rating_get(struct db *db, int64_t id, json_t **out, struct err *e);
/* The rating of a visit as its record shows it: {stars, tags, comment, dispute, dispute_label, channel, rated_at},
 * or JSON null when the visit has none. The caller has checked that the actor sees the visit. */
int rating_of_visit(struct db *db, int64_t visit_id, json_t **out, struct err *e);
/* The rating of a visit from the columns stars, tags, comment, dispute, rated_by, rated_at of a row starting at col
 * (a LEFT JOIN of visit_ratings): as rating_of_visit, JSON null when stars is NULL. New reference. */
json_t *rating_from_cols(struct db_stmt *st, int col);
/* The last day a visit of date ('YYYY-MM-DD') may be rated (date + the scheme's rating_days), or 0 when the scheme
 * sets no rating window. */
int32_t rating_last_day(const struct scheme *s, const char *date);
/* On a visit row {status, visit_date, rating (object or null)}: can_rate, rate_until ('YYYY-MM-DD' or null) and
 * rate_reason (why it cannot be rated now, or null), as the short link's page says them. */
void rating_state_set(const struct scheme *s, json_t *o);
/* Ratings visible to the actor, newest first: a list page. */
int rating_list(struct db *db, const struct actor *a, const struct rating_filter *f, json_t **out, struct err *e);
/* Per provider: ratings, average stars (2 decimals), count per star, disputes; and the same over all.
 * {items: [{provider: {id, name}, ratings, average, stars: [n1..n5], disputes}], overall: {...}}. */
int rating_summary(struct db *db, const struct actor *a, const struct rating_filter *f, json_t **out,
		   struct err *e);

/* ---- complaints ---- */

/* in: {source: portal|hotline|inspection (a family account: portal, the default), category, provider_id?,
 *      caregiver_id?, visit_id?, person_id?, complainant_name?, complainant_phone?, description}.
 * Family accounts file about the persons they act for (portal); coordinators enter hotline calls; the bureau
 * enters hotline calls and inspection findings. A hotline call needs the caller's name and phone. At least one
 * target; a visit fixes the person, provider and caregiver, and any given must agree. */
int complaint_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		     struct err *e);
/* Complaints visible to the actor with the complainant masked (absent for provider staff) and overdue flags. */
int complaint_list(struct db *db, const struct scheme *s, const struct actor *a, const struct complaint_filter *f,
		   json_t **out, struct err *e);
/* The full complaint with its handling notes; staff reads that show the complainant are audited
 * (complaint.read) when audit is set. */
int complaint_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, bool audit,
		  json_t **out, struct err *e);
/* A handling note {note}: an open complaint moves to processing. Not on a closed complaint. */
int complaint_note(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* The reply to the complainant {reply}: open or processing -> replied. */
int complaint_reply(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);
/* Close a replied complaint {note?}. */
int complaint_close(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e);

#endif

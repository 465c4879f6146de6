/* feedback.c: ratings of visits (short link and family portal, disputes that send the visit back to verification)
 * and complaints with their deadlines, handling notes, reply and closure (see feedback.h). */
#include "svc/feedback.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/audit.h"
#include "svc/notify.h"
#include "svc/rows.h"
#include "svc/visit.h"
#include "svc/visit_label.h"

/* ---- reference lists ---- */

/* The tags a rating may carry: what families say about a visit, good then bad. */
static const struct {
	const char *tag;
	bool positive;
} rating_tags[] = {
	{"准时", true},     {"专业", true},   {"耐心", true},   {"细心", true},     {"态度好", true},
	{"态度差", false},  {"迟到", false},  {"早退", false},  {"时间不足", false}, {"项目未完成", false},
};
#define N_TAGS (sizeof rating_tags / sizeof rating_tags[0])

static const char *const disputes[][2] = {
	{"not_served", "未提供服务"},
	{"shorter", "服务时间短于记录"},
};

static const char *const complaint_statuses[][2] = {
	{"open", "待处理"},
	{"processing", "处理中"},
	{"replied", "已答复"},
	{"closed", "已办结"},
};

static const char *label_of(const char *const (*table)[2], size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(table[i][0], key) == 0)
			return table[i][1];
	return NULL;
}

#define LABEL(table, key) label_of(table, sizeof table / sizeof table[0], key)

static const char *or_key(const char *label, const char *key)
{
	return label ? label : key ? key : "";
}

void feedback_mask_name(const char *name, char *out, size_t size)
{
	size_t len = strlen(name), n = 0, second = len, last = 0, o = 0;

	if (!size)
		return;
	/* count code points; remember where the second and the last begin */
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)name[i] & 0xC0) != 0x80) {
			if (n == 1)
				second = i;
			last = i;
			n++;
		}
	if (n <= 1) {
		str_copy(out, n ? "*" : "", size);
		return;
	}
	for (size_t i = 0; i < second && o + 1 < size; i++)
		out[o++] = name[i];
	for (size_t k = 0; k < (n > 2 ? n - 2 : 1) && o + 1 < size; k++)
		out[o++] = '*';
	if (n > 2)
		for (size_t i = last; i < len && o + 1 < size; i++)
			out[o++] = name[i];
	out[o] = '\0';
}

json_t *feedback_options_json(const struct scheme *s)
{
	static const char *const methods[][2] = {
		{"in_person", "当面确认"}, {"signature", "签字确认"}, {"phone", "电话确认"}, {"online", "网上确认"},
	};
	static const char *const presence[][2] = {
		{"in", "在院"}, {"out", "外出"}, {"hospital", "住院"}, {"leave", "回家探亲"},
	};
	json_t *tags = json_array(), *d = json_array(), *st = json_array(), *cats = json_array(), *m = json_array(),
	       *p = json_array(), *src = label_list_json(complaint_source_labels, COMPLAINT_SOURCE_COUNT);

	for (size_t i = 0; i < N_TAGS; i++)
		json_array_append_new(tags, json_pack("{s:s, s:b}", "tag", rating_tags[i].tag, "positive",
						      rating_tags[i].positive));
	for (size_t i = 0; i < sizeof disputes / sizeof disputes[0]; i++)
		json_array_append_new(d, json_pack("{s:s, s:s}", "key", disputes[i][0], "label", disputes[i][1]));
	for (size_t i = 0; i < sizeof complaint_statuses / sizeof complaint_statuses[0]; i++)
		json_array_append_new(st, json_pack("{s:s, s:s}", "key", complaint_statuses[i][0], "label",
						    complaint_statuses[i][1]));
	for (int i = 0; i < s->visits.n_complaint_categories; i++)
		json_array_append_new(cats, json_pack("{s:s, s:s, s:i}", "key", s->visits.complaint_categories[i].key,
						      "name", s->visits.complaint_categories[i].name, "days",
						      s->visits.complaint_categories[i].days));
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		json_array_append_new(m, json_pack("{s:s, s:s}", "key", methods[i][0], "label", methods[i][1]));
	for (size_t i = 0; i < sizeof presence / sizeof presence[0]; i++)
		json_array_append_new(p, json_pack("{s:s, s:s}", "key", presence[i][0], "label", presence[i][1]));
	return json_pack("{s:o, s:o, s:i, s:i, s:o, s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "tags", tags, "disputes", d,
			 "rating_days", s->visits.rating_days, "comment_max", RATING_COMMENT_MAX, "complaint_sources", src,
			 "complaint_statuses", st, "complaint_categories", cats, "attestation_methods", m,
			 "attestation_day", s->visits.attestation_day, "presence_statuses", p, "visit_statuses",
			 label_list_json(visit_status_labels, VISIT_STATUS_COUNT), "verify_states",
			 label_list_json(visit_verify_labels, VISIT_VERIFY_COUNT), "review_states",
			 label_list_json(visit_review_labels, VISIT_REVIEW_COUNT));
}

/* ---- visibility ---- */

/* Provider staff see their provider's; family accounts their persons' (ratings) or their own complaints; area
 * staff those of persons (or providers) in their area; region-wide staff everything. */
struct vis {
	int64_t provider;
	int64_t family;       /* the family account's user id (-1 for a token acting as one), 0 for staff */
	char user[48];        /* the family account's user name ('' for staff) */
	char area[180];       /* LIKE pattern over areas.path; '' for everything */
};

static void visibility(const struct actor *a, struct vis *v)
{
	memset(v, 0, sizeof *v);
	v->provider = a->provider_id;
	if (a->role == ROLE_APPLICANT) {
		v->family = a->user_id ? a->user_id : -1;
		snprintf(v->user, sizeof v->user, "%s", a->user_id ? a->username : "-");
	}
	actor_area_like(a, v->area, sizeof v->area);
	if (v->provider || v->family)
		v->area[0] = '\0';
}

static void ids_of(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

static int finish(struct db *db, struct actor *a, int rc, struct err *e)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

/* A day 'YYYY-MM-DD' given as a filter, or "" when absent. */
static int filter_day(const char *s, const char *field, char out[DATE_STR], struct err *e)
{
	int32_t d;

	out[0] = '\0';
	if (!s || !*s)
		return 0;
	if (!date_parse(s, &d))
		return err_set(e, ERR_INVALID, field, "参数%s应为日期YYYY-MM-DD", field);
	date_format(d, out);
	return 0;
}

/* "HH:MM" in Asia/Shanghai of a Unix time. */
static json_t *clock_of(struct db_stmt *st, int col)
{
	int64_t t, sec;

	if (db_col_null(st, col))
		return json_null();
	t = db_col_int(st, col) + 8 * 3600;
	sec = ((t % 86400) + 86400) % 86400;
	return json_sprintf("%02d:%02d", (int)(sec / 3600), (int)(sec / 60 % 60));
}

/* The items of a visit (JSON text: codes, or objects with a code) with their catalogue names. */
static json_t *visit_items(const struct scheme *s, const char *text)
{
	json_t *arr = json_array(), *doc, *it;
	size_t i;

	if (!text)
		return arr;
	doc = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	json_array_foreach(doc, i, it) {
		const char *code = json_is_string(it) ? json_string_value(it) : json_string_value(json_object_get(it, "code"));
		const struct scheme_service_item *si = code ? scheme_service_item(s, code) : NULL;
		if (code)
			json_array_append_new(arr, json_pack("{s:s, s:s}", "code", code, "name", si ? si->name : code));
	}
	json_decref(doc);
	return arr;
}

/* Tags stored as JSON text, as an array again. */
static json_t *tags_of(const char *text)
{
	json_t *doc = text ? json_loads(text, JSON_REJECT_DUPLICATES, NULL) : NULL;

	if (json_is_array(doc))
		return doc;
	json_decref(doc);
	return json_array();
}

/* ---- ratings ---- */

struct rating_in {
	int stars;
	json_t *tags;              /* owned: the tags as given, checked */
	const char *comment;       /* NULL when absent or blank */
	const char *dispute;
};

static int parse_rating(const json_t *in, struct rating_in *r, struct err *e)
{
	static const struct jx_field fields[] = {
		{"stars", JX_INT, JX_REQUIRED, 1, 5},
		{"tags", JX_ARRAY, JX_NULLABLE, 0, 0},
		{"comment", JX_STRING, JX_NULLABLE | JX_MULTILINE, 0, RATING_COMMENT_MAX * 4},
		{"dispute", JX_STRING, JX_NULLABLE, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	json_t *t;
	size_t i;
	int rc = jx_check(in, fields, "", e);

	memset(r, 0, sizeof *r);
	if (rc)
		return rc;
	r->stars = (int)jx_int(in, "stars", 0);
	r->comment = jx_str(in, "comment");
	if (r->comment && str_utf8_len(r->comment) > RATING_COMMENT_MAX)
		return err_set(e, ERR_INVALID, "comment", "评价内容最多%d个字", RATING_COMMENT_MAX);
	if (r->comment && strspn(r->comment, " \t\r\n") == strlen(r->comment))
		r->comment = NULL;
	r->dispute = jx_str(in, "dispute");
	if (r->dispute && !LABEL(disputes, r->dispute))
		return err_set(e, ERR_INVALID, "dispute", "异议应为not_served（未提供服务）或shorter（服务时间短于记录）");
	r->tags = json_array();
	json_array_foreach(json_object_get(in, "tags"), i, t) {
		char path[24];
		bool known = false;
		size_t k;
		snprintf(path, sizeof path, "tags[%zu]", i);
		for (k = 0; json_is_string(t) && k < N_TAGS && !known; k++)
			known = strcmp(json_string_value(t), rating_tags[k].tag) == 0;
		if (!known) {
			json_decref(r->tags);
			r->tags = NULL;
			return err_set(e, ERR_INVALID, path, "评价标签应为：准时、专业、耐心、细心、态度好、态度差、迟到、早退、时间不足、项目未完成");
		}
		for (k = 0; k < json_array_size(r->tags); k++)
			if (strcmp(json_string_value(json_array_get(r->tags, k)), json_string_value(t)) == 0) {
				json_decref(r->tags);
				r->tags = NULL;
				return err_set(e, ERR_INVALID, path, "评价标签“%s”重复", json_string_value(t));
			}
		json_array_append(r->tags, t);
	}
	return 0;
}

struct visit_row {
	int64_t id, person, provider, caregiver;
	char status[16], date[DATE_STR];
	bool rated;
};

#define VISIT_COLS                                                                                                 \
	"v.id, v.person_id, v.provider_id, v.caregiver_id, v.status, v.visit_date,"                                  \
	" (SELECT COUNT(*) FROM visit_ratings r WHERE r.visit_id = v.id)"

static void read_visit(struct db_stmt *st, struct visit_row *v)
{
	v->id = db_col_int(st, 0);
	v->person = db_col_int(st, 1);
	v->provider = db_col_int(st, 2);
	v->caregiver = db_col_int(st, 3);
	str_copy(v->status, db_col_text(st, 4), sizeof v->status);
	str_copy(v->date, db_col_text(st, 5), sizeof v->date);
	v->rated = db_col_int(st, 6) != 0;
}

static bool token_ok(const char *token)
{
	if (!token || strlen(token) != RATING_TOKEN_LEN)
		return false;
	for (const char *c = token; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

static int visit_by_token(struct db *db, const char *token, struct visit_row *v, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

	if (!token_ok(token))
		return err_set(e, ERR_NOT_FOUND, "token", "评价链接无效或已失效");
	rc = db_query(db, &st, e, "SELECT " VISIT_COLS " FROM visits v WHERE v.rating_token = $1", DB_TEXT(token));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		read_visit(st, v);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "token", "评价链接无效或已失效");
	}
	db_done(st);
	return rc;
}

int32_t rating_last_day(const struct scheme *s, const char *date)
{
	int32_t d;

	if (!s->visits.defined || s->visits.rating_days <= 0 || !date_parse(date, &d))
		return 0;
	return d + s->visits.rating_days;
}

/* Why a visit cannot be rated now (NULL if it can); field names the reason. */
static const char *not_rateable(const struct scheme *s, const char *status, const char *date, bool rated,
				const char **field)
{
	int32_t until = rating_last_day(s, date);

	*field = "visit_id";
	if (rated)
		return "该次服务已评价，不能重复评价";
	if (!until)
		return "当前保障方案未规定服务评价期限，暂不能评价";
	*field = "status";
	if (strcmp(status, "done") != 0)
		return "该次服务尚未完成，完成后才能评价";
	*field = "visit_date";
	if (date_today_cn() > until)
		return "已超过评价期限";
	return NULL;
}

static int check_rateable(const struct scheme *s, const struct visit_row *v, struct err *e)
{
	const char *field, *why = not_rateable(s, v->status, v->date, v->rated, &field);
	char until[DATE_STR];

	if (!why)
		return 0;
	if (strcmp(field, "visit_date") == 0) {
		date_format(rating_last_day(s, v->date), until);
		return err_set(e, ERR_CONFLICT, field, "服务日期%s后%d天内可以评价，已于%s截止", v->date, s->visits.rating_days,
			       until);
	}
	return err_set(e, ERR_CONFLICT, field, "%s", why);
}

/* Store a rating (and a dispute: the visit is verified again) with its audit row, in one transaction. */
static int rate(struct db *db, const struct scheme *s, struct actor *a, const struct visit_row *v,
		const struct rating_in *r, const char *rated_by, const char *channel, int64_t *id, struct err *e)
{
	char *tags = jx_dump(r->tags), ids[24];
	int64_t now = date_now_unix();
	json_t *detail;
	int rc = db_begin(db, e);

	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO visit_ratings (visit_id, stars, tags, comment, dispute, rated_by, rated_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
			    DB_INT(v->id), DB_INT(r->stars), DB_TEXT(tags), DB_TEXT(r->comment), DB_TEXT(r->dispute),
			    DB_TEXT(rated_by), DB_INT(now));
	if (rc && db_last_unique_violation(db))
		rc = err_set(e, ERR_CONFLICT, "visit_id", "该次服务已评价，不能重复评价");
	free(tags);
	if (!rc && r->dispute)
		rc = db_exec(db, NULL, e, "UPDATE visits SET disputed = 1, updated_at = $1 WHERE id = $2", DB_INT(now),
			     DB_INT(v->id));
	if (!rc && r->dispute)
		rc = visit_reverify(db, s, v->id, e);
	if (!rc) {
		ids_of(v->id, ids);
		detail = json_pack("{s:I, s:i, s:O, s:o, s:s}", "rating_id", (json_int_t)*id, "stars", r->stars, "tags",
				   r->tags, "dispute", jx_str_or_null(r->dispute), "channel", channel);
		rc = audit_append(db, a, "rating.create", "visit", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return finish(db, a, rc, e);
}

int rating_link_view(struct db *db, const struct scheme *s, const char *token, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *o = NULL, *options;
	char masked[160], until_s[DATE_STR];
	int rc;

	if (!token_ok(token))
		return err_set(e, ERR_NOT_FOUND, "token", "评价链接无效或已失效");
	rc = db_query(db, &st, e,
		      "SELECT v.visit_date, v.status, v.mode, v.items, v.minutes, v.checkin_at, v.checkout_at, cg.name, pr.name,"
		      " r.stars, r.tags, r.comment, r.dispute, r.rated_at, r.id"
		      " FROM visits v JOIN caregivers cg ON cg.id = v.caregiver_id JOIN providers pr ON pr.id = v.provider_id"
		      " LEFT JOIN visit_ratings r ON r.visit_id = v.id WHERE v.rating_token = $1",
		      DB_TEXT(token));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const char *date = db_col_text(st, 0), *status = db_col_text(st, 1), *field;
		int m = care_mode_parse(db_col_text(st, 2));
		bool rated = !db_col_null(st, 14);
		const char *why = not_rateable(s, status, date, rated, &field);
		int32_t until = rating_last_day(s, date);
		json_t *minutes = json_null();
		rc = 0;
		if (!db_col_null(st, 4))
			minutes = json_integer(db_col_int(st, 4));
		else if (!db_col_null(st, 5) && !db_col_null(st, 6) && db_col_int(st, 6) >= db_col_int(st, 5))
			minutes = json_integer((db_col_int(st, 6) - db_col_int(st, 5)) / 60);
		feedback_mask_name(db_col_text(st, 7), masked, sizeof masked);
		if (until)
			date_format(until, until_s);
		o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:b, s:o, s:o}", "visit_date", date,
			      "status", status, "status_label", or_key(VISIT_STATUS_LABEL(status), status), "mode_label",
			      m >= 0 ? care_mode_label((enum care_mode)m) : "", "caregiver", masked, "provider",
			      db_col_text(st, 8), "items", visit_items(s, db_col_text(st, 3)), "minutes", minutes, "start",
			      clock_of(st, 5), "end", clock_of(st, 6), "can_rate", why == NULL, "rate_until",
			      until ? json_string(until_s) : json_null(), "reason", why ? json_string(why) : json_null());
		json_object_set_new(
			o, "rating",
			rated ? json_pack("{s:i, s:o, s:o, s:o, s:o, s:I}", "stars", (int)db_col_int(st, 9), "tags",
					  tags_of(db_col_text(st, 10)), "comment", jx_str_or_null(db_col_text(st, 11)), "dispute",
					  jx_str_or_null(db_col_text(st, 12)), "dispute_label",
					  db_col_null(st, 12) ? json_null() : json_string(or_key(LABEL(disputes, db_col_text(st, 12)), "")),
					  "rated_at", (json_int_t)db_col_int(st, 13))
			      : json_null());
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "token", "评价链接无效或已失效");
	}
	db_done(st);
	if (rc)
		return rc;
	options = feedback_options_json(s);
	json_object_set(o, "tags", json_object_get(options, "tags"));
	json_object_set(o, "disputes", json_object_get(options, "disputes"));
	json_decref(options);
	*out = o;
	return 0;
}

int rating_by_link(struct db *db, const struct scheme *s, struct actor *a, const char *token, const json_t *in,
		   int64_t *id, struct err *e)
{
	struct visit_row v;
	struct rating_in r;
	int rc = visit_by_token(db, token, &v, e);

	if (!rc)
		rc = parse_rating(in, &r, e);
	else
		return rc;
	if (!rc)
		rc = check_rateable(s, &v, e);
	if (!rc)
		rc = rate(db, s, a, &v, &r, "link", "link", id, e);
	json_decref(r.tags);
	return rc;
}

int rating_by_portal(struct db *db, const struct scheme *s, struct actor *a, int64_t visit_id, const json_t *in,
		     int64_t *id, struct err *e)
{
	struct db_stmt *st = NULL;
	struct visit_row v;
	struct rating_in r;
	int rc = parse_rating(in, &r, e);

	if (rc)
		return rc;
	rc = db_query(db, &st, e,
		      "SELECT " VISIT_COLS " FROM visits v WHERE v.id = $1 AND v.person_id IN"
		      " (SELECT up.person_id FROM user_persons up WHERE up.user_id = $2)",
		      DB_INT(visit_id), DB_INT(a->role == ROLE_APPLICANT && a->user_id ? a->user_id : -1));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		read_visit(st, &v);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "服务记录不存在");
	}
	db_done(st);
	if (!rc)
		rc = check_rateable(s, &v, e);
	if (!rc)
		rc = rate(db, s, a, &v, &r, a->username, "portal", id, e);
	json_decref(r.tags);
	return rc;
}

#define RATING_COLS                                                                                                \
	"r.id, r.visit_id, v.visit_date, v.provider_id, pr.name, v.caregiver_id, cg.name, v.person_id, p.name,"      \
	" r.stars, r.tags, r.comment, r.dispute, r.rated_by, r.rated_at, v.verify_state, v.disputed, v.mode"
#define RATING_FROM                                                                                                \
	" FROM visit_ratings r JOIN visits v ON v.id = r.visit_id JOIN providers pr ON pr.id = v.provider_id"        \
	" JOIN caregivers cg ON cg.id = v.caregiver_id JOIN persons p ON p.id = v.person_id"                        \
	" LEFT JOIN areas ar ON ar.id = p.area_id"

static json_t *rating_row(struct db_stmt *st)
{
	const char *dispute = db_col_text(st, 12);
	int m = care_mode_parse(db_col_text(st, 17));

	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:{s:I, s:s}, s:{s:I, s:s}, s:{s:I, s:s}, s:i, s:o, s:o, s:o, s:o,"
			 " s:s, s:I, s:s, s:b}",
			 "id", (json_int_t)db_col_int(st, 0), "visit_id", (json_int_t)db_col_int(st, 1), "visit_date",
			 db_col_text(st, 2), "mode", db_col_text(st, 17), "mode_label",
			 m >= 0 ? care_mode_label((enum care_mode)m) : "", "provider", "id", (json_int_t)db_col_int(st, 3),
			 "name", db_col_text(st, 4), "caregiver", "id", (json_int_t)db_col_int(st, 5), "name",
			 db_col_text(st, 6), "person", "id", (json_int_t)db_col_int(st, 7), "name", db_col_text(st, 8), "stars",
			 (int)db_col_int(st, 9), "tags", tags_of(db_col_text(st, 10)), "comment",
			 jx_str_or_null(db_col_text(st, 11)), "dispute", jx_str_or_null(dispute), "dispute_label",
			 dispute ? json_string(or_key(LABEL(disputes, dispute), dispute)) : json_null(), "channel",
			 strcmp(db_col_text(st, 13), "link") == 0 ? "link" : "portal", "rated_at",
			 (json_int_t)db_col_int(st, 14), "verify_state", db_col_text(st, 15), "disputed",
			 db_col_int(st, 16) != 0);
}

int rating_get(struct db *db, int64_t id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e, "SELECT " RATING_COLS RATING_FROM " WHERE r.id = $1", DB_INT(id));

	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		*out = rating_row(st);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "评价不存在");
	}
	db_done(st);
	return rc;
}

json_t *rating_from_cols(struct db_stmt *st, int col)
{
	const char *dispute = db_col_text(st, col + 3);

	if (db_col_null(st, col))
		return json_null();
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:s, s:I}", "stars", (int)db_col_int(st, col), "tags",
			 tags_of(db_col_text(st, col + 1)), "comment", jx_str_or_null(db_col_text(st, col + 2)), "dispute",
			 jx_str_or_null(dispute), "dispute_label",
			 dispute ? json_string(or_key(LABEL(disputes, dispute), dispute)) : json_null(), "channel",
			 strcmp(db_col_text(st, col + 4), "link") == 0 ? "link" : "portal", "rated_at",
			 (json_int_t)db_col_int(st, col + 5));
}

void rating_state_set(const struct scheme *s, json_t *o)
{
	const char *status = jx_str(o, "status"), *date = jx_str(o, "visit_date"), *field, *why;
	json_t *rating = json_object_get(o, "rating");
	int32_t until = date ? rating_last_day(s, date) : 0;
	char until_s[DATE_STR];

	why = not_rateable(s, status ? status : "", date ? date : "", rating && !json_is_null(rating), &field);
	if (until)
		date_format(until, until_s);
	json_object_set_new(o, "can_rate", json_boolean(why == NULL));
	json_object_set_new(o, "rate_until", until ? json_string(until_s) : json_null());
	json_object_set_new(o, "rate_reason", why ? json_string(why) : json_null());
}

int rating_of_visit(struct db *db, int64_t visit_id, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = db_query(db, &st, e,
			  "SELECT stars, tags, comment, dispute, rated_by, rated_at FROM visit_ratings WHERE visit_id = $1",
			  DB_INT(visit_id));

	*out = NULL;
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		*out = rating_from_cols(st, 0);
	} else if (rc == DB_DONE) {
		rc = 0;
		*out = json_null();
	}
	db_done(st);
	return rc;
}

static int rating_filter_args(const struct rating_filter *f, char from[DATE_STR], char to[DATE_STR], struct err *e)
{
	int rc = filter_day(f->from, "from", from, e);

	if (!rc)
		rc = filter_day(f->to, "to", to, e);
	if (!rc && (f->stars < 0 || f->stars > 5))
		rc = err_set(e, ERR_INVALID, "stars", "星级应为1到5");
	return rc;
}

#define RATING_WHERE                                                                                               \
	" WHERE ($1 = 0 OR v.provider_id = $1) AND ($2 = '' OR ar.path LIKE $2) AND ($3 = 0 OR v.person_id IN"      \
	" (SELECT up.person_id FROM user_persons up WHERE up.user_id = $3)) AND ($4 = 0 OR v.provider_id = $4)"      \
	" AND ($5 = '' OR v.visit_date >= $5) AND ($6 = '' OR v.visit_date <= $6)"

int rating_list(struct db *db, const struct actor *a, const struct rating_filter *f, json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	char from[DATE_STR], to[DATE_STR];
	int64_t total = 0;
	json_t *items;
	int rc = rating_filter_args(f, from, to, e);

	if (rc)
		return rc;
	visibility(a, &v);
#define ARGS                                                                                                       \
	DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(f->provider_id), DB_TEXT(from), DB_TEXT(to),   \
		DB_INT(f->stars), DB_INT(f->visit_id)
#define AND_LIST " AND ($7 = 0 OR r.stars = $7) AND ($8 = 0 OR r.visit_id = $8)"
	rc = db_int(db, &total, e, "SELECT COUNT(*)" RATING_FROM RATING_WHERE AND_LIST, ARGS);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT " RATING_COLS RATING_FROM RATING_WHERE AND_LIST " ORDER BY r.id DESC LIMIT $9 OFFSET $10",
			      ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef AND_LIST
#undef ARGS
	if (rc)
		return rc;
	items = json_array();
	rc = rows_collect(st, items, rating_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

/* {ratings, average, stars: [n1..n5], disputes}; the average to 2 decimals, null without ratings. */
static json_t *summary_of(int64_t n, int64_t sum, const int64_t stars[5], int64_t disputed)
{
	json_t *arr = json_array();

	for (int k = 0; k < 5; k++)
		json_array_append_new(arr, json_integer(stars[k]));
	return json_pack("{s:I, s:o, s:o, s:I}", "ratings", (json_int_t)n, "average",
			 n ? json_real((double)((sum * 200 + n) / (2 * n)) / 100.0) : json_null(), "stars", arr, "disputes",
			 (json_int_t)disputed);
}

int rating_summary(struct db *db, const struct actor *a, const struct rating_filter *f, json_t **out,
		   struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	char from[DATE_STR], to[DATE_STR];
	int64_t n = 0, sum = 0, disputed = 0, stars[5] = {0};
	json_t *items;
	int rc = rating_filter_args(f, from, to, e);

	if (rc)
		return rc;
	visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT v.provider_id, pr.name, COUNT(*), SUM(r.stars), SUM(CASE WHEN r.stars = 1 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN r.stars = 2 THEN 1 ELSE 0 END), SUM(CASE WHEN r.stars = 3 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN r.stars = 4 THEN 1 ELSE 0 END), SUM(CASE WHEN r.stars = 5 THEN 1 ELSE 0 END),"
		      " SUM(CASE WHEN r.dispute IS NOT NULL THEN 1 ELSE 0 END)" RATING_FROM RATING_WHERE
		      " GROUP BY v.provider_id, pr.name ORDER BY v.provider_id",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_INT(v.family), DB_INT(f->provider_id), DB_TEXT(from),
		      DB_TEXT(to));
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW) {
		int64_t k[5];
		json_t *row;
		for (int i = 0; i < 5; i++) {
			k[i] = db_col_int(st, 4 + i);
			stars[i] += k[i];
		}
		n += db_col_int(st, 2);
		sum += db_col_int(st, 3);
		disputed += db_col_int(st, 9);
		row = summary_of(db_col_int(st, 2), db_col_int(st, 3), k, db_col_int(st, 9));
		json_object_set_new(row, "provider", json_pack("{s:I, s:s}", "id", (json_int_t)db_col_int(st, 0), "name",
							       db_col_text(st, 1)));
		json_array_append_new(items, row);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o, s:o, s:o, s:o}", "items", items, "overall", summary_of(n, sum, stars, disputed), "from",
			 from[0] ? json_string(from) : json_null(), "to", to[0] ? json_string(to) : json_null());
	return 0;
}

/* ---- complaints ---- */

struct target {
	int64_t provider, caregiver, visit, person;
};

static int target_exists(struct db *db, const char *sql, int64_t id, const char *field, const char *what,
			 struct err *e)
{
	int64_t n = 0;
	int rc = db_int(db, &n, e, sql, DB_INT(id));

	if (!rc && !n)
		rc = err_set(e, ERR_INVALID, field, "%s不存在", what);
	return rc;
}

/* The targets as given, completed from the visit (person, provider, caregiver) or the caregiver (provider, a family
 * caregiver's person), every pair checked. */
static int resolve_targets(struct db *db, const json_t *in, struct target *t, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc = 0;

	t->provider = jx_int(in, "provider_id", 0);
	t->caregiver = jx_int(in, "caregiver_id", 0);
	t->visit = jx_int(in, "visit_id", 0);
	t->person = jx_int(in, "person_id", 0);
	if (!t->provider && !t->caregiver && !t->visit)
		return err_set(e, ERR_INVALID, "provider_id", "须指明投诉对象：护理机构、护理员或服务记录");
	if (t->visit) {
		int64_t person = 0, provider = 0, caregiver = 0;
		char date[DATE_STR] = "";
		rc = db_query(db, &st, e,
			      "SELECT v.person_id, v.provider_id, v.caregiver_id, v.visit_date FROM visits v WHERE v.id = $1",
			      DB_INT(t->visit));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			person = db_col_int(st, 0);
			provider = db_col_int(st, 1);
			caregiver = db_col_int(st, 2);
			str_copy(date, db_col_text(st, 3), sizeof date);
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_INVALID, "visit_id", "服务记录不存在");
		}
		db_done(st);
		if (rc)
			return rc;
		if (t->provider && t->provider != provider)
			return err_set(e, ERR_INVALID, "provider_id", "与服务记录不一致：%s的这次服务不是该机构提供的", date);
		if (t->caregiver && t->caregiver != caregiver)
			return err_set(e, ERR_INVALID, "caregiver_id", "与服务记录不一致：%s的这次服务不是该护理员提供的", date);
		if (t->person && t->person != person)
			return err_set(e, ERR_INVALID, "person_id", "与服务记录不一致：这次服务的对象不是该参保人");
		t->person = person;
		t->provider = provider;
		t->caregiver = caregiver;
		return 0;
	}
	if (t->caregiver) {
		int64_t provider = 0, person = 0, employed = 0;
		bool found = false;
		rc = db_query(db, &st, e, "SELECT provider_id, person_id FROM caregivers WHERE id = $1", DB_INT(t->caregiver));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			found = true;
			provider = db_col_int(st, 0);
			person = db_col_int(st, 1);
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_done(st);
		if (rc)
			return rc;
		if (!found)
			return err_set(e, ERR_INVALID, "caregiver_id", "护理员不存在");
		if (person && t->person && person != t->person)
			return err_set(e, ERR_INVALID, "caregiver_id", "该亲情护理员不是为此参保人登记的");
		if (person && t->provider)
			return err_set(e, ERR_INVALID, "caregiver_id", "亲情护理员不属于护理机构");
		if (person && !t->person)
			t->person = person;
		if (t->provider && t->provider != provider) {
			rc = db_int(db, &employed, e,
				    "SELECT COUNT(*) FROM caregiver_employments WHERE caregiver_id = $1 AND provider_id = $2",
				    DB_INT(t->caregiver), DB_INT(t->provider));
			if (!rc && !employed)
				rc = err_set(e, ERR_INVALID, "caregiver_id", "该护理员不属于所选护理机构");
			if (rc)
				return rc;
		}
		if (!t->provider)
			t->provider = provider;
	}
	if (t->provider)
		rc = target_exists(db, "SELECT COUNT(*) FROM providers WHERE id = $1", t->provider, "provider_id",
				   "护理机构", e);
	if (!rc && t->person)
		rc = target_exists(db, "SELECT COUNT(*) FROM persons WHERE id = $1", t->person, "person_id", "参保人", e);
	return rc;
}

/* A family account complains about the persons it acts for and what served them. */
static int check_portal_targets(struct db *db, const struct actor *a, const struct target *t, struct err *e)
{
	int64_t n = 0;
	int rc;

	if (!t->person)
		return err_set(e, ERR_INVALID, "person_id", "须选择投诉涉及的参保人");
	rc = db_int(db, &n, e, "SELECT COUNT(*) FROM user_persons WHERE user_id = $1 AND person_id = $2",
		    DB_INT(a->user_id ? a->user_id : -1), DB_INT(t->person));
	if (!rc && !n)
		rc = err_set(e, ERR_INVALID, "person_id", "该参保人不是您账号关联的参保人");
	if (!rc && t->provider && !t->visit) {
		rc = db_int(db, &n, e,
			    "SELECT (SELECT COUNT(*) FROM care_plans WHERE person_id = $1 AND provider_id = $2"
			    " AND status NOT IN ('draft', 'cancelled'))"
			    " + (SELECT COUNT(*) FROM visits WHERE person_id = $1 AND provider_id = $2)",
			    DB_INT(t->person), DB_INT(t->provider));
		if (!rc && !n)
			rc = err_set(e, ERR_INVALID, "provider_id", "该护理机构没有为此参保人提供过服务");
	}
	if (!rc && t->caregiver && !t->visit) {
		rc = db_int(db, &n, e,
			    "SELECT (SELECT COUNT(*) FROM care_plans WHERE person_id = $1 AND (caregiver_id = $2"
			    " OR family_caregiver_id = $2)) + (SELECT COUNT(*) FROM visits WHERE person_id = $1 AND caregiver_id = $2)"
			    " + (SELECT COUNT(*) FROM caregivers WHERE id = $2 AND person_id = $1)",
			    DB_INT(t->person), DB_INT(t->caregiver));
		if (!rc && !n)
			rc = err_set(e, ERR_INVALID, "caregiver_id", "该护理员没有为此参保人提供过服务");
	}
	return rc;
}

/* Area staff enter complaints about persons or providers in their area. */
static int check_covered(struct db *db, const struct vis *v, const struct target *t, struct err *e)
{
	int64_t n = 0;
	int rc;

	if (!v->area[0])
		return 0;
	rc = db_int(db, &n, e,
		    "SELECT (SELECT COUNT(*) FROM persons p JOIN areas ar ON ar.id = p.area_id WHERE p.id = $1"
		    " AND ar.path LIKE $3) + (SELECT COUNT(*) FROM providers pr JOIN areas ar ON ar.id = pr.area_id"
		    " WHERE pr.id = $2 AND ar.path LIKE $3)",
		    DB_INT(t->person), DB_INT(t->provider), DB_TEXT(v->area));
	if (!rc && !n)
		rc = err_set(e, ERR_INVALID, t->person ? "person_id" : "provider_id", "投诉涉及的参保人或护理机构不在您的管辖范围内");
	return rc;
}

static int category_error(const struct scheme *s, struct err *e)
{
	char keys[200] = "";
	size_t len = 0;

	if (!s->visits.n_complaint_categories)
		return err_set(e, ERR_INVALID, "category", "当前保障方案未规定投诉类别");
	for (int i = 0; i < s->visits.n_complaint_categories && len + 32 < sizeof keys; i++)
		len += (size_t)snprintf(keys + len, sizeof keys - len, "%s%s", i ? "、" : "",
					s->visits.complaint_categories[i].key);
	return err_set(e, ERR_INVALID, "category", "投诉类别应为：%s", keys);
}

int complaint_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id,
		     struct err *e)
{
	static const struct jx_field fields[] = {
		{"source", JX_STRING, 0, 1, 16},
		{"category", JX_STRING, JX_REQUIRED, 1, 24},
		{"provider_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"caregiver_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"visit_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"person_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"complainant_name", JX_STRING, JX_NULLABLE, 1, 150},
		{"complainant_phone", JX_STRING, JX_NULLABLE, 1, 24},
		{"description", JX_STRING, JX_REQUIRED | JX_MULTILINE, 5, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	const struct scheme_complaint_category *cat;
	const char *source, *name, *phone;
	char display[160] = "", deadline[DATE_STR], ids[24];
	struct target t = {0};
	struct vis v;
	int64_t now = date_now_unix();
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	visibility(a, &v);
	source = jx_str(in, "source");
	name = jx_str(in, "complainant_name");
	phone = jx_str(in, "complainant_phone");
	/* who enters what */
	if (a->role == ROLE_APPLICANT) {
		if (source && strcmp(source, "portal") != 0)
			return err_set(e, ERR_INVALID, "source", "家属账号通过网上渠道投诉（source应为portal）");
		source = "portal";
	} else if (!source) {
		return err_set(e, ERR_INVALID, "source", "缺少必填字段source（hotline：12345热线，inspection：监督检查）");
	} else if (!COMPLAINT_SOURCE_LABEL(source)) {
		return err_set(e, ERR_INVALID, "source", "投诉来源应为portal、hotline或inspection");
	} else if (strcmp(source, "portal") == 0) {
		return err_set(e, ERR_INVALID, "source", "网上投诉由家属账号提交；工作人员登记12345热线或监督检查");
	} else if (strcmp(source, "inspection") == 0 && a->role != ROLE_BUREAU) {
		return err_set(e, ERR_INVALID, "source", "监督检查发现的问题由经办机构登记");
	}
	cat = scheme_complaint_category(s, jx_str(in, "category"));
	if (!cat)
		return category_error(s, e);
	if (name && str_utf8_len(name) > 50)
		return err_set(e, ERR_INVALID, "complainant_name", "投诉人姓名最多50个字");
	if (phone && !str_phone_valid(phone))
		return err_set(e, ERR_INVALID, "complainant_phone", "电话号码格式不正确（手机11位，或区号-号码）");
	if (strcmp(source, "hotline") == 0 && !name)
		return err_set(e, ERR_INVALID, "complainant_name", "12345热线投诉须登记来电人姓名");
	if (strcmp(source, "hotline") == 0 && !phone)
		return err_set(e, ERR_INVALID, "complainant_phone", "12345热线投诉须登记来电人电话，以便答复");
	rc = resolve_targets(db, in, &t, e);
	if (!rc && a->role == ROLE_APPLICANT)
		rc = check_portal_targets(db, a, &t, e);
	if (!rc)
		rc = check_covered(db, &v, &t, e);
	/* the family account files in its own name unless it gives another */
	if (!rc && a->role == ROLE_APPLICANT && !name) {
		struct db_stmt *st = NULL;
		rc = db_query(db, &st, e, "SELECT display_name FROM users WHERE id = $1", DB_INT(a->user_id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			str_copy(display, db_col_text(st, 0), sizeof display);
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_done(st);
		name = display[0] ? display : NULL;
	}
	if (rc)
		return rc;
	date_format(date_today_cn() + cat->days, deadline);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO complaints (source, category, provider_id, caregiver_id, visit_id, person_id,"
			    " complainant_name, complainant_phone, description, status, deadline, created_by, created_at, updated_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $11, $12, $12) RETURNING id",
			    DB_TEXT(source), DB_TEXT(cat->key), DB_INT_OR_NULL(t.provider != 0, t.provider),
			    DB_INT_OR_NULL(t.caregiver != 0, t.caregiver), DB_INT_OR_NULL(t.visit != 0, t.visit),
			    DB_INT_OR_NULL(t.person != 0, t.person), DB_TEXT(name), DB_TEXT(phone),
			    DB_TEXT(jx_str(in, "description")), DB_TEXT(deadline), DB_TEXT(a->username), DB_INT(now));
	if (!rc) {
		ids_of(*id, ids);
		detail = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "source", source, "category", cat->key, "deadline",
				   deadline, "provider_id", t.provider ? json_integer(t.provider) : json_null(), "caregiver_id",
				   t.caregiver ? json_integer(t.caregiver) : json_null(), "visit_id",
				   t.visit ? json_integer(t.visit) : json_null(), "person_id",
				   t.person ? json_integer(t.person) : json_null());
		rc = audit_append(db, a, "complaint.create", "complaint", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return finish(db, a, rc, e);
}

#define COMPLAINT_FROM                                                                                             \
	" FROM complaints c LEFT JOIN persons p ON p.id = c.person_id LEFT JOIN areas pa ON pa.id = p.area_id"       \
	" LEFT JOIN providers pr ON pr.id = c.provider_id LEFT JOIN areas va ON va.id = pr.area_id"                  \
	" LEFT JOIN caregivers cg ON cg.id = c.caregiver_id"
/* $1 provider, $2 area LIKE, $3 the family account's user name */
#define COMPLAINT_VISIBLE                                                                                          \
	"($1 = 0 OR c.provider_id = $1) AND ($2 = '' OR pa.path LIKE $2 OR va.path LIKE $2)"                        \
	" AND ($3 = '' OR (c.source = 'portal' AND c.created_by = $3))"
#define COMPLAINT_COLS                                                                                             \
	"c.id, c.source, c.category, c.status, c.deadline, c.provider_id, pr.name, c.caregiver_id, cg.name,"         \
	" c.visit_id, c.person_id, p.name, c.complainant_name, c.complainant_phone, c.description, c.reply,"         \
	" c.replied_at, c.created_by, c.created_at, c.updated_at,"                                                   \
	" (SELECT COUNT(*) FROM complaint_notes n WHERE n.complaint_id = c.id)"

/* How the complainant is shown: masked (lists), in full (a staff detail read, audited; the family account's own),
 * or not at all (provider staff). */
enum show { SHOW_MASKED, SHOW_FULL, SHOW_NONE };

static json_t *ref_or_null(struct db_stmt *st, int id_col, int name_col)
{
	if (db_col_null(st, id_col))
		return json_null();
	return json_pack("{s:I, s:o}", "id", (json_int_t)db_col_int(st, id_col), "name",
			 jx_str_or_null(db_col_text(st, name_col)));
}

static json_t *complaint_row(struct db_stmt *st, const struct scheme *s, enum show show)
{
	const char *status = db_col_text(st, 3), *deadline = db_col_text(st, 4), *cat = db_col_text(st, 2),
		   *name = db_col_text(st, 12), *phone = db_col_text(st, 13);
	const struct scheme_complaint_category *c = scheme_complaint_category(s, cat);
	bool open = strcmp(status, "open") == 0 || strcmp(status, "processing") == 0;
	int32_t today = date_today_cn(), due = 0;
	char nm[160] = "", ph[40] = "";
	json_t *o;

	date_parse(deadline, &due);
	if (show == SHOW_MASKED) {
		if (name)
			feedback_mask_name(name, nm, sizeof nm);
		if (phone)
			str_mask_phone(phone, ph, sizeof ph);
	}
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:s, s:I, s:I, s:I}",
		      "id", (json_int_t)db_col_int(st, 0), "source", db_col_text(st, 1), "source_label",
		      or_key(COMPLAINT_SOURCE_LABEL(db_col_text(st, 1)), db_col_text(st, 1)), "category", cat, "category_name",
		      c ? c->name : cat, "status", status, "status_label", or_key(LABEL(complaint_statuses, status), status),
		      "deadline", deadline, "overdue", open && today > due, "replied_late",
		      !db_col_null(st, 16) && date_of_unix_cn(db_col_int(st, 16)) > due, "days_left",
		      open ? json_integer(due - today) : json_null(), "provider", ref_or_null(st, 5, 6), "caregiver",
		      ref_or_null(st, 7, 8), "visit_id", db_col_null(st, 9) ? json_null() : json_integer(db_col_int(st, 9)),
		      "person", ref_or_null(st, 10, 11), "description", db_col_text(st, 14), "created_at",
		      (json_int_t)db_col_int(st, 18), "updated_at", (json_int_t)db_col_int(st, 19), "notes",
		      (json_int_t)db_col_int(st, 20));
	if (show == SHOW_NONE) {
		json_object_set_new(o, "complainant", json_null());
	} else {
		json_object_set_new(o, "complainant",
				    json_pack("{s:o, s:o}", "name",
					      show == SHOW_MASKED ? (nm[0] ? json_string(nm) : json_null()) : jx_str_or_null(name),
					      "phone",
					      show == SHOW_MASKED ? (ph[0] ? json_string(ph) : json_null()) : jx_str_or_null(phone)));
		json_object_set_new(o, "created_by", json_string(db_col_text(st, 17)));
	}
	json_object_set_new(o, "reply", jx_str_or_null(db_col_text(st, 15)));
	json_object_set_new(o, "replied_at", db_col_null(st, 16) ? json_null() : json_integer(db_col_int(st, 16)));
	return o;
}

int complaint_list(struct db *db, const struct scheme *s, const struct actor *a, const struct complaint_filter *f,
		   json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	char today[DATE_STR], from[DATE_STR], to[DATE_STR];
	int64_t total = 0, t_from = 0, t_to = 0;
	int32_t d;
	json_t *items;
	int rc;

	if (f->status && *f->status && !LABEL(complaint_statuses, f->status))
		return err_set(e, ERR_INVALID, "status", "状态应为open、processing、replied或closed");
	if (f->source && *f->source && !COMPLAINT_SOURCE_LABEL(f->source))
		return err_set(e, ERR_INVALID, "source", "投诉来源应为portal、hotline或inspection");
	if (f->category && *f->category && !scheme_complaint_category(s, f->category))
		return category_error(s, e);
	rc = filter_day(f->from, "from", from, e);
	if (!rc)
		rc = filter_day(f->to, "to", to, e);
	if (rc)
		return rc;
	/* days of receipt as Unix time ranges (Asia/Shanghai) */
	if (from[0] && date_parse(from, &d))
		t_from = (int64_t)d * 86400 - 8 * 3600;
	if (to[0] && date_parse(to, &d))
		t_to = (int64_t)(d + 1) * 86400 - 8 * 3600 - 1;
	visibility(a, &v);
	date_format(date_today_cn(), today);
#define WHERE                                                                                                      \
	" WHERE " COMPLAINT_VISIBLE " AND ($4 = '' OR c.status = $4) AND ($5 = '' OR c.category = $5)"               \
	" AND ($6 = '' OR c.source = $6) AND ($7 = 0 OR c.provider_id = $7)"                                         \
	" AND ($8 = 0 OR (c.status IN ('open', 'processing') AND c.deadline < $9))"                                  \
	" AND ($10 = 0 OR c.created_at >= $10) AND ($11 = 0 OR c.created_at <= $11)"
#define ARGS                                                                                                       \
	DB_INT(v.provider), DB_TEXT(v.area), DB_TEXT(v.user), DB_TEXT(f->status ? f->status : ""),                   \
		DB_TEXT(f->category ? f->category : ""), DB_TEXT(f->source ? f->source : ""), DB_INT(f->provider_id),  \
		DB_INT(f->overdue), DB_TEXT(today), DB_INT(t_from), DB_INT(t_to)
	rc = db_int(db, &total, e, "SELECT COUNT(*)" COMPLAINT_FROM WHERE, ARGS);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT " COMPLAINT_COLS COMPLAINT_FROM WHERE " ORDER BY c.id DESC LIMIT $12 OFFSET $13", ARGS,
			      DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
#undef WHERE
	if (rc)
		return rc;
	items = json_array();
	while ((rc = db_step(st, e)) == DB_ROW)
		json_array_append_new(items, complaint_row(st, s, a->provider_id ? SHOW_NONE : SHOW_MASKED));
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

static json_t *note_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0), "note", db_col_text(st, 1),
			 "written_by", db_col_text(st, 2), "written_at", (json_int_t)db_col_int(st, 3));
}

int complaint_get(struct db *db, const struct scheme *s, const struct actor *a, int64_t id, bool audit,
		  json_t **out, struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	enum show show = a->provider_id ? SHOW_NONE : SHOW_FULL;
	json_t *o = NULL;
	char ids[24];
	int rc;

	visibility(a, &v);
	rc = db_query(db, &st, e, "SELECT " COMPLAINT_COLS COMPLAINT_FROM " WHERE " COMPLAINT_VISIBLE " AND c.id = $4",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_TEXT(v.user), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = complaint_row(st, s, show);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "投诉不存在");
	}
	db_done(st);
	/* handling notes are the staff's (the family account reads the reply) */
	if (!rc && !v.family)
		rc = rows_by_id(db, o, "handling_notes",
				"SELECT id, note, written_by, written_at FROM complaint_notes WHERE complaint_id = $1 ORDER BY id",
				id, note_row, e);
	if (!rc && audit && show == SHOW_FULL && !v.family) {
		ids_of(id, ids);
		rc = audit_append(db, a, "complaint.read", "complaint", ids, AUDIT_OK, NULL, e);
	}
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

/* A complaint the actor may handle: its status and the complainant's phone. */
static int load_complaint(struct db *db, const struct actor *a, int64_t id, char status[16], char phone[40],
			  struct err *e)
{
	struct db_stmt *st = NULL;
	struct vis v;
	int rc;

	visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT c.status, c.complainant_phone" COMPLAINT_FROM " WHERE " COMPLAINT_VISIBLE " AND c.id = $4",
		      DB_INT(v.provider), DB_TEXT(v.area), DB_TEXT(v.user), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(status, db_col_text(st, 0), 16);
		str_copy(phone, db_col_text(st, 1) ? db_col_text(st, 1) : "", 40);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "投诉不存在");
	}
	db_done(st);
	return rc;
}

static int wrong_state(const char *status, const char *action, struct err *e)
{
	return err_set(e, ERR_CONFLICT, "status", "投诉当前为“%s”，不能%s", or_key(LABEL(complaint_statuses, status), status),
		       action);
}

static int add_note(struct db *db, int64_t id, const char *note, const char *who, int64_t now, struct err *e)
{
	return db_exec(db, NULL, e,
		       "INSERT INTO complaint_notes (complaint_id, note, written_by, written_at) VALUES ($1, $2, $3, $4)",
		       DB_INT(id), DB_TEXT(note), DB_TEXT(who), DB_INT(now));
}

int complaint_note(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"note", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	char status[16], phone[40], ids[24];
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_complaint(db, a, id, status, phone, e);
	if (!rc && strcmp(status, "closed") == 0)
		rc = wrong_state(status, "添加处理记录", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = add_note(db, id, jx_str(in, "note"), a->username, now, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE complaints SET status = CASE WHEN status = 'open' THEN 'processing' ELSE status END,"
			     " updated_at = $1 WHERE id = $2",
			     DB_INT(now), DB_INT(id));
	if (!rc) {
		json_t *detail = json_pack("{s:s}", "status_before", status);
		ids_of(id, ids);
		rc = audit_append(db, a, "complaint.note", "complaint", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return finish(db, a, rc, e);
}

int complaint_reply(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reply", JX_STRING, JX_REQUIRED | JX_MULTILINE, 5, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	char status[16], phone[40], ids[24];
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_complaint(db, a, id, status, phone, e);
	if (!rc && strcmp(status, "open") != 0 && strcmp(status, "processing") != 0)
		rc = wrong_state(status, "答复（已答复的投诉不能再次答复）", e);
	if (rc)
		return rc;
	ids_of(id, ids);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE complaints SET status = 'replied', reply = $1, replied_at = $2, updated_at = $2"
			     " WHERE id = $3 AND status IN ('open', 'processing')",
			     DB_TEXT(jx_str(in, "reply")), DB_INT(now), DB_INT(id));
	if (!rc && str_is_mobile(phone)) {
		char *body = xasprintf("您反映的问题（投诉编号%lld）已答复：%s", (long long)id, jx_str(in, "reply"));
		rc = notify_enqueue(db, "sms", phone, "投诉答复", body, "complaint", ids, e);
		free(body);
	}
	if (!rc) {
		json_t *detail = json_pack("{s:s, s:b}", "status_before", status, "sms", str_is_mobile(phone));
		rc = audit_append(db, a, "complaint.reply", "complaint", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return finish(db, a, rc, e);
}

int complaint_close(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"note", JX_STRING, JX_NULLABLE | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	char status[16], phone[40], ids[24];
	int64_t now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = load_complaint(db, a, id, status, phone, e);
	if (!rc && strcmp(status, "replied") != 0)
		rc = wrong_state(status, strcmp(status, "closed") == 0 ? "再次办结" : "办结（须先答复投诉人）", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc && jx_str(in, "note"))
		rc = add_note(db, id, jx_str(in, "note"), a->username, now, e);
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE complaints SET status = 'closed', updated_at = $1 WHERE id = $2",
			     DB_INT(now), DB_INT(id));
	if (!rc) {
		ids_of(id, ids);
		rc = audit_append(db, a, "complaint.close", "complaint", ids, AUDIT_OK, NULL, e);
	}
	return finish(db, a, rc, e);
}

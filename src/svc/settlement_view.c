/* settlement_view.c: reading settlement (settlement.h): the months, statements, their beneficiary-months and lines
 * down to the visits and days behind each line, objections and adjustments; the supplementary insurance roster; and
 * the helpers the settlement files share (who sees a statement, loading one, the month, status labels). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "rules/settle.h"
#include "svc/audit.h"
#include "svc/rows.h"
#include "svc/settlement.h"
#include "svc/settlement_internal.h"

/* ---- shared ---- */

static const struct {
	const char *code, *label;
} statuses[] = {
	{"draft", "草稿（待发布）"}, {"claimed", "已发布待初审"}, {"first_reviewed", "已初审"}, {"second_reviewed", "已复审"},
	{"approved", "已审批"},      {"paid", "已支付"},
};

const char *settlement_status_label(const char *status)
{
	for (size_t i = 0; status && i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i].code, status) == 0)
			return statuses[i].label;
	return status ? status : "";
}

int settlement_month_parse(const char *month, const char *field, int32_t *first, int32_t *last, struct err *e)
{
	int y = 0, m = 0;
	bool ok = month && strlen(month) == 7 && month[4] == '-';

	for (int i = 0; ok && i < 7; i++)
		ok = i == 4 || (month[i] >= '0' && month[i] <= '9');
	if (ok) {
		y = (month[0] - '0') * 1000 + (month[1] - '0') * 100 + (month[2] - '0') * 10 + (month[3] - '0');
		m = (month[5] - '0') * 10 + (month[6] - '0');
	}
	if (!ok || y < 1990 || y > 2199 || m < 1 || m > 12)
		return err_set(e, ERR_INVALID, field, "月份应为YYYY-MM");
	*first = date_from_ymd(y, m, 1);
	*last = date_add_months(*first, 1) - 1;
	return 0;
}

void settlement_visibility(const struct actor *a, struct settlement_vis *v)
{
	memset(v, 0, sizeof *v);
	if (a->provider_id) {
		v->provider = a->provider_id;
		v->hide_drafts = 1;
	} else {
		actor_area_like(a, v->area, sizeof v->area);
	}
}

int settlement_load(struct db *db, const struct actor *a, int64_t id, struct statement_row *r, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	int rc;

	settlement_visibility(a, &v);
	memset(r, 0, sizeof *r);
	rc = db_query(db, &st, e,
		      "SELECT s.id, s.provider_id, s.batch_id, COALESCE(s.first_reviewer_id, 0),"
		      " COALESCE(s.second_reviewer_id, 0), COALESCE(s.payment_id, 0), s.total_fen, s.month, s.status, s.number,"
		      " pv.code FROM settlement_statements s JOIN providers pv ON pv.id = s.provider_id"
		      " WHERE " SETTLEMENT_VISIBLE " AND s.id = $4",
		      SETTLEMENT_VIS_ARGS(v), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		r->id = db_col_int(st, 0);
		r->provider_id = db_col_int(st, 1);
		r->batch_id = db_col_int(st, 2);
		r->first_reviewer_id = db_col_int(st, 3);
		r->second_reviewer_id = db_col_int(st, 4);
		r->payment_id = db_col_int(st, 5);
		r->total_fen = db_col_int(st, 6);
		str_copy(r->month, db_col_text(st, 7), sizeof r->month);
		str_copy(r->status, db_col_text(st, 8), sizeof r->status);
		str_copy(r->number, db_col_text(st, 9), sizeof r->number);
		str_copy(r->provider_code, db_col_text(st, 10), sizeof r->provider_code);
		settlement_month_parse(r->month, "month", &r->first, &r->last, NULL);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "结算单不存在");
	}
	db_done(st);
	return rc;
}

int settlement_wrong_status(const char *status, const char *action, struct err *e)
{
	return err_set(e, ERR_CONFLICT, "status", "结算单当前为“%s”，不能%s", settlement_status_label(status), action);
}

int settlement_finish(struct db *db, struct actor *a, int rc, struct err *e)
{
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

static json_t *text_or_null(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_string(db_col_text(st, col));
}

static json_t *int_or_null(struct db_stmt *st, int col)
{
	return db_col_null(st, col) ? json_null() : json_integer(db_col_int(st, col));
}

/* ---- statements ---- */

#define STATEMENT_COLS                                                                                             \
	"s.id, s.month, s.number, s.status, s.provider_id, pv.code, pv.name, s.scheme_id, s.scheme_version,"          \
	" s.credit_grade, s.quality_permille, s.beneficiaries, s.items, s.visits_payable, s.visits_rejected,"         \
	" s.visits_unqualified, s.visits_pending, s.base_fen, s.deductions_fen, s.adjustments_fen, s.quality_fen,"    \
	" s.total_fen, s.fund_fen, s.supplementary_fen, s.assistance_fen, s.provider_fen, s.family_fen,"              \
	" s.beneficiary_fen, s.lines, s.runs, s.computed_at, s.computed_by, s.claimed_at, s.claimed_by,"              \
	" s.first_reviewed_at, s.first_reviewed_by, s.first_review_note, s.second_reviewed_at, s.second_reviewed_by,"  \
	" s.second_review_note, s.approved_at, s.approved_by, s.entry_date, s.payment_id, s.paid_at, s.paid_by,"      \
	" s.reopen_reason, (SELECT COUNT(*) FROM settlement_objections o WHERE o.statement_id = s.id"                  \
	" AND o.status = 'open'), (SELECT COUNT(*) FROM settlement_objections o WHERE o.statement_id = s.id)"

static json_t *step_json(struct db_stmt *st, int at, int by, int note)
{
	if (db_col_null(st, at))
		return json_null();
	return json_pack("{s:I, s:o, s:o}", "at", (json_int_t)db_col_int(st, at), "by", text_or_null(st, by), "note",
			 note >= 0 ? text_or_null(st, note) : json_null());
}

static json_t *statement_row(struct db_stmt *st)
{
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:s, s:s, s:o, s:i, s:i, s:i,"
		" s:{s:i, s:i, s:i, s:i}, s:I, s:I, s:I, s:I, s:I}",
		"id", (json_int_t)db_col_int(st, 0), "month", db_col_text(st, 1), "number", db_col_text(st, 2), "status",
		db_col_text(st, 3), "status_label", settlement_status_label(db_col_text(st, 3)), "provider", "id",
		(json_int_t)db_col_int(st, 4), "code", db_col_text(st, 5), "name", db_col_text(st, 6), "scheme_id",
		db_col_text(st, 7), "scheme_version", db_col_text(st, 8), "credit_grade", text_or_null(st, 9),
		"quality_permille", (int)db_col_int(st, 10), "beneficiaries", (int)db_col_int(st, 11), "items",
		(int)db_col_int(st, 12), "visits", "payable", (int)db_col_int(st, 13), "rejected", (int)db_col_int(st, 14),
		"unqualified", (int)db_col_int(st, 15), "pending", (int)db_col_int(st, 16), "base_fen",
		(json_int_t)db_col_int(st, 17), "deductions_fen", (json_int_t)db_col_int(st, 18), "adjustments_fen",
		(json_int_t)db_col_int(st, 19), "quality_fen", (json_int_t)db_col_int(st, 20), "total_fen",
		(json_int_t)db_col_int(st, 21));

	json_object_set_new(o, "by_source",
			    json_pack("{s:I, s:I, s:I}", "fund", (json_int_t)db_col_int(st, 22), "supplementary",
				      (json_int_t)db_col_int(st, 23), "assistance", (json_int_t)db_col_int(st, 24)));
	json_object_set_new(o, "by_payee",
			    json_pack("{s:I, s:I, s:I}", "provider", (json_int_t)db_col_int(st, 25), "family_caregiver",
				      (json_int_t)db_col_int(st, 26), "beneficiary", (json_int_t)db_col_int(st, 27)));
	json_object_set_new(o, "lines", json_integer(db_col_int(st, 28)));
	json_object_set_new(o, "runs", json_integer(db_col_int(st, 29)));
	json_object_set_new(o, "computed", json_pack("{s:I, s:s}", "at", (json_int_t)db_col_int(st, 30), "by",
						     db_col_text(st, 31)));
	json_object_set_new(o, "steps",
			    json_pack("{s:o, s:o, s:o, s:o, s:o}", "claimed", step_json(st, 32, 33, -1), "first_review",
				      step_json(st, 34, 35, 36), "second_review", step_json(st, 37, 38, 39), "approved",
				      step_json(st, 40, 41, -1), "paid", step_json(st, 44, 45, -1)));
	json_object_set_new(o, "entry_date", text_or_null(st, 42));
	json_object_set_new(o, "payment_id", int_or_null(st, 43));
	json_object_set_new(o, "reopen_reason", text_or_null(st, 46));
	json_object_set_new(o, "objections_open", json_integer(db_col_int(st, 47)));
	json_object_set_new(o, "objections", json_integer(db_col_int(st, 48)));
	return o;
}

int settlement_months(struct db *db, const struct actor *a, json_t **out, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *items = json_array(), *cur = NULL;
	char month[8] = "";
	int rc;

	settlement_visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT s.month, s.status, COUNT(*), SUM(s.total_fen), MAX(b.last_run_at) FROM settlement_statements s"
		      " JOIN settlement_batches b ON b.id = s.batch_id WHERE " SETTLEMENT_VISIBLE
		      " GROUP BY s.month, s.status ORDER BY s.month DESC, s.status",
		      SETTLEMENT_VIS_ARGS(v));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (!cur || strcmp(month, db_col_text(st, 0)) != 0) {
			str_copy(month, db_col_text(st, 0), sizeof month);
			cur = json_pack("{s:s, s:i, s:{}, s:I, s:o}", "month", month, "statements", 0, "by_status", "total_fen",
					(json_int_t)0, "last_run_at", int_or_null(st, 4));
			json_array_append_new(items, cur);
		}
		json_object_set_new(cur, "statements",
				    json_integer(json_integer_value(json_object_get(cur, "statements")) + db_col_int(st, 2)));
		json_object_set_new(cur, "total_fen",
				    json_integer(json_integer_value(json_object_get(cur, "total_fen")) + db_col_int(st, 3)));
		json_object_set_new(json_object_get(cur, "by_status"), db_col_text(st, 1), json_integer(db_col_int(st, 2)));
	}
	db_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

static int check_status_filter(const char *status, struct err *e)
{
	if (!status || !*status)
		return 0;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (strcmp(statuses[i].code, status) == 0)
			return 0;
	return err_set(e, ERR_INVALID, "status",
		       "状态应为draft、claimed、first_reviewed、second_reviewed、approved或paid");
}

int settlement_statement_list(struct db *db, const struct actor *a, const struct settlement_filter *f, json_t **out,
			      struct err *e)
{
	static const char *where = " FROM settlement_statements s JOIN providers pv ON pv.id = s.provider_id WHERE "
		SETTLEMENT_VISIBLE " AND ($4 = '' OR s.month = $4) AND ($5 = 0 OR s.provider_id = $5)"
		" AND ($6 = '' OR s.status = $6)";
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *items = json_array(), *totals = NULL;
	int64_t total = 0;
	int32_t d1, d2;
	char sql[3072];
	int rc = 0;

	if (f->month && *f->month)
		rc = settlement_month_parse(f->month, "month", &d1, &d2, e);
	if (!rc)
		rc = check_status_filter(f->status, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	settlement_visibility(a, &v);
#define ARGS                                                                                                       \
	SETTLEMENT_VIS_ARGS(v), DB_TEXT(f->month ? f->month : ""), DB_INT(f->provider_id),                        \
		DB_TEXT(f->status ? f->status : "")
	snprintf(sql, sizeof sql, "SELECT COUNT(*)%s", where);
	rc = db_int(db, &total, e, sql, ARGS);
	if (!rc) {
		snprintf(sql, sizeof sql, "SELECT " STATEMENT_COLS "%s ORDER BY s.month DESC, pv.code LIMIT $7 OFFSET $8",
			 where);
		rc = db_query(db, &st, e, sql, ARGS, DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
	}
	if (!rc)
		rc = rows_collect(st, items, statement_row, e);
	/* the month's totals over every statement the filter finds */
	if (!rc && f->month && *f->month) {
		snprintf(sql, sizeof sql,
			 "SELECT COUNT(*), COALESCE(SUM(s.beneficiaries), 0), COALESCE(SUM(s.visits_payable), 0),"
			 " COALESCE(SUM(s.visits_rejected), 0), COALESCE(SUM(s.visits_unqualified), 0),"
			 " COALESCE(SUM(s.visits_pending), 0), COALESCE(SUM(s.deductions_fen), 0),"
			 " COALESCE(SUM(s.adjustments_fen), 0), COALESCE(SUM(s.quality_fen), 0), COALESCE(SUM(s.total_fen), 0),"
			 " COALESCE(SUM(s.fund_fen), 0), COALESCE(SUM(s.supplementary_fen), 0),"
			 " COALESCE(SUM(s.assistance_fen), 0)%s",
			 where);
		rc = db_query(db, &st, e, sql, ARGS);
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			totals = json_pack("{s:I, s:I, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I}}",
					   "statements", (json_int_t)db_col_int(st, 0), "beneficiaries",
					   (json_int_t)db_col_int(st, 1), "visits", "payable", (json_int_t)db_col_int(st, 2),
					   "rejected", (json_int_t)db_col_int(st, 3), "unqualified",
					   (json_int_t)db_col_int(st, 4), "pending", (json_int_t)db_col_int(st, 5),
					   "deductions_fen", (json_int_t)db_col_int(st, 6), "adjustments_fen",
					   (json_int_t)db_col_int(st, 7), "quality_fen", (json_int_t)db_col_int(st, 8),
					   "total_fen", (json_int_t)db_col_int(st, 9), "by_source", "fund",
					   (json_int_t)db_col_int(st, 10), "supplementary", (json_int_t)db_col_int(st, 11),
					   "assistance", (json_int_t)db_col_int(st, 12));
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_done(st);
	}
#undef ARGS
	if (rc) {
		json_decref(items);
		json_decref(totals);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	json_object_set_new(*out, "totals", totals ? totals : json_null());
	return 0;
}

static json_t *line_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:o, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:i, s:I, s:b, s:s, s:o, s:o}",
			 "id", (json_int_t)db_col_int(st, 0), "item_id", int_or_null(st, 1), "seq",
			 (int)db_col_int(st, 2), "source", db_col_text(st, 3), "source_label",
			 fund_source_label((enum fund_source)fund_source_parse(db_col_text(st, 3))), "payee",
			 db_col_text(st, 4), "payee_label",
			 settle_payee_label((enum settle_payee)settle_payee_parse(db_col_text(st, 4))), "kind",
			 db_col_text(st, 5), "kind_label", settle_kind_label((enum settle_kind)settle_kind_parse(db_col_text(st, 5))),
			 "reason", db_col_text(st, 6), "quantity", (json_int_t)db_col_int(st, 8), "unit_fen",
			 (json_int_t)db_col_int(st, 9), "divisor", (json_int_t)db_col_int(st, 10), "rate_permille",
			 (int)db_col_int(st, 11), "amount_fen", (json_int_t)db_col_int(st, 12), "balanced",
			 db_col_int(st, 13) != 0, "label", db_col_text(st, 14), "ref_line_id", int_or_null(st, 16),
			 "adjustment_id", int_or_null(st, 17));
}

static json_t *line_row_full(struct db_stmt *st)
{
	json_t *o = line_row(st);
	json_object_set_new(o, "unit", json_string(db_col_text(st, 7)));
	json_object_set_new(o, "reference", json_string(db_col_text(st, 15)));
	return o;
}

#define LINE_COLS                                                                                                  \
	"l.id, l.item_id, l.seq, l.source, l.payee, l.kind, l.reason, l.unit, l.quantity, l.unit_fen, l.divisor,"     \
	" l.rate_pm, l.amount_fen, l.balanced, l.label, l.reference, l.ref_line_id, l.adjustment_id"

static json_t *objection_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:s, s:I, s:s, s:o, s:s, s:s, s:I, s:o, s:o, s:o}", "id",
			 (json_int_t)db_col_int(st, 0), "statement_id", (json_int_t)db_col_int(st, 1), "line_id",
			 int_or_null(st, 2), "item_id", int_or_null(st, 3), "person_id", int_or_null(st, 4), "line_label",
			 db_col_text(st, 5), "line_amount_fen", (json_int_t)db_col_int(st, 6), "reason", db_col_text(st, 7),
			 "claimed_fen", int_or_null(st, 8), "status", db_col_text(st, 9), "raised_by", db_col_text(st, 10),
			 "raised_at", (json_int_t)db_col_int(st, 11), "answer", text_or_null(st, 12), "answered_by",
			 text_or_null(st, 13), "answered_at", int_or_null(st, 14));
}

#define OBJECTION_COLS                                                                                             \
	"o.id, o.statement_id, o.line_id, o.item_id, o.person_id, o.line_label, o.line_amount_fen, o.reason,"         \
	" o.claimed_fen, o.status, o.raised_by, o.raised_at, o.answer, o.answered_by, o.answered_at"

static json_t *adjustment_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:s, s:s, s:I, s:o, s:o}",
			 "id", (json_int_t)db_col_int(st, 0), "month", db_col_text(st, 1), "provider_id",
			 (json_int_t)db_col_int(st, 2), "provider_code", db_col_text(st, 3), "plan_id",
			 (json_int_t)db_col_int(st, 4), "person_id", (json_int_t)db_col_int(st, 5), "person_name",
			 db_col_text(st, 6), "source", db_col_text(st, 7), "payee", db_col_text(st, 8), "amount_fen",
			 (json_int_t)db_col_int(st, 9), "reason", db_col_text(st, 10), "reference", db_col_text(st, 11),
			 "ref_line_id", int_or_null(st, 12), "status", db_col_text(st, 13), "created_by",
			 db_col_text(st, 14), "created_at", (json_int_t)db_col_int(st, 15), "line_id", int_or_null(st, 16),
			 "statement_id", int_or_null(st, 17));
}

/* the adjustment's line on a statement of its month (the latest run), if any */
#define ADJUSTMENT_COLS                                                                                            \
	"x.id, x.month, x.provider_id, pv.code, x.plan_id, x.person_id, pe.name, x.source, x.payee, x.amount_fen,"    \
	" x.reason, x.reference, x.ref_line_id, x.status, x.created_by, x.created_at,"                                \
	" (SELECT MAX(l.id) FROM settlement_lines l WHERE l.adjustment_id = x.id),"                                   \
	" (SELECT MAX(l.statement_id) FROM settlement_lines l WHERE l.adjustment_id = x.id)"
#define ADJUSTMENT_FROM                                                                                            \
	" FROM settlement_adjustments x JOIN providers pv ON pv.id = x.provider_id JOIN persons pe ON pe.id = x.person_id"

static json_t *sum_row(struct db_stmt *st)
{
	return json_pack("{s:s, s:s, s:I, s:I}", "source", db_col_text(st, 0), "kind", db_col_text(st, 1), "lines",
			 (json_int_t)db_col_int(st, 2), "amount_fen", (json_int_t)db_col_int(st, 3));
}

int settlement_statement_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *o = NULL;
	int rc;

	settlement_visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT " STATEMENT_COLS " FROM settlement_statements s JOIN providers pv ON pv.id = s.provider_id"
		      " WHERE " SETTLEMENT_VISIBLE " AND s.id = $4",
		      SETTLEMENT_VIS_ARGS(v), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = statement_row(st);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "结算单不存在");
	}
	db_done(st);
	if (!rc)
		rc = rows_by_id(db, o, "statement_lines",
				"SELECT " LINE_COLS " FROM settlement_lines l WHERE l.statement_id = $1 AND l.item_id IS NULL"
				" ORDER BY l.id",
				id, line_row_full, e);
	if (!rc)
		rc = rows_by_id(db, o, "objection_list",
				"SELECT " OBJECTION_COLS " FROM settlement_objections o WHERE o.statement_id = $1 ORDER BY o.id",
				id, objection_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "adjustment_list",
				"SELECT " ADJUSTMENT_COLS ADJUSTMENT_FROM " WHERE x.id IN (SELECT adjustment_id FROM"
				" settlement_lines WHERE statement_id = $1 AND adjustment_id IS NOT NULL) ORDER BY x.id",
				id, adjustment_row, e);
	/* the sums by kind and source, from the lines themselves */
	if (!rc)
		rc = rows_by_id(db, o, "sums",
				"SELECT l.source, l.kind, COUNT(*), SUM(l.amount_fen) FROM settlement_lines l"
				" WHERE l.statement_id = $1 GROUP BY l.source, l.kind ORDER BY l.source, l.kind",
				id, sum_row, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

static json_t *person_item_row(struct db_stmt *st)
{
	char masked[40];
	json_t *days = json_array();
	int64_t mask = db_col_int(st, 10);

	str_mask_id(db_col_text(st, 6) ? db_col_text(st, 6) : "", masked, sizeof masked);
	for (int d = 0; d < 31; d++)
		if (mask & ((int64_t)1 << d))
			json_array_append_new(days, json_integer(d + 1));
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:i, s:s, s:o, s:i, s:o, s:i, s:i, s:i, s:i, s:o,"
			 " s:i, s:i, s:b, s:{s:i, s:i, s:i, s:i}, s:{s:i, s:i, s:i}, s:i, s:i, s:b, s:b, s:o, s:I, s:I}",
			 "id", (json_int_t)db_col_int(st, 0), "statement_id", (json_int_t)db_col_int(st, 1), "plan_id",
			 (json_int_t)db_col_int(st, 2), "person_id", (json_int_t)db_col_int(st, 3), "month",
			 db_col_text(st, 4), "person_name", db_col_text(st, 5), "id_number", masked, "mode",
			 db_col_text(st, 7), "level", (int)db_col_int(st, 8), "plan_from", db_col_text(st, 9), "plan_until",
			 text_or_null(st, 11), "days_in_month", (int)db_col_int(st, 12), "entitled_days_list", days,
			 "entitled_days", (int)db_col_int(st, 13), "paid_days", (int)db_col_int(st, 14), "day_divisor",
			 (int)db_col_int(st, 15), "hospital_days", (int)db_col_int(st, 16), "death_date",
			 text_or_null(st, 17), "required_visits", (int)db_col_int(st, 18), "shortfall_visits",
			 (int)db_col_int(st, 19), "forgiven", db_col_int(st, 20) != 0, "visits", "payable",
			 (int)db_col_int(st, 21), "rejected", (int)db_col_int(st, 22), "unqualified",
			 (int)db_col_int(st, 23), "pending", (int)db_col_int(st, 24), "minutes", "payable",
			 (int)db_col_int(st, 25), "rejected", (int)db_col_int(st, 26), "unqualified",
			 (int)db_col_int(st, 27), "absent_days", (int)db_col_int(st, 28), "home_month",
			 (int)db_col_int(st, 29), "supplementary", db_col_int(st, 30) != 0, "assistance",
			 db_col_int(st, 31) != 0, "attested", db_col_null(st, 32) ? json_null() : json_boolean(db_col_int(st, 32)),
			 "quality_base_fen", (json_int_t)db_col_int(st, 33), "total_fen", (json_int_t)db_col_int(st, 34));
}

#define ITEM_COLS                                                                                                  \
	"i.id, i.statement_id, i.plan_id, i.person_id, i.month, pe.name, pe.id_number, i.mode, i.level, i.plan_from,"  \
	" i.entitled_mask, i.plan_until, i.days_in_month, i.entitled_days, i.paid_days, i.day_divisor,"              \
	" i.hospital_days, i.death_date, i.required_visits, i.shortfall_visits, i.forgiven, i.visits_payable,"        \
	" i.visits_rejected, i.visits_unqualified, i.visits_pending, i.minutes_payable, i.minutes_rejected,"          \
	" i.minutes_unqualified, i.absent_days, i.home_month, i.supplementary, i.assistance, i.attested,"             \
	" i.quality_base_fen, i.total_fen"

int settlement_items_list(struct db *db, const struct actor *a, int64_t statement_id, const char *q, int page,
			  int page_size, json_t **out, struct err *e)
{
	struct statement_row s;
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	char like[200] = "";
	size_t i;
	json_t *it;
	int rc = settlement_load(db, a, statement_id, &s, e);

	if (!rc && q && *q) {
		if (strlen(q) > 64)
			rc = err_set(e, ERR_INVALID, "q", "检索词过长");
		else
			str_like_contains(q, like, sizeof like);
	}
#define WHERE                                                                                                      \
	" FROM settlement_items i JOIN persons pe ON pe.id = i.person_id WHERE i.statement_id = $1"                  \
	" AND ($2 = '' OR pe.name LIKE $2 ESCAPE '\\' OR pe.id_number LIKE $2 ESCAPE '\\')"
	if (!rc)
		rc = db_int(db, &total, e, "SELECT COUNT(*)" WHERE, DB_INT(statement_id), DB_TEXT(like));
	if (!rc)
		rc = db_query(db, &st, e, "SELECT " ITEM_COLS WHERE " ORDER BY i.id LIMIT $3 OFFSET $4", DB_INT(statement_id),
			      DB_TEXT(like), DB_INT(page_size), DB_INT((int64_t)(page - 1) * page_size));
#undef WHERE
	if (!rc)
		rc = rows_collect(st, items, person_item_row, e);
	json_array_foreach(items, i, it) {
		if (rc)
			break;
		rc = rows_by_id(db, it, "lines",
				"SELECT " LINE_COLS " FROM settlement_lines l WHERE l.item_id = $1 ORDER BY l.seq", 
				json_integer_value(json_object_get(it, "id")), line_row_full, e);
	}
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, page, page_size);
	return 0;
}

/* The visits an item settled, optionally of one kind ("" for all), with their day, caregiver and outcome. */
static int item_visits(struct db *db, json_t *into, int64_t item_id, int64_t plan_id, int32_t first, int32_t last,
		       const char *kind, struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *arr = json_array();
	char lo[DATE_STR], hi[DATE_STR];
	int rc;

	/* the plan's visits around the month (visit_date is the check-in's day but for records corrected across
	 * midnight), kept when the link says they were settled in this item */
	date_format(first - 1, lo);
	date_format(last + 1, hi);
	rc = db_query(db, &st, e,
		      "SELECT v.id, v.visit_date, v.checkin_at, v.checkout_at, sv.kind, sv.minutes, v.verify_state,"
		      " v.review_state, v.reasons, c.name FROM visits v JOIN settlement_visits sv ON sv.visit_id = v.id"
		      " JOIN caregivers c ON c.id = v.caregiver_id WHERE v.plan_id = $1 AND v.visit_date >= $2"
		      " AND v.visit_date <= $3 AND sv.item_id = $4 AND ($5 = '' OR sv.kind = $5) ORDER BY v.checkin_at, v.id",
		      DB_INT(plan_id), DB_TEXT(lo), DB_TEXT(hi), DB_INT(item_id), DB_TEXT(kind));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		json_array_append_new(arr,
				      json_pack("{s:I, s:s, s:o, s:o, s:s, s:i, s:s, s:o, s:I, s:s}", "visit_id",
						(json_int_t)db_col_int(st, 0), "visit_date", db_col_text(st, 1), "checkin_at",
						int_or_null(st, 2), "checkout_at", int_or_null(st, 3), "settled_as",
						db_col_text(st, 4), "minutes", (int)db_col_int(st, 5), "verify_state",
						db_col_text(st, 6), "review_state", text_or_null(st, 7), "reasons",
						(json_int_t)db_col_int(st, 8), "caregiver", db_col_text(st, 9)));
	}
	db_done(st);
	json_object_set_new(into, "visit_list", arr);
	return rc == DB_DONE ? 0 : rc;
}

/* The item row with its statement checked against the actor. */
static int load_item(struct db *db, const struct actor *a, int64_t item_id, json_t **item, struct statement_row *s,
		     struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t statement = 0;
	int rc = db_query(db, &st, e,
			  "SELECT " ITEM_COLS " FROM settlement_items i JOIN persons pe ON pe.id = i.person_id WHERE i.id = $1",
			  DB_INT(item_id));

	*item = NULL;
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		*item = person_item_row(st);
		statement = db_col_int(st, 1);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "结算明细不存在");
	}
	db_done(st);
	if (!rc)
		rc = settlement_load(db, a, statement, s, e);
	if (rc == ERR_NOT_FOUND)
		err_set(e, ERR_NOT_FOUND, "id", "结算明细不存在");
	if (rc) {
		json_decref(*item);
		*item = NULL;
	}
	return rc;
}

int settlement_item_get(struct db *db, const struct actor *a, int64_t item_id, json_t **out, struct err *e)
{
	struct statement_row s;
	json_t *o;
	int rc = load_item(db, a, item_id, &o, &s, e);

	if (rc)
		return rc;
	json_object_set_new(o, "statement", json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)s.id, "number", s.number,
						      "status", s.status, "provider_code", s.provider_code));
	rc = rows_by_id(db, o, "lines", "SELECT " LINE_COLS " FROM settlement_lines l WHERE l.item_id = $1 ORDER BY l.seq",
			item_id, line_row_full, e);
	if (!rc)
		rc = item_visits(db, o, item_id, json_integer_value(json_object_get(o, "plan_id")), s.first, s.last, "", e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int settlement_line_get(struct db *db, const struct actor *a, int64_t line_id, json_t **out, struct err *e)
{
	struct statement_row s;
	struct db_stmt *st = NULL;
	json_t *o = NULL, *item = NULL;
	int64_t statement = 0, item_id = 0;
	char kind[32] = "", unit[16] = "";
	int rc;

	rc = db_query(db, &st, e, "SELECT " LINE_COLS ", l.statement_id FROM settlement_lines l WHERE l.id = $1",
		      DB_INT(line_id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = line_row_full(st);
		item_id = db_col_int(st, 1);
		str_copy(kind, db_col_text(st, 5), sizeof kind);
		str_copy(unit, db_col_text(st, 7), sizeof unit);
		statement = db_col_int(st, 18);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "结算单行不存在");
	}
	db_done(st);
	if (!rc)
		rc = settlement_load(db, a, statement, &s, e);
	if (rc == ERR_NOT_FOUND)
		err_set(e, ERR_NOT_FOUND, "id", "结算单行不存在");
	if (!rc) {
		json_object_set_new(o, "statement",
				    json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)s.id, "number", s.number, "month",
					      s.month, "status", s.status, "provider_code", s.provider_code));
		json_object_set_new(o, "formula", json_string(
			"amount_fen = round(unit_fen × quantity × rate_permille ÷ (divisor × 1000))，四舍五入到分"));
	}
	/* what the line counts: the days of the amount, or the visits of its kind */
	if (!rc && item_id) {
		rc = load_item(db, a, item_id, &item, &s, e);
		if (!rc) {
			const char *vk = strcmp(kind, "deduction_unqualified") == 0 ? "unqualified"
					 : strcmp(kind, "deduction_rejected") == 0    ? "rejected"
					 : strcmp(unit, "minutes") == 0 && strcmp(kind, "base") == 0 ? ""
					 : strcmp(kind, "shortfall") == 0 || strcmp(unit, "visits") == 0 ? "payable"
													 : NULL;
			json_object_set_new(o, "entitled_days_list", json_incref(json_object_get(item, "entitled_days_list")));
			json_object_set_new(o, "item", item);
			if (vk)
				rc = item_visits(db, o, item_id, json_integer_value(json_object_get(item, "plan_id")), s.first,
						 s.last, vk, e);
		}
	}
	if (!rc)
		rc = rows_by_id(db, o, "objection_list",
				"SELECT " OBJECTION_COLS " FROM settlement_objections o WHERE o.line_id = $1 ORDER BY o.id",
				line_id, objection_row, e);
	if (!rc)
		rc = rows_by_id(db, o, "adjustments",
				"SELECT " ADJUSTMENT_COLS ADJUSTMENT_FROM " WHERE x.ref_line_id = $1 ORDER BY x.id", line_id,
				adjustment_row, e);
	if (rc) {
		json_decref(o);
		return rc;
	}
	*out = o;
	return 0;
}

int settlement_objection_list(struct db *db, const struct actor *a, int64_t statement_id, const char *status,
			      json_t **out, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int rc = 0;

	if (status && *status && strcmp(status, "open") && strcmp(status, "accepted") && strcmp(status, "dismissed"))
		rc = err_set(e, ERR_INVALID, "status", "状态应为open、accepted或dismissed");
	settlement_visibility(a, &v);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT " OBJECTION_COLS ", s.number, pv.code FROM settlement_objections o"
			      " JOIN settlement_statements s ON s.id = o.statement_id JOIN providers pv ON pv.id = s.provider_id"
			      " WHERE " SETTLEMENT_VISIBLE " AND ($4 = 0 OR o.statement_id = $4) AND ($5 = '' OR o.status = $5)"
			      " ORDER BY o.id DESC LIMIT $6",
			      SETTLEMENT_VIS_ARGS(v), DB_INT(statement_id), DB_TEXT(status ? status : ""),
			      DB_INT(LIMIT_SETTLE_LIST));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		json_t *o = objection_row(st);
		rc = 0;
		json_object_set_new(o, "statement_number", json_string(db_col_text(st, 15)));
		json_object_set_new(o, "provider_code", json_string(db_col_text(st, 16)));
		json_array_append_new(items, o);
	}
	db_done(st);
	if (rc && rc != DB_DONE) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

int settlement_adjustment_list(struct db *db, const struct actor *a, const struct settlement_filter *f,
			       json_t **out, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	int32_t d1, d2;
	int rc = 0;

	if (f->month && *f->month)
		rc = settlement_month_parse(f->month, "month", &d1, &d2, e);
	if (!rc && f->status && *f->status && strcmp(f->status, "pending") && strcmp(f->status, "settled") &&
	    strcmp(f->status, "cancelled"))
		rc = err_set(e, ERR_INVALID, "status", "状态应为pending、settled或cancelled");
	if (rc) {
		json_decref(items);
		return rc;
	}
	settlement_visibility(a, &v);
	/* provider staff see the adjustments of their provider, area staff those of providers in their area */
#define WHERE                                                                                                      \
	ADJUSTMENT_FROM " WHERE ($1 = 0 OR x.provider_id = $1) AND ($2 = '' OR x.provider_id IN (SELECT pv2.id"     \
	" FROM providers pv2 JOIN areas ar ON ar.id = pv2.area_id WHERE ar.path LIKE $2))"                          \
	" AND ($3 = '' OR x.month = $3) AND ($4 = 0 OR x.provider_id = $4) AND ($5 = '' OR x.status = $5)"
#define ARGS                                                                                                       \
	DB_INT(v.provider), DB_TEXT(v.area), DB_TEXT(f->month ? f->month : ""), DB_INT(f->provider_id),            \
		DB_TEXT(f->status ? f->status : "")
	rc = db_int(db, &total, e, "SELECT COUNT(*)" WHERE, ARGS);
	if (!rc)
		rc = db_query(db, &st, e, "SELECT " ADJUSTMENT_COLS WHERE " ORDER BY x.id DESC LIMIT $6 OFFSET $7", ARGS,
			      DB_INT(f->page_size), DB_INT((int64_t)(f->page - 1) * f->page_size));
#undef ARGS
#undef WHERE
	if (!rc)
		rc = rows_collect(st, items, adjustment_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, f->page, f->page_size);
	return 0;
}

/* ---- supplementary insurance ---- */

int supplementary_policy_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e)
{
	static const struct jx_field fields[] = {
		{"person_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"insurer", JX_STRING, JX_REQUIRED, 1, 64},
		{"policy_no", JX_STRING, JX_REQUIRED, 1, 64},
		{"valid_from", JX_STRING, JX_REQUIRED, 10, 10},
		{"valid_until", JX_STRING, JX_REQUIRED, 10, 10},
		{NULL, 0, 0, 0, 0},
	};
	int32_t from, until;
	int64_t n = 0, person = jx_int(in, "person_id", 0);
	char ids[24], like[180];
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	if (rc)
		return rc;
	if (!date_parse(jx_str(in, "valid_from"), &from))
		return err_set(e, ERR_INVALID, "valid_from", "日期应为YYYY-MM-DD");
	if (!date_parse(jx_str(in, "valid_until"), &until))
		return err_set(e, ERR_INVALID, "valid_until", "日期应为YYYY-MM-DD");
	if (until < from)
		return err_set(e, ERR_INVALID, "valid_until", "保障期止早于保障期起");
	if (until - from > LIMIT_POLICY_DAYS)
		return err_set(e, ERR_INVALID, "valid_until", "一份保单的保障期不超过一年（每年一条记录）");
	actor_area_like(a, like, sizeof like);
	rc = db_int(db, &n, e,
		    "SELECT COUNT(*) FROM persons p LEFT JOIN areas ar ON ar.id = p.area_id WHERE p.id = $1"
		    " AND ($2 = '' OR ar.path LIKE $2)",
		    DB_INT(person), DB_TEXT(like));
	if (!rc && !n)
		rc = err_set(e, ERR_NOT_FOUND, "person_id", "参保人不存在");
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO supplementary_policies (person_id, insurer, policy_no, valid_from, valid_until, source,"
			    " recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, 'manual', $6, $7) RETURNING id",
			    DB_INT(person), DB_TEXT(jx_str(in, "insurer")), DB_TEXT(jx_str(in, "policy_no")),
			    DB_TEXT(jx_str(in, "valid_from")), DB_TEXT(jx_str(in, "valid_until")), DB_TEXT(a->username),
			    DB_INT(date_now_unix()));
	if (rc && db_last_unique_violation(db))
		rc = err_set(e, ERR_CONFLICT, "policy_no", "保单号已登记");
	if (!rc) {
		snprintf(ids, sizeof ids, "%lld", (long long)person);
		detail = json_pack("{s:I, s:s, s:s, s:s}", "policy_id", (json_int_t)*id, "insurer", jx_str(in, "insurer"),
				   "valid_from", jx_str(in, "valid_from"), "valid_until", jx_str(in, "valid_until"));
		rc = audit_append(db, a, "supplementary.create", "person", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return settlement_finish(db, a, rc, e);
}

static json_t *policy_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)db_col_int(st, 0),
			 "person_id", (json_int_t)db_col_int(st, 1), "person_name", db_col_text(st, 2), "insurer",
			 db_col_text(st, 3), "policy_no", db_col_text(st, 4), "valid_from", db_col_text(st, 5),
			 "valid_until", db_col_text(st, 6), "source", db_col_text(st, 7), "recorded_at",
			 (json_int_t)db_col_int(st, 8));
}

int supplementary_policy_list(struct db *db, int64_t person_id, int page, int page_size, json_t **out,
			      struct err *e)
{
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int64_t total = 0;
	int rc = db_int(db, &total, e, "SELECT COUNT(*) FROM supplementary_policies WHERE ($1 = 0 OR person_id = $1)",
			DB_INT(person_id));

	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT sp.id, sp.person_id, pe.name, sp.insurer, sp.policy_no, sp.valid_from, sp.valid_until,"
			      " sp.source, sp.recorded_at FROM supplementary_policies sp JOIN persons pe ON pe.id = sp.person_id"
			      " WHERE ($1 = 0 OR sp.person_id = $1) ORDER BY sp.id DESC LIMIT $2 OFFSET $3",
			      DB_INT(person_id), DB_INT(page_size), DB_INT((int64_t)(page - 1) * page_size));
	if (!rc)
		rc = rows_collect(st, items, policy_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = rows_page(items, total, page, page_size);
	return 0;
}

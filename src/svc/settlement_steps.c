/* settlement_steps.c: the steps of a statement (settlement.h): claim, objections and answers, first and second
 * review by two different people, approval with its fund postings, reopening a statement not yet approved, and the
 * manual adjustments carried by a later month. Each step is one transaction with its audit row; a step from the wrong
 * status is 409 naming "status", and every UPDATE repeats the status it expects, so two people acting at once cannot
 * both succeed. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/money.h"
#include "base/str.h"
#include "rules/settle.h"
#include "svc/audit.h"
#include "svc/fund.h"
#include "svc/settlement.h"
#include "svc/settlement_internal.h"

static void ids_of(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* The change of status by an UPDATE that names the status it expects: 0 rows means someone else moved first. */
static int moved(int64_t changes, struct err *e)
{
	return changes == 1 ? 0 : err_set(e, ERR_CONFLICT, "status", "结算单状态已被他人更改，请刷新后重试");
}

static int audit_step(struct db *db, struct actor *a, const char *action, const struct statement_row *s,
		      const char *to, json_t *extra, struct err *e)
{
	char ids[24];
	json_t *detail = json_pack("{s:s, s:s, s:s, s:s, s:I}", "number", s->number, "month", s->month, "from",
				   s->status, "to", to, "total_fen", (json_int_t)s->total_fen);
	int rc;

	if (extra) {
		json_object_update(detail, extra);
		json_decref(extra);
	}
	ids_of(s->id, ids);
	rc = audit_append(db, a, action, "settlement_statement", ids, AUDIT_OK, detail, e);
	json_decref(detail);
	return rc;
}

/* Reviews and approval are signed by a person: a signed-in account, never an API token or the system. */
static int need_person(const struct actor *a, struct err *e)
{
	if (a->kind != ACTOR_USER || a->user_id <= 0)
		return err_set(e, ERR_FORBIDDEN, "reviewer", "审核、审批须由工作人员本人登录办理，不能使用接口令牌");
	return 0;
}

static const struct jx_field note_fields[] = {
	{"note", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
	{NULL, 0, 0, 0, 0},
};

int settlement_claim(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	struct statement_row s;
	int64_t changes = 0, now = date_now_unix();
	int rc = jx_check(in, note_fields, "", e);

	int64_t pending = 0;

	if (!rc)
		rc = settlement_load(db, a, id, &s, e);
	if (!rc && strcmp(s.status, "draft") != 0)
		rc = settlement_wrong_status(s.status, "发布（只有草稿可以发布给护理机构）", e);
	/* every visit is settled in its own month: its exceptions are decided before the statement goes out */
	if (!rc)
		rc = db_int(db, &pending, e, "SELECT visits_pending FROM settlement_statements WHERE id = $1", DB_INT(id));
	if (!rc && pending)
		rc = err_set(e, ERR_CONFLICT, "visits_pending",
			     "结算单计算时尚有%lld条异常服务未经审核：请先审核这些异常，再重新计算后发布", (long long)pending);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET status = 'claimed', claimed_at = $1, claimed_by = $2, updated_at = $1"
			     " WHERE id = $3 AND status = 'draft'",
			     DB_INT(now), DB_TEXT(a->username), DB_INT(id));
	if (!rc)
		rc = moved(changes, e);
	if (!rc)
		rc = audit_step(db, a, "settlement.claim", &s, "claimed",
				jx_str(in, "note") ? json_pack("{s:s}", "note", jx_str(in, "note")) : NULL, e);
	return settlement_finish(db, a, rc, e);
}

int settlement_first_review(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	struct statement_row s;
	int64_t changes = 0, open = 0, now = date_now_unix();
	int rc = jx_check(in, note_fields, "", e);

	if (!rc)
		rc = settlement_load(db, a, id, &s, e);
	if (!rc && strcmp(s.status, "claimed") != 0)
		rc = settlement_wrong_status(s.status, "初审（须先发布给护理机构）", e);
	if (!rc)
		rc = need_person(a, e);
	if (!rc)
		rc = db_int(db, &open, e,
			    "SELECT COUNT(*) FROM settlement_objections WHERE statement_id = $1 AND status = 'open'", DB_INT(id));
	if (!rc && open)
		rc = err_set(e, ERR_CONFLICT, "objections", "护理机构尚有%lld条异议未答复，答复后才能初审", (long long)open);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET status = 'first_reviewed', first_reviewer_id = $1,"
			     " first_reviewed_by = $2, first_reviewed_at = $3, first_review_note = $4, updated_at = $3"
			     " WHERE id = $5 AND status = 'claimed'",
			     DB_INT(a->user_id), DB_TEXT(a->username), DB_INT(now), DB_TEXT(jx_str(in, "note")), DB_INT(id));
	if (!rc)
		rc = moved(changes, e);
	if (!rc)
		rc = audit_step(db, a, "settlement.first_review", &s, "first_reviewed", NULL, e);
	return settlement_finish(db, a, rc, e);
}

int settlement_second_review(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	struct statement_row s;
	int64_t changes = 0, now = date_now_unix();
	int rc = jx_check(in, note_fields, "", e);

	if (!rc)
		rc = settlement_load(db, a, id, &s, e);
	if (!rc && strcmp(s.status, "first_reviewed") != 0)
		rc = settlement_wrong_status(s.status, "复审（须先初审）", e);
	if (!rc)
		rc = need_person(a, e);
	if (!rc && s.first_reviewer_id == a->user_id)
		rc = err_set(e, ERR_FORBIDDEN, "reviewer", "复审须由初审人以外的工作人员办理（本单初审人是您本人）");
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET status = 'second_reviewed', second_reviewer_id = $1,"
			     " second_reviewed_by = $2, second_reviewed_at = $3, second_review_note = $4, updated_at = $3"
			     " WHERE id = $5 AND status = 'first_reviewed' AND first_reviewer_id <> $1",
			     DB_INT(a->user_id), DB_TEXT(a->username), DB_INT(now), DB_TEXT(jx_str(in, "note")), DB_INT(id));
	if (!rc)
		rc = moved(changes, e);
	if (!rc)
		rc = audit_step(db, a, "settlement.second_review", &s, "second_reviewed", NULL, e);
	return settlement_finish(db, a, rc, e);
}

/* The approval's postings: for each source, what the statement spends (every line but the amounts recovered,
 * negative adjustments) and what it recovers (those, as income of kind recovery); the supplementary sources' net is
 * their payers' money, booked as their income so that the fund's balance moves only by the fund's own part. */
static int post_statement(struct db *db, struct actor *a, const struct statement_row *s, const char *entry_date,
			  json_t *postings, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t spend[SOURCE_COUNT] = {0}, recovered[SOURCE_COUNT] = {0}, sum = 0;
	char ref[24], note[200], provider[128] = "";
	int rc;

	ids_of(s->id, ref);
	rc = db_query(db, &st, e,
		      "SELECT l.source, SUM(CASE WHEN l.kind = 'adjustment' AND l.amount_fen < 0 THEN 0 ELSE l.amount_fen END),"
		      " SUM(CASE WHEN l.kind = 'adjustment' AND l.amount_fen < 0 THEN -l.amount_fen ELSE 0 END)"
		      " FROM settlement_lines l WHERE l.statement_id = $1 GROUP BY l.source",
		      DB_INT(s->id));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int src = fund_source_parse(db_col_text(st, 0));
		rc = 0;
		if (src < 0)
			continue;
		spend[src] = db_col_int(st, 1);
		recovered[src] = db_col_int(st, 2);
		sum += spend[src] - recovered[src];
	}
	db_done(st);
	if (rc != DB_DONE)
		return rc;
	if (sum != s->total_fen)
		return err_set(e, ERR_INTERNAL, NULL, "statement %lld: lines sum to %lld, total %lld", (long long)s->id,
			       (long long)sum, (long long)s->total_fen);
	rc = db_query(db, &st, e, "SELECT name FROM providers WHERE id = $1", DB_INT(s->provider_id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW)
		str_copy(provider, db_col_text(st, 0), sizeof provider);
	db_done(st);
	rc = 0;
	for (int src = 0; !rc && src < SOURCE_COUNT; src++) {
		const char *name = fund_source_name((enum fund_source)src);
		struct fund_posting p = {entry_date, "spending", name, -spend[src], "settlement_statement", ref, note};
		int64_t pid = 0;
		if (spend[src]) {
			snprintf(note, sizeof note, "%.4s年%.2s月结算 %s %s（%s）", s->month, s->month + 5, s->number, provider,
				 fund_source_label((enum fund_source)src));
			rc = fund_post(db, a, &p, &pid, e);
			json_array_append_new(postings, json_pack("{s:I, s:s, s:s, s:I}", "posting", (json_int_t)pid, "kind",
								  "spending", "source", name, "amount_fen",
								  (json_int_t)-spend[src]));
		}
		if (!rc && recovered[src]) {
			snprintf(note, sizeof note, "%.4s年%.2s月结算 %s 追回（%s）", s->month, s->month + 5, s->number,
				 fund_source_label((enum fund_source)src));
			p.kind = "recovery";
			p.amount_fen = recovered[src];
			rc = fund_post(db, a, &p, &pid, e);
			json_array_append_new(postings, json_pack("{s:I, s:s, s:s, s:I}", "posting", (json_int_t)pid, "kind",
								  "recovery", "source", name, "amount_fen",
								  (json_int_t)recovered[src]));
		}
		if (!rc && src != SOURCE_FUND && spend[src] - recovered[src]) {
			snprintf(note, sizeof note, "%.4s年%.2s月结算 %s 由%s拨付", s->month, s->month + 5, s->number,
				 fund_source_label((enum fund_source)src));
			p.kind = "income";
			p.amount_fen = spend[src] - recovered[src];
			rc = fund_post(db, a, &p, &pid, e);
			json_array_append_new(postings, json_pack("{s:I, s:s, s:s, s:I}", "posting", (json_int_t)pid, "kind",
								  "income", "source", name, "amount_fen",
								  (json_int_t)p.amount_fen));
		}
	}
	return rc;
}

int settlement_approve(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"entry_date", JX_STRING, JX_NULLABLE, 10, 10},
		{"note", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct statement_row s;
	int64_t changes = 0, now = date_now_unix();
	int32_t today = date_today_cn(), day = today;
	char entry[DATE_STR];
	json_t *postings = json_array();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = settlement_load(db, a, id, &s, e);
	if (!rc && strcmp(s.status, "second_reviewed") != 0)
		rc = settlement_wrong_status(s.status, "审批（须先完成初审和复审）", e);
	if (!rc)
		rc = need_person(a, e);
	if (!rc && jx_str(in, "entry_date")) {
		if (!date_parse(jx_str(in, "entry_date"), &day))
			rc = err_set(e, ERR_INVALID, "entry_date", "记账日期应为YYYY-MM-DD");
		else if (day < s.first || day > today)
			rc = err_set(e, ERR_INVALID, "entry_date", "记账日期应在结算月份的第一天到今天之间");
	}
	if (rc) {
		json_decref(postings);
		return rc;
	}
	date_format(day, entry);
	rc = db_begin(db, e);
	if (!rc)
		rc = post_statement(db, a, &s, entry, postings, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET status = 'approved', approver_id = $1, approved_by = $2,"
			     " approved_at = $3, entry_date = $4, updated_at = $3 WHERE id = $5 AND status = 'second_reviewed'",
			     DB_INT(a->user_id), DB_TEXT(a->username), DB_INT(now), DB_TEXT(entry), DB_INT(id));
	if (!rc)
		rc = moved(changes, e);
	/* the adjustments it carries are settled now */
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE settlement_adjustments SET status = 'settled' WHERE status = 'pending' AND id IN"
			     " (SELECT adjustment_id FROM settlement_lines WHERE statement_id = $1 AND adjustment_id IS NOT NULL)",
			     DB_INT(id));
	if (!rc)
		rc = audit_step(db, a, "settlement.approve", &s, "approved",
				json_pack("{s:s, s:O, s:o}", "entry_date", entry, "postings", postings, "note",
					  jx_str(in, "note") ? json_string(jx_str(in, "note")) : json_null()),
				e);
	json_decref(postings);
	return settlement_finish(db, a, rc, e);
}

int settlement_reopen(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct statement_row s;
	int64_t changes = 0, now = date_now_unix();
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = settlement_load(db, a, id, &s, e);
	if (!rc && strcmp(s.status, "claimed") && strcmp(s.status, "first_reviewed") && strcmp(s.status, "second_reviewed"))
		rc = settlement_wrong_status(s.status, "退回重算（草稿无须退回，已审批的结算单不能更改，更正请做调整）", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET status = 'draft', claimed_at = NULL, claimed_by = NULL,"
			     " first_reviewer_id = NULL, first_reviewed_by = NULL, first_reviewed_at = NULL, first_review_note = NULL,"
			     " second_reviewer_id = NULL, second_reviewed_by = NULL, second_reviewed_at = NULL,"
			     " second_review_note = NULL, reopen_reason = $1, updated_at = $2 WHERE id = $3 AND status = $4",
			     DB_TEXT(jx_str(in, "reason")), DB_INT(now), DB_INT(id), DB_TEXT(s.status));
	if (!rc)
		rc = moved(changes, e);
	if (!rc)
		rc = audit_step(db, a, "settlement.reopen", &s, "draft", json_pack("{s:s}", "reason", jx_str(in, "reason")),
				e);
	return settlement_finish(db, a, rc, e);
}

/* ---- objections ---- */

int settlement_object(struct db *db, struct actor *a, int64_t line_id, const json_t *in, int64_t *oid,
		      struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{"claimed_fen", JX_INT, JX_NULLABLE, -MONEY_MAX_FEN, MONEY_MAX_FEN},
		{NULL, 0, 0, 0, 0},
	};
	struct statement_row s;
	struct db_stmt *st = NULL;
	int64_t statement = 0, item = 0, person = 0, amount = 0;
	char label[200] = "", ids[24];
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT l.statement_id, COALESCE(l.item_id, 0), COALESCE(i.person_id, 0), l.label, l.amount_fen"
			      " FROM settlement_lines l LEFT JOIN settlement_items i ON i.id = l.item_id WHERE l.id = $1",
			      DB_INT(line_id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		statement = db_col_int(st, 0);
		item = db_col_int(st, 1);
		person = db_col_int(st, 2);
		str_copy(label, db_col_text(st, 3), sizeof label);
		amount = db_col_int(st, 4);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "结算单行不存在");
	}
	db_done(st);
	if (!rc && (rc = settlement_load(db, a, statement, &s, e)) == ERR_NOT_FOUND)
		err_set(e, ERR_NOT_FOUND, "id", "结算单行不存在");
	if (!rc && strcmp(s.status, "claimed") != 0)
		rc = settlement_wrong_status(s.status, "提出异议（发布后、初审前可以提出）", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, oid, e,
			    "INSERT INTO settlement_objections (statement_id, line_id, item_id, person_id, line_label,"
			    " line_amount_fen, reason, claimed_fen, status, raised_by, raised_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) RETURNING id",
			    DB_INT(statement), DB_INT(line_id), DB_INT_OR_NULL(item, item), DB_INT_OR_NULL(person, person),
			    DB_TEXT(label), DB_INT(amount), DB_TEXT(jx_str(in, "reason")),
			    DB_INT_OR_NULL(jx_has(in, "claimed_fen") && !json_is_null(json_object_get(in, "claimed_fen")),
					   jx_int(in, "claimed_fen", 0)),
			    DB_TEXT(a->username), DB_INT(date_now_unix()));
	if (!rc) {
		ids_of(*oid, ids);
		detail = json_pack("{s:I, s:I, s:s, s:I}", "statement_id", (json_int_t)statement, "line_id",
				   (json_int_t)line_id, "number", s.number, "line_amount_fen", (json_int_t)amount);
		rc = audit_append(db, a, "settlement.object", "settlement_objection", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return settlement_finish(db, a, rc, e);
}

int settlement_answer(struct db *db, struct actor *a, int64_t objection_id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"decision", JX_STRING, JX_REQUIRED, 1, 16},
		{"answer", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct statement_row s;
	int64_t statement = 0, changes = 0;
	char status[16] = "", ids[24];
	const char *decision = jx_str(in, "decision");
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	if (!rc && strcmp(decision, "accepted") && strcmp(decision, "dismissed"))
		rc = err_set(e, ERR_INVALID, "decision", "答复结论应为accepted（异议成立）或dismissed（异议不成立）");
	if (!rc) {
		struct db_stmt *st = NULL;
		rc = db_query(db, &st, e, "SELECT statement_id, status FROM settlement_objections WHERE id = $1",
			      DB_INT(objection_id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			statement = db_col_int(st, 0);
			str_copy(status, db_col_text(st, 1), sizeof status);
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, "id", "异议不存在");
		}
		db_done(st);
	}
	if (!rc && (rc = settlement_load(db, a, statement, &s, e)) == ERR_NOT_FOUND)
		err_set(e, ERR_NOT_FOUND, "id", "异议不存在");
	if (!rc && strcmp(status, "open") != 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该异议已答复");
	if (!rc && strcmp(s.status, "claimed") && strcmp(s.status, "draft"))
		rc = settlement_wrong_status(s.status, "答复异议", e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_objections SET status = $1, answer = $2, answered_by = $3, answered_at = $4"
			     " WHERE id = $5 AND status = 'open'",
			     DB_TEXT(decision), DB_TEXT(jx_str(in, "answer")), DB_TEXT(a->username), DB_INT(date_now_unix()),
			     DB_INT(objection_id));
	if (!rc && changes != 1)
		rc = err_set(e, ERR_CONFLICT, "status", "该异议已答复");
	if (!rc) {
		ids_of(objection_id, ids);
		detail = json_pack("{s:I, s:s, s:s}", "statement_id", (json_int_t)statement, "number", s.number, "decision",
				   decision);
		rc = audit_append(db, a, "settlement.answer", "settlement_objection", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return settlement_finish(db, a, rc, e);
}

/* ---- adjustments ---- */

int settlement_adjustment_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in,
				 int64_t *id, struct err *e)
{
	static const struct jx_field fields[] = {
		{"month", JX_STRING, JX_REQUIRED, 7, 7},
		{"ref_line_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"plan_id", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"amount_fen", JX_INT, JX_REQUIRED, -MONEY_MAX_FEN, MONEY_MAX_FEN},
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 2, 200},
		{"reference", JX_STRING, JX_REQUIRED, 2, 200},
		{"source", JX_STRING, JX_NULLABLE, 1, 16},
		{"payee", JX_STRING, JX_NULLABLE, 1, 20},
		{NULL, 0, 0, 0, 0},
	};
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	const char *month = jx_str(in, "month");
	int64_t ref_line = jx_int(in, "ref_line_id", 0), plan = jx_int(in, "plan_id", 0), amount = jx_int(in, "amount_fen", 0);
	int64_t provider = 0, person = 0, n = 0;
	int32_t first, last;
	char ref_month[8] = "", ref_status[20] = "", source[16] = "fund", payee[20] = "provider", ids[24], ref_kind[32] = "";
	bool has_item = false;
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	(void)s;
	if (!rc)
		rc = settlement_month_parse(month, "month", &first, &last, e);
	if (!rc && !ref_line == !plan)
		rc = err_set(e, ERR_INVALID, "ref_line_id", "须注明所更正的原结算单行（ref_line_id）或护理计划（plan_id），二者选一");
	if (!rc && amount == 0)
		rc = err_set(e, ERR_INVALID, "amount_fen", "调整金额不能为0");
	if (!rc && jx_str(in, "source") && fund_source_parse(jx_str(in, "source")) < 0)
		rc = err_set(e, ERR_INVALID, "source", "资金来源应为fund、supplementary或assistance");
	if (!rc && jx_str(in, "payee") && settle_payee_parse(jx_str(in, "payee")) < 0)
		rc = err_set(e, ERR_INVALID, "payee", "收款方应为provider、family_caregiver或beneficiary");
	if (rc)
		return rc;
	settlement_visibility(a, &v);
	if (ref_line) {
		/* the line of an approved statement the actor sees, and its beneficiary-month */
		rc = db_query(db, &st, e,
			      "SELECT s.month, s.status, s.provider_id, COALESCE(i.plan_id, 0), COALESCE(i.person_id, 0), l.source,"
			      " l.payee, l.kind, l.item_id IS NOT NULL FROM settlement_lines l"
			      " JOIN settlement_statements s ON s.id = l.statement_id LEFT JOIN settlement_items i ON i.id = l.item_id"
			      " WHERE " SETTLEMENT_VISIBLE " AND l.id = $4",
			      SETTLEMENT_VIS_ARGS(v), DB_INT(ref_line));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			str_copy(ref_month, db_col_text(st, 0), sizeof ref_month);
			str_copy(ref_status, db_col_text(st, 1), sizeof ref_status);
			provider = db_col_int(st, 2);
			plan = db_col_int(st, 3);
			person = db_col_int(st, 4);
			str_copy(source, db_col_text(st, 5), sizeof source);
			str_copy(payee, db_col_text(st, 6), sizeof payee);
			str_copy(ref_kind, db_col_text(st, 7), sizeof ref_kind);
			has_item = db_col_int(st, 8) != 0;
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, "ref_line_id", "原结算单行不存在");
		}
		db_done(st);
		if (!rc && strcmp(ref_status, "approved") && strcmp(ref_status, "paid"))
			rc = err_set(e, ERR_CONFLICT, "ref_line_id",
				     "原结算单尚未审批（当前为“%s”）：审批前的更正请退回重算，不做调整",
				     settlement_status_label(ref_status));
		if (!rc && !has_item)
			rc = err_set(e, ERR_INVALID, "ref_line_id", "质量系数行不对应服务对象，请按护理计划（plan_id）调整");
		if (!rc && strcmp(month, ref_month) <= 0)
			rc = err_set(e, ERR_INVALID, "month", "调整须计入原结算月份（%s）之后的月份", ref_month);
	} else {
		char like[180];
		actor_area_like(a, like, sizeof like);
		rc = db_query(db, &st, e,
			      "SELECT cp.provider_id, cp.person_id FROM care_plans cp WHERE cp.id = $1 AND ($2 = 0 OR"
			      " cp.provider_id = $2) AND ($3 = '' OR cp.provider_id IN (SELECT pv.id FROM providers pv"
			      " JOIN areas ar ON ar.id = pv.area_id WHERE ar.path LIKE $3))",
			      DB_INT(plan), DB_INT(v.provider), DB_TEXT(v.area));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			provider = db_col_int(st, 0);
			person = db_col_int(st, 1);
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, "plan_id", "护理计划不存在");
		}
		db_done(st);
	}
	if (!rc && jx_str(in, "source"))
		str_copy(source, jx_str(in, "source"), sizeof source);
	if (!rc && jx_str(in, "payee"))
		str_copy(payee, jx_str(in, "payee"), sizeof payee);
	/* the carrying statement must still be open to a run */
	if (!rc)
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM settlement_statements WHERE month = $1 AND provider_id = $2 AND status <> 'draft'",
			    DB_TEXT(month), DB_INT(provider));
	if (!rc && n)
		rc = err_set(e, ERR_CONFLICT, "month", "该机构%s的结算单已发布，调整请计入以后的月份", month);
	if (!rc)
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM settlement_adjustments WHERE month = $1 AND plan_id = $2 AND status = 'pending'",
			    DB_TEXT(month), DB_INT(plan));
	if (!rc && n >= LIMIT_SETTLE_ADJUSTMENTS)
		rc = err_set(e, ERR_CONFLICT, "month", "该服务对象%s已有%d项调整，请计入以后的月份", month,
			     LIMIT_SETTLE_ADJUSTMENTS);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO settlement_adjustments (month, provider_id, plan_id, person_id, source, payee, amount_fen,"
			    " reason, reference, ref_line_id, status, created_by, created_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12) RETURNING id",
			    DB_TEXT(month), DB_INT(provider), DB_INT(plan), DB_INT(person), DB_TEXT(source), DB_TEXT(payee),
			    DB_INT(amount), DB_TEXT(jx_str(in, "reason")), DB_TEXT(jx_str(in, "reference")),
			    DB_INT_OR_NULL(ref_line, ref_line), DB_TEXT(a->username), DB_INT(date_now_unix()));
	if (!rc) {
		ids_of(*id, ids);
		detail = json_pack("{s:s, s:I, s:I, s:o, s:s, s:s, s:I, s:s, s:s}", "month", month, "provider_id",
				   (json_int_t)provider, "plan_id", (json_int_t)plan, "ref_line_id",
				   ref_line ? json_integer(ref_line) : json_null(), "source", source, "payee", payee, "amount_fen",
				   (json_int_t)amount, "reason", jx_str(in, "reason"), "reference", jx_str(in, "reference"));
		rc = audit_append(db, a, "settlement.adjustment", "settlement_adjustment", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return settlement_finish(db, a, rc, e);
}

int settlement_adjustment_cancel(struct db *db, struct actor *a, int64_t id, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	int64_t provider = 0, n = 0, changes = 0;
	char month[8] = "", status[16] = "", ids[24];
	int rc;

	settlement_visibility(a, &v);
	rc = db_query(db, &st, e,
		      "SELECT x.month, x.provider_id, x.status FROM settlement_adjustments x WHERE x.id = $1"
		      " AND ($2 = 0 OR x.provider_id = $2) AND ($3 = '' OR x.provider_id IN (SELECT pv.id FROM providers pv"
		      " JOIN areas ar ON ar.id = pv.area_id WHERE ar.path LIKE $3))",
		      DB_INT(id), DB_INT(v.provider), DB_TEXT(v.area));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		str_copy(month, db_col_text(st, 0), sizeof month);
		provider = db_col_int(st, 1);
		str_copy(status, db_col_text(st, 2), sizeof status);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "调整项不存在");
	}
	db_done(st);
	if (!rc && strcmp(status, "pending") != 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该调整项已%s，不能撤销", strcmp(status, "settled") == 0 ? "结算" : "撤销");
	if (!rc)
		rc = db_int(db, &n, e,
			    "SELECT COUNT(*) FROM settlement_statements WHERE month = $1 AND provider_id = $2 AND status <> 'draft'",
			    DB_TEXT(month), DB_INT(provider));
	if (!rc && n)
		rc = err_set(e, ERR_CONFLICT, "status", "该调整项所在月份的结算单已发布，不能撤销");
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_adjustments SET status = 'cancelled', cancelled_by = $1, cancelled_at = $2"
			     " WHERE id = $3 AND status = 'pending'",
			     DB_TEXT(a->username), DB_INT(date_now_unix()), DB_INT(id));
	if (!rc && changes != 1)
		rc = err_set(e, ERR_CONFLICT, "status", "该调整项已不是待结算状态");
	if (!rc) {
		ids_of(id, ids);
		rc = audit_append(db, a, "settlement.adjustment_cancel", "settlement_adjustment", ids, AUDIT_OK, NULL, e);
	}
	return settlement_finish(db, a, rc, e);
}

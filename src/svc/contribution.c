/* contribution.c: the yearly contribution run (see contribution.h). Persons are processed in id ranges: their
 * enrolments and existing contribution rows are read range by range, compared, and only the differences written. */
#include "svc/contribution.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/mem.h"
#include "base/str.h"
#include "rules/contribution.h"
#include "svc/audit.h"
#include "svc/fund.h"

#define ID_RANGE 20000

struct due {
	bool due;
	int category;
	bool assistance, sponsored;
};

/* One enrolment row of the person being read. */
struct enr {
	int32_t from;
	int category;
	bool assistance, sponsored, active;
};

/* Decide from a person's enrolments (ascending by effective_from, then id) whether they are due for the year
 * [start, end], and with which category and flags. death: 0 if alive. */
static struct due decide(const struct enr *rows, int n, int32_t start, int32_t end, int32_t death)
{
	struct due d = {0};
	int i = 0;

	if (death && death < start)
		return d;
	/* the record in force on the first day of the year: the last one starting on or before it */
	while (i < n && rows[i].from <= start)
		i++;
	if (i > 0 && rows[i - 1].active) {
		d.due = true;
		d.category = rows[i - 1].category;
		d.assistance = rows[i - 1].assistance;
		d.sponsored = rows[i - 1].sponsored;
		return d;
	}
	/* later in the year: at each start date the last record of that date is in force */
	for (; i < n && rows[i].from <= end; i++) {
		if (i + 1 < n && rows[i + 1].from == rows[i].from)
			continue;
		if (death && rows[i].from > death)
			break;
		if (rows[i].active) {
			d.due = true;
			d.category = rows[i].category;
			d.assistance = rows[i].assistance;
			d.sponsored = rows[i].sponsored;
			return d;
		}
	}
	return d;
}

struct existing {
	int64_t amount[PAYER_COUNT];
	bool present[PAYER_COUNT];
};

/* Upserts gathered and written as multi-row INSERTs: one statement per ROWS_PER_INSERT rows. */
#define ROWS_PER_INSERT 200

struct pending {
	int64_t person[ROWS_PER_INSERT];
	int payer[ROWS_PER_INSERT];
	int64_t amount[ROWS_PER_INSERT];
	int category[ROWS_PER_INSERT];
	int n;
	char *sql_full;   /* the statement for a full batch, built once */
};

static char *upsert_sql(int rows)
{
	struct buf b;

	buf_init(&b, 64 * 1024);
	buf_puts(&b, "INSERT INTO contributions (person_id, year, payer, amount_fen, category, computed_at) VALUES ");
	for (int i = 0; i < rows; i++)
		buf_printf(&b, "%s($%d, $%d, $%d, $%d, $%d, $%d)", i ? ", " : "", i * 6 + 1, i * 6 + 2, i * 6 + 3,
			   i * 6 + 4, i * 6 + 5, i * 6 + 6);
	buf_puts(&b, " ON CONFLICT (year, person_id, payer) DO UPDATE SET amount_fen = excluded.amount_fen,"
		     " category = excluded.category, computed_at = excluded.computed_at");
	return buf_steal(&b);
}

static int pending_flush(struct db *db, struct pending *pd, int year, int64_t now, struct err *e)
{
	struct db_val *v;
	char *sql;
	int rc;

	if (!pd->n)
		return 0;
	v = xmalloc(sizeof *v * (size_t)pd->n * 6);
	for (int i = 0; i < pd->n; i++) {
		v[i * 6] = DB_INT(pd->person[i]);
		v[i * 6 + 1] = DB_INT(year);
		v[i * 6 + 2] = DB_TEXT(payer_name((enum payer)pd->payer[i]));
		v[i * 6 + 3] = DB_INT(pd->amount[i]);
		v[i * 6 + 4] = DB_TEXT(category_name(pd->category[i]));
		v[i * 6 + 5] = DB_INT(now);
	}
	if (pd->n == ROWS_PER_INSERT) {
		if (!pd->sql_full)
			pd->sql_full = upsert_sql(ROWS_PER_INSERT);
		sql = pd->sql_full;
	} else {
		sql = upsert_sql(pd->n);
	}
	rc = db_exec_v(db, NULL, e, sql, v, pd->n * 6);
	if (sql != pd->sql_full)
		free(sql);
	free(v);
	pd->n = 0;
	return rc;
}

static int apply_person(struct db *db, const struct scheme *s, int year, int64_t person, const struct due *d,
			const struct existing *ex, int64_t now, struct pending *pd, struct contribution_result *r,
			struct err *e)
{
	int64_t want[PAYER_COUNT] = {0};
	int rc = 0;

	if (d->due) {
		if (!contribution_shares(&s->contributions, d->category, d->assistance, d->sponsored, want))
			return err_set(e, ERR_INVALID, "scheme", "保障方案没有%s的筹资规则", category_name(d->category));
		r->persons_due++;
	}
	for (int p = 0; p < PAYER_COUNT && !rc; p++) {
		r->total_fen[p] += want[p];
		if (want[p] == (ex->present[p] ? ex->amount[p] : 0) && (want[p] != 0) == ex->present[p])
			continue;
		r->delta_fen[p] += want[p] - (ex->present[p] ? ex->amount[p] : 0);
		if (want[p] == 0) {
			rc = db_exec(db, NULL, e, "DELETE FROM contributions WHERE person_id = $1 AND year = $2 AND payer = $3",
				     DB_INT(person), DB_INT(year), DB_TEXT(payer_name((enum payer)p)));
			r->rows_deleted++;
		} else {
			pd->person[pd->n] = person;
			pd->payer[pd->n] = p;
			pd->amount[pd->n] = want[p];
			pd->category[pd->n] = d->category;
			if (++pd->n == ROWS_PER_INSERT)
				rc = pending_flush(db, pd, year, now, e);
			if (ex->present[p])
				r->rows_updated++;
			else
				r->rows_inserted++;
		}
	}
	return rc;
}

struct existing_row {
	int64_t person;
	int payer;
	int64_t amount;
};

/* Gather the existing rows of one person from the sorted array, advancing *i. */
static void take_existing(const struct existing_row *rows, size_t n, size_t *i, int64_t person, struct existing *ex)
{
	memset(ex, 0, sizeof *ex);
	for (; *i < n && rows[*i].person == person; (*i)++) {
		ex->present[rows[*i].payer] = true;
		ex->amount[rows[*i].payer] = rows[*i].amount;
	}
}

/* Read the existing rows of persons (lo, hi] (all of them first: the range is then written to), then the
 * enrolments, and apply the differences person by person. */
static int run_range(struct db *db, const struct scheme *s, int year, int64_t lo, int64_t hi, int32_t start,
		     int32_t end, int64_t now, struct pending *pd, struct contribution_result *r, struct err *e)
{
	struct db_stmt *st = NULL;
	struct existing_row *old = NULL;
	size_t nold = 0, cap = 0, oi = 0;
	struct existing ex;
	struct due d;
	char end_s[DATE_STR];
	struct enr rows[64];
	int n = 0, rc;
	int64_t cur = 0;
	int32_t cur_death = 0;

	rc = db_query(db, &st, e,
		      "SELECT person_id, payer, amount_fen FROM contributions WHERE year = $1 AND person_id > $2"
		      " AND person_id <= $3 ORDER BY person_id",
		      DB_INT(year), DB_INT(lo), DB_INT(hi));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		int p = payer_parse(db_col_text(st, 1));
		rc = 0;
		if (p < 0)
			continue;
		if (nold == cap) {
			cap = cap ? cap * 2 : 1024;
			old = xrealloc(old, cap * sizeof *old);
		}
		old[nold++] = (struct existing_row){db_col_int(st, 0), p, db_col_int(st, 2)};
	}
	db_done(st);
	st = NULL;
	if (rc != DB_DONE && rc != 0)
		goto out;

	date_format(end, end_s);
	rc = db_query(db, &st, e,
		      "SELECT p.id, p.death_date, e.category, e.assistance, e.sponsored, e.status, e.effective_from"
		      " FROM persons p JOIN enrolments e ON e.person_id = p.id"
		      " WHERE p.id > $1 AND p.id <= $2 AND e.effective_from <= $3 ORDER BY p.id, e.effective_from, e.id",
		      DB_INT(lo), DB_INT(hi), DB_TEXT(end_s));
	if (rc)
		goto out;
	for (;;) {
		int erc = db_step(st, e);
		int64_t person = 0;
		if (erc != DB_ROW && erc != DB_DONE) {
			rc = erc;
			goto out;
		}
		if (erc == DB_ROW)
			person = db_col_int(st, 0);
		if (cur && (erc == DB_DONE || person != cur)) {
			/* persons before this one with rows but no enrolment in force: no longer due */
			while (oi < nold && old[oi].person < cur) {
				int64_t orphan = old[oi].person;
				take_existing(old, nold, &oi, orphan, &ex);
				d = (struct due){0};
				if ((rc = apply_person(db, s, year, orphan, &d, &ex, now, pd, r, e)))
					goto out;
			}
			take_existing(old, nold, &oi, cur, &ex);
			d = decide(rows, n, start, end, cur_death);
			if ((rc = apply_person(db, s, year, cur, &d, &ex, now, pd, r, e)))
				goto out;
			n = 0;
		}
		if (erc == DB_DONE)
			break;
		if (person != cur) {
			int32_t death = 0;
			cur = person;
			cur_death = db_col_text(st, 1) && date_parse(db_col_text(st, 1), &death) ? death : 0;
		}
		if (n == (int)(sizeof rows / sizeof rows[0])) {
			/* an unusually long history: keep the latest records */
			memmove(rows, rows + 1, sizeof rows - sizeof rows[0]);
			n--;
		}
		rows[n].from = 0;
		date_parse(db_col_text(st, 6), &rows[n].from);
		rows[n].category = category_parse(db_col_text(st, 2));
		rows[n].assistance = db_col_int(st, 3) != 0;
		rows[n].sponsored = db_col_int(st, 4) != 0;
		rows[n].active = strcmp(db_col_text(st, 5), "active") == 0;
		n++;
	}
	db_done(st);
	st = NULL;
	/* persons after the last enrolment with rows left */
	while (oi < nold) {
		int64_t orphan = old[oi].person;
		take_existing(old, nold, &oi, orphan, &ex);
		d = (struct due){0};
		if ((rc = apply_person(db, s, year, orphan, &d, &ex, now, pd, r, e)))
			goto out;
	}
	rc = pending_flush(db, pd, year, now, e);
out:
	db_done(st);
	free(old);
	return rc;
}

int contribution_run(struct db *db, const struct scheme *s, struct actor *a, int year, const char *entry_date,
		     struct contribution_result *r, struct err *e)
{
	int32_t start, end, today = date_today_cn(), day;
	int64_t max_id = 0, now = date_now_unix();
	struct pending *pd;
	char ref[16];
	json_t *detail;
	int rc;

	memset(r, 0, sizeof *r);
	db_bulk_mode(db);
	r->year = year;
	if (year < 1990 || year > 2199)
		return err_set(e, ERR_INVALID, "year", "年度应在1990到2199之间");
	if (!s->contributions.defined)
		return err_set(e, ERR_INVALID, "scheme", "保障方案（%s）未规定筹资标准，不能核定缴费", s->id);
	start = date_from_ymd(year, 1, 1);
	end = date_from_ymd(year, 12, 31);
	if (entry_date) {
		if (!date_parse(entry_date, &day))
			return err_set(e, ERR_INVALID, "entry_date", "记账日期应为YYYY-MM-DD");
		/* the year's income is booked in that year, so the year's summary is the year's contributions */
		if (day < start || day > end)
			return err_set(e, ERR_INVALID, "entry_date", "记账日期应在%d年内", year);
	} else {
		day = today < start ? start : today > end ? end : today;
	}
	date_format(day, r->entry_date);
	rc = db_begin(db, e);
	if (rc)
		return rc;
	rc = db_int0(db, &max_id, e, "SELECT COALESCE(MAX(id), 0) FROM persons");
	pd = xcalloc(1, sizeof *pd);
	for (int64_t lo = 0; !rc && lo < max_id; lo += ID_RANGE)
		rc = run_range(db, s, year, lo, lo + ID_RANGE, start, end, now, pd, r, e);
	free(pd->sql_full);
	free(pd);
	snprintf(ref, sizeof ref, "%d", year);
	for (int p = 0; p < PAYER_COUNT && !rc; p++) {
		char note[64];
		struct fund_posting post = {r->entry_date, "income", payer_name((enum payer)p), r->delta_fen[p],
					    "contribution_year", ref, note};
		if (!r->delta_fen[p])
			continue;
		snprintf(note, sizeof note, "%d年度筹资%s", year, r->delta_fen[p] < 0 ? "调减" : "");
		rc = fund_post(db, a, &post, NULL, e);
	}
	if (!rc) {
		detail = contribution_result_json(r);
		rc = audit_append(db, a, "contributions.run", "contribution_year", ref, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

json_t *contribution_result_json(const struct contribution_result *r)
{
	json_t *totals = json_object(), *deltas = json_object();
	int64_t total = 0, delta = 0;

	for (int p = 0; p < PAYER_COUNT; p++) {
		json_object_set_new(totals, payer_name((enum payer)p), json_integer(r->total_fen[p]));
		json_object_set_new(deltas, payer_name((enum payer)p), json_integer(r->delta_fen[p]));
		total += r->total_fen[p];
		delta += r->delta_fen[p];
	}
	return json_pack("{s:i, s:s, s:I, s:I, s:I, s:I, s:o, s:o, s:I, s:I}", "year", r->year, "entry_date",
			 r->entry_date, "persons_due", (json_int_t)r->persons_due, "rows_inserted",
			 (json_int_t)r->rows_inserted, "rows_updated", (json_int_t)r->rows_updated, "rows_deleted",
			 (json_int_t)r->rows_deleted, "total_fen", totals, "posted_fen", deltas, "total", (json_int_t)total,
			 "posted", (json_int_t)delta);
}

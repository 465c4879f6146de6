/* settlement_export.c: paying approved statements (settlement.h): a payment export gathers a month's approved
 * statements, its files are an .xlsx for the accountants (libxlsxwriter: a summary per provider and a sheet by funding
 * source) and a CSV bank file (one transfer per provider), and the bank's confirmation marks it and its statements
 * paid. A statement's own spreadsheet (its beneficiary-months and lines) serves the provider's finance officer.
 * Amounts are exact fen in the database; the files show yuan with two decimals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/money.h"
#include "base/str.h"
#include "rules/settle.h"
#include "svc/audit.h"
#include "svc/rows.h"
#include "svc/settlement.h"
#include "svc/settlement_internal.h"

static void ids_of(int64_t id, char out[24])
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* ---- payments ---- */

/* Payments the actor sees: those holding a statement it sees. */
#define PAYMENT_VISIBLE                                                                                            \
	" EXISTS (SELECT 1 FROM settlement_statements s WHERE s.payment_id = p.id AND " SETTLEMENT_VISIBLE ")"

static json_t *payment_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:i, s:I, s:s, s:I, s:o, s:o, s:o, s:o}", "id",
			 (json_int_t)db_col_int(st, 0), "month", db_col_text(st, 1), "number", db_col_text(st, 2), "status",
			 db_col_text(st, 3), "statements", (int)db_col_int(st, 4), "total_fen", (json_int_t)db_col_int(st, 5),
			 "created_by", db_col_text(st, 6), "created_at", (json_int_t)db_col_int(st, 7), "paid_on",
			 jx_str_or_null(db_col_text(st, 8)), "bank_reference", jx_str_or_null(db_col_text(st, 9)),
			 "paid_by", jx_str_or_null(db_col_text(st, 10)),
			 "paid_at", db_col_null(st, 11) ? json_null() : json_integer(db_col_int(st, 11)));
}

#define PAYMENT_COLS                                                                                               \
	"p.id, p.month, p.number, p.status, p.statements, p.total_fen, p.created_by, p.created_at, p.paid_on,"        \
	" p.bank_reference, p.paid_by, p.paid_at"

int settlement_payment_create(struct db *db, struct actor *a, const json_t *in, int64_t *id, struct err *e)
{
	static const struct jx_field fields[] = {
		{"month", JX_STRING, JX_REQUIRED, 7, 7},
		{NULL, 0, 0, 0, 0},
	};
	struct settlement_vis v;
	const char *month = jx_str(in, "month");
	int64_t n = 0, total = 0, seq = 0, changes = 0;
	int32_t first, last;
	char number[32], ids[24];
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = settlement_month_parse(month, "month", &first, &last, e);
	if (rc)
		return rc;
	settlement_visibility(a, &v);
#define WAITING                                                                                                    \
	" FROM settlement_statements s WHERE " SETTLEMENT_VISIBLE " AND s.month = $4 AND s.status = 'approved'"       \
	" AND s.payment_id IS NULL AND s.total_fen >= 0"
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, &n, e, "SELECT COUNT(*)" WAITING, SETTLEMENT_VIS_ARGS(v), DB_TEXT(month));
	if (!rc && !n)
		rc = err_set(e, ERR_CONFLICT, "month", "%s没有待支付的已审批结算单", month);
	if (!rc)
		rc = db_int(db, &total, e, "SELECT COALESCE(SUM(s.total_fen), 0)" WAITING, SETTLEMENT_VIS_ARGS(v),
			    DB_TEXT(month));
	if (!rc)
		rc = db_int(db, &seq, e, "SELECT COUNT(*) + 1 FROM settlement_payments WHERE month = $1", DB_TEXT(month));
	snprintf(number, sizeof number, "ZF%.4s%.2s-%02lld", month, month + 5, (long long)seq);
	if (!rc)
		rc = db_int(db, id, e,
			    "INSERT INTO settlement_payments (month, number, status, statements, total_fen, created_by, created_at)"
			    " VALUES ($1, $2, 'exported', $3, $4, $5, $6) RETURNING id",
			    DB_TEXT(month), DB_TEXT(number), DB_INT(n), DB_INT(total), DB_TEXT(a->username),
			    DB_INT(date_now_unix()));
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET payment_id = $5, updated_at = $6 WHERE id IN (SELECT s.id" WAITING ")",
			     SETTLEMENT_VIS_ARGS(v), DB_TEXT(month), DB_INT(*id), DB_INT(date_now_unix()));
#undef WAITING
	if (!rc && changes != n)
		rc = err_set(e, ERR_CONFLICT, "month", "结算单状态已被他人更改，请重试");
	if (!rc) {
		ids_of(*id, ids);
		detail = json_pack("{s:s, s:s, s:I, s:I}", "month", month, "number", number, "statements", (json_int_t)n,
				   "total_fen", (json_int_t)total);
		rc = audit_append(db, a, "settlement.payment", "settlement_payment", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return settlement_finish(db, a, rc, e);
}

int settlement_payment_list(struct db *db, const struct actor *a, const char *month, json_t **out, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *items = json_array();
	int32_t first, last;
	int rc = 0;

	if (month && *month)
		rc = settlement_month_parse(month, "month", &first, &last, e);
	settlement_visibility(a, &v);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT " PAYMENT_COLS " FROM settlement_payments p WHERE" PAYMENT_VISIBLE
			      " AND ($4 = '' OR p.month = $4) ORDER BY p.id DESC LIMIT $5",
			      SETTLEMENT_VIS_ARGS(v), DB_TEXT(month ? month : ""), DB_INT(LIMIT_SETTLE_LIST));
	if (!rc)
		rc = rows_collect(st, items, payment_row, e);
	if (rc) {
		json_decref(items);
		return rc;
	}
	*out = json_pack("{s:o}", "items", items);
	return 0;
}

static json_t *payment_statement_row(struct db_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:{s:I, s:s, s:s, s:o, s:o, s:s}, s:i, s:I, s:{s:I, s:I, s:I},"
			 " s:{s:I, s:I, s:I}}",
			 "statement_id", (json_int_t)db_col_int(st, 0), "number", db_col_text(st, 1), "status",
			 db_col_text(st, 2), "provider", "id", (json_int_t)db_col_int(st, 3), "code", db_col_text(st, 4),
			 "name", db_col_text(st, 5), "bank_name", jx_str_or_null(db_col_text(st, 6)), "bank_account",
			 jx_str_or_null(db_col_text(st, 7)), "account_name",
			 db_col_text(st, 8) ? db_col_text(st, 8) : db_col_text(st, 5), "beneficiaries",
			 (int)db_col_int(st, 9), "total_fen", (json_int_t)db_col_int(st, 10), "by_source", "fund",
			 (json_int_t)db_col_int(st, 11), "supplementary", (json_int_t)db_col_int(st, 12), "assistance",
			 (json_int_t)db_col_int(st, 13), "by_payee", "provider", (json_int_t)db_col_int(st, 14),
			 "family_caregiver", (json_int_t)db_col_int(st, 15), "beneficiary", (json_int_t)db_col_int(st, 16));
}

#define PAYMENT_STATEMENT_COLS                                                                                     \
	"s.id, s.number, s.status, pv.id, pv.code, pv.name, pv.bank_name, pv.bank_account, pv.account_name,"          \
	" s.beneficiaries, s.total_fen, s.fund_fen, s.supplementary_fen, s.assistance_fen, s.provider_fen,"           \
	" s.family_fen, s.beneficiary_fen"

int settlement_payment_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	struct settlement_vis v;
	struct db_stmt *st = NULL;
	json_t *o = NULL, *items = json_array();
	int rc;

	settlement_visibility(a, &v);
	rc = db_query(db, &st, e, "SELECT " PAYMENT_COLS " FROM settlement_payments p WHERE" PAYMENT_VISIBLE " AND p.id = $4",
		      SETTLEMENT_VIS_ARGS(v), DB_INT(id));
	if (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		o = payment_row(st);
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "支付批次不存在");
	}
	db_done(st);
	if (!rc)
		rc = db_query(db, &st, e,
			      "SELECT " PAYMENT_STATEMENT_COLS " FROM settlement_statements s JOIN providers pv ON pv.id = s.provider_id"
			      " WHERE " SETTLEMENT_VISIBLE " AND s.payment_id = $4 ORDER BY pv.code",
			      SETTLEMENT_VIS_ARGS(v), DB_INT(id));
	if (!rc)
		rc = rows_collect(st, items, payment_statement_row, e);
	if (rc) {
		json_decref(o);
		json_decref(items);
		return rc;
	}
	json_object_set_new(o, "items", items);
	*out = o;
	return 0;
}

int settlement_payment_paid(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"paid_on", JX_STRING, JX_REQUIRED, 10, 10},
		{"bank_reference", JX_STRING, JX_REQUIRED, 1, 64},
		{NULL, 0, 0, 0, 0},
	};
	json_t *p = NULL;
	int32_t day;
	int64_t changes = 0, now = date_now_unix();
	char ids[24];
	json_t *detail;
	int rc = jx_check(in, fields, "", e);

	if (!rc && !date_parse(jx_str(in, "paid_on"), &day))
		rc = err_set(e, ERR_INVALID, "paid_on", "支付日期应为YYYY-MM-DD");
	if (!rc && day > date_today_cn())
		rc = err_set(e, ERR_INVALID, "paid_on", "支付日期不能晚于今天");
	if (!rc)
		rc = settlement_payment_get(db, a, id, &p, e);
	if (!rc && strcmp(json_string_value(json_object_get(p, "status")), "exported") != 0)
		rc = err_set(e, ERR_CONFLICT, "status", "该支付批次已确认支付");
	if (!rc && day < date_of_unix_cn(json_integer_value(json_object_get(p, "created_at"))))
		rc = err_set(e, ERR_INVALID, "paid_on", "支付日期不能早于导出日期");
	json_decref(p);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_payments SET status = 'paid', paid_on = $1, bank_reference = $2, paid_by = $3,"
			     " paid_at = $4 WHERE id = $5 AND status = 'exported'",
			     DB_TEXT(jx_str(in, "paid_on")), DB_TEXT(jx_str(in, "bank_reference")), DB_TEXT(a->username),
			     DB_INT(now), DB_INT(id));
	if (!rc && changes != 1)
		rc = err_set(e, ERR_CONFLICT, "status", "该支付批次已确认支付");
	if (!rc)
		rc = db_exec(db, &changes, e,
			     "UPDATE settlement_statements SET status = 'paid', paid_at = $1, paid_by = $2, updated_at = $1"
			     " WHERE payment_id = $3 AND status = 'approved'",
			     DB_INT(now), DB_TEXT(a->username), DB_INT(id));
	if (!rc) {
		ids_of(id, ids);
		detail = json_pack("{s:s, s:s, s:I}", "paid_on", jx_str(in, "paid_on"), "bank_reference",
				   jx_str(in, "bank_reference"), "statements", (json_int_t)changes);
		rc = audit_append(db, a, "settlement.paid", "settlement_payment", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return settlement_finish(db, a, rc, e);
}

/* ---- files ---- */

static double yuan(int64_t fen)
{
	return (double)fen / 100.0; /* for display in a cell; every figure stays exact fen in the database */
}

/* A new empty file in dir (created if missing) with suffix: its name in path. */
static int temp_file(const char *dir, const char *suffix, char *path, size_t size, struct err *e)
{
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return err_set(e, ERR_INTERNAL, NULL, "cannot create %s: %s", dir, strerror(errno));
	snprintf(path, size, "%s/.settlement-XXXXXX%s", dir, suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, NULL, "cannot create a temporary file in %s: %s", dir, strerror(errno));
	close(fd);
	return 0;
}

static int audit_read(struct db *db, struct actor *a, const char *action, const char *type, int64_t id,
		      const char *format, struct err *e)
{
	char ids[24];
	json_t *detail = json_pack("{s:s}", "format", format);
	int rc = db_begin(db, e);

	ids_of(id, ids);
	if (!rc)
		rc = audit_append(db, a, action, type, ids, AUDIT_OK, detail, e);
	json_decref(detail);
	return settlement_finish(db, a, rc, e);
}

struct formats {
	lxw_format *title, *head, *money, *money_bold, *bold;
};

static void make_formats(lxw_workbook *wb, struct formats *f)
{
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_bg_color(f->head, 0xDDEBF7);
	format_set_border(f->head, LXW_BORDER_THIN);
	format_set_text_wrap(f->head);
	f->money = workbook_add_format(wb);
	format_set_num_format(f->money, "#,##0.00");
	f->money_bold = workbook_add_format(wb);
	format_set_num_format(f->money_bold, "#,##0.00");
	format_set_bold(f->money_bold);
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
}

static void heads(lxw_worksheet *ws, int row, const char *const *names, lxw_format *fmt)
{
	for (int c = 0; names[c]; c++)
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)c, names[c], fmt);
}

static int payment_xlsx(const char *path, const char *dir, const json_t *p, struct err *e)
{
	static const char *const summary_heads[] = {"序号", "机构编码", "护理机构", "开户银行", "银行账号", "户名",
						    "结算单号", "服务对象（人）", "长护险基金（元）", "补充保险（元）",
						    "社会救助（元）", "其中亲情护理补贴（元）", "应付合计（元）", NULL};
	static const char *const source_heads[] = {"资金来源", "结算单数", "金额（元）", NULL};
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir, .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws, *ws2;
	struct formats f;
	const json_t *items = json_object_get(p, "items"), *it;
	int64_t sums[SOURCE_COUNT] = {0}, family = 0, total = 0, benef = 0;
	char title[160];
	size_t i;
	int row;

	if (!wb)
		return err_set(e, ERR_INTERNAL, NULL, "cannot create the workbook");
	make_formats(wb, &f);
	ws = workbook_add_worksheet(wb, "付款汇总");
	ws2 = workbook_add_worksheet(wb, "按资金来源");
	snprintf(title, sizeof title, "长期护理保险%.4s年%.2s月结算付款汇总表（批次%s）",
		 json_string_value(json_object_get(p, "month")), json_string_value(json_object_get(p, "month")) + 5,
		 json_string_value(json_object_get(p, "number")));
	worksheet_write_string(ws, 0, 0, title, f.title);
	heads(ws, 2, summary_heads, f.head);
	worksheet_set_column(ws, 0, 1, 9, NULL);
	worksheet_set_column(ws, 2, 2, 34, NULL);
	worksheet_set_column(ws, 3, 5, 22, NULL);
	worksheet_set_column(ws, 6, 6, 18, NULL);
	worksheet_set_column(ws, 7, 12, 15, NULL);
	row = 3;
	json_array_foreach(items, i, it) {
		const json_t *pv = json_object_get(it, "provider"), *bs = json_object_get(it, "by_source");
		const char *bank = json_string_value(json_object_get(pv, "bank_name"));
		const char *acct = json_string_value(json_object_get(pv, "bank_account"));
		int64_t t = json_integer_value(json_object_get(it, "total_fen"));
		int64_t fam = json_integer_value(json_object_get(json_object_get(it, "by_payee"), "family_caregiver"));
		worksheet_write_number(ws, (lxw_row_t)row, 0, (double)(i + 1), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 1, json_string_value(json_object_get(pv, "code")), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 2, json_string_value(json_object_get(pv, "name")), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 3, bank ? bank : "（未登记）", NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 4, acct ? acct : "（未登记）", NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 5, json_string_value(json_object_get(pv, "account_name")), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 6, json_string_value(json_object_get(it, "number")), NULL);
		worksheet_write_number(ws, (lxw_row_t)row, 7, (double)json_integer_value(json_object_get(it, "beneficiaries")),
				       NULL);
		for (int s = 0; s < SOURCE_COUNT; s++) {
			int64_t v = json_integer_value(json_object_get(bs, fund_source_name((enum fund_source)s)));
			sums[s] += v;
			worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(8 + s), yuan(v), f.money);
		}
		worksheet_write_number(ws, (lxw_row_t)row, 11, yuan(fam), f.money);
		worksheet_write_number(ws, (lxw_row_t)row, 12, yuan(t), f.money_bold);
		family += fam;
		total += t;
		benef += json_integer_value(json_object_get(it, "beneficiaries"));
		row++;
	}
	worksheet_write_string(ws, (lxw_row_t)row, 2, "合计", f.bold);
	worksheet_write_number(ws, (lxw_row_t)row, 7, (double)benef, f.bold);
	for (int s = 0; s < SOURCE_COUNT; s++)
		worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(8 + s), yuan(sums[s]), f.money_bold);
	worksheet_write_number(ws, (lxw_row_t)row, 11, yuan(family), f.money_bold);
	worksheet_write_number(ws, (lxw_row_t)row, 12, yuan(total), f.money_bold);
	worksheet_write_string(ws, (lxw_row_t)row + 2, 0,
			       "说明：金额按分精确计算；亲情护理补贴由护理机构代发给亲情护理员；补充保险、社会救助部分由其出资方拨付。",
			       NULL);
	worksheet_freeze_panes(ws, 3, 0);
	worksheet_write_string(ws2, 0, 0, title, f.title);
	heads(ws2, 2, source_heads, f.head);
	worksheet_set_column(ws2, 0, 0, 20, NULL);
	worksheet_set_column(ws2, 1, 2, 16, NULL);
	for (int s = 0; s < SOURCE_COUNT; s++) {
		worksheet_write_string(ws2, (lxw_row_t)(3 + s), 0, fund_source_label((enum fund_source)s), NULL);
		worksheet_write_number(ws2, (lxw_row_t)(3 + s), 1, (double)json_array_size(items), NULL);
		worksheet_write_number(ws2, (lxw_row_t)(3 + s), 2, yuan(sums[s]), f.money);
	}
	worksheet_write_string(ws2, 3 + SOURCE_COUNT, 0, "合计", f.bold);
	worksheet_write_number(ws2, 3 + SOURCE_COUNT, 2, yuan(total), f.money_bold);
	if (workbook_close(wb) != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, NULL, "cannot write the workbook");
	return 0;
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void csv_field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

/* The bank file: UTF-8 with a byte-order mark (Excel and most bank portals read it), CRLF, one transfer per provider
 * with a positive total; amounts in yuan with two decimals, no grouping. */
static int payment_csv(const char *path, const json_t *p, struct err *e)
{
	FILE *f = fopen(path, "w");
	const json_t *items = json_object_get(p, "items"), *it;
	int n = 0;
	size_t i;

	if (!f)
		return err_set(e, ERR_INTERNAL, NULL, "cannot write the bank file");
	fputs("\xEF\xBB\xBF", f);
	fputs("序号,收款账号,收款户名,开户银行,金额,用途,结算单号,机构编码\r\n", f);
	json_array_foreach(items, i, it) {
		const json_t *pv = json_object_get(it, "provider");
		const char *acct = json_string_value(json_object_get(pv, "bank_account"));
		const char *bank = json_string_value(json_object_get(pv, "bank_name"));
		int64_t t = json_integer_value(json_object_get(it, "total_fen"));
		char amount[32], seq[16], purpose[80];
		if (t <= 0)
			continue;
		money_format(t, false, amount, sizeof amount);
		snprintf(seq, sizeof seq, "%d", ++n);
		snprintf(purpose, sizeof purpose, "长护险%.4s年%.2s月结算款", json_string_value(json_object_get(p, "month")),
			 json_string_value(json_object_get(p, "month")) + 5);
		csv_field(f, seq, false);
		csv_field(f, acct ? acct : "", false);
		csv_field(f, json_string_value(json_object_get(pv, "account_name")), false);
		csv_field(f, bank ? bank : "", false);
		csv_field(f, amount, false);
		csv_field(f, purpose, false);
		csv_field(f, json_string_value(json_object_get(it, "number")), false);
		csv_field(f, json_string_value(json_object_get(pv, "code")), true);
	}
	if (fclose(f) != 0)
		return err_set(e, ERR_INTERNAL, NULL, "cannot write the bank file");
	return 0;
}

int settlement_payment_file(struct db *db, struct actor *a, int64_t id, enum settlement_file kind, const char *dir,
			    char *path, size_t path_size, char *name, size_t name_size, struct err *e)
{
	json_t *p = NULL;
	int rc = settlement_payment_get(db, a, id, &p, e);

	path[0] = '\0';
	if (!rc)
		rc = temp_file(dir, kind == SETTLEMENT_XLSX ? ".xlsx" : ".csv", path, path_size, e);
	if (!rc)
		rc = kind == SETTLEMENT_XLSX ? payment_xlsx(path, dir, p, e) : payment_csv(path, p, e);
	if (!rc) {
		snprintf(name, name_size, "%s%s", json_string_value(json_object_get(p, "number")),
			 kind == SETTLEMENT_XLSX ? ".xlsx" : "-bank.csv");
		rc = audit_read(db, a, "settlement.payment_export", "settlement_payment", id,
				kind == SETTLEMENT_XLSX ? "xlsx" : "csv", e);
	}
	json_decref(p);
	if (rc && path[0]) {
		unlink(path);
		path[0] = '\0';
	}
	return rc;
}

/* A statement's spreadsheet: its summary, then one row per line of each beneficiary-month. */
static int statement_xlsx(struct db *db, const char *path, const char *dir, const json_t *s, struct err *e)
{
	static const char *const line_heads[] = {"序号", "服务对象", "身份证号", "护理方式", "等级", "享受天数", "应服务次数",
						 "有效服务次数", "项目", "资金来源", "收款方", "数量", "单位", "单价（元）",
						 "比例（‰）", "除数", "金额（元）", "依据", NULL};
	static const char *const unit_labels[][2] = {{"days", "天"}, {"visits", "次"}, {"minutes", "分钟"},
						     {"month", "月"}, {"fen", "元"},  {"item", "项"}};
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = (char *)dir, .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws;
	struct formats f;
	struct db_stmt *st = NULL;
	char title[200], masked[40];
	int row = 0, n = 0, rc;

	if (!wb)
		return err_set(e, ERR_INTERNAL, NULL, "cannot create the workbook");
	make_formats(wb, &f);
	ws = workbook_add_worksheet(wb, "结算单");
	worksheet_set_column(ws, 1, 2, 20, NULL);
	worksheet_set_column(ws, 8, 8, 34, NULL);
	worksheet_set_column(ws, 16, 17, 16, NULL);
	snprintf(title, sizeof title, "%s 长期护理保险结算单 %s（%s）",
		 json_string_value(json_object_get(json_object_get(s, "provider"), "name")),
		 json_string_value(json_object_get(s, "number")), json_string_value(json_object_get(s, "status_label")));
	worksheet_write_string(ws, (lxw_row_t)row++, 0, title, f.title);
	{
		static const char *const keys[] = {"base_fen", "deductions_fen", "adjustments_fen", "quality_fen", "total_fen"};
		static const char *const labels[] = {"应付", "扣减", "调整", "质量系数", "合计"};
		for (int k = 0; k < 5; k++) {
			worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)(2 * k), labels[k], f.bold);
			worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(2 * k + 1),
					       yuan(json_integer_value(json_object_get(s, keys[k]))),
					       k == 4 ? f.money_bold : f.money);
		}
		row += 2;
	}
	heads(ws, row++, line_heads, f.head);
	rc = db_query(db, &st, e,
		      "SELECT pe.name, pe.id_number, i.mode, i.level, i.entitled_days, i.required_visits, i.visits_payable,"
		      " l.label, l.source, l.payee, l.quantity, l.unit, l.unit_fen, l.rate_pm, l.divisor, l.amount_fen, l.reference"
		      " FROM settlement_lines l LEFT JOIN settlement_items i ON i.id = l.item_id"
		      " LEFT JOIN persons pe ON pe.id = i.person_id WHERE l.statement_id = $1"
		      " ORDER BY l.item_id IS NULL, l.item_id, l.seq",
		      DB_INT(json_integer_value(json_object_get(s, "id"))));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		const char *unit = db_col_text(st, 11);
		bool has_item = !db_col_null(st, 0);
		rc = 0;
		worksheet_write_number(ws, (lxw_row_t)row, 0, ++n, NULL);
		if (has_item) {
			str_mask_id(db_col_text(st, 1), masked, sizeof masked);
			worksheet_write_string(ws, (lxw_row_t)row, 1, db_col_text(st, 0), NULL);
			worksheet_write_string(ws, (lxw_row_t)row, 2, masked, NULL);
			worksheet_write_string(ws, (lxw_row_t)row, 3,
					       care_mode_label((enum care_mode)care_mode_parse(db_col_text(st, 2))), NULL);
			worksheet_write_number(ws, (lxw_row_t)row, 4, (double)db_col_int(st, 3), NULL);
			worksheet_write_number(ws, (lxw_row_t)row, 5, (double)db_col_int(st, 4), NULL);
			worksheet_write_number(ws, (lxw_row_t)row, 6, (double)db_col_int(st, 5), NULL);
			worksheet_write_number(ws, (lxw_row_t)row, 7, (double)db_col_int(st, 6), NULL);
		} else {
			worksheet_write_string(ws, (lxw_row_t)row, 1, "（机构）", NULL);
		}
		worksheet_write_string(ws, (lxw_row_t)row, 8, db_col_text(st, 7), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 9,
				       fund_source_label((enum fund_source)fund_source_parse(db_col_text(st, 8))), NULL);
		worksheet_write_string(ws, (lxw_row_t)row, 10,
				       settle_payee_label((enum settle_payee)settle_payee_parse(db_col_text(st, 9))), NULL);
		worksheet_write_number(ws, (lxw_row_t)row, 11,
				       strcmp(unit, "fen") == 0 ? yuan(db_col_int(st, 10)) : (double)db_col_int(st, 10), NULL);
		for (size_t u = 0; u < sizeof unit_labels / sizeof unit_labels[0]; u++)
			if (strcmp(unit_labels[u][0], unit) == 0)
				worksheet_write_string(ws, (lxw_row_t)row, 12, unit_labels[u][1], NULL);
		worksheet_write_number(ws, (lxw_row_t)row, 13, yuan(db_col_int(st, 12)), f.money);
		worksheet_write_number(ws, (lxw_row_t)row, 14, (double)db_col_int(st, 13), NULL);
		worksheet_write_number(ws, (lxw_row_t)row, 15, (double)db_col_int(st, 14), NULL);
		worksheet_write_number(ws, (lxw_row_t)row, 16, yuan(db_col_int(st, 15)), f.money);
		worksheet_write_string(ws, (lxw_row_t)row, 17, db_col_text(st, 16), NULL);
		row++;
	}
	db_done(st);
	rc = rc == DB_DONE ? 0 : rc;
	if (workbook_close(wb) != LXW_NO_ERROR && !rc)
		rc = err_set(e, ERR_INTERNAL, NULL, "cannot write the workbook");
	return rc;
}

int settlement_statement_file(struct db *db, struct actor *a, int64_t id, const char *dir, char *path,
			      size_t path_size, char *name, size_t name_size, struct err *e)
{
	json_t *s = NULL;
	int rc = settlement_statement_get(db, a, id, &s, e);

	path[0] = '\0';
	if (!rc)
		rc = temp_file(dir, ".xlsx", path, path_size, e);
	if (!rc)
		rc = statement_xlsx(db, path, dir, s, e);
	if (!rc) {
		snprintf(name, name_size, "%s.xlsx", json_string_value(json_object_get(s, "number")));
		rc = audit_read(db, a, "settlement.statement_export", "settlement_statement", id, "xlsx", e);
	}
	json_decref(s);
	if (rc && path[0]) {
		unlink(path);
		path[0] = '\0';
	}
	return rc;
}

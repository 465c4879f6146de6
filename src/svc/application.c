/* application.c: applications for assessment: creation, the automatic pre-screening checks, materials, the
 * intake decision, withdrawal, lists and the full case view (see application.h for the state machine). */
#include "svc/application.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/date.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/str.h"
#include "rules/assess.h"
#include "svc/app_internal.h"
#include "svc/audit.h"
#include "svc/filestore.h"

const char *application_status_label(const char *s)
{
	static const char *const map[][2] = {
		{"submitted", "待初筛"}, {"rejected", "不予受理"}, {"accepted", "已受理"}, {"assigned", "待评估"},
		{"in_review", "委员会审核"}, {"awaiting_confirmation", "待专家确认"}, {"publicised", "公示中"},
		{"certified", "已认定"}, {"withdrawn", "已撤回"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i][0], s) == 0)
			return map[i][1];
	return s;
}

const char *application_type_label(const char *t)
{
	if (strcmp(t, "first") == 0)
		return "首次评估";
	if (strcmp(t, "renewal") == 0)
		return "到期复评";
	if (strcmp(t, "change") == 0)
		return "状态评估";
	if (strcmp(t, "appeal") == 0)
		return "复核";
	return t;
}

/* ---- shared with draw.c and assessment.c ---- */

int app_load(struct db *db, const struct actor *a, int64_t id, struct app_row *r, struct err *e)
{
	struct db_stmt *st = NULL;
	char scope[180];
	int rc;

	memset(r, 0, sizeof *r);
	actor_area_like(a, scope, sizeof scope);
	rc = db_query(db, &st, e,
		      "SELECT ap.id, ap.person_id, ap.area_id, ap.type, ap.status, ap.appeal_of, ap.green_channel,"
		      " ap.pledge_signed, ap.gate, ap.disability_since, ap.submitted_on, ap.due_date, ap.agent_phone,"
		      " ap.agent_email, ap.agent_name, ap.level, COALESCE(ar.path, '')"
		      " FROM applications ap LEFT JOIN areas ar ON ar.id = ap.area_id"
		      " WHERE ap.id = $1 AND ($2 = '' OR ar.path LIKE $2)",
		      DB_INT(id), DB_TEXT(scope));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		r->id = db_col_int(st, 0);
		r->person_id = db_col_int(st, 1);
		r->area_id = db_col_int(st, 2);
		str_copy(r->type, db_col_text(st, 3), sizeof r->type);
		str_copy(r->status, db_col_text(st, 4), sizeof r->status);
		r->appeal_of = db_col_int(st, 5);
		r->green = db_col_int(st, 6) != 0;
		r->pledge = db_col_int(st, 7) != 0;
		str_copy(r->gate, db_col_text(st, 8) ? db_col_text(st, 8) : "", sizeof r->gate);
		str_copy(r->since, db_col_text(st, 9) ? db_col_text(st, 9) : "", sizeof r->since);
		str_copy(r->submitted_on, db_col_text(st, 10), sizeof r->submitted_on);
		str_copy(r->due, db_col_text(st, 11), sizeof r->due);
		str_copy(r->agent_phone, db_col_text(st, 12) ? db_col_text(st, 12) : "", sizeof r->agent_phone);
		str_copy(r->agent_email, db_col_text(st, 13) ? db_col_text(st, 13) : "", sizeof r->agent_email);
		str_copy(r->agent_name, db_col_text(st, 14) ? db_col_text(st, 14) : "", sizeof r->agent_name);
		r->has_level = !db_col_null(st, 15);
		r->level = (int)db_col_int(st, 15);
		str_copy(r->area_path, db_col_text(st, 16), sizeof r->area_path);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "id", "申请不存在");
	}
	db_done(st);
	return rc;
}

int app_transition(struct db *db, int64_t id, const char *from, const char *to, struct err *e)
{
	int64_t changes = 0;
	int rc = db_exec(db, &changes, e, "UPDATE applications SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
			 DB_TEXT(to), DB_INT(date_now_unix()), DB_INT(id), DB_TEXT(from));

	if (!rc && changes != 1)
		rc = err_set(e, ERR_CONFLICT, "status", "申请当前不处于“%s”状态，不能执行此操作", application_status_label(from));
	return rc;
}

int app_wrong_state(const struct app_row *r, const char *action, struct err *e)
{
	return err_set(e, ERR_CONFLICT, "status", "申请当前为“%s”，不能%s", application_status_label(r->status), action);
}

int app_audit(struct db *db, struct actor *a, const char *action, int64_t id, json_t *detail, struct err *e)
{
	char ids[24];
	int rc;

	snprintf(ids, sizeof ids, "%lld", (long long)id);
	rc = audit_append(db, a, action, "application", ids, AUDIT_OK, detail, e);
	json_decref(detail);
	return rc;
}

/* ---- pre-screening checks ---- */

static void check(json_t *arr, bool *all, const char *code, bool ok, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void check(json_t *arr, bool *all, const char *code, bool ok, const char *fmt, ...)
{
	char msg[240];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(arr, json_pack("{s:s, s:b, s:s}", "code", code, "ok", ok, "message", msg));
	if (!ok)
		*all = false;
}

json_t *application_checks(struct db *db, const struct scheme *s, int64_t id, bool *all_ok, struct err *e)
{
	struct db_stmt *st = NULL;
	struct actor sys;
	struct app_row ap;
	json_t *out = json_array();
	char today_s[DATE_STR], birth_s[DATE_STR] = "", death_s[DATE_STR] = "", status[16] = "", first_active[DATE_STR] = "";
	int32_t today = date_today_cn(), birth = 0, day;
	int64_t open = 0, medical = 0;
	bool all = true;
	int rc;

	*all_ok = false;
	actor_system(&sys, "prescreen");
	rc = app_load(db, &sys, id, &ap, e);
	if (rc) {
		json_decref(out);
		return NULL;
	}
	date_format(today, today_s);
	rc = db_query(db, &st, e, "SELECT birth_date, death_date FROM persons WHERE id = $1", DB_INT(ap.person_id));
	if (!rc && db_step(st, e) == DB_ROW) {
		str_copy(birth_s, db_col_text(st, 0), sizeof birth_s);
		str_copy(death_s, db_col_text(st, 1) ? db_col_text(st, 1) : "", sizeof death_s);
	}
	db_done(st);
	date_parse(birth_s, &birth);
	rc = db_query(db, &st, e,
		      "SELECT status FROM enrolments WHERE person_id = $1 AND effective_from <= $2"
		      " ORDER BY effective_from DESC, id DESC LIMIT 1",
		      DB_INT(ap.person_id), DB_TEXT(today_s));
	if (!rc && db_step(st, e) == DB_ROW)
		str_copy(status, db_col_text(st, 0), sizeof status);
	db_done(st);
	rc = db_query(db, &st, e, "SELECT MIN(effective_from) FROM enrolments WHERE person_id = $1 AND status = 'active'",
		      DB_INT(ap.person_id));
	if (!rc && db_step(st, e) == DB_ROW && db_col_text(st, 0))
		str_copy(first_active, db_col_text(st, 0), sizeof first_active);
	db_done(st);

	check(out, &all, "insured", strcmp(status, "active") == 0, "%s",
	      strcmp(status, "active") == 0 ? "参保状态正常" : "申请人未参保或参保状态不正常（暂停或终止）");
	check(out, &all, "alive", !death_s[0], "%s", death_s[0] ? "申请人已登记死亡" : "未登记死亡");
	if (s->min_age) {
		int age = date_age_years(birth, today);
		check(out, &all, "age", age >= s->min_age, "年龄%d周岁，本方案要求年满%d周岁", age, s->min_age);
	}
	if (s->waiting_months) {
		bool ok = first_active[0] && date_parse(first_active, &day) &&
			  date_add_months(day, s->waiting_months) <= today;
		check(out, &all, "waiting", ok, "本方案要求参保满%d个月%s", s->waiting_months, ok ? "，已满足" : "，尚未满足");
	}
	if (s->disability_min_months && strcmp(ap.type, "appeal") != 0) {
		bool ok = ap.since[0] && date_parse(ap.since, &day) && date_add_months(day, s->disability_min_months) <= today;
		check(out, &all, "duration", ok, "失能状态须持续%d个月以上%s", s->disability_min_months,
		      !ap.since[0] ? "，请填写失能起始日期" : ok ? "，已满足" : "，尚未满足");
	}
	rc = db_int(db, &open, e,
		    "SELECT COUNT(*) FROM applications WHERE person_id = $1 AND id <> $2 AND status IN ('submitted',"
		    " 'accepted', 'assigned', 'in_review', 'awaiting_confirmation')",
		    DB_INT(ap.person_id), DB_INT(id));
	check(out, &all, "no_open_application", open == 0, "%s", open ? "该参保人已有进行中的申请" : "没有进行中的其他申请");

	/* the person's latest conclusion other than this case */
	{
		char concluded[DATE_STR] = "", valid_until[DATE_STR] = "", appeal_until[DATE_STR] = "";
		int64_t appealed_app = 0;
		bool final = false, have = false;
		rc = db_query(db, &st, e,
			      "SELECT concluded_on, valid_until, appeal_until, final, application_id FROM certifications"
			      " WHERE person_id = $1 AND application_id <> $2 AND status <> 'superseded' ORDER BY id DESC LIMIT 1",
			      DB_INT(ap.person_id), DB_INT(id));
		if (!rc && db_step(st, e) == DB_ROW) {
			have = true;
			str_copy(concluded, db_col_text(st, 0), sizeof concluded);
			str_copy(valid_until, db_col_text(st, 1), sizeof valid_until);
			str_copy(appeal_until, db_col_text(st, 2), sizeof appeal_until);
			final = db_col_int(st, 3) != 0;
			appealed_app = db_col_int(st, 4);
		}
		db_done(st);
		if (strcmp(ap.type, "first") == 0) {
			if (ap.green) {
				check(out, &all, "interval", true, "绿色通道（突发重大疾病或意外），不受再次申请间隔限制");
			} else if (have && date_parse(concluded, &day)) {
				bool ok = date_add_months(day, s->periods.reapply_interval_months) <= today;
				check(out, &all, "interval", ok, "距上次评估结论（%s）须满%d个月%s", concluded,
				      s->periods.reapply_interval_months, ok ? "，已满足" : "，尚未满足");
			}
		} else if (strcmp(ap.type, "renewal") == 0) {
			bool ok = have && date_parse(valid_until, &day) && day - today <= s->periods.renewal_window_days;
			check(out, &all, "renewal_window", ok, "到期复评可在有效期届满前%d天内申请%s%s",
			      s->periods.renewal_window_days, have ? "（有效期至" : "，但没有有效的评估结论",
			      have ? valid_until : "");
			if (have)
				json_object_set_new(json_array_get(out, json_array_size(out) - 1), "message",
						    json_sprintf("到期复评可在有效期届满前%d天内申请（当前有效期至%s）%s",
								 s->periods.renewal_window_days, valid_until,
								 ok ? "，已满足" : "，尚未到申请时间"));
		} else if (strcmp(ap.type, "appeal") == 0) {
			bool ok = ap.appeal_of && have && appealed_app == ap.appeal_of && !final && date_parse(appeal_until, &day) &&
				  today <= day;
			check(out, &all, "appeal_window", ok, "%s",
			      !ok ? "复核须在评估结论送达后的复核期限内提出，且复核结论为最终结论" : "在复核期限内");
		}
	}
	if (s->assess.has_gate && strcmp(ap.type, "appeal") != 0) {
		bool ok = ap.gate[0] && assess_gate_proceeds(&s->assess, ap.gate[0]);
		check(out, &all, "self_assessment", ok, "自评结果%s%s", ap.gate[0] ? ap.gate : "（未填写）",
		      ok ? "，可进入正式评估" : "，未达到正式评估条件（E、F、G级方可进入）");
	}
	rc = db_int(db, &medical, e,
		    "SELECT COUNT(*) FROM application_materials WHERE application_id = $1 AND kind IN ('discharge_summary',"
		    " 'outpatient_record', 'disability_certificate')",
		    DB_INT(id));
	if (strcmp(ap.type, "appeal") != 0)
		check(out, &all, "materials", medical > 0, "%s",
		      medical > 0 ? "已提交病历材料" : "须提交出院小结、门诊病历或残疾证明之一");
	check(out, &all, "pledge", ap.pledge, "%s", ap.pledge ? "已签署诚信承诺书" : "须签署诚信承诺书");
	*all_ok = all;
	return out;
}

/* ---- create ---- */

int application_create(struct db *db, const struct scheme *s, struct actor *a, const json_t *in, int64_t *id_out,
		       struct err *e)
{
	static const struct jx_field fields[] = {
		{"person_id", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"type", JX_STRING, JX_REQUIRED, 1, 16},
		{"appeal_of", JX_INT, JX_NULLABLE, 1, INT64_MAX},
		{"green_channel", JX_BOOL, 0, 0, 0},
		{"green_reason", JX_STRING, JX_NULLABLE, 1, 200},
		{"pledge_signed", JX_BOOL, JX_REQUIRED, 0, 0},
		{"self_assessment", JX_OBJECT, JX_NULLABLE, 0, 0},
		{"disability_since", JX_STRING, JX_NULLABLE, 10, 10},
		{"applicant_kind", JX_STRING, JX_REQUIRED, 1, 8},
		{"agent_name", JX_STRING, JX_NULLABLE, 1, 150},
		{"agent_relation", JX_STRING, JX_NULLABLE, 1, 30},
		{"agent_phone", JX_STRING, JX_NULLABLE, 1, 20},
		{"agent_email", JX_STRING, JX_NULLABLE, 3, 120},
		{"note", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	const char *type = jx_str(in, "type"), *kind = jx_str(in, "applicant_kind"), *since = jx_str(in, "disability_since");
	json_t *self = json_object_get(in, "self_assessment");
	struct db_stmt *st = NULL;
	char scope[180], gate[4] = "", today_s[DATE_STR], due_s[DATE_STR], msg[200];
	char *self_text = NULL;
	int32_t today = date_today_cn(), day;
	int64_t person = jx_int(in, "person_id", 0), area = 0, appeal_of = jx_int(in, "appeal_of", 0), id = 0;
	bool green = jx_bool(in, "green_channel", false), found = false;
	int rc;

	rc = jx_check(in, fields, "", e);
	if (rc)
		return rc;
	type = jx_str(in, "type");
	kind = jx_str(in, "applicant_kind");
	since = jx_str(in, "disability_since");
	self = json_object_get(in, "self_assessment");
	person = jx_int(in, "person_id", 0);
	appeal_of = jx_int(in, "appeal_of", 0);
	green = jx_bool(in, "green_channel", false);
	if (strcmp(type, "first") && strcmp(type, "renewal") && strcmp(type, "change") && strcmp(type, "appeal"))
		return err_set(e, ERR_INVALID, "type", "申请类型应为first、renewal、change或appeal");
	if (strcmp(kind, "self") && strcmp(kind, "agent") && strcmp(kind, "staff"))
		return err_set(e, ERR_INVALID, "applicant_kind", "申请人类型应为self（本人）、agent（代理人）或staff（工作人员代办）");
	if (strcmp(kind, "agent") == 0 && (!jx_str(in, "agent_name") || !jx_str(in, "agent_phone")))
		return err_set(e, ERR_INVALID, jx_str(in, "agent_name") ? "agent_phone" : "agent_name",
			       "代理人申请须填写代理人姓名和电话");
	if (jx_str(in, "agent_phone") && !str_phone_valid(jx_str(in, "agent_phone")))
		return err_set(e, ERR_INVALID, "agent_phone", "代理人电话格式不正确");
	if (jx_str(in, "agent_email") && (!strchr(jx_str(in, "agent_email"), '@') || strchr(jx_str(in, "agent_email"), ' ')))
		return err_set(e, ERR_INVALID, "agent_email", "电子邮箱格式不正确");
	if (green && !jx_str(in, "green_reason"))
		return err_set(e, ERR_INVALID, "green_reason", "绿色通道须说明原因（突发重大疾病或意外）");
	if (since && (!date_parse(since, &day) || day > today))
		return err_set(e, ERR_INVALID, "disability_since", "失能起始日期应为不晚于今天的YYYY-MM-DD");
	if ((strcmp(type, "appeal") == 0) != (appeal_of != 0))
		return err_set(e, ERR_INVALID, "appeal_of", "复核申请须指明原申请（appeal_of），其他申请不能指明");
	if (self && !json_is_null(self)) {
		char letter = assess_gate(&s->assess, self, msg, sizeof msg);
		if (!letter)
			return err_set(e, ERR_INVALID, "self_assessment", "%s", msg);
		gate[0] = letter;
		self_text = json_dumps(self, JSON_COMPACT | JSON_SORT_KEYS);
	}
	/* the person, within the caller's scope */
	actor_area_like(a, scope, sizeof scope);
	rc = db_query(db, &st, e,
		      "SELECT p.area_id FROM persons p LEFT JOIN areas ar ON ar.id = p.area_id"
		      " WHERE p.id = $1 AND ($2 = '' OR ar.path LIKE $2)",
		      DB_INT(person), DB_TEXT(scope));
	if (!rc && db_step(st, e) == DB_ROW) {
		found = true;
		area = db_col_int(st, 0);
	}
	db_done(st);
	if (!rc && !found)
		rc = err_set(e, ERR_INVALID, "person_id", "参保人不存在或不在您的管理范围内");
	if (!rc && appeal_of) {
		int64_t ok = 0;
		rc = db_int(db, &ok, e, "SELECT COUNT(*) FROM applications WHERE id = $1 AND person_id = $2",
			    DB_INT(appeal_of), DB_INT(person));
		if (!rc && !ok)
			rc = err_set(e, ERR_INVALID, "appeal_of", "被复核的申请不存在或不属于该参保人");
	}
	if (rc) {
		free(self_text);
		return rc;
	}
	date_format(today, today_s);
	date_format(cal_add_workdays(&s->cal, today, s->periods.prescreen_working_days), due_s);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_int(db, &id, e,
			    "INSERT INTO applications (person_id, area_id, type, status, appeal_of, green_channel, green_reason,"
			    " pledge_signed, self_assessment, gate, disability_since, applicant_kind, agent_name,"
			    " agent_relation, agent_phone, agent_email, note, submitted_by, submitted_at, submitted_on,"
			    " due_date, updated_at) VALUES ($1, $2, $3, 'submitted', $4, $5, $6, $7, $8, $9, $10, $11, $12,"
			    " $13, $14, $15, $16, $17, $18, $19, $20, $18) RETURNING id",
			    DB_INT(person), DB_INT_OR_NULL(area, area), DB_TEXT(type), DB_INT_OR_NULL(appeal_of, appeal_of),
			    DB_INT(green), DB_TEXT(jx_str(in, "green_reason")), DB_INT(jx_bool(in, "pledge_signed", false)),
			    DB_TEXT(self_text), DB_TEXT(gate[0] ? gate : NULL), DB_TEXT(since), DB_TEXT(kind),
			    DB_TEXT(jx_str(in, "agent_name")), DB_TEXT(jx_str(in, "agent_relation")),
			    DB_TEXT(jx_str(in, "agent_phone")), DB_TEXT(jx_str(in, "agent_email")), DB_TEXT(jx_str(in, "note")),
			    DB_TEXT(a->username), DB_INT(date_now_unix()), DB_TEXT(today_s), DB_TEXT(due_s));
	free(self_text);
	if (!rc)
		rc = app_audit(db, a, "application.submit", id,
			       json_pack("{s:I, s:s, s:b}", "person_id", (json_int_t)person, "type", type, "green_channel",
					 green),
			       e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	rc = audit_commit(db, a, e);
	if (!rc)
		*id_out = id;
	return rc;
}

/* ---- materials ---- */

static const char *sniff_type(const unsigned char *h, size_t n)
{
	if (n >= 5 && memcmp(h, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return "image/jpeg";
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	return NULL;
}

int application_add_material(struct db *db, struct actor *a, int64_t id, const char *kind, const char *filename,
			     const char *upload_path, int64_t size, const char *data_dir, struct err *e)
{
	unsigned char head[16];
	struct app_row ap;
	char hex[65];
	const char *type;
	ssize_t n;
	int fd, rc;

	if (!kind || (strcmp(kind, "discharge_summary") && strcmp(kind, "outpatient_record") &&
		      strcmp(kind, "disability_certificate") && strcmp(kind, "pledge") && strcmp(kind, "other")))
		return err_set(e, ERR_INVALID, "kind",
			       "材料类型应为discharge_summary、outpatient_record、disability_certificate、pledge或other");
	if (size > LIMIT_MATERIAL_BYTES)
		return err_set(e, ERR_TOO_LARGE, "body", "材料文件过大（最多%d MB）", LIMIT_MATERIAL_BYTES / (1024 * 1024));
	rc = app_load(db, a, id, &ap, e);
	if (rc)
		return rc;
	if (strcmp(ap.status, "submitted") != 0)
		return app_wrong_state(&ap, "补充材料", e);
	fd = open(upload_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, NULL, "cannot read the upload");
	n = read(fd, head, sizeof head);
	type = n > 0 ? sniff_type(head, (size_t)n) : NULL;
	if (!type) {
		close(fd);
		return err_set(e, ERR_MEDIA_TYPE, "body", "材料须为PDF、JPEG或PNG文件");
	}
	close(fd);
	/* content-addressed: files/ab/<sha256>; the same file twice is stored once */
	rc = filestore_put(upload_path, data_dir, hex, e);
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO application_materials (application_id, kind, filename, content_type, size, sha256,"
			     " uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
			     DB_INT(id), DB_TEXT(kind), DB_TEXT(filename), DB_TEXT(type), DB_INT(size), DB_TEXT(hex),
			     DB_TEXT(a->username), DB_INT(date_now_unix()));
	if (!rc)
		rc = app_audit(db, a, "application.material", id,
			       json_pack("{s:s, s:s, s:I}", "kind", kind, "sha256", hex, "size", (json_int_t)size), e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int application_material_file(struct db *db, const struct actor *a, int64_t id, int64_t material, const char *data_dir,
			      char *path, size_t psize, char *type, size_t tsize, char *name, size_t nsize,
			      struct err *e)
{
	struct db_stmt *st = NULL;
	struct app_row ap;
	int rc = app_load(db, a, id, &ap, e);

	if (rc)
		return rc;
	rc = db_query(db, &st, e,
		      "SELECT sha256, content_type, filename FROM application_materials WHERE id = $1 AND application_id = $2",
		      DB_INT(material), DB_INT(id));
	if (rc)
		return rc;
	rc = db_step(st, e);
	if (rc == DB_ROW) {
		const char *h = db_col_text(st, 0);
		filestore_path(data_dir, h, path, psize);
		str_copy(type, db_col_text(st, 1), tsize);
		str_copy(name, db_col_text(st, 2), nsize);
		rc = 0;
	} else if (rc == DB_DONE) {
		rc = err_set(e, ERR_NOT_FOUND, "material", "材料不存在");
	}
	db_done(st);
	if (!rc) {
		/* medical records: every download is audited */
		char ids[24];
		json_t *detail = json_pack("{s:I}", "material_id", (json_int_t)material);
		snprintf(ids, sizeof ids, "%lld", (long long)id);
		rc = audit_append(db, a, "application.material.read", "application", ids, AUDIT_OK, detail, e);
		json_decref(detail);
	}
	return rc;
}

/* ---- intake decision, withdrawal ---- */

static const char *const reason_codes[][2] = {
	{"not_insured", "未参保或参保状态不正常"},
	{"not_eligible", "不符合待遇申请条件（年龄、等待期或失能持续时间）"},
	{"materials_incomplete", "申请材料不全"},
	{"materials_false", "申请材料不实"},
	{"too_soon", "距上次评估结论未满规定间隔"},
	{"open_application", "已有进行中的申请"},
	{"deceased", "申请人已死亡"},
	{"self_assessment", "自评未达到正式评估条件"},
	{"other", "其他原因"},
};

int application_prescreen(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
			  struct err *e)
{
	static const struct jx_field fields[] = {
		{"decision", JX_STRING, JX_REQUIRED, 1, 16},
		{"reasons", JX_ARRAY, 0, 0, 0},
		{"note", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct app_row ap;
	const char *decision;
	json_t *checks = NULL, *reasons = json_array(), *r;
	char *checks_text = NULL, *reasons_text = NULL;
	bool all_ok = false;
	size_t i;
	int rc;

	rc = jx_check(in, fields, "", e);
	if (!rc)
		rc = app_load(db, a, id, &ap, e);
	if (rc)
		goto out;
	decision = jx_str(in, "decision");
	if (strcmp(decision, "accept") && strcmp(decision, "reject")) {
		rc = err_set(e, ERR_INVALID, "decision", "初筛结论应为accept（受理）或reject（不予受理）");
		goto out;
	}
	if (strcmp(ap.status, "submitted") != 0) {
		rc = app_wrong_state(&ap, "初筛", e);
		goto out;
	}
	checks = application_checks(db, s, id, &all_ok, e);
	if (!checks) {
		rc = e->code ? e->code : ERR_INTERNAL;
		goto out;
	}
	if (strcmp(decision, "accept") == 0 && !all_ok) {
		json_t *c;
		json_array_foreach(checks, i, c)
			if (!json_is_true(json_object_get(c, "ok"))) {
				rc = err_set(e, ERR_CONFLICT, "decision", "不能受理：%s",
					     json_string_value(json_object_get(c, "message")));
				goto out;
			}
	}
	if (strcmp(decision, "reject") == 0) {
		json_array_foreach(json_object_get(in, "reasons"), i, r) {
			const char *code = json_string_value(r);
			size_t k;
			for (k = 0; code && k < sizeof reason_codes / sizeof reason_codes[0]; k++)
				if (strcmp(reason_codes[k][0], code) == 0)
					break;
			if (!code || k == sizeof reason_codes / sizeof reason_codes[0]) {
				char path[32];
				snprintf(path, sizeof path, "reasons[%zu]", i);
				rc = err_set(e, ERR_INVALID, path, "不予受理原因代码无效");
				goto out;
			}
			json_array_append_new(reasons, json_pack("{s:s, s:s}", "code", code, "message", reason_codes[k][1]));
		}
		if (json_array_size(reasons) == 0) {
			rc = err_set(e, ERR_INVALID, "reasons", "不予受理须至少选择一项原因");
			goto out;
		}
		if (jx_str(in, "note"))
			json_array_append_new(reasons, json_pack("{s:s, s:s}", "code", "note", "message", jx_str(in, "note")));
	}
	checks_text = json_dumps(checks, JSON_COMPACT);
	reasons_text = json_array_size(reasons) ? json_dumps(reasons, JSON_COMPACT) : NULL;
	rc = db_begin(db, e);
	if (!rc)
		rc = app_transition(db, id, "submitted", strcmp(decision, "accept") == 0 ? "accepted" : "rejected", e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE applications SET prescreen = $1, reject_reasons = $2, decided_by = $3, decided_at = $4"
			     " WHERE id = $5",
			     DB_TEXT(checks_text), DB_TEXT(reasons_text), DB_TEXT(a->username), DB_INT(date_now_unix()),
			     DB_INT(id));
	if (!rc && strcmp(decision, "accept") == 0) {
		char due[DATE_STR];
		date_format(cal_add_workdays(&s->cal, date_today_cn(), s->periods.conclusion_working_days), due);
		rc = db_exec(db, NULL, e, "UPDATE applications SET conclusion_due = $1 WHERE id = $2", DB_TEXT(due), DB_INT(id));
	}
	if (!rc)
		rc = app_audit(db, a, "application.prescreen", id,
			       json_pack("{s:s, s:O}", "decision", decision, "reasons", reasons), e);
	if (rc) {
		db_rollback(db);
		goto out;
	}
	rc = audit_commit(db, a, e);
out:
	json_decref(checks);
	json_decref(reasons);
	free(checks_text);
	free(reasons_text);
	return rc;
}

int application_withdraw(struct db *db, struct actor *a, int64_t id, const json_t *in, struct err *e)
{
	static const struct jx_field fields[] = {
		{"reason", JX_STRING, JX_REQUIRED | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct app_row ap;
	int rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = app_load(db, a, id, &ap, e);
	if (rc)
		return rc;
	/* until the visit: an open draw is released so it no longer counts towards the pair's workload */
	if (strcmp(ap.status, "submitted") != 0 && strcmp(ap.status, "accepted") != 0 && strcmp(ap.status, "assigned") != 0)
		return app_wrong_state(&ap, "撤回", e);
	rc = db_begin(db, e);
	if (!rc)
		rc = app_transition(db, id, ap.status, "withdrawn", e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE assignments SET status = 'replaced' WHERE application_id = $1 AND status = 'open'",
			     DB_INT(id));
	if (!rc)
		rc = app_audit(db, a, "application.withdraw", id, json_pack("{s:s}", "reason", jx_str(in, "reason")), e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

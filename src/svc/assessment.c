/* assessment.c: the assessment visit and what follows it: scoring by the scheme's standard, the automatic
 * quality flags, the committee's review, the confirmation by two experts, the conclusion with its publication,
 * notices and validity, and the certification when the publication ends. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/geo.h"
#include "base/json.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/str.h"
#include "rules/assess.h"
#include "svc/app_internal.h"
#include "svc/application.h"
#include "svc/audit.h"
#include "svc/care_plan.h"
#include "svc/notify.h"

static void flag(json_t *flags, const char *code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void flag(json_t *flags, const char *code, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(flags, json_pack("{s:s, s:s}", "code", code, "message", msg));
}

/* The assessor-outlier test: a one-sample z-test of a pool member's mean level (including this assessment)
 * against the mean and spread of everyone else's levels over the last year. */
static int outlier_flag(struct db *db, const struct scheme *s, int64_t member, const char *name, int level,
			json_t *flags, struct err *e)
{
	struct db_stmt *st = NULL;
	int64_t since = date_now_unix() - 365 * 86400;
	double mine_sum = level, peer_sum = 0, peer_sq = 0;
	int64_t mine_n = 1, peer_n = 0;
	int rc = db_query(db, &st, e,
			  "SELECT a.level, CASE WHEN x.expert_id = $1 OR x.assessor_id = $1 THEN 1 ELSE 0 END"
			  " FROM assessments a JOIN assignments x ON x.id = a.assignment_id WHERE a.submitted_at >= $2",
			  DB_INT(member), DB_INT(since));

	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		double l = (double)db_col_int(st, 0);
		rc = 0;
		if (db_col_int(st, 1)) {
			mine_sum += l;
			mine_n++;
		} else {
			peer_sum += l;
			peer_sq += l * l;
			peer_n++;
		}
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	if (rc || mine_n < s->assess.outlier_min_assessments || peer_n < 2)
		return rc;
	{
		double peer_mean = peer_sum / (double)peer_n;
		double var = peer_sq / (double)peer_n - peer_mean * peer_mean;
		double mine_mean = mine_sum / (double)mine_n, z;
		if (var <= 0)
			return 0;
		z = (mine_mean - peer_mean) / (sqrt(var) / sqrt((double)mine_n));
		if (fabs(z) * 100 > s->assess.outlier_z_x100)
			flag(flags, "assessor_outlier",
			     "%s近一年%lld次评估的平均等级%.2f，同行平均%.2f（%lld次），z=%.2f，偏离超过阈值%.2f", name,
			     (long long)mine_n, mine_mean, peer_mean, (long long)peer_n, z, s->assess.outlier_z_x100 / 100.0);
	}
	return 0;
}

static int check_present(const json_t *present, struct err *e)
{
	static const struct jx_field fields[] = {
		{"name", JX_STRING, JX_REQUIRED, 1, 150},
		{"role", JX_STRING, JX_REQUIRED, 1, 16},
		{NULL, 0, 0, 0, 0},
	};
	json_t *p;
	size_t i;
	char path[32];
	int rc;

	if (json_array_size(present) > 10)
		return err_set(e, ERR_INVALID, "present", "在场人员最多10人");
	json_array_foreach(present, i, p) {
		const char *role;
		snprintf(path, sizeof path, "present[%zu]", i);
		rc = jx_check(p, fields, path, e);
		if (rc)
			return rc;
		role = jx_str(p, "role");
		if (strcmp(role, "expert") && strcmp(role, "assessor") && strcmp(role, "guardian") && strcmp(role, "agent") &&
		    strcmp(role, "family") && strcmp(role, "staff") && strcmp(role, "other")) {
			snprintf(path, sizeof path, "present[%zu].role", i);
			return err_set(e, ERR_INVALID, path, "在场人员身份应为expert、assessor、guardian、agent、family、staff或other");
		}
	}
	return 0;
}

int application_assess(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		       struct err *e)
{
	static const struct jx_field fields[] = {
		{"items", JX_OBJECT, 0, 0, 0},
		{"level", JX_INT, 0, 0, 99},
		{"form", JX_OBJECT, 0, 0, 0},
		{"visit_start", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"visit_end", JX_INT, JX_REQUIRED, 1, INT64_MAX},
		{"lat", JX_ANY, JX_NULLABLE, 0, 0},
		{"lon", JX_ANY, JX_NULLABLE, 0, 0},
		{"video_ref", JX_STRING, JX_NULLABLE, 1, 200},
		{"video_sha256", JX_STRING, JX_NULLABLE, 64, 64},
		{"video_seconds", JX_INT, JX_NULLABLE, 0, 86400},
		{"present", JX_ARRAY, JX_REQUIRED, 0, 0},
		{NULL, 0, 0, 0, 0},
	};
	struct app_row ap;
	struct assess_result res;
	struct db_stmt *st = NULL;
	int64_t me = app_actor_assessor(db, a), assignment = 0, expert = 0, assessor = 0, now = date_now_unix();
	int64_t start = jx_int(in, "visit_start", 0), end = jx_int(in, "visit_end", 0), lat = 0, lon = 0;
	int64_t home_lat = 0, home_lon = 0;
	int prev_level = -1;
	bool has_gps = false, has_home = false, witness = false;
	json_t *flags = json_array(), *result = NULL, *p;
	char *form_text = NULL, *result_text = NULL, *flags_text = NULL, *present_text = NULL;
	char expert_name[160] = "", assessor_name[160] = "";
	const char *sha = jx_str(in, "video_sha256");
	int level = -1, rc;
	size_t i;

	rc = jx_check(in, fields, "", e);
	if (!rc)
		rc = app_load(db, a, id, &ap, e);
	if (rc)
		goto out;
	start = jx_int(in, "visit_start", 0);
	end = jx_int(in, "visit_end", 0);
	sha = jx_str(in, "video_sha256");
	if (strcmp(ap.status, "assigned") != 0) {
		rc = app_wrong_state(&ap, "提交评估结果", e);
		goto out;
	}
	rc = db_query(db, &st, e,
		      "SELECT x.id, x.expert_id, x.assessor_id, ex.name, asr.name FROM assignments x"
		      " JOIN assessors ex ON ex.id = x.expert_id JOIN assessors asr ON asr.id = x.assessor_id"
		      " WHERE x.application_id = $1 AND x.status = 'open'",
		      DB_INT(id));
	if (!rc && db_step(st, e) == DB_ROW) {
		assignment = db_col_int(st, 0);
		expert = db_col_int(st, 1);
		assessor = db_col_int(st, 2);
		str_copy(expert_name, db_col_text(st, 3), sizeof expert_name);
		str_copy(assessor_name, db_col_text(st, 4), sizeof assessor_name);
	}
	db_done(st);
	if (rc)
		goto out;
	if (!assignment || (me != expert && me != assessor)) {
		rc = err_set(e, ERR_FORBIDDEN, NULL, "您不是本案抽取的评估人员");
		goto out;
	}
	/* the visit */
	if (end <= start) {
		rc = err_set(e, ERR_INVALID, "visit_end", "评估结束时间应晚于开始时间");
		goto out;
	}
	if (end > now + 300 || start < now - 60 * 86400) {
		rc = err_set(e, ERR_INVALID, "visit_start", "评估时间应在最近60天内，且不晚于现在");
		goto out;
	}
	if (json_is_number(json_object_get(in, "lat")) != json_is_number(json_object_get(in, "lon"))) {
		rc = err_set(e, ERR_INVALID, "lon", "经纬度须同时提供");
		goto out;
	}
	if (json_is_number(json_object_get(in, "lat"))) {
		lat = geo_e6_from_double(json_number_value(json_object_get(in, "lat")));
		lon = geo_e6_from_double(json_number_value(json_object_get(in, "lon")));
		if (!geo_in_china(lat, lon)) {
			rc = err_set(e, ERR_INVALID, "lat", "经纬度不在中国境内");
			goto out;
		}
		has_gps = true;
	} else if (json_object_get(in, "lat") && !json_is_null(json_object_get(in, "lat"))) {
		rc = err_set(e, ERR_INVALID, "lat", "纬度应为数字");
		goto out;
	}
	if (sha) {
		for (const char *c = sha; *c; c++)
			if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) {
				rc = err_set(e, ERR_INVALID, "video_sha256", "视频SHA-256应为64位小写十六进制");
				goto out;
			}
	}
	rc = check_present(json_object_get(in, "present"), e);
	if (rc)
		goto out;
	/* the form */
	if (s->standard == SCHEME_STD_NATIONAL_2021) {
		if (!json_is_object(json_object_get(in, "items"))) {
			rc = err_set(e, ERR_INVALID, "items", "须提交各评估项目的分值");
			goto out;
		}
		if (!assess_score(&s->assess, json_object_get(in, "items"), &res)) {
			char field[48];
			snprintf(field, sizeof field, "items.%s", res.problems[0].item);
			rc = err_set(e, ERR_INVALID, field, "%s%s", res.problems[0].msg,
				     res.n_problems > 1 ? "（另有其他项目有误）" : "");
			goto out;
		}
		level = res.level;
		result = assess_result_json(s, &res);
		form_text = json_dumps(json_object_get(in, "items"), JSON_COMPACT | JSON_SORT_KEYS);
	} else {
		if (!json_is_integer(json_object_get(in, "level")) || !scheme_level(s, (int)jx_int(in, "level", -1))) {
			rc = err_set(e, ERR_INVALID, "level", "须提交外部评估程序给出的等级（保障方案定义的等级之一）");
			goto out;
		}
		level = (int)jx_int(in, "level", -1);
		form_text = json_dumps(json_object_get(in, "form") ? json_object_get(in, "form") : json_object(),
				       JSON_COMPACT | JSON_SORT_KEYS);
	}
	/* quality flags */
	rc = db_query(db, &st, e, "SELECT lat_e6, lon_e6 FROM persons WHERE id = $1", DB_INT(ap.person_id));
	if (!rc && db_step(st, e) == DB_ROW && !db_col_null(st, 0)) {
		has_home = true;
		home_lat = db_col_int(st, 0);
		home_lon = db_col_int(st, 1);
	}
	db_done(st);
	rc = db_query(db, &st, e,
		      "SELECT level FROM certifications WHERE person_id = $1 AND application_id <> $2 ORDER BY id DESC LIMIT 1",
		      DB_INT(ap.person_id), DB_INT(id));
	if (!rc && db_step(st, e) == DB_ROW)
		prev_level = (int)db_col_int(st, 0);
	db_done(st);
	if (rc)
		goto out;
	if (prev_level >= 0 && abs(level - prev_level) >= s->assess.level_jump)
		flag(flags, "level_jump", "本次等级%d与上次结论%d相差%d级（阈值%d级）", level, prev_level, abs(level - prev_level),
		     s->assess.level_jump);
	if ((end - start) / 60 < s->assess.min_visit_minutes)
		flag(flags, "short_visit", "现场评估%lld分钟，少于规定的%d分钟", (long long)((end - start) / 60),
		     s->assess.min_visit_minutes);
	if (!has_gps)
		flag(flags, "no_gps", "未记录评估现场定位");
	else if (has_home && geo_distance_m(lat, lon, home_lat, home_lon) > s->assess.gps_max_m)
		flag(flags, "gps_far", "评估定位距参保人住址%.0f米，超过%d米", geo_distance_m(lat, lon, home_lat, home_lon),
		     s->assess.gps_max_m);
	if (!jx_str(in, "video_ref") || !sha || jx_int(in, "video_seconds", 0) <= 0)
		flag(flags, "missing_video", "缺少评估全程视频（文件、SHA-256和时长）");
	json_array_foreach(json_object_get(in, "present"), i, p) {
		const char *role = jx_str(p, "role");
		if (!strcmp(role, "guardian") || !strcmp(role, "agent") || !strcmp(role, "family"))
			witness = true;
	}
	if (!witness)
		flag(flags, "no_witness", "评估时无监护人、代理人或家属在场");
	rc = outlier_flag(db, s, expert, expert_name, level, flags, e);
	if (!rc)
		rc = outlier_flag(db, s, assessor, assessor_name, level, flags, e);
	if (rc)
		goto out;
	result_text = result ? json_dumps(result, JSON_COMPACT) : NULL;
	flags_text = json_dumps(flags, JSON_COMPACT);
	present_text = json_dumps(json_object_get(in, "present"), JSON_COMPACT);
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO assessments (application_id, assignment_id, form, result, level, visit_start, visit_end,"
			     " visit_lat_e6, visit_lon_e6, video_ref, video_sha256, video_seconds, present, flags, submitted_by,"
			     " submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
			     DB_INT(id), DB_INT(assignment), DB_TEXT(form_text), DB_TEXT(result_text), DB_INT(level),
			     DB_INT(start), DB_INT(end), DB_INT_OR_NULL(has_gps, lat), DB_INT_OR_NULL(has_gps, lon),
			     DB_TEXT(jx_str(in, "video_ref")), DB_TEXT(sha),
			     DB_INT_OR_NULL(jx_has(in, "video_seconds") && !json_is_null(json_object_get(in, "video_seconds")),
					    jx_int(in, "video_seconds", 0)),
			     DB_TEXT(present_text), DB_TEXT(flags_text), DB_TEXT(a->username), DB_INT(now));
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE assignments SET status = 'done' WHERE id = $1", DB_INT(assignment));
	if (!rc)
		rc = app_transition(db, id, "assigned", json_array_size(flags) ? "in_review" : "awaiting_confirmation", e);
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE applications SET level = $1 WHERE id = $2", DB_INT(level), DB_INT(id));
	if (!rc)
		rc = app_audit(db, a, "assessment.submit", id,
			       json_pack("{s:i, s:O}", "level", level, "flags", flags), e);
	if (rc) {
		db_rollback(db);
		goto out;
	}
	rc = audit_commit(db, a, e);
out:
	json_decref(flags);
	json_decref(result);
	free(form_text);
	free(result_text);
	free(flags_text);
	free(present_text);
	return rc;
}

int application_review(struct db *db, const struct scheme *s, struct actor *a, int64_t id, const json_t *in,
		       struct err *e)
{
	static const struct jx_field fields[] = {
		{"decision", JX_STRING, JX_REQUIRED, 1, 16},
		{"level", JX_INT, JX_NULLABLE, 0, 99},
		{"reason", JX_STRING, JX_NULLABLE | JX_MULTILINE, 1, LIMIT_TEXT_MAX},
		{NULL, 0, 0, 0, 0},
	};
	struct app_row ap;
	const char *decision;
	int64_t assessment = 0, assignment = 0;
	int level, rc = jx_check(in, fields, "", e);

	if (!rc)
		rc = app_load(db, a, id, &ap, e);
	if (rc)
		return rc;
	decision = jx_str(in, "decision");
	level = (int)jx_int(in, "level", ap.level);
	if (strcmp(decision, "uphold") && strcmp(decision, "amend") && strcmp(decision, "revisit"))
		return err_set(e, ERR_INVALID, "decision", "审核结论应为uphold（维持）、amend（改定等级）或revisit（派核心专家复评）");
	if (strcmp(decision, "amend") == 0) {
		if (!jx_has(in, "level") || !scheme_level(s, level))
			return err_set(e, ERR_INVALID, "level", "改定等级须为保障方案定义的等级");
		if (level == ap.level)
			return err_set(e, ERR_INVALID, "level", "改定的等级与评估等级相同，请选择维持");
	}
	if (strcmp(decision, "uphold") != 0 && !jx_str(in, "reason"))
		return err_set(e, ERR_INVALID, "reason", "改定等级或派员复评须说明理由");
	if (strcmp(ap.status, "in_review") != 0)
		return app_wrong_state(&ap, "作出委员会审核结论", e);
	rc = db_int(db, &assessment, e, "SELECT MAX(id) FROM assessments WHERE application_id = $1", DB_INT(id));
	if (rc)
		return rc;
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO reviews (application_id, assessment_id, decision, level, reason, decided_by, decided_at)"
			     " VALUES ($1, $2, $3, $4, $5, $6, $7)",
			     DB_INT(id), DB_INT(assessment), DB_TEXT(decision), DB_INT_OR_NULL(strcmp(decision, "amend") == 0, level),
			     DB_TEXT(jx_str(in, "reason")), DB_TEXT(a->username), DB_INT(date_now_unix()));
	if (!rc && strcmp(decision, "revisit") == 0) {
		rc = app_draw(db, s, a, &ap, "revisit", &assignment, e);
		if (!rc)
			rc = app_transition(db, id, "in_review", "assigned", e);
	} else if (!rc) {
		rc = app_transition(db, id, "in_review", "awaiting_confirmation", e);
		if (!rc && strcmp(decision, "amend") == 0)
			rc = db_exec(db, NULL, e, "UPDATE applications SET level = $1 WHERE id = $2", DB_INT(level), DB_INT(id));
	}
	if (!rc)
		rc = app_audit(db, a, "review.decide", id,
			       json_pack("{s:s, s:i, s:s}", "decision", decision, "level", level, "reason",
					 jx_str(in, "reason") ? jx_str(in, "reason") : ""),
			       e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

/* First day of the month after day. */
static int32_t next_month(int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return date_add_months(date_from_ymd(y, m, 1), 1);
}

/* The conclusion: a certification in publication, notices with the level, validity and appeal deadline. */
static int conclude(struct db *db, const struct scheme *s, struct actor *a, const struct app_row *ap, struct err *e)
{
	const struct scheme_level *lv = scheme_level(s, ap->level);
	struct db_stmt *st = NULL;
	int32_t today = date_today_cn(), from;
	char today_s[DATE_STR], pub_s[DATE_STR], appeal_s[DATE_STR], from_s[DATE_STR], until_s[DATE_STR];
	char name[160] = "", phone[24] = "", body[700], ref[24], tail[120];
	int rc;

	if (!lv)
		return err_set(e, ERR_INTERNAL, NULL, "level %d is not in the scheme", ap->level);
	from = strcmp(s->assess.valid_from, "conclusion") == 0 ? today : next_month(today);
	date_format(today, today_s);
	date_format(today + s->periods.publication_days, pub_s);
	date_format(today + s->periods.appeal_days, appeal_s);
	date_format(from, from_s);
	date_format(date_add_months(from, s->periods.validity_months) - 1, until_s);
	rc = db_exec(db, NULL, e,
		     "INSERT INTO certifications (person_id, application_id, level, level_name, qualifies, concluded_on,"
		     " published_until, appeal_until, valid_from, valid_until, status, final, created_at, updated_at)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'publicised', $11, $12, $12)",
		     DB_INT(ap->person_id), DB_INT(ap->id), DB_INT(ap->level), DB_TEXT(lv->name), DB_INT(lv->qualifies),
		     DB_TEXT(today_s), DB_TEXT(pub_s), DB_TEXT(appeal_s), DB_TEXT(from_s), DB_TEXT(until_s),
		     DB_INT(strcmp(ap->type, "appeal") == 0), DB_INT(date_now_unix()));
	if (!rc)
		rc = db_exec(db, NULL, e, "UPDATE applications SET concluded_at = $1 WHERE id = $2", DB_INT(date_now_unix()),
			     DB_INT(ap->id));
	/* an appeal's conclusion replaces the one appealed against */
	if (!rc && ap->appeal_of)
		rc = db_exec(db, NULL, e,
			     "UPDATE certifications SET status = 'superseded', updated_at = $1 WHERE application_id = $2",
			     DB_INT(date_now_unix()), DB_INT(ap->appeal_of));
	if (rc)
		return rc;
	rc = db_query(db, &st, e, "SELECT name, phone FROM persons WHERE id = $1", DB_INT(ap->person_id));
	if (!rc && db_step(st, e) == DB_ROW) {
		str_copy(name, db_col_text(st, 0), sizeof name);
		str_copy(phone, db_col_text(st, 1) ? db_col_text(st, 1) : "", sizeof phone);
	}
	db_done(st);
	if (strcmp(ap->type, "appeal") == 0)
		snprintf(tail, sizeof tail, "本复核结论为最终结论。");
	else
		snprintf(tail, sizeof tail, "如有异议，请于%s前申请复核。", appeal_s);
	snprintf(body, sizeof body, "【%s医保局】%s您好，您的长期护理保险失能等级评估结论为：%s（%s）。公示期至%s；有效期%s至%s。%s",
		 s->region_name, name, lv->name, lv->qualifies ? "符合长护险待遇享受条件" : "未达到长护险待遇享受条件", pub_s,
		 from_s, until_s, tail);
	snprintf(ref, sizeof ref, "%lld", (long long)ap->id);
	if (!rc && (ap->agent_phone[0] || phone[0]))
		rc = notify_enqueue(db, "sms", ap->agent_phone[0] ? ap->agent_phone : phone, NULL, body, "application", ref, e);
	if (!rc && ap->agent_email[0])
		rc = notify_enqueue(db, "email", ap->agent_email, "长期护理保险失能等级评估结论通知", body, "application", ref, e);
	return rc;
}

int application_confirm(struct db *db, const struct scheme *s, struct actor *a, int64_t id, struct err *e)
{
	struct app_row ap;
	int64_t done = 0, count = 0;
	int rc;

	if (a->kind != ACTOR_USER || (a->role != ROLE_EXPERT && a->role != ROLE_COMMITTEE))
		return err_set(e, ERR_FORBIDDEN, NULL, "评估结论须由评估专家确认");
	rc = app_load(db, a, id, &ap, e);
	if (rc)
		return rc;
	if (strcmp(ap.status, "awaiting_confirmation") != 0)
		return app_wrong_state(&ap, "确认评估结论", e);
	rc = db_int(db, &done, e, "SELECT COUNT(*) FROM confirmations WHERE application_id = $1 AND user_id = $2", DB_INT(id),
		    DB_INT(a->user_id));
	if (rc)
		return rc;
	if (done)
		return err_set(e, ERR_CONFLICT, "user", "您已确认过本案结论，须另一位专家确认");
	rc = db_begin(db, e);
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "INSERT INTO confirmations (application_id, user_id, level, confirmed_at) VALUES ($1, $2, $3, $4)",
			     DB_INT(id), DB_INT(a->user_id), DB_INT(ap.level), DB_INT(date_now_unix()));
	if (!rc)
		rc = db_int(db, &count, e, "SELECT COUNT(*) FROM confirmations WHERE application_id = $1 AND level = $2",
			    DB_INT(id), DB_INT(ap.level));
	if (!rc && count >= 2) {
		rc = app_transition(db, id, "awaiting_confirmation", "publicised", e);
		if (!rc)
			rc = conclude(db, s, a, &ap, e);
	}
	if (!rc)
		rc = app_audit(db, a, count >= 2 ? "conclusion.publish" : "conclusion.confirm", id,
			       json_pack("{s:i, s:I}", "level", ap.level, "confirmations", (json_int_t)count), e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int application_certify(struct db *db, const struct scheme *s, struct actor *a, int64_t id, struct err *e)
{
	struct app_row ap;
	char until[DATE_STR] = "", today_s[DATE_STR];
	struct db_stmt *st = NULL;
	int rc = app_load(db, a, id, &ap, e);

	(void)s;
	if (rc)
		return rc;
	if (strcmp(ap.status, "publicised") != 0)
		return app_wrong_state(&ap, "认定", e);
	rc = db_query(db, &st, e, "SELECT published_until FROM certifications WHERE application_id = $1", DB_INT(id));
	if (!rc && db_step(st, e) == DB_ROW)
		str_copy(until, db_col_text(st, 0), sizeof until);
	db_done(st);
	if (rc)
		return rc;
	date_format(date_today_cn(), today_s);
	if (strcmp(today_s, until) <= 0)
		return err_set(e, ERR_CONFLICT, "published_until", "公示期至%s，公示期满后方可认定", until);
	rc = db_begin(db, e);
	if (!rc)
		rc = app_transition(db, id, "publicised", "certified", e);
	/* the new level replaces any earlier certified one */
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE certifications SET status = 'superseded', updated_at = $1 WHERE person_id = $2"
			     " AND status = 'certified' AND application_id <> $3",
			     DB_INT(date_now_unix()), DB_INT(ap.person_id), DB_INT(id));
	if (!rc)
		rc = db_exec(db, NULL, e,
			     "UPDATE certifications SET status = 'certified', updated_at = $1 WHERE application_id = $2"
			     " AND status = 'publicised'",
			     DB_INT(date_now_unix()), DB_INT(id));
	/* the person's care plan follows the new level, or ends before it */
	if (!rc) {
		int64_t cert = 0;
		int32_t from = 0;
		int qualifies = 0;
		rc = db_query(db, &st, e, "SELECT id, valid_from, qualifies FROM certifications WHERE application_id = $1",
			      DB_INT(id));
		if (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			cert = db_col_int(st, 0);
			date_parse(db_col_text(st, 1), &from);
			qualifies = (int)db_col_int(st, 2);
		} else if (rc == DB_DONE) {
			rc = 0;
		}
		db_done(st);
		if (!rc && cert)
			rc = care_plans_on_certified(db, ap.person_id, cert, ap.level, qualifies != 0, from, e);
	}
	if (!rc)
		rc = app_audit(db, a, "application.certify", id, json_pack("{s:i}", "level", ap.level), e);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return audit_commit(db, a, e);
}

int certify_due(struct db *db, const struct scheme *s, struct actor *a, int *count, struct err *e)
{
	struct db_stmt *st = NULL;
	char today_s[DATE_STR];
	int64_t ids[256], last = 0;
	int n = 0, rc;

	*count = 0;
	date_format(date_today_cn(), today_s);
	/* walk by id, so a case that cannot be certified (logged) does not hold back the others */
	do {
		n = 0;
		rc = db_query(db, &st, e,
			      "SELECT ap.id FROM applications ap JOIN certifications c ON c.application_id = ap.id"
			      " WHERE ap.status = 'publicised' AND c.published_until < $1 AND ap.id > $2 ORDER BY ap.id"
			      " LIMIT 256",
			      DB_TEXT(today_s), DB_INT(last));
		while (!rc && (rc = db_step(st, e)) == DB_ROW) {
			rc = 0;
			ids[n++] = db_col_int(st, 0);
		}
		if (rc == DB_DONE)
			rc = 0;
		db_done(st);
		for (int i = 0; i < n && !rc; i++) {
			struct err one = {0};
			last = ids[i];
			if (application_certify(db, s, a, ids[i], &one) == 0)
				(*count)++;
			else if (one.code == ERR_UNAVAILABLE || one.code == ERR_INTERNAL)
				rc = err_set(e, one.code, one.field[0] ? one.field : NULL, "%s", one.msg);
			else
				log_warn("event=certify_skipped application=%lld code=%d", (long long)ids[i], one.code);
		}
	} while (!rc && n == 256);
	return rc;
}

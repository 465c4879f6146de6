/* demo_registry.c: the demo city's insured persons: ~2,000 fictional people with plausible names, valid ID
 * numbers, addresses and coordinates inside the city, mixed insurance categories and flags, a few deaths and
 * hospital stays, and guardians for the oldest. Deterministic: the same demo every time. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/idcard.h"
#include "base/str.h"
#include "svc/demo.h"
#include "svc/demo_registry.h"

uint32_t demo_next(struct demo_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 2685821657736338717ULL) >> 32);
}

int demo_pick(struct demo_rng *r, int n)
{
	return (int)(demo_next(r) % (uint32_t)n);
}

#define next demo_next
#define pick demo_pick

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林",
	"罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘",
	"蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "钟", "陆", "汪", "范",
	"金", "石", "方", "邵", "应", "虞", "乐", "贺", "顾", "毛", "俞", "夏", "翁", "包", "竺", "邬",
};
static const char *const given_f[] = {
	"秀英", "桂英", "玉兰", "秀兰", "桂兰", "凤英", "素珍", "美华", "月娥", "阿娣", "翠花", "玉珍", "丽华",
	"慧芳", "静", "敏", "芳", "娟", "丽", "艳", "霞", "红梅", "海燕", "雪梅", "亚萍", "佩君", "雅琴", "晓燕",
};
static const char *const given_m[] = {
	"建国", "国强", "志明", "德华", "根宝", "阿毛", "金发", "永康", "海生", "福林", "伟", "强", "军", "勇",
	"明", "杰", "涛", "斌", "国华", "建平", "立新", "卫东", "海波", "文龙", "家宝", "中华", "春生", "水根",
};
static const char *const roads[] = {"人民路", "解放路", "江滨路", "海港路", "文昌路", "新桥街", "学府路", "北门街",
				    "盐田路", "渔港路", "青屿路", "枫林路", "东河路", "沙头街", "大岙路", "鼓楼巷"};
static const char *const hospitals[] = {"江海市人民医院", "江海市中医院", "临江区人民医院", "海湾区第一人民医院",
					"江海市第二人民医院"};
static const char *const relations[] = {"子女", "配偶", "子女", "儿媳", "女婿", "孙子女", "其他亲属"};

/* Neighbourhood codes with their centre (micro-degrees) and the district code used in local ID numbers. */
static const struct {
	const char *code;
	int64_t lat, lon;
} homes[] = {
	{"339902001001", 29990000, 122200000}, {"339902001002", 29992000, 122205000}, {"339902001003", 29987000, 122208000},
	{"339902001004", 29985000, 122199000}, {"339902002001", 30001000, 122195000}, {"339902002002", 30004000, 122190000},
	{"339902002003", 30006000, 122198000}, {"339902101201", 30030000, 122150000}, {"339902101202", 30035000, 122142000},
	{"339902101203", 30026000, 122138000}, {"339903001001", 29950000, 122300000}, {"339903001002", 29955000, 122305000},
	{"339903001003", 29948000, 122310000}, {"339903002001", 29930000, 122290000}, {"339903002002", 29925000, 122295000},
	{"339903002003", 29932000, 122285000}, {"339903101201", 29900000, 122350000}, {"339903101202", 29895000, 122360000},
	{"339903101203", 29905000, 122355000}, {"339903101204", 29898000, 122345000},
};

void demo_person_name(struct demo_rng *r, bool female, char *out, size_t size)
{
	snprintf(out, size, "%s%s", surnames[pick(r, (int)(sizeof surnames / sizeof surnames[0]))],
		 female ? given_f[pick(r, (int)(sizeof given_f / sizeof given_f[0]))]
			: given_m[pick(r, (int)(sizeof given_m / sizeof given_m[0]))]);
}

int demo_registry_load(struct db *db, struct demo_summary *out, struct err *e)
{
	struct demo_rng r = {0x5eed1234abcdULL};
	int32_t today = date_today_cn();
	int64_t now = date_now_unix(), area_ids[sizeof homes / sizeof homes[0]];
	int rc = 0;

	for (size_t h = 0; h < sizeof homes / sizeof homes[0]; h++)
		if ((rc = db_int(db, &area_ids[h], e, "SELECT id FROM areas WHERE code = $1", DB_TEXT(homes[h].code))))
			return rc;
	for (int i = 0; i < DEMO_PERSONS && !rc; i++) {
		char id[19], name[32], phone[16], address[96], birth_s[DATE_STR], from_s[DATE_STR], death_s[DATE_STR];
		int h = pick(&r, (int)(sizeof homes / sizeof homes[0]));
		/* an ageing city: half the people are 60 or over */
		int age = pick(&r, 2) ? 60 + pick(&r, 36) : 18 + pick(&r, 42);
		int y, m, d, sex_f = pick(&r, 2);
		int32_t birth = today - (int32_t)(age * 365.25) - pick(&r, 365), from;
		int64_t pid = 0;
		bool employee = age < 60 ? pick(&r, 10) < 6 : pick(&r, 10) < 3;
		bool assistance = !employee && pick(&r, 100) < 4, sponsored = !employee && pick(&r, 100) < 3;
		const char *status = pick(&r, 100) < 2 ? "suspended" : "active";

		date_to_ymd(birth, &y, &m, &d);
		/* local ID numbers carry the district of first registration; some people came from elsewhere */
		snprintf(id, sizeof id, "%s%04d%02d%02d%02d%d", pick(&r, 5) ? (h < 10 ? "339902" : "339903") : "330902", y,
			 m, d, i % 100, sex_f ? 2 * pick(&r, 5) : 2 * pick(&r, 5) + 1);
		id[17] = idcard_check_char(id);
		id[18] = '\0';
		demo_person_name(&r, sex_f, name, sizeof name);
		snprintf(phone, sizeof phone, "1%d%09u", 3 + pick(&r, 7), next(&r) % 1000000000u);
		snprintf(address, sizeof address, "江海市%s%d号%d室", roads[pick(&r, (int)(sizeof roads / sizeof roads[0]))],
			 1 + pick(&r, 300), 101 + pick(&r, 18) * 100 + pick(&r, 8));
		date_format(birth, birth_s);
		rc = db_int(db, &pid, e,
			    "INSERT INTO persons (id_number, id_last4, name, sex, birth_date, phone, address, area_id, lat_e6,"
			    " lon_e6, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)"
			    " RETURNING id",
			    DB_TEXT(id), DB_TEXT(id + 14), DB_TEXT(name), DB_TEXT(sex_f ? "F" : "M"), DB_TEXT(birth_s),
			    DB_TEXT(phone), DB_TEXT(address), DB_INT(area_ids[h]),
			    DB_INT(homes[h].lat - 4000 + pick(&r, 8000)), DB_INT(homes[h].lon - 4000 + pick(&r, 8000)),
			    DB_INT(now));
		if (rc)
			break;
		out->persons++;
		/* enrolled since the scheme's predecessor began, or since coming of age */
		from = date_from_ymd(2020, 1, 1);
		if (from < birth + 18 * 366)
			from = birth + 18 * 366;
		date_format(from, from_s);
		rc = db_exec(db, NULL, e,
			     "INSERT INTO enrolments (person_id, category, assistance, sponsored, status, effective_from,"
			     " source, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, 'active', $5, 'demo', $6, 'system:demo')",
			     DB_INT(pid), DB_TEXT(employee ? "employee" : "resident"), DB_INT(assistance), DB_INT(sponsored),
			     DB_TEXT(from_s), DB_INT(now));
		out->enrolments++;
		/* retirees move from employee to the same cover; a few change category or pause */
		if (!rc && strcmp(status, "active") != 0) {
			rc = db_exec(db, NULL, e,
				     "INSERT INTO enrolments (person_id, category, assistance, sponsored, status, effective_from,"
				     " source, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, '2025-07-01', 'demo', $6,"
				     " 'system:demo')",
				     DB_INT(pid), DB_TEXT(employee ? "employee" : "resident"), DB_INT(assistance),
				     DB_INT(sponsored), DB_TEXT(status), DB_INT(now));
			out->enrolments++;
		}
		/* guardians (agents) for the oldest */
		if (!rc && age >= 75) {
			char cname[32];
			snprintf(cname, sizeof cname, "%s%s", surnames[pick(&r, (int)(sizeof surnames / sizeof surnames[0]))],
				 given_m[pick(&r, (int)(sizeof given_m / sizeof given_m[0]))]);
			snprintf(phone, sizeof phone, "1%d%09u", 3 + pick(&r, 7), next(&r) % 1000000000u);
			rc = db_exec(db, NULL, e,
				     "INSERT INTO person_contacts (person_id, name, relation, phone, is_agent, created_at)"
				     " VALUES ($1, $2, $3, $4, 1, $5)",
				     DB_INT(pid), DB_TEXT(cname),
				     DB_TEXT(relations[pick(&r, (int)(sizeof relations / sizeof relations[0]))]), DB_TEXT(phone),
				     DB_INT(now));
		}
		/* about 1 % died this year or last */
		if (!rc && age >= 80 && pick(&r, 100) < 6) {
			date_format(today - 30 - pick(&r, 400), death_s);
			rc = db_exec(db, NULL, e, "UPDATE persons SET death_date = $1 WHERE id = $2", DB_TEXT(death_s),
				     DB_INT(pid));
		}
		/* hospital stays of the elderly */
		if (!rc && age >= 65 && pick(&r, 100) < 8) {
			char adm[DATE_STR], dis[DATE_STR];
			int32_t a = today - 20 - pick(&r, 300);
			date_format(a, adm);
			date_format(a + 3 + pick(&r, 20), dis);
			rc = db_exec(db, NULL, e,
				     "INSERT INTO hospital_stays (person_id, admitted, discharged, hospital, source, recorded_at)"
				     " VALUES ($1, $2, $3, $4, 'demo', $5)",
				     DB_INT(pid), DB_TEXT(adm), DB_TEXT(dis),
				     DB_TEXT(hospitals[pick(&r, (int)(sizeof hospitals / sizeof hospitals[0]))]), DB_INT(now));
		}
	}
	return rc;
}

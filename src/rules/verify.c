/* verify.c: visit verification (see verify.h and docs/SCHEMES.md, "Visit verification"). Distances are compared in
 * whole metres and speeds in integers (metres x 3600 against km/h x 1000 x seconds), so that every boundary is
 * exact and the same on every machine. */
#include "rules/verify.h"

#include <math.h>
#include <string.h>

#include "base/geo.h"

int verify_distance_m(const struct verify_point *a, const struct verify_point *b)
{
	double d;

	if (!a->has || !b->has)
		return -1;
	d = geo_distance_m(a->lat_e6, a->lon_e6, b->lat_e6, b->lon_e6);
	return d < 1e9 ? (int)lround(d) : 1000000000; /* half the Earth's circumference is 2e7 m: never capped */
}

int verify_minutes(const struct verify_visit *v)
{
	int64_t secs = v->checkout_at - v->checkin_at;

	if (!v->checkout_at || secs <= 0)
		return 0;
	return secs / 60 < INT32_MAX ? (int)(secs / 60) : INT32_MAX;
}

/* NO_GPS, LOW_ACCURACY, OUTSIDE_GEOFENCE: presence at the home at check-in. */
static uint32_t judge_position(const struct scheme_visits *p, const struct verify_visit *v)
{
	int acc = v->in.accuracy_m > 0 ? v->in.accuracy_m : 0, dist;

	if (!v->in.has)
		return 1u << VR_NO_GPS;
	if (acc > p->max_accuracy_m)
		return 1u << VR_LOW_ACCURACY;
	dist = verify_distance_m(&v->home, &v->in);
	if (dist < 0)
		return 0; /* no home coordinates: the fence cannot be judged */
	/* acc <= max_accuracy_m here, so min(acc, max_accuracy_m) is acc */
	return (int64_t)dist > (int64_t)p->geofence_m + acc ? 1u << VR_OUTSIDE_GEOFENCE : 0;
}

/* OVERLAP and TRAVEL against the caregiver's previous visit. */
static uint32_t judge_previous(const struct scheme_visits *p, const struct verify_visit *v,
			       const struct verify_prev *prev)
{
	uint32_t r = 0;
	int64_t gap;
	int dist;

	if (!prev || !prev->has || !prev->checkout_at)
		return 0;
	if (prev->checkout_at > v->checkin_at)
		r |= 1u << VR_OVERLAP;
	dist = verify_distance_m(&prev->out, &v->in);
	if (dist <= VERIFY_SAME_PLACE_M) /* also -1: a position is missing */
		return r;
	gap = v->checkin_at - prev->checkout_at;
	/* dist / gap > max km/h  <=>  dist m x 3600 > max x 1000 m x gap s (no gap at all: any distance is too far) */
	if (gap <= 0 || (int64_t)dist * 3600 > (int64_t)p->max_speed_kmh * 1000 * gap)
		r |= 1u << VR_TRAVEL;
	return r;
}

enum verify_state verify_visit(const struct scheme_visits *p, const struct verify_visit *v,
			       const struct verify_prev *prev, int64_t now, uint32_t *reasons)
{
	uint32_t r = 0;

	if (!v->checkout_at) {
		if (now - v->checkin_at < (int64_t)p->missing_checkout_hours * 3600) {
			if (reasons)
				*reasons = 0;
			return VERIFY_PENDING;
		}
		r |= 1u << VR_NO_CHECKOUT;
	}
	if (v->qualified != QUAL_OK)
		r |= 1u << VR_UNQUALIFIED;
	r |= judge_position(p, v);
	if (v->checkout_at) {
		int min = (unsigned)v->mode < CARE_MODE_COUNT ? p->min_minutes[v->mode] : 0;
		if (min > 0 && v->checkout_at - v->checkin_at < (int64_t)min * 60)
			r |= 1u << VR_SHORT;
		if (v->max_minutes_per_week > 0 &&
		    (int64_t)v->week_minutes_before + verify_minutes(v) > v->max_minutes_per_week)
			r |= 1u << VR_OVER_ENTITLEMENT;
	}
	r |= judge_previous(p, v, prev);
	if (!v->certified)
		r |= 1u << VR_NOT_CERTIFIED;
	if (v->death_day && v->day > v->death_day)
		r |= 1u << VR_DECEASED;
	if (v->in_hospital)
		r |= 1u << VR_HOSPITAL;
	if (!v->plan_in_force)
		r |= 1u << VR_NO_PLAN;
	if (v->items_not_in_plan > 0)
		r |= 1u << VR_ITEM_NOT_IN_PLAN;
	if (v->disputed)
		r |= 1u << VR_DISPUTED;
	if (reasons)
		*reasons = r;
	return r ? VERIFY_EXCEPTION : VERIFY_OK;
}

static const char *const codes[VR_COUNT] = {
	"unqualified", "no_gps",  "low_accuracy", "outside_geofence", "short",
	"overlap",     "travel",  "not_certified", "deceased",        "hospital",
	"no_plan",     "over_entitlement", "item_not_in_plan", "no_checkout", "disputed",
};
static const char *const texts[VR_COUNT] = {
	"护理员当日不具备上岗资格",
	"签到时无定位信息",
	"签到定位精度不足",
	"签到位置不在服务对象住址范围内",
	"服务时长不足规定时长",
	"与该护理员上一次服务时间重叠",
	"与上一次服务之间的路程无法在间隔时间内到达",
	"服务对象当日无有效失能等级",
	"服务对象已身故",
	"服务对象当日住院",
	"当日无生效的护理计划",
	"超出护理计划每周服务时长",
	"服务项目不在护理计划内",
	"超时未签退",
	"服务对象或代理人提出异议",
};

const char *verify_reason_code(enum verify_reason r)
{
	return (unsigned)r < VR_COUNT ? codes[r] : "unknown";
}

const char *verify_reason_text(enum verify_reason r)
{
	return (unsigned)r < VR_COUNT ? texts[r] : "未知";
}

int verify_reason_parse(const char *code)
{
	for (int i = 0; code && i < VR_COUNT; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

json_t *verify_reasons_json(uint32_t reasons)
{
	json_t *a = json_array();

	for (int i = 0; i < VR_COUNT; i++)
		if (reasons & (1u << i))
			json_array_append_new(a, json_pack("{s:s, s:s}", "code", codes[i], "text", texts[i]));
	return a;
}

static const char *const state_codes[] = {"pending", "verified", "exception"};
static const char *const state_texts[] = {"待核验", "核验通过", "核验异常"};

bool verify_hospital_day(int32_t admitted, int32_t discharged, int32_t day)
{
	if (day < admitted)
		return false;
	if (!discharged)
		return true;
	return day <= (discharged > admitted ? discharged - 1 : admitted);
}

const char *verify_state_code(enum verify_state s)
{
	return (unsigned)s < 3 ? state_codes[s] : "unknown";
}

const char *verify_state_text(enum verify_state s)
{
	return (unsigned)s < 3 ? state_texts[s] : "未知";
}

int verify_state_parse(const char *code)
{
	for (int i = 0; code && i < 3; i++)
		if (strcmp(state_codes[i], code) == 0)
			return i;
	return -1;
}

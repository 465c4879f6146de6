/* scheme_visits.c: the visits section of a scheme ($.visits): the thresholds of electronic visit verification
 * (geofence, GPS accuracy, the shortest payable visit per care mode, the fastest possible travel between visits, the
 * missing check-out), the time limits around a visit record (late delivery, lock, rating window, the family-care
 * attestation day), the audio size cap and the complaint categories with their deadlines. Optional: a scheme
 * without it loads with visits.defined false. Every problem is reported with its JSON path, like the other sections. */
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "base/str.h"
#include "scheme/scheme_impl.h"

#define P "$.visits"

/* Ranges of the figures (docs/SCHEMES.md, "Visits"). */
#define GEOFENCE_MIN_M 10          /* below a phone's usual accuracy: every honest check-in would fail */
#define GEOFENCE_MAX_M 5000        /* a village, not a district: beyond this the fence proves nothing */
#define ACCURACY_MIN_M 5
#define ACCURACY_MAX_M 1000        /* a cell-tower fix; coarser cannot place anyone at an address */
#define SPEED_MIN_KMH 5            /* walking pace */
#define SPEED_MAX_KMH 300          /* a high-speed train */
#define CHECKOUT_MAX_HOURS 72
#define LATE_MAX_MINUTES 10080     /* a week */
#define LOCK_MAX_DAYS 366
#define AUDIO_MAX_MB (LIMIT_UPLOAD_BYTES / (1024 * 1024)) /* no larger than an upload may be */
#define RATING_MAX_DAYS 90
#define ATTESTATION_MAX_DAY 28     /* a day every month has */
#define COMPLAINT_MAX_DAYS 90

/* A complaint category key: 1-23 lower-case ASCII letters, digits or '_'. */
static bool key_ok(const char *k)
{
	if (!k[0])
		return false;
	for (; *k; k++)
		if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
			return false;
	return true;
}

static void parse_min_minutes(json_t *o, const struct scheme *s, struct scheme_visits *v, struct scheme_diag *d)
{
	const char *key;
	json_t *x;
	char fp[96];

	json_object_foreach(o, key, x) {
		int m = care_mode_parse(key);
		sch_path_join(fp, sizeof fp, P ".min_minutes", key);
		if (m < 0) {
			sch_problem(d, fp, "unknown care mode (home, family or institution)");
			continue;
		}
		v->min_minutes[m] = sch_get_int(o, key, P ".min_minutes", 0, SCHEME_ITEM_MINUTES_MAX, 0, true, d);
		if (m == CARE_INSTITUTION && v->min_minutes[m])
			sch_problem(d, fp, "must be 0: institutional care has no visits (daily presence instead)");
	}
	/* a visiting mode the care section offers has visits, so a minimum above 0 (0 means no visits) */
	for (int m = CARE_HOME; m <= CARE_FAMILY && s->care.defined; m++) {
		const char *name = care_mode_name((enum care_mode)m);
		if (!s->care.modes[m])
			continue;
		x = json_object_get(o, name);
		sch_path_join(fp, sizeof fp, P ".min_minutes", name);
		if (!x)
			sch_problem(d, fp, "required (1 to %d): %s care is offered ($.care)", SCHEME_ITEM_MINUTES_MAX, name);
		else if (json_is_integer(x) && json_integer_value(x) == 0)
			sch_problem(d, fp, "must be above 0: %s care is offered ($.care)", name);
	}
}

static void parse_categories(json_t *arr, struct scheme_visits *v, struct scheme_diag *d)
{
	static const char *const keys[] = {"key", "name", "days", "note", NULL};
	json_t *x;
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > SCHEME_MAX_COMPLAINT_CATEGORIES) {
		sch_problem(d, P ".complaint_categories", "must be an array of 1 to %d categories {key, name, days}",
			    SCHEME_MAX_COMPLAINT_CATEGORIES);
		return;
	}
	json_array_foreach(arr, i, x) {
		struct scheme_complaint_category *c = &v->complaint_categories[v->n_complaint_categories];
		char cp[64], fp[80];
		snprintf(cp, sizeof cp, P ".complaint_categories[%zu]", i);
		if (!json_is_object(x)) {
			sch_problem(d, cp, "must be an object {key, name, days}");
			continue;
		}
		sch_known_keys(x, cp, keys, d);
		sch_get_string(x, "key", cp, c->key, sizeof c->key, true, d);
		sch_get_string(x, "name", cp, c->name, sizeof c->name, true, d);
		c->days = sch_get_int(x, "days", cp, 1, COMPLAINT_MAX_DAYS, 0, true, d);
		if (c->key[0]) {
			sch_path_join(fp, sizeof fp, cp, "key");
			if (!key_ok(c->key))
				sch_problem(d, fp, "use lower-case letters, digits and '_' only");
			for (int k = 0; k < v->n_complaint_categories; k++)
				if (strcmp(v->complaint_categories[k].key, c->key) == 0)
					sch_problem(d, fp, "category key '%s' is used twice", c->key);
		}
		v->n_complaint_categories++;
	}
}

void sch_parse_visits(json_t *doc, struct scheme *s, struct scheme_diag *d)
{
	static const char *const keys[] = {"note", "geofence_m", "max_accuracy_m", "min_minutes", "max_speed_kmh",
					   "missing_checkout_hours", "late_delivery_minutes", "lock_days",
					   "audio_max_mb", "rating_days", "attestation_day", "complaint_categories",
					   NULL};
	struct scheme_visits *v = &s->visits;
	json_t *o = sch_get_object(doc, "visits", "$", false, d), *mm, *note;

	if (!o)
		return;
	v->defined = true;
	sch_known_keys(o, P, keys, d);
	note = json_object_get(o, "note");
	if (note && !json_is_string(note))
		sch_problem(d, P ".note", "must be a string");
	v->geofence_m = sch_get_int(o, "geofence_m", P, GEOFENCE_MIN_M, GEOFENCE_MAX_M, 0, true, d);
	v->max_accuracy_m = sch_get_int(o, "max_accuracy_m", P, ACCURACY_MIN_M, ACCURACY_MAX_M, 0, true, d);
	mm = sch_get_object(o, "min_minutes", P, true, d);
	if (mm)
		parse_min_minutes(mm, s, v, d);
	v->max_speed_kmh = sch_get_int(o, "max_speed_kmh", P, SPEED_MIN_KMH, SPEED_MAX_KMH, 0, true, d);
	v->missing_checkout_hours = sch_get_int(o, "missing_checkout_hours", P, 1, CHECKOUT_MAX_HOURS, 0, true, d);
	v->late_delivery_minutes = sch_get_int(o, "late_delivery_minutes", P, 1, LATE_MAX_MINUTES, 0, true, d);
	v->lock_days = sch_get_int(o, "lock_days", P, 1, LOCK_MAX_DAYS, 0, true, d);
	v->audio_max_mb = sch_get_int(o, "audio_max_mb", P, 1, AUDIO_MAX_MB, 0, true, d);
	v->rating_days = sch_get_int(o, "rating_days", P, 1, RATING_MAX_DAYS, 0, true, d);
	v->attestation_day = sch_get_int(o, "attestation_day", P, 1, ATTESTATION_MAX_DAY, 0, true, d);
	/* a visit is rated before its record locks; rating later would dispute a record nobody can correct */
	if (v->rating_days && v->lock_days && v->rating_days > v->lock_days)
		sch_problem(d, P ".rating_days", "must not be above lock_days (%d > %d): a dispute must come before the "
						 "record locks", v->rating_days, v->lock_days);
	parse_categories(json_object_get(o, "complaint_categories"), v, d);
}

const struct scheme_complaint_category *scheme_complaint_category(const struct scheme *s, const char *key)
{
	for (int i = 0; s && key && i < s->visits.n_complaint_categories; i++)
		if (strcmp(s->visits.complaint_categories[i].key, key) == 0)
			return &s->visits.complaint_categories[i];
	return NULL;
}

json_t *scheme_visits_json(const struct scheme *s)
{
	const struct scheme_visits *v = &s->visits;
	json_t *cats = json_array(), *mm = json_object(), *note = json_object_get(json_object_get(s->doc, "visits"), "note");

	for (int i = 0; i < v->n_complaint_categories; i++)
		json_array_append_new(cats, json_pack("{s:s, s:s, s:i}", "key", v->complaint_categories[i].key, "name",
						      v->complaint_categories[i].name, "days",
						      v->complaint_categories[i].days));
	for (int m = 0; m < CARE_MODE_COUNT; m++)
		json_object_set_new(mm, care_mode_name((enum care_mode)m), json_integer(v->min_minutes[m]));
	return json_pack("{s:b, s:o, s:i, s:i, s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o}", "defined", v->defined,
			 "note", v->defined && json_is_string(note) ? json_copy(note) : json_null(), "geofence_m",
			 v->geofence_m, "max_accuracy_m", v->max_accuracy_m, "min_minutes", mm, "max_speed_kmh",
			 v->max_speed_kmh, "missing_checkout_hours", v->missing_checkout_hours, "late_delivery_minutes",
			 v->late_delivery_minutes, "lock_days", v->lock_days, "audio_max_mb", v->audio_max_mb,
			 "rating_days", v->rating_days, "attestation_day", v->attestation_day, "complaint_categories",
			 cats);
}

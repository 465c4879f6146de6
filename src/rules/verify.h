/* verify.h: electronic visit verification (EVV, DOMAIN.md 3.5): whether one home visit is payable, judged against
 * the scheme's thresholds ($.visits) and the facts the caller loads (caregiver qualification, the beneficiary's
 * certification, hospital stays and death, the plan and its week, the caregiver's previous visit). A visit ends as
 * verified or as an exception with every reason found, as bits of a mask. Pure: no I/O, no clock (the caller passes
 * now). Times are Unix seconds, days as in base/date.h, coordinates micro-degrees. The rules are written out in
 * docs/SCHEMES.md, "Visit verification". */
#ifndef LTCI_RULES_VERIFY_H
#define LTCI_RULES_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "rules/qualify.h"
#include "scheme/scheme.h"

/* Consecutive visits whose end and start points are at most this far apart are never impossible travel, whatever
 * the gap between them (even none): the same building, or a couple served one after the other in one home, seen
 * through two GPS fixes that each wander by tens of metres. */
#define VERIFY_SAME_PLACE_M 50

enum verify_reason {            /* bit positions */
	VR_UNQUALIFIED = 0,     /* caregiver not qualified that day: never payable */
	VR_NO_GPS,              /* no position at check-in */
	VR_LOW_ACCURACY,        /* accuracy worse than max_accuracy_m */
	VR_OUTSIDE_GEOFENCE,    /* farther than geofence_m + min(accuracy, max_accuracy_m) from the home */
	VR_SHORT,               /* checked out less than min_minutes after check-in */
	VR_OVERLAP,             /* starts before the same caregiver's previous visit ended */
	VR_TRAVEL,              /* the previous visit's end point to this start needs more than max_speed_kmh */
	VR_NOT_CERTIFIED,       /* beneficiary without a certified qualifying level that day */
	VR_DECEASED,            /* after the day of death (the day of death itself is allowed) */
	VR_HOSPITAL,            /* beneficiary in hospital that day (verify_hospital_day) */
	VR_NO_PLAN,             /* no care plan in force that day */
	VR_OVER_ENTITLEMENT,    /* the plan week's verified minutes would pass the weekly maximum */
	VR_ITEM_NOT_IN_PLAN,    /* an item performed that the plan does not include */
	VR_NO_CHECKOUT,         /* no check-out missing_checkout_hours after check-in */
	VR_DISPUTED,            /* disputed by the beneficiary or agent */
	VR_COUNT
};

/* Every reason bit. */
#define VERIFY_ALL_REASONS ((1u << VR_COUNT) - 1)

struct verify_point {
	bool has;                       /* false: no position */
	int64_t lat_e6, lon_e6;
	int accuracy_m;                 /* the fix's accuracy radius; a negative value counts as 0 */
};

struct verify_visit {
	int mode;                       /* enum care_mode */
	int64_t checkin_at, checkout_at;  /* server-accepted times; checkout_at 0 = none yet */
	struct verify_point in, out;
	struct verify_point home;       /* the beneficiary's registered home */
	enum qual_result qualified;     /* caregiver_qualified for the visit's provider on the visit day */
	bool certified, plan_in_force, in_hospital, disputed;
	int32_t day, death_day;         /* the visit day; death_day 0 = alive */
	int week_minutes_before;        /* verified minutes of the same plan week before this visit */
	int max_minutes_per_week;       /* the plan's entitlement (0 = no maximum) */
	int items_not_in_plan;          /* count, computed by the caller */
};

/* The caregiver's previous visit (the one checked in last before this one); has false if none. A previous visit
 * without check-out (checkout_at 0) is not compared: its own missing check-out is its exception. */
struct verify_prev {
	bool has;
	int64_t checkout_at;
	struct verify_point out;
};

enum verify_state { VERIFY_PENDING = 0, VERIFY_OK, VERIFY_EXCEPTION };

/* now: the current time (for the missing check-out). Returns the state and the reasons as a bit mask. A visit
 * without check-out within missing_checkout_hours is PENDING with no reasons. A visit without check-out after that
 * is an EXCEPTION with NO_CHECKOUT plus every other reason that can be judged without a check-out (all but SHORT
 * and OVER_ENTITLEMENT). p must be a defined section (the thresholds of an absent one are 0). prev may be NULL
 * (no previous visit); reasons may be NULL. */
enum verify_state verify_visit(const struct scheme_visits *p, const struct verify_visit *v,
			       const struct verify_prev *prev, int64_t now, uint32_t *reasons);
/* Whole minutes between check-in and check-out, rounded down (0 if none, or if check-out is not after check-in). */
int verify_minutes(const struct verify_visit *v);

/* Whether day is a hospital day of a stay admitted on admitted and discharged on discharged (0: still in hospital):
 * admission day through the day before discharge, the way a hospital counts bed days (住院天数 "算入不算出"), so
 * the discharge day is a day at home that may be served and paid; a stay admitted and discharged the same day is
 * that one day. The one rule for visit verification and settlement. */
bool verify_hospital_day(int32_t admitted, int32_t discharged, int32_t day);
/* The great-circle distance between two points rounded to the nearest metre, as the rules compare it; -1 if either
 * has no position. */
int verify_distance_m(const struct verify_point *a, const struct verify_point *b);

/* "unqualified", "no_gps", "low_accuracy", "outside_geofence", "short", "overlap", "travel", "not_certified",
 * "deceased", "hospital", "no_plan", "over_entitlement", "item_not_in_plan", "no_checkout", "disputed" ("unknown"
 * out of range). */
const char *verify_reason_code(enum verify_reason r);
/* The reason in Chinese for people ("未知" out of range). */
const char *verify_reason_text(enum verify_reason r);
/* The reason of a code, or -1 if unknown (or NULL). */
int verify_reason_parse(const char *code);
/* [{"code", "text"}] for each bit set, in bit order (bits from VR_COUNT up are ignored). New reference. */
json_t *verify_reasons_json(uint32_t reasons);
/* "pending", "verified" (VERIFY_OK), "exception" ("unknown" out of range), as stored with a visit. */
const char *verify_state_code(enum verify_state s);
/* 待核验, 核验通过, 异常 ("未知" out of range). */
const char *verify_state_text(enum verify_state s);
/* The state of a code, or -1 if unknown (or NULL). */
int verify_state_parse(const char *code);

#endif

/* test_verify.c: visit verification (rules/verify.h) at every boundary: the geofence edge with and without the
 * fix's accuracy and at the accuracy cap, the rounding of the distance to whole metres, the duration edge per care
 * mode, an overlap by one second, travel speed just below and just above the maximum and the same-place allowance,
 * the hospital stay's first and last days, the day of death and the day after, the certificate's expiry day (through
 * qualify_on), the weekly entitlement, the missing check-out; then combinations, the codes, texts and parse round
 * trip, the JSON, and the shipped schemes' figures. Every expected value is worked by hand in the comments.
 *
 * Distances: the positions are offset due north (or south) of a point, where haversine is exact: d = R x dlat with
 * R = 6,371,008.8 m, so one micro-degree of latitude is 6,371,008.8 x pi / 180e6 = 0.11119508 m. A helper finds the
 * offset for a wanted distance and the tests assert the offsets worked out here (200 m -> 1,799 udeg = 200.04 m). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/geo.h"
#include "rules/qualify.h"
#include "rules/verify.h"
#include "scheme/scheme.h"

#define M_PER_UDEG 0.11119508023353292 /* metres per micro-degree of latitude (see the top comment) */

static int32_t D(const char *s)
{
	int32_t d = 0;

	if (!date_parse(s, &d))
		fail_msg("test date %s did not parse", s);
	return d;
}

/* hh:mm:ss on day in Asia/Shanghai (UTC+8) as Unix seconds. */
static int64_t T(const char *day, int h, int m, int s)
{
	return (int64_t)D(day) * 86400 + h * 3600 + m * 60 + s - 8 * 3600;
}

/* The thresholds of the example (Zhoushan's file carries the same figures). */
static struct scheme_visits rules(void)
{
	struct scheme_visits p = {.defined = true, .geofence_m = 200, .max_accuracy_m = 100, .max_speed_kmh = 60,
				  .missing_checkout_hours = 4, .late_delivery_minutes = 15, .lock_days = 10,
				  .audio_max_mb = 50, .rating_days = 7, .attestation_day = 5};

	p.min_minutes[CARE_HOME] = 60;
	p.min_minutes[CARE_FAMILY] = 60;
	p.min_minutes[CARE_INSTITUTION] = 0;
	return p;
}

/* A home in Dinghai, Zhoushan. */
static const struct verify_point HOME = {true, 30016000, 122107000, 0};

static struct verify_point north(struct verify_point from, int64_t udeg, int accuracy)
{
	struct verify_point p = from;

	p.lat_e6 += udeg;
	p.accuracy_m = accuracy;
	return p;
}

/* The whole micro-degrees due north of from whose distance is nearest to target metres (searched around the
 * flat estimate). */
static int64_t udeg_for(struct verify_point from, double target)
{
	int64_t guess = (int64_t)(target / M_PER_UDEG), best = guess;
	double best_err = 1e9;

	for (int64_t u = guess - 3; u <= guess + 3; u++) {
		double d = geo_distance_m(from.lat_e6, from.lon_e6, from.lat_e6 + u, from.lon_e6);
		if (fabs(d - target) < best_err) {
			best_err = fabs(d - target);
			best = u;
		}
	}
	if (best_err > M_PER_UDEG / 2)
		fail_msg("no micro-degree offset within half a step of %.3f m", target);
	return best;
}

/* A clean home visit on 2025-03-14, 09:00-10:00, 20 m from the home with a 15 m fix: verified. */
static struct verify_visit visit(void)
{
	struct verify_visit v = {.mode = CARE_HOME, .checkin_at = T("2025-03-14", 9, 0, 0),
				 .checkout_at = T("2025-03-14", 10, 0, 0), .home = HOME, .qualified = QUAL_OK,
				 .certified = true, .plan_in_force = true, .day = D("2025-03-14"),
				 .max_minutes_per_week = 420};

	v.in = north(HOME, 180, 15); /* 180 udeg = 20.02 m */
	v.out = north(HOME, 200, 20);
	return v;
}

static const int64_t NOW = 1900000000; /* 2030: long after every visit here (check-out judged, not pending) */

#define BIT(r) (1u << (r))

/* Verify and expect exactly the reasons in want (0: verified). */
static void expect(const struct scheme_visits *p, const struct verify_visit *v, const struct verify_prev *prev,
		   uint32_t want, const char *what)
{
	uint32_t got = 0xffffffffu;
	enum verify_state st = verify_visit(p, v, prev, NOW, &got);

	if (got != want || st != (want ? VERIFY_EXCEPTION : VERIFY_OK)) {
		for (int i = 0; i < VR_COUNT; i++)
			if ((got ^ want) & BIT(i))
				print_message("  %s: %s %s\n", what, verify_reason_code((enum verify_reason)i),
					      got & BIT(i) ? "reported, not wanted" : "wanted, not reported");
		fail_msg("%s: state %s reasons 0x%x, want 0x%x", what, verify_state_code(st), got, want);
	}
}

/* ---- presence: GPS, accuracy, geofence ---- */

static void test_clean_visit(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	uint32_t r = 123;

	expect(&p, &v, NULL, 0, "clean visit");
	assert_int_equal(verify_visit(&p, &v, NULL, NOW, &r), VERIFY_OK);
	assert_int_equal(r, 0);
	assert_int_equal(verify_visit(&p, &v, NULL, NOW, NULL), VERIFY_OK); /* reasons may be NULL */
	assert_int_equal(verify_minutes(&v), 60);
	assert_int_equal(verify_distance_m(&v.home, &v.in), 20);
}

static void test_hand_worked_offsets(void **state)
{
	/* the helper finds the offsets worked out by hand: round(distance / 0.11119508) micro-degrees */
	assert_int_equal(udeg_for(HOME, 200), 1799);   /* 1,798.6 -> 1,799 udeg = 200.040 m */
	assert_int_equal(udeg_for(HOME, 201), 1808);   /* 1,807.6 -> 1,808 udeg = 201.041 m */
	assert_int_equal(udeg_for(HOME, 235), 2113);   /* 2,113.4 -> 2,113 udeg = 234.955 m */
	assert_int_equal(udeg_for(HOME, 236), 2122);   /* 2,122.4 -> 2,122 udeg = 235.956 m */
	assert_int_equal(udeg_for(HOME, 300), 2698);   /* 2,698.0 -> 2,698 udeg = 300.004 m */
	assert_int_equal(udeg_for(HOME, 301), 2707);   /* 2,707.0 -> 2,707 udeg = 301.005 m */
	assert_int_equal(udeg_for(HOME, 10000), 89932); /* 89,932.0 -> 9,999.996 m */
	assert_int_equal(udeg_for(HOME, 50), 450);     /* 449.7 -> 450 udeg = 50.038 m */
	assert_int_equal(udeg_for(HOME, 51), 459);     /* 458.7 -> 459 udeg = 51.039 m */
	/* due north the distance is R x dlat exactly (to rounding): 2,698 udeg = 300.0043 m */
	assert_true(fabs(geo_distance_m(HOME.lat_e6, HOME.lon_e6, HOME.lat_e6 + 2698, HOME.lon_e6) - 300.0043) < 0.001);
	assert_int_equal(verify_distance_m(&HOME, &(struct verify_point){true, HOME.lat_e6 + 2698, HOME.lon_e6, 0}),
			 300);
	/* south is the same distance */
	assert_int_equal(verify_distance_m(&HOME, &(struct verify_point){true, HOME.lat_e6 - 1799, HOME.lon_e6, 0}),
			 200);
	/* no position on either side */
	assert_int_equal(verify_distance_m(&HOME, &(struct verify_point){false, HOME.lat_e6, HOME.lon_e6, 0}), -1);
	assert_int_equal(verify_distance_m(&(struct verify_point){0}, &HOME), -1);
	assert_int_equal(verify_distance_m(&HOME, &HOME), 0);
}

static void test_geofence_edge(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();

	/* accuracy 0: the fence is 200 m; 200 passes (exactly equal), 201 fails */
	v.in = north(HOME, 1799, 0); /* 200.04 m -> 200 */
	expect(&p, &v, NULL, 0, "200 m, accuracy 0");
	v.in = north(HOME, 1808, 0); /* 201.04 m -> 201 */
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "201 m, accuracy 0");
	/* a negative accuracy counts as 0 */
	v.in = north(HOME, 1799, -5);
	expect(&p, &v, NULL, 0, "200 m, accuracy -5");
	v.in = north(HOME, 1808, -5);
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "201 m, accuracy -5");
	/* accuracy 35: 200 + 35 = 235 */
	v.in = north(HOME, 2113, 35); /* 234.96 m -> 235 */
	expect(&p, &v, NULL, 0, "235 m, accuracy 35");
	v.in = north(HOME, 2122, 35); /* 235.96 m -> 236 */
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "236 m, accuracy 35");
	/* accuracy 34 at 235 m: one metre short of allowance */
	v.in = north(HOME, 2113, 34);
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "235 m, accuracy 34");
	/* the accuracy cap: 100 (= max_accuracy_m) still counts in full, 200 + 100 = 300 */
	v.in = north(HOME, 2698, 100); /* 300.004 m -> 300 */
	expect(&p, &v, NULL, 0, "300 m, accuracy 100");
	v.in = north(HOME, 2707, 100); /* 301.005 m -> 301 */
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "301 m, accuracy 100");
	/* 101 is worse than the maximum: low accuracy, and the fence is not judged (near or far) */
	v.in = north(HOME, 2698, 101);
	expect(&p, &v, NULL, BIT(VR_LOW_ACCURACY), "300 m, accuracy 101");
	v.in = north(HOME, 90, 101); /* 10 m */
	expect(&p, &v, NULL, BIT(VR_LOW_ACCURACY), "10 m, accuracy 101");
	v.in = north(HOME, 44966, 5000); /* 5 km, a cell-tower fix */
	expect(&p, &v, NULL, BIT(VR_LOW_ACCURACY), "5 km, accuracy 5000");
	/* a larger maximum raises the cap: with max 150 an accuracy of 101 counts, 200 + 101 = 301 */
	p.max_accuracy_m = 150;
	v.in = north(HOME, 2707, 101);
	expect(&p, &v, NULL, 0, "301 m, accuracy 101, max 150");
	p = rules();
}

static void test_geofence_rounding(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	int64_t below = udeg_for(HOME, 200.45), above = udeg_for(HOME, 200.55);
	double d;

	/* the distance is rounded to the nearest metre before the comparison: 200.4x -> 200 passes, 200.5x -> 201 */
	assert_int_equal(below, 1803); /* 200.45 / 0.11119508 = 1,802.7 -> 1,803 udeg = 200.485 m */
	assert_int_equal(above, 1804); /* 200.55 / 0.11119508 = 1,803.6 -> 1,804 udeg = 200.596 m */
	d = geo_distance_m(HOME.lat_e6, HOME.lon_e6, HOME.lat_e6 + below, HOME.lon_e6);
	assert_true(d > 200.48 && d < 200.49);
	v.in = north(HOME, below, 0);
	expect(&p, &v, NULL, 0, "200.485 m");
	v.in = north(HOME, above, 0);
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "200.596 m");
}

static void test_geofence_east_west(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	double k = cos(30.016 * M_PI / 180) * M_PER_UDEG; /* metres per udeg of longitude at 30.016 N: 0.0962822 */
	int64_t u = (int64_t)lround(200 / k);              /* 200 / 0.0962822 = 2,077.2 -> 2,077 udeg */
	double d;

	assert_int_equal(u, 2077);
	v.in = HOME;
	v.in.lon_e6 += u;
	d = geo_distance_m(HOME.lat_e6, HOME.lon_e6, v.in.lat_e6, v.in.lon_e6);
	assert_true(fabs(d - 2077 * k) < 0.01); /* 199.978 m: haversine agrees with the flat figure this close */
	assert_int_equal(verify_distance_m(&HOME, &v.in), 200);
	expect(&p, &v, NULL, 0, "200 m east");
	v.in.lon_e6 = HOME.lon_e6 - 2099; /* 2,099 x 0.0962822 = 202.10 m west */
	assert_int_equal(verify_distance_m(&HOME, &v.in), 202);
	expect(&p, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "202 m west");
}

static void test_no_position(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();

	/* no fix at check-in: NO_GPS only (accuracy and fence not judged) */
	v.in.has = false;
	v.in.accuracy_m = 500;
	expect(&p, &v, NULL, BIT(VR_NO_GPS), "no GPS");
	/* no home coordinates: the fence is not judged, the accuracy still is */
	v = visit();
	v.home.has = false;
	v.in = north(HOME, 44966, 10); /* 5 km away */
	expect(&p, &v, NULL, 0, "no home, 5 km");
	v.in.accuracy_m = 101;
	expect(&p, &v, NULL, BIT(VR_LOW_ACCURACY), "no home, accuracy 101");
	/* no position at check-out: not a reason */
	v = visit();
	v.out.has = false;
	expect(&p, &v, NULL, 0, "no check-out position");
}

/* ---- duration ---- */

static void test_duration_edge(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();

	/* 60 minutes: 3,600 s passes, 3,599 s is short */
	v.checkout_at = v.checkin_at + 3600;
	expect(&p, &v, NULL, 0, "home 3600 s");
	assert_int_equal(verify_minutes(&v), 60);
	v.checkout_at = v.checkin_at + 3599;
	expect(&p, &v, NULL, BIT(VR_SHORT), "home 3599 s");
	assert_int_equal(verify_minutes(&v), 59); /* whole minutes, rounded down */
	v.checkout_at = v.checkin_at + 3659;
	assert_int_equal(verify_minutes(&v), 60);
	/* family care: the same 60 */
	v.mode = CARE_FAMILY;
	v.checkout_at = v.checkin_at + 3600;
	expect(&p, &v, NULL, 0, "family 3600 s");
	v.checkout_at = v.checkin_at + 3599;
	expect(&p, &v, NULL, BIT(VR_SHORT), "family 3599 s");
	/* a different minimum per mode: family 90 */
	p.min_minutes[CARE_FAMILY] = 90;
	v.checkout_at = v.checkin_at + 5400;
	expect(&p, &v, NULL, 0, "family 5400 s, min 90");
	v.checkout_at = v.checkin_at + 5399;
	expect(&p, &v, NULL, BIT(VR_SHORT), "family 5399 s, min 90");
	v.mode = CARE_HOME;
	v.checkout_at = v.checkin_at + 3600;
	expect(&p, &v, NULL, 0, "home 3600 s while family needs 90");
	/* minimum 0: never short, even a one-second or zero-second visit */
	v.mode = CARE_INSTITUTION;
	v.checkout_at = v.checkin_at + 1;
	expect(&p, &v, NULL, 0, "institution 1 s");
	v.checkout_at = v.checkin_at;
	expect(&p, &v, NULL, 0, "institution 0 s");
	/* a mode out of range has no minimum */
	v.mode = -1;
	v.checkout_at = v.checkin_at + 60;
	expect(&p, &v, NULL, 0, "mode -1");
	v.mode = CARE_MODE_COUNT;
	expect(&p, &v, NULL, 0, "mode 3");
	/* checked out at the check-in second, or before it: short where there is a minimum; 0 minutes */
	v.mode = CARE_HOME;
	v.checkout_at = v.checkin_at;
	expect(&p, &v, NULL, BIT(VR_SHORT), "home 0 s");
	assert_int_equal(verify_minutes(&v), 0);
	v.checkout_at = v.checkin_at - 60;
	expect(&p, &v, NULL, BIT(VR_SHORT), "home -60 s");
	assert_int_equal(verify_minutes(&v), 0);
	v.checkout_at = 0;
	assert_int_equal(verify_minutes(&v), 0);
	/* a long visit */
	v.checkout_at = v.checkin_at + 8 * 3600 + 59;
	assert_int_equal(verify_minutes(&v), 480);
}

/* ---- the previous visit: overlap and travel ---- */

static void test_overlap(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	/* the previous visit next door (same point as this check-in), ended at 09:00:00 */
	struct verify_prev prev = {.has = true, .checkout_at = T("2025-03-14", 9, 0, 0), .out = v.in};

	expect(&p, &v, &prev, 0, "previous ended at the check-in second");
	prev.checkout_at = v.checkin_at + 1;
	expect(&p, &v, &prev, BIT(VR_OVERLAP), "previous ended one second after check-in");
	prev.checkout_at = v.checkin_at - 1;
	expect(&p, &v, &prev, 0, "previous ended one second before check-in");
	prev.checkout_at = v.checkin_at + 1800;
	expect(&p, &v, &prev, BIT(VR_OVERLAP), "previous ended half an hour after check-in");
	/* a previous visit without check-out is not compared (its own missing check-out is its exception) */
	prev.checkout_at = 0;
	expect(&p, &v, &prev, 0, "previous without check-out");
	/* no previous visit */
	prev.has = false;
	prev.checkout_at = v.checkin_at + 1800;
	expect(&p, &v, &prev, 0, "prev.has false");
	expect(&p, &v, NULL, 0, "prev NULL");
}

static void test_travel_speed(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	struct verify_prev prev = {.has = true};

	/* 60 km/h = 1,000 m a minute. Previous visit ended 10 minutes before check-in: 10,000 m is possible. */
	v.in = north(HOME, 0, 10);
	prev.checkout_at = v.checkin_at - 600;
	prev.out = north(HOME, -89932, 10); /* 89,932 udeg south = 9,999.996 m -> 10,000 */
	assert_int_equal(verify_distance_m(&prev.out, &v.in), 10000);
	expect(&p, &v, &prev, 0, "10,000 m in 600 s (60 km/h exactly)");
	prev.out = north(HOME, -89941, 10); /* 10,000.997 m -> 10,001 */
	assert_int_equal(verify_distance_m(&prev.out, &v.in), 10001);
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "10,001 m in 600 s (60.006 km/h)");
	/* the same 10,000 m one second quicker: 10,000 m / 599 s = 60.1 km/h */
	prev.out = north(HOME, -89932, 10);
	prev.checkout_at = v.checkin_at - 599;
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "10,000 m in 599 s");
	/* one minute: 1,000 m passes, 1,001 m does not */
	prev.checkout_at = v.checkin_at - 60;
	prev.out = north(HOME, -8993, 10); /* 999.977 m -> 1,000 */
	assert_int_equal(verify_distance_m(&prev.out, &v.in), 1000);
	expect(&p, &v, &prev, 0, "1,000 m in 60 s");
	prev.out = north(HOME, -9002, 10); /* 1,000.978 m -> 1,001 */
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "1,001 m in 60 s");
	/* a slower maximum: 20 km/h (a ferry) needs 30 minutes for the 10 km, 1,800 s passes, 1,799 s does not */
	p.max_speed_kmh = 20;
	prev.out = north(HOME, -89932, 10);
	prev.checkout_at = v.checkin_at - 1800;
	expect(&p, &v, &prev, 0, "10 km in 1800 s at 20 km/h");
	prev.checkout_at = v.checkin_at - 1799;
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "10 km in 1799 s at 20 km/h");
	p = rules();
	/* a long trip, checked the other way round: Dinghai to Shenjiamen is about 18 km; 20 minutes is 54 km/h, 15
	 * minutes 72 km/h */
	prev.out = north(HOME, -161878, 10); /* 161,878 x 0.11119508 = 18,000.0 m */
	assert_int_equal(verify_distance_m(&prev.out, &v.in), 18000);
	prev.checkout_at = v.checkin_at - 1200;
	expect(&p, &v, &prev, 0, "18 km in 20 min");
	prev.checkout_at = v.checkin_at - 900;
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "18 km in 15 min");
	/* the speed limit also applies when the visit day changes (an overnight gap is plenty) */
	prev.checkout_at = v.checkin_at - 12 * 3600;
	expect(&p, &v, &prev, 0, "18 km overnight");
}

static void test_travel_same_place(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	struct verify_prev prev = {.has = true, .checkout_at = 0};

	assert_int_equal(VERIFY_SAME_PLACE_M, 50);
	v.in = north(HOME, 0, 10);
	/* no gap at all: up to 50 m is the same building, 51 m is impossible */
	prev.checkout_at = v.checkin_at;
	prev.out = north(HOME, -450, 10); /* 50.04 m -> 50 */
	assert_int_equal(verify_distance_m(&prev.out, &v.in), 50);
	expect(&p, &v, &prev, 0, "50 m, gap 0");
	prev.out = north(HOME, -459, 10); /* 51.04 m -> 51 */
	assert_int_equal(verify_distance_m(&prev.out, &v.in), 51);
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "51 m, gap 0");
	/* a negative gap (the visits overlap): overlap, and travel when farther than 50 m */
	prev.checkout_at = v.checkin_at + 1;
	prev.out = north(HOME, -450, 10);
	expect(&p, &v, &prev, BIT(VR_OVERLAP), "50 m, gap -1");
	prev.out = north(HOME, -459, 10);
	expect(&p, &v, &prev, BIT(VR_OVERLAP) | BIT(VR_TRAVEL), "51 m, gap -1");
	/* a one-second gap: 50 m is still the same place (the speed is not judged); 51 m in 1 s is 183.6 km/h */
	prev.checkout_at = v.checkin_at - 1;
	prev.out = north(HOME, -450, 10);
	expect(&p, &v, &prev, 0, "50 m, gap 1");
	prev.out = north(HOME, -459, 10);
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "51 m, gap 1");
	/* 51 m at 60 km/h (16.67 m/s) needs 3.06 s: 3 s is too quick, 4 s is fine */
	prev.checkout_at = v.checkin_at - 3;
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "51 m, gap 3");
	prev.checkout_at = v.checkin_at - 4;
	expect(&p, &v, &prev, 0, "51 m, gap 4");
	/* positions missing on either side: travel not judged */
	prev.checkout_at = v.checkin_at;
	prev.out = north(HOME, -89932, 10);
	expect(&p, &v, &prev, BIT(VR_TRAVEL), "10 km, gap 0");
	prev.out.has = false;
	expect(&p, &v, &prev, 0, "no end point of the previous visit");
	prev.out.has = true;
	v.in.has = false;
	expect(&p, &v, &prev, BIT(VR_NO_GPS), "no start point of this visit");
}

/* ---- the caregiver and the beneficiary that day ---- */

static void test_certificate_expiry_day(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	struct qual_employment emp[] = {{7, D("2020-01-01"), QUAL_OPEN}};
	struct qual_period cert[] = {{D("2023-03-15"), D("2025-03-14")}};
	struct qual_period sus[] = {{D("2025-04-01"), D("2025-04-30")}};
	struct qual_facts f = {.employments = emp, .n_employments = 1, .certificates = cert, .n_certificates = 1,
			       .suspensions = sus, .n_suspensions = 1, .terminated_on = D("2025-06-01")};
	static const struct {
		const char *day;
		int64_t provider;
		enum qual_result qual;
	} probes[] = {
		{"2025-03-14", 7, QUAL_OK},             /* the certificate's expiry day: still qualified */
		{"2025-03-15", 7, QUAL_NO_CERTIFICATE}, /* the day after */
		{"2023-03-14", 7, QUAL_NO_CERTIFICATE}, /* the day before issue */
		{"2023-03-15", 7, QUAL_OK},             /* the issue day */
		{"2025-03-14", 8, QUAL_NOT_EMPLOYED},   /* a visit for another provider */
		{"2025-04-01", 7, QUAL_SUSPENDED},
		{"2025-06-01", 7, QUAL_TERMINATED},
	};

	for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
		v.day = D(probes[i].day);
		v.checkin_at = T(probes[i].day, 9, 0, 0);
		v.checkout_at = T(probes[i].day, 10, 0, 0);
		v.qualified = qualify_on(&f, probes[i].provider, v.day);
		assert_int_equal(v.qualified, probes[i].qual);
		expect(&p, &v, NULL, probes[i].qual == QUAL_OK ? 0 : BIT(VR_UNQUALIFIED), probes[i].day);
	}
}

static void test_death_day(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();

	v.death_day = D("2025-03-14");
	v.day = D("2025-03-13");
	expect(&p, &v, NULL, 0, "the day before death");
	v.day = D("2025-03-14");
	expect(&p, &v, NULL, 0, "the day of death");
	v.day = D("2025-03-15");
	expect(&p, &v, NULL, BIT(VR_DECEASED), "the day after death");
	v.day = D("2025-06-01");
	expect(&p, &v, NULL, BIT(VR_DECEASED), "months after death");
	v.death_day = 0; /* alive */
	expect(&p, &v, NULL, 0, "alive");
}

static void test_hospital_days(void **state)
{
	/* A stay from admission 2025-03-10 to discharge 2025-03-14: hospital days are the 10th to the 13th (bed days,
	 * the discharge day at home); the rule reports the flag. */
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	int32_t admitted = D("2025-03-10"), discharged = D("2025-03-14");
	static const struct {
		const char *day;
		bool in;
	} days[] = {
		{"2025-03-09", false}, {"2025-03-10", true}, {"2025-03-12", true}, {"2025-03-13", true},
		{"2025-03-14", false}, {"2025-03-15", false},
	};

	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		v.day = D(days[i].day);
		v.in_hospital = verify_hospital_day(admitted, discharged, v.day);
		assert_int_equal(v.in_hospital, days[i].in);
		expect(&p, &v, NULL, days[i].in ? BIT(VR_HOSPITAL) : 0, days[i].day);
	}
}

static void test_hospital_edges(void **state)
{
	(void)state;
	/* admitted and discharged the same day: that one day */
	assert_false(verify_hospital_day(D("2025-03-10"), D("2025-03-10"), D("2025-03-09")));
	assert_true(verify_hospital_day(D("2025-03-10"), D("2025-03-10"), D("2025-03-10")));
	assert_false(verify_hospital_day(D("2025-03-10"), D("2025-03-10"), D("2025-03-11")));
	/* discharged the next day: the admission day only */
	assert_true(verify_hospital_day(D("2025-03-10"), D("2025-03-11"), D("2025-03-10")));
	assert_false(verify_hospital_day(D("2025-03-10"), D("2025-03-11"), D("2025-03-11")));
	/* still in hospital (no discharge): every day from admission */
	assert_false(verify_hospital_day(D("2025-03-10"), 0, D("2025-03-09")));
	assert_true(verify_hospital_day(D("2025-03-10"), 0, D("2025-12-31")));
}

static void test_caller_flags(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v;

	v = visit();
	v.certified = false;
	expect(&p, &v, NULL, BIT(VR_NOT_CERTIFIED), "not certified");
	v = visit();
	v.plan_in_force = false;
	expect(&p, &v, NULL, BIT(VR_NO_PLAN), "no plan");
	v = visit();
	v.items_not_in_plan = 1;
	expect(&p, &v, NULL, BIT(VR_ITEM_NOT_IN_PLAN), "one item not in plan");
	v.items_not_in_plan = 3;
	expect(&p, &v, NULL, BIT(VR_ITEM_NOT_IN_PLAN), "three items not in plan");
	v.items_not_in_plan = 0;
	expect(&p, &v, NULL, 0, "all items in plan");
	v = visit();
	v.disputed = true;
	expect(&p, &v, NULL, BIT(VR_DISPUTED), "disputed");
	v = visit();
	v.qualified = QUAL_SUSPENDED;
	expect(&p, &v, NULL, BIT(VR_UNQUALIFIED), "suspended caregiver");
}

static void test_weekly_entitlement(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit(); /* 60 minutes, weekly maximum 420 */

	v.week_minutes_before = 360;
	expect(&p, &v, NULL, 0, "360 + 60 = 420");
	v.week_minutes_before = 361;
	expect(&p, &v, NULL, BIT(VR_OVER_ENTITLEMENT), "361 + 60 = 421");
	/* whole minutes: 60 min 59 s counts 60 */
	v.checkout_at = v.checkin_at + 3659;
	v.week_minutes_before = 360;
	expect(&p, &v, NULL, 0, "360 + 60 (3659 s)");
	v.checkout_at = v.checkin_at + 3660;
	expect(&p, &v, NULL, BIT(VR_OVER_ENTITLEMENT), "360 + 61");
	/* the first visit of the week alone above the maximum */
	v.week_minutes_before = 0;
	v.max_minutes_per_week = 60;
	expect(&p, &v, NULL, BIT(VR_OVER_ENTITLEMENT), "0 + 61 > 60");
	/* no maximum */
	v.max_minutes_per_week = 0;
	v.week_minutes_before = 100000;
	expect(&p, &v, NULL, 0, "no maximum");
}

/* ---- check-out ---- */

static void test_missing_checkout(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	uint32_t r = 0xffffffffu;

	v.checkout_at = 0;
	/* 4 hours: 14,399 s after check-in still pending, 14,400 s an exception */
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 14399, &r), VERIFY_PENDING);
	assert_int_equal(r, 0);
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at, &r), VERIFY_PENDING);
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 14400, &r), VERIFY_EXCEPTION);
	assert_int_equal(r, BIT(VR_NO_CHECKOUT));
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 14400, NULL), VERIFY_EXCEPTION);
	/* pending hides every other reason until the time is up */
	v.qualified = QUAL_TERMINATED;
	v.in = north(HOME, 44966, 10);
	v.week_minutes_before = 1000;
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 14399, &r), VERIFY_PENDING);
	assert_int_equal(r, 0);
	/* then everything judged without a check-out: not SHORT, not OVER_ENTITLEMENT */
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 14400, &r), VERIFY_EXCEPTION);
	assert_int_equal(r, BIT(VR_NO_CHECKOUT) | BIT(VR_UNQUALIFIED) | BIT(VR_OUTSIDE_GEOFENCE));
	/* another threshold: 1 hour */
	v = visit();
	v.checkout_at = 0;
	p.missing_checkout_hours = 1;
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 3599, &r), VERIFY_PENDING);
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at + 3600, &r), VERIFY_EXCEPTION);
	assert_int_equal(r, BIT(VR_NO_CHECKOUT));
	/* a checked-out visit is judged whatever now is (even before its check-out: re-verification is stateless) */
	v = visit();
	assert_int_equal(verify_visit(&p, &v, NULL, v.checkin_at, &r), VERIFY_OK);
	assert_int_equal(r, 0);
}

/* ---- combinations ---- */

static void test_combinations(void **state)
{
	struct scheme_visits p = rules();
	struct verify_visit v = visit();
	struct verify_prev prev = {.has = true};
	uint32_t r;

	/* a ghost visit: unqualified caregiver, 5 km away, 10 minutes, overlapping a visit 10 km away that ended
	 * after this check-in, beneficiary dead two days, in hospital, without certificate or plan, over the week,
	 * an item not planned, disputed: every reason but NO_GPS / LOW_ACCURACY (the fix is there and good) and
	 * NO_CHECKOUT */
	v.qualified = QUAL_NO_CERTIFICATE;
	v.in = north(HOME, 44966, 10);
	v.checkout_at = v.checkin_at + 600;
	prev.checkout_at = v.checkin_at + 60;
	prev.out = north(v.in, 89932, 10);
	v.certified = false;
	v.death_day = v.day - 2;
	v.in_hospital = true;
	v.plan_in_force = false;
	v.week_minutes_before = 415;
	v.items_not_in_plan = 2;
	v.disputed = true;
	r = VERIFY_ALL_REASONS & ~(BIT(VR_NO_GPS) | BIT(VR_LOW_ACCURACY) | BIT(VR_NO_CHECKOUT));
	expect(&p, &v, &prev, r, "every reason");
	assert_int_equal(VERIFY_ALL_REASONS, 0x7fff);
	/* the same without a fix: NO_GPS instead of OUTSIDE_GEOFENCE, and no travel (no start point) */
	v.in.has = false;
	r = (r & ~(BIT(VR_OUTSIDE_GEOFENCE) | BIT(VR_TRAVEL))) | BIT(VR_NO_GPS);
	expect(&p, &v, &prev, r, "every reason, no GPS");
	/* a short visit outside the fence by a caregiver without certificate */
	v = visit();
	v.qualified = QUAL_NO_CERTIFICATE;
	v.in = north(HOME, 1808, 0);
	v.checkout_at = v.checkin_at + 3599;
	expect(&p, &v, NULL, BIT(VR_UNQUALIFIED) | BIT(VR_OUTSIDE_GEOFENCE) | BIT(VR_SHORT), "three reasons");
	/* a short visit that also passes the week: both */
	v = visit();
	v.checkout_at = v.checkin_at + 50 * 60;
	v.week_minutes_before = 380;
	expect(&p, &v, NULL, BIT(VR_SHORT) | BIT(VR_OVER_ENTITLEMENT), "380 + 50 > 420, 50 < 60");
	/* in hospital on the day of death */
	v = visit();
	v.death_day = v.day;
	v.in_hospital = true;
	expect(&p, &v, NULL, BIT(VR_HOSPITAL), "hospital on the day of death");
}

/* ---- names and JSON ---- */

static void test_codes_and_texts(void **state)
{
	static const char *const codes[VR_COUNT] = {
		"unqualified", "no_gps", "low_accuracy", "outside_geofence", "short", "overlap", "travel",
		"not_certified", "deceased", "hospital", "no_plan", "over_entitlement", "item_not_in_plan",
		"no_checkout", "disputed",
	};

	for (int i = 0; i < VR_COUNT; i++) {
		assert_string_equal(verify_reason_code((enum verify_reason)i), codes[i]);
		assert_int_equal(verify_reason_parse(codes[i]), i);
		/* every text is Chinese (UTF-8, not ASCII) and distinct */
		assert_true((unsigned char)verify_reason_text((enum verify_reason)i)[0] >= 0xe0);
		for (int k = 0; k < i; k++)
			assert_string_not_equal(verify_reason_text((enum verify_reason)i),
						verify_reason_text((enum verify_reason)k));
	}
	assert_string_equal(verify_reason_text(VR_OUTSIDE_GEOFENCE), "签到位置不在服务对象住址范围内");
	assert_string_equal(verify_reason_text(VR_UNQUALIFIED), "护理员当日不具备上岗资格");
	assert_string_equal(verify_reason_text(VR_NO_CHECKOUT), "超时未签退");
	assert_string_equal(verify_reason_code(VR_COUNT), "unknown");
	assert_string_equal(verify_reason_code((enum verify_reason)-1), "unknown");
	assert_string_equal(verify_reason_text(VR_COUNT), "未知");
	assert_int_equal(verify_reason_parse("Short"), -1);
	assert_int_equal(verify_reason_parse(""), -1);
	assert_int_equal(verify_reason_parse("unknown"), -1);
	assert_int_equal(verify_reason_parse(NULL), -1);
	/* states */
	assert_string_equal(verify_state_code(VERIFY_PENDING), "pending");
	assert_string_equal(verify_state_code(VERIFY_OK), "verified");
	assert_string_equal(verify_state_code(VERIFY_EXCEPTION), "exception");
	assert_string_equal(verify_state_code((enum verify_state)3), "unknown");
	assert_string_equal(verify_state_text(VERIFY_PENDING), "待核验");
	assert_string_equal(verify_state_text(VERIFY_OK), "核验通过");
	assert_string_equal(verify_state_text(VERIFY_EXCEPTION), "核验异常");
	assert_string_equal(verify_state_text((enum verify_state)-1), "未知");
	for (int s = 0; s < 3; s++)
		assert_int_equal(verify_state_parse(verify_state_code((enum verify_state)s)), s);
	assert_int_equal(verify_state_parse("ok"), -1);
	assert_int_equal(verify_state_parse(NULL), -1);
}

static void test_reasons_json(void **state)
{
	json_t *j = verify_reasons_json(BIT(VR_SHORT) | BIT(VR_UNQUALIFIED) | BIT(VR_DISPUTED));
	char *text;

	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 3);
	/* in bit order whatever the order of the mask's construction */
	text = json_dumps(j, JSON_COMPACT);
	assert_string_equal(text, "[{\"code\":\"unqualified\",\"text\":\"护理员当日不具备上岗资格\"},"
				  "{\"code\":\"short\",\"text\":\"服务时长不足规定时长\"},"
				  "{\"code\":\"disputed\",\"text\":\"服务对象或代理人提出异议\"}]");
	free(text);
	json_decref(j);
	/* none */
	j = verify_reasons_json(0);
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	/* every reason, and bits above VR_COUNT ignored */
	j = verify_reasons_json(0xffffffffu);
	assert_int_equal(json_array_size(j), VR_COUNT);
	for (int i = 0; i < VR_COUNT; i++) {
		json_t *e = json_array_get(j, (size_t)i);
		assert_string_equal(json_string_value(json_object_get(e, "code")), verify_reason_code((enum verify_reason)i));
		assert_string_equal(json_string_value(json_object_get(e, "text")), verify_reason_text((enum verify_reason)i));
		assert_int_equal(json_object_size(e), 2);
	}
	json_decref(j);
	j = verify_reasons_json(BIT(VR_COUNT) | BIT(31));
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
}

/* ---- the shipped schemes ---- */

static void test_shipped_schemes(void **state)
{
	static struct scheme_diag d;
	struct scheme *zs = NULL, *sh = NULL;
	struct verify_visit v = visit();

	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/zhoushan.json", &zs, &d), 0);
	assert_int_equal(scheme_load_file(LTCI_SOURCE_DIR "/schemes/shanghai.json", &sh, &d), 0);
	/* Zhoushan: home and family visits at least 1 hour, fence 200 m + accuracy up to 100 m */
	expect(&zs->visits, &v, NULL, 0, "Zhoushan clean visit");
	v.checkout_at = v.checkin_at + 3599;
	expect(&zs->visits, &v, NULL, BIT(VR_SHORT), "Zhoushan 3599 s");
	v.mode = CARE_FAMILY;
	expect(&zs->visits, &v, NULL, BIT(VR_SHORT), "Zhoushan family 3599 s");
	v = visit();
	v.in = north(HOME, 2707, 100);
	expect(&zs->visits, &v, NULL, BIT(VR_OUTSIDE_GEOFENCE), "Zhoushan 301 m, accuracy 100");
	v.in = north(HOME, 2698, 100);
	expect(&zs->visits, &v, NULL, 0, "Zhoushan 300 m, accuracy 100");
	/* Shanghai: one-hour home visits */
	v = visit();
	expect(&sh->visits, &v, NULL, 0, "Shanghai clean visit");
	v.checkout_at = v.checkin_at + 3599;
	expect(&sh->visits, &v, NULL, BIT(VR_SHORT), "Shanghai 3599 s");
	scheme_free(zs);
	scheme_free(sh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_visit),
		cmocka_unit_test(test_hand_worked_offsets),
		cmocka_unit_test(test_geofence_edge),
		cmocka_unit_test(test_geofence_rounding),
		cmocka_unit_test(test_geofence_east_west),
		cmocka_unit_test(test_no_position),
		cmocka_unit_test(test_duration_edge),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_travel_speed),
		cmocka_unit_test(test_travel_same_place),
		cmocka_unit_test(test_certificate_expiry_day),
		cmocka_unit_test(test_death_day),
		cmocka_unit_test(test_hospital_days),
		cmocka_unit_test(test_hospital_edges),
		cmocka_unit_test(test_caller_flags),
		cmocka_unit_test(test_weekly_entitlement),
		cmocka_unit_test(test_missing_checkout),
		cmocka_unit_test(test_combinations),
		cmocka_unit_test(test_codes_and_texts),
		cmocka_unit_test(test_reasons_json),
		cmocka_unit_test(test_shipped_schemes),
	};

	return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}

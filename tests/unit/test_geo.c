/* test_geo.c: coordinates (base/geo.h): exact decimal parsing into micro-degrees, rounding of doubles, the China
 * bounding box at its edges, and haversine distances. Expected distances were worked out by hand from the mean
 * Earth radius R = 6,371,008.8 m (and cross-checked with a separate script using the spherical law of cosines):
 *   one degree of arc        = 2*pi*R/360        = 111,195.080 m (a meridian degree, or an equator degree)
 *   one micro-degree of arc  = 0.111195080 m;  1798 of them = 199.929 m, 1799 of them = 200.040 m
 *   a quarter meridian       = pi*R/2            = 10,007,557.221 m
 *   half the circumference   = pi*R              = 20,015,114.442 m
 *   one degree of longitude at 60 N = 2R*asin(cos 60 * sin 0.5 deg) = 55,597.011 m */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/geo.h"

struct parse_case {
	const char *in;
	bool ok;
	int64_t e6;
};

static void test_parse_e6(void **state)
{
	static const struct parse_case cases[] = {
		{"29.985123", true, 29985123},
		{"122.207", true, 122207000},
		{"122", true, 122000000},
		{"0", true, 0},
		{"-0", true, 0},
		{"0.000001", true, 1},         /* smallest step */
		{"-0.000001", true, -1},
		{"-0.5", true, -500000},
		{"+0.5", true, 500000},
		{"-33.8688", true, -33868800},
		{"180", true, 180000000},
		{"-180.000000", true, -180000000}, /* six decimals, all zero */
		{"1.100000", true, 1100000},
		{"999.999999", true, 999999999},   /* three integer digits, six decimals: the widest accepted */
		{"90.1", true, 90100000},
		/* refused */
		{"1.", false, 0},            /* no decimals after the point */
		{".5", false, 0},            /* no integer part */
		{"-.5", false, 0},
		{"1.2345678", false, 0},     /* seven decimals */
		{"0.0000001", false, 0},
		{"1000", false, 0},          /* four integer digits */
		{"1000.5", false, 0},
		{"-1234", false, 0},
		{"abc", false, 0},
		{"", false, 0},
		{"-", false, 0},
		{"+", false, 0},
		{"--1", false, 0},
		{"+-1", false, 0},
		{"1e3", false, 0},
		{"1.5e1", false, 0},
		{" 1", false, 0},
		{"1 ", false, 0},
		{"1,5", false, 0},          /* decimal comma */
		{"1.2.3", false, 0},
		{"1.-5", false, 0},
		{"0x10", false, 0},
		{"12a", false, 0},
		{"\xe2\x88\x92" "1", false, 0}, /* U+2212 MINUS SIGN */
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct parse_case *c = &cases[i];
		int64_t v = 12345;
		bool ok = geo_parse_e6(c->in, &v);

		if (ok != c->ok)
			fail_msg("\"%s\": %s, expected %s", c->in, ok ? "accepted" : "refused",
				 c->ok ? "accepted" : "refused");
		if (ok && v != c->e6)
			fail_msg("\"%s\": %lld, expected %lld", c->in, (long long)v, (long long)c->e6);
	}
	{
		int64_t v = 0;
		assert_false(geo_parse_e6(NULL, &v));
	}
}

struct double_case {
	double deg;
	int64_t e6;
};

static void test_e6_from_double(void **state)
{
	static const struct double_case cases[] = {
		{29.985123, 29985123},
		{-29.985123, -29985123},
		{122.207, 122207000},
		{0.0, 0},
		{180.0, 180000000},
		{-180.0, -180000000},
		{1.001, 1001000},        /* 1.001 * 1e6 = 1000999.9999999999 in binary: rounding, not truncation */
		{-1.001, -1001000},
		{1.005, 1005000},        /* likewise 1004999.9999999999 */
		{1.2345674, 1234567},    /* below half a micro-degree: down */
		{1.2345676, 1234568},    /* above half: up */
		{-1.2345676, -1234568},  /* away from zero for negatives too */
		{0.0000004, 0},
		{0.0000006, 1},
		{-0.0000006, -1},
		{29.9851234999, 29985123},
		{29.9851235001, 29985124},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t v = geo_e6_from_double(cases[i].deg);
		if (v != cases[i].e6)
			fail_msg("%.10f: %lld, expected %lld", cases[i].deg, (long long)v, (long long)cases[i].e6);
	}
}

struct china_case {
	int64_t lat, lon;
	bool in;
	const char *what;
};

static void test_in_china(void **state)
{
	static const struct china_case cases[] = {
		{29985123, 122207000, true, "Zhoushan"},
		{39904200, 116407400, true, "Beijing"},
		{31230400, 121473700, true, "Shanghai"},
		{3800000, 73400000, true, "south-west corner"},
		{53600000, 135100000, true, "north-east corner"},
		{3800000, 135100000, true, "south-east corner"},
		{53600000, 73400000, true, "north-west corner"},
		{3799999, 100000000, false, "one micro-degree south of the box"},
		{53600001, 100000000, false, "one micro-degree north of the box"},
		{30000000, 73399999, false, "one micro-degree west of the box"},
		{30000000, 135100001, false, "one micro-degree east of the box"},
		{3800000, 73399999, false, "just outside a corner"},
		{0, 0, false, "null island (lat/lon left at zero)"},
		{122207000, 29985123, false, "latitude and longitude swapped"},
		{-29985123, 122207000, false, "southern hemisphere"},
		{29985123, -122207000, false, "western hemisphere"},
		{35689500, 139691700, false, "Tokyo"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct china_case *c = &cases[i];
		if (geo_in_china(c->lat, c->lon) != c->in)
			fail_msg("%s (%lld, %lld): expected %s", c->what, (long long)c->lat, (long long)c->lon,
				 c->in ? "inside" : "outside");
	}
}

struct dist_case {
	int64_t lat1, lon1, lat2, lon2;
	double m, tol;
	const char *what;
};

static void test_distance(void **state)
{
	static const struct dist_case cases[] = {
		{29985123, 122207000, 29985123, 122207000, 0.0, 0.0, "identical points"},
		{0, 0, 0, 0, 0.0, 0.0, "identical points at the origin"},
		{0, 0, 1000000, 0, 111195.080, 0.001, "one degree of latitude from the equator"},
		{29000000, 122000000, 30000000, 122000000, 111195.080, 0.001, "one degree of latitude at 29 N"},
		{30000000, 122000000, 29000000, 122000000, 111195.080, 0.001, "the same, reversed"},
		{0, 0, 0, 1000000, 111195.080, 0.001, "one degree of longitude on the equator"},
		{0, 179500000, 0, -179500000, 111195.080, 0.001, "one degree across the antimeridian"},
		{60000000, 10000000, 60000000, 11000000, 55597.011, 0.001, "one degree of longitude at 60 N"},
		{0, 0, 90000000, 0, 10007557.221, 0.001, "equator to the pole"},
		{0, 0, 0, 180000000, 20015114.442, 0.001, "antipodes"},
		{90000000, 0, 90000000, 120000000, 0.0, 1e-6, "the pole, whatever the longitude"},
		{29985123, 122207000, 29985124, 122207000, 0.111195, 0.000001, "one micro-degree"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct dist_case *c = &cases[i];
		double d = geo_distance_m(c->lat1, c->lon1, c->lat2, c->lon2);
		double back = geo_distance_m(c->lat2, c->lon2, c->lat1, c->lon1);

		if (!(fabs(d - c->m) <= c->tol))
			fail_msg("%s: %.6f m, expected %.6f m", c->what, d, c->m);
		if (!(fabs(d - back) <= 1e-6))
			fail_msg("%s: not symmetric (%.9f vs %.9f)", c->what, d, back);
	}
}

/* A 200 m check-in geofence around a home in Zhoushan, approached along the meridian: 1798 micro-degrees are
 * 199.929 m (inside), 1799 are 200.040 m (outside), on either side. */
static void test_geofence_200m(void **state)
{
	const int64_t lat = 29985123, lon = 122207000;
	double in_n = geo_distance_m(lat, lon, lat + 1798, lon);
	double out_n = geo_distance_m(lat, lon, lat + 1799, lon);
	double in_s = geo_distance_m(lat, lon, lat - 1798, lon);
	double out_s = geo_distance_m(lat, lon, lat - 1799, lon);

	if (fabs(in_n - 199.929) > 0.001 || fabs(in_s - 199.929) > 0.001)
		fail_msg("1798 micro-degrees: %.4f / %.4f m, expected 199.929", in_n, in_s);
	if (fabs(out_n - 200.040) > 0.001 || fabs(out_s - 200.040) > 0.001)
		fail_msg("1799 micro-degrees: %.4f / %.4f m, expected 200.040", out_n, out_s);
	assert_true(in_n <= 200.0);
	assert_true(in_s <= 200.0);
	assert_true(out_n > 200.0);
	assert_true(out_s > 200.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_e6),
		cmocka_unit_test(test_e6_from_double),
		cmocka_unit_test(test_in_china),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_geofence_200m),
	};

	return cmocka_run_group_tests_name("geo", tests, NULL, NULL);
}

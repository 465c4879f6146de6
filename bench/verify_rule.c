/* verify_rule.c: the cost of rules/verify.h's verify_visit over N synthetic visits (default 10,000,000, a month of a
 * Shanghai-size city), in visits per second and ns per visit, against the floor of the same run: a loop that only
 * computes the geo_distance_m calls the rule needs for the same visits (home to check-in, and the previous visit's
 * end point to this check-in when there is one), plus a loop with the first distance only. The visits come from a
 * pool of 65,536 generated once (a fixed seed; about one in seven an exception, every kind present), cycled so that the
 * pool stays in cache and every loop reads the same memory. Each loop runs three times, in turn, and its best time
 * counts (the machine may be busy). Linked with build/libltcicore.a by bench/verify.sh.
 *   verify_rule [VISITS] */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/geo.h"
#include "rules/verify.h"

#define POOL 65536
#define ROUNDS 3

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static int64_t uni(uint64_t *st, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(mix(st) % (uint64_t)(hi - lo + 1));
}

/* true with probability per_mille / 1000 */
static int chance(uint64_t *st, int per_mille)
{
	return (int)(mix(st) % 1000) < per_mille;
}

static void generate(struct verify_visit *v, struct verify_prev *pv)
{
	uint64_t st = 20250314;
	const int64_t t0 = 1741914000; /* 2025-03-14 09:00 in Shanghai */

	for (int i = 0; i < POOL; i++) {
		struct verify_visit *x = &v[i];
		struct verify_prev *p = &pv[i];
		int64_t start = t0 + uni(&st, 0, 30 * 86400);

		/* homes spread over Zhoushan's islands: 29.9-30.3 N, 121.9-122.5 E */
		x->mode = chance(&st, 200) ? CARE_FAMILY : CARE_HOME;
		x->home = (struct verify_point){!chance(&st, 5), uni(&st, 29900000, 30300000), uni(&st, 121900000, 122500000), 0};
		x->in = x->home;
		x->in.has = !chance(&st, 10);
		x->in.lat_e6 += uni(&st, chance(&st, 20) ? -5000 : -1500, chance(&st, 20) ? 5000 : 1500); /* 170 m, or 550 m */
		x->in.lon_e6 += uni(&st, -1500, 1500);
		x->in.accuracy_m = (int)uni(&st, 3, chance(&st, 20) ? 500 : 60);
		x->out = x->in;
		x->checkin_at = start;
		x->checkout_at = chance(&st, 10) ? 0 : start + uni(&st, chance(&st, 30) ? 1800 : 3600, 5400);
		x->qualified = chance(&st, 10) ? QUAL_NO_CERTIFICATE : QUAL_OK;
		x->certified = !chance(&st, 5);
		x->plan_in_force = !chance(&st, 5);
		x->in_hospital = chance(&st, 5);
		x->disputed = chance(&st, 3);
		x->day = (int32_t)(start / 86400);
		x->death_day = chance(&st, 3) ? x->day - (int32_t)uni(&st, -3, 3) : 0;
		x->max_minutes_per_week = 420;
		x->week_minutes_before = (int)uni(&st, 0, 360);
		x->items_not_in_plan = chance(&st, 10);
		/* the caregiver's previous visit: none (first of the day) a fifth of the time, otherwise ended 5-60
		 * minutes earlier (now and then overlapping) a few kilometres away (now and then too far) */
		p->has = !chance(&st, 200);
		p->checkout_at = start - uni(&st, chance(&st, 10) ? -600 : 300, 3600);
		p->out = x->in;
		p->out.lat_e6 += uni(&st, -20000, 20000) * (chance(&st, 20) ? 20 : 1);
		p->out.lon_e6 += uni(&st, -20000, 20000);
	}
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000000;
	struct verify_visit *v = calloc(POOL, sizeof *v);
	struct verify_prev *pv = calloc(POOL, sizeof *pv);
	struct scheme_visits rules = {.defined = true, .geofence_m = 200, .max_accuracy_m = 100, .max_speed_kmh = 60,
				      .missing_checkout_hours = 4, .min_minutes = {60, 60, 0}};
	const int64_t now = 1741914000 + 40 * 86400;
	long counts[VR_COUNT] = {0}, states[3] = {0};
	double t0, t_rule, t_both, t_one, sum_both = 0, sum_one = 0;
	uint64_t acc = 0;

	if (!v || !pv || n <= 0)
		return 1;
	generate(v, pv);

	/* the three loops in turn, three rounds, the best time of each (the machine may be busy) */
	t_rule = t_both = t_one = 1e9;
	for (int round = 0; round < ROUNDS; round++) {
		double t;
		t0 = now_s();
		for (long i = 0; i < n; i++) {
			uint32_t r;
			enum verify_state s = verify_visit(&rules, &v[i & (POOL - 1)], &pv[i & (POOL - 1)], now, &r);
			acc += r + (uint32_t)s;
		}
		t = now_s() - t0;
		t_rule = t < t_rule ? t : t_rule;

		t0 = now_s();
		for (long i = 0; i < n; i++) {
			const struct verify_visit *x = &v[i & (POOL - 1)];
			const struct verify_prev *p = &pv[i & (POOL - 1)];
			if (x->in.has && x->home.has)
				sum_both += geo_distance_m(x->home.lat_e6, x->home.lon_e6, x->in.lat_e6, x->in.lon_e6);
			if (p->has && p->checkout_at && p->out.has && x->in.has)
				sum_both += geo_distance_m(p->out.lat_e6, p->out.lon_e6, x->in.lat_e6, x->in.lon_e6);
		}
		t = now_s() - t0;
		t_both = t < t_both ? t : t_both;

		t0 = now_s();
		for (long i = 0; i < n; i++) {
			const struct verify_visit *x = &v[i & (POOL - 1)];
			sum_one += geo_distance_m(x->home.lat_e6, x->home.lon_e6, x->in.lat_e6, x->in.lon_e6);
		}
		t = now_s() - t0;
		t_one = t < t_one ? t : t_one;
	}

	/* what the pool holds (one pass), so the figures are about a realistic mix */
	for (int i = 0; i < POOL; i++) {
		uint32_t r;
		states[verify_visit(&rules, &v[i], &pv[i], now, &r)]++;
		for (int k = 0; k < VR_COUNT; k++)
			counts[k] += (r >> k) & 1;
	}
	printf("  pool of %d visits: %.1f %% verified, %.1f %% exceptions, %.1f %% pending; reasons:", POOL,
	       100.0 * states[VERIFY_OK] / POOL, 100.0 * states[VERIFY_EXCEPTION] / POOL,
	       100.0 * states[VERIFY_PENDING] / POOL);
	for (int k = 0; k < VR_COUNT; k++)
		printf(" %s %.1f%%", verify_reason_code((enum verify_reason)k), 100.0 * counts[k] / POOL);
	printf("\n");
	printf("  verify_visit, %ld visits:               %.3f s, %6.1f M visits/s, %5.1f ns/visit\n", n, t_rule,
	       n / t_rule / 1e6, t_rule / n * 1e9);
	printf("  geo_distance_m, the rule's calls (floor): %.3f s, %6.1f M visits/s, %5.1f ns/visit   ratio %.2f\n",
	       t_both, n / t_both / 1e6, t_both / n * 1e9, t_both / t_rule);
	printf("  geo_distance_m, home to check-in only:    %.3f s, %6.1f M visits/s, %5.1f ns/visit   ratio %.2f\n",
	       t_one, n / t_one / 1e6, t_one / n * 1e9, t_one / t_rule);
	printf("  (ratio = baseline time / verify_visit's time; checksum %llu %.0f %.0f)\n", (unsigned long long)acc,
	       sum_both, sum_one);
	free(v);
	free(pv);
	return 0;
}

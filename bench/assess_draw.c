/* assess_draw.c: the cost of rules/assess.h's assess_draw over a pool of candidates (default 10,000 experts and
 * 10,000 assessors), in draws per second and ns per draw, against the same two splitmix64 steps and table look-ups
 * written inline here (the floor: what a draw costs without the call). Linked with build/libltcicore.a by
 * bench/assess.sh. The service-level draw (candidates loaded from the database, conflicts excluded, the draw
 * recorded) is measured separately once it exists.   assess_draw [POOL] [DRAWS] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rules/assess.h"

static double now(void)
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

int main(int argc, char **argv)
{
	int pool = argc > 1 ? atoi(argv[1]) : 10000;
	long draws = argc > 2 ? atol(argv[2]) : 20000000;
	int64_t *experts = malloc(sizeof *experts * (size_t)pool), *assessors = malloc(sizeof *assessors * (size_t)pool);
	volatile int64_t sink;
	int64_t sum = 0, e, a;
	double t0, t_ours, t_inline;

	if (!experts || !assessors || pool <= 0 || draws <= 0)
		return 1;
	for (int i = 0; i < pool; i++) {
		experts[i] = 100000 + 3 * (int64_t)i;
		assessors[i] = 900000 + 7 * (int64_t)i;
	}
	/* seeds as a service would use them: distinct per assignment, here i * an odd constant */
	t0 = now();
	for (long i = 0; i < draws; i++) {
		if (!assess_draw((uint64_t)i * 0xd1342543de82ef95ULL, experts, pool, assessors, pool, &e, &a))
			return 1;
		sum += e ^ a;
	}
	t_ours = now() - t0;
	sink = sum;
	sum = 0;
	t0 = now();
	for (long i = 0; i < draws; i++) {
		uint64_t st = (uint64_t)i * 0xd1342543de82ef95ULL;
		e = experts[mix(&st) % (uint64_t)pool];
		a = assessors[mix(&st) % (uint64_t)pool];
		sum += e ^ a;
	}
	t_inline = now() - t0;
	if (sum != sink) {
		fprintf(stderr, "assess_draw and the inline splitmix64 disagree\n");
		return 1;
	}
	printf("  assess_draw, pool %d + %d, %ld draws: %.3f s, %.1f M draws/s, %.1f ns/draw\n", pool, pool, draws,
	       t_ours, draws / t_ours / 1e6, t_ours / draws * 1e9);
	printf("  inline splitmix64 (floor):            %.3f s, %.1f M draws/s, %.1f ns/draw   ratio %.2f\n",
	       t_inline, draws / t_inline / 1e6, t_inline / draws * 1e9, t_inline / t_ours);
	free(experts);
	free(assessors);
	return 0;
}

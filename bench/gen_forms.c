/* gen_forms.c: N random but valid assessment forms of the national standard (2021), one JSON object per line, for
 * bench/assess.sh. Each item gets one of its allowed scores, uniformly; the generator is seeded, so a run is
 * repeatable.   gen_forms N [SEED] > forms.jsonl */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const struct {
	const char *key;
	int step, n; /* allowed scores: 0, step, 2*step, ... (n of them) */
} items[] = {
	{"eating", 5, 3}, {"dressing", 5, 3}, {"face_oral", 5, 2}, {"bowel", 5, 3}, {"bladder", 5, 3},
	{"toilet", 5, 3}, {"walking", 5, 4}, {"transfer", 5, 4}, {"stairs", 5, 3}, {"bathing", 5, 2},
	{"time_orientation", 1, 5}, {"person_orientation", 1, 5}, {"place_orientation", 1, 5}, {"memory", 1, 5},
	{"vision", 1, 5}, {"hearing", 1, 5}, {"communication", 1, 5},
};

static uint64_t state;

static uint64_t next(void) /* xorshift64* */
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1dULL;
}

int main(int argc, char **argv)
{
	static char out[1 << 16];
	long n = argc > 1 ? atol(argv[1]) : 1000000;

	/* a small seed is spread over all 64 bits first (one splitmix64 step): xorshift needs a well-mixed state */
	state = argc > 2 ? strtoull(argv[2], NULL, 10) : 20250101;
	state += 0x9e3779b97f4a7c15ULL;
	state = (state ^ (state >> 30)) * 0xbf58476d1ce4e5b9ULL;
	state = (state ^ (state >> 27)) * 0x94d049bb133111ebULL;
	state ^= state >> 31;
	if (!state)
		state = 1;
	setvbuf(stdout, out, _IOFBF, sizeof out);
	for (long f = 0; f < n; f++) {
		fputs("{\"items\":{", stdout);
		for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
			int k = (int)(next() % (uint64_t)items[i].n);
			printf("%s\"%s\":%d", i ? "," : "", items[i].key, k * items[i].step);
		}
		fputs("}}\n", stdout);
	}
	return fflush(stdout) != 0;
}

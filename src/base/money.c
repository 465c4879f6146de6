/* money.c: yuan strings <-> int64 fen, and ratio multiplication with half-away-from-zero rounding. */
#include "base/money.h"

#include <stdio.h>
#include <string.h>

bool money_parse(const char *s, int64_t *fen)
{
	bool neg = false, grouped = false;
	int64_t whole = 0, frac = 0;
	int digits = 0, since_comma = 0, decimals = 0;

	if (!s || !*s)
		return false;
	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!(*s >= '0' && *s <= '9'))
		return false;
	for (; *s && *s != '.'; s++) {
		if (*s == ',') {
			if (digits == 0 || (grouped && since_comma != 3) || (!grouped && since_comma > 3))
				return false;
			grouped = true;
			since_comma = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return false;
		whole = whole * 10 + (*s - '0');
		if (whole > MONEY_MAX_FEN / 100)
			return false;
		digits++;
		since_comma++;
	}
	if (grouped && since_comma != 3)
		return false;
	if (*s == '.') {
		s++;
		if (!*s)
			return false;
		for (; *s; s++) {
			if (*s < '0' || *s > '9' || decimals == 2)
				return false;
			frac = frac * 10 + (*s - '0');
			decimals++;
		}
		if (decimals == 1)
			frac *= 10;
	}
	if (whole * 100 + frac > MONEY_MAX_FEN)
		return false;
	*fen = neg ? -(whole * 100 + frac) : whole * 100 + frac;
	return true;
}

void money_format(int64_t fen, bool grouping, char *out, size_t size)
{
	char digits[32], grouped[48];
	uint64_t a = fen < 0 ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
	size_t n, j = 0;

	snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100));
	n = strlen(digits);
	for (size_t i = 0; i < n; i++) {
		if (grouping && i > 0 && (n - i) % 3 == 0)
			grouped[j++] = ',';
		grouped[j++] = digits[i];
	}
	grouped[j] = '\0';
	snprintf(out, size, "%s%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(a % 100));
}

int64_t money_mul_ratio(int64_t fen, int64_t num, int64_t den)
{
	__int128 p = (__int128)fen * num;
	__int128 q = p / den, r = p % den;

	if (r < 0)
		r = -r;
	if (2 * r >= den)
		q += p < 0 ? -1 : 1;
	return (int64_t)q;
}

/* geo.c: micro-degree coordinates and distances. */
#include "base/geo.h"

#include <math.h>
#include <stdlib.h>

bool geo_parse_e6(const char *s, int64_t *e6)
{
	bool neg = false;
	int64_t whole = 0, frac = 0;
	int digits = 0, decimals = 0;

	if (!s || !*s)
		return false;
	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		whole = whole * 10 + (*s - '0');
		if (++digits > 3)
			return false;
	}
	if (!digits)
		return false;
	if (*s == '.') {
		s++;
		for (; *s >= '0' && *s <= '9'; s++) {
			if (++decimals > 6)
				return false;
			frac = frac * 10 + (*s - '0');
		}
		if (!decimals)
			return false;
	}
	if (*s)
		return false;
	for (; decimals < 6; decimals++)
		frac *= 10;
	*e6 = whole * 1000000 + frac;
	if (neg)
		*e6 = -*e6;
	return true;
}

int64_t geo_e6_from_double(double deg)
{
	return (int64_t)llround(deg * 1e6);
}

bool geo_in_china(int64_t lat, int64_t lon)
{
	return lat >= 3800000 && lat <= 53600000 && lon >= 73400000 && lon <= 135100000;
}

double geo_distance_m(int64_t lat1, int64_t lon1, int64_t lat2, int64_t lon2)
{
	const double r = 6371008.8, k = M_PI / 180e6;
	double p1 = (double)lat1 * k, p2 = (double)lat2 * k;
	double dp = (double)(lat2 - lat1) * k, dl = (double)(lon2 - lon1) * k;
	double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);

	return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

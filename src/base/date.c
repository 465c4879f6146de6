/* date.c: civil-date arithmetic (days-from-civil algorithm) and working days. */
#include "base/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int32_t date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap(y) ? 29 : dim[m - 1];
}

bool date_valid_ymd(int y, int m, int d)
{
	return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

bool date_parse(const char *s, int32_t *out)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (!date_valid_ymd(y, m, d))
		return false;
	*out = date_from_ymd(y, m, d);
	return true;
}

void date_format(int32_t days, char out[DATE_STR])
{
	int y, m, d;

	date_to_ymd(days, &y, &m, &d);
	y = y < 0 ? 0 : y % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

int date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7 + 3) % 7);
	return w + 1;
}

int32_t date_add_months(int32_t days, int n)
{
	int y, m, d, idx, dim;

	date_to_ymd(days, &y, &m, &d);
	idx = y * 12 + (m - 1) + n;
	y = idx >= 0 ? idx / 12 : (idx - 11) / 12;
	m = idx - y * 12 + 1;
	dim = date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return date_from_ymd(y, m, d);
}

int date_age_years(int32_t birth, int32_t on)
{
	int by, bm, bd, oy, om, od, age;

	date_to_ymd(birth, &by, &bm, &bd);
	date_to_ymd(on, &oy, &om, &od);
	age = oy - by;
	if (om < bm || (om == bm && od < bd))
		age--;
	return age;
}

int32_t date_of_unix_cn(int64_t t)
{
	int64_t local = t + 8 * 3600;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	return (int32_t)days;
}

int64_t date_now_unix(void)
{
	return (int64_t)time(NULL);
}

int32_t date_today_cn(void)
{
	return date_of_unix_cn(date_now_unix());
}

static bool in_sorted(const int32_t *a, int n, int32_t v)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (a[mid] == v)
			return true;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

bool cal_is_workday(const struct calendar *cal, int32_t day)
{
	int wd = date_weekday(day);

	if (cal && in_sorted(cal->holidays, cal->n_holidays, day))
		return false;
	if (wd <= 5)
		return true;
	return cal && in_sorted(cal->workdays, cal->n_workdays, day);
}

int32_t cal_add_workdays(const struct calendar *cal, int32_t day, int n)
{
	while (n > 0) {
		day++;
		if (cal_is_workday(cal, day))
			n--;
	}
	return day;
}

int cal_workdays_between(const struct calendar *cal, int32_t from, int32_t to)
{
	int n = 0;

	for (int32_t d = from + 1; d <= to; d++)
		if (cal_is_workday(cal, d))
			n++;
	return n;
}

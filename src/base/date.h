/* date.h: calendar dates as day numbers (days since 1970-01-01), strict 'YYYY-MM-DD' parsing, month arithmetic,
 * ages, the Asia/Shanghai "today", and working-day arithmetic over a holiday calendar (weekends, public holidays,
 * and the weekend days that are declared working days, 调休). */
#ifndef LTCI_DATE_H
#define LTCI_DATE_H

#include <stdbool.h>
#include <stdint.h>

#define DATE_STR 11 /* "YYYY-MM-DD" + NUL */

/* Day number of a civil date (proleptic Gregorian). No validation. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t days, int *y, int *m, int *d);
/* True if y-m-d is a real date between 1900-01-01 and 2199-12-31. */
bool date_valid_ymd(int y, int m, int d);
int date_days_in_month(int y, int m);
/* Parse exactly 'YYYY-MM-DD' (a real date, 1900..2199). */
bool date_parse(const char *s, int32_t *out);
void date_format(int32_t days, char out[DATE_STR]);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(int32_t days);
/* Add n months; the day is clamped to the end of the target month (01-31 + 1 month = 02-28/29). */
int32_t date_add_months(int32_t days, int n);
/* Completed years between birth and on (on's age on that date). */
int date_age_years(int32_t birth, int32_t on);
/* The calendar date in Asia/Shanghai (UTC+8, no daylight saving) of a Unix time. */
int32_t date_of_unix_cn(int64_t unix_seconds);
/* Today in Asia/Shanghai. */
int32_t date_today_cn(void);
/* Current Unix time in seconds. */
int64_t date_now_unix(void);

/* A working-day calendar: Monday-Friday are working days except holidays; weekend days listed in workdays are
 * working days. Both arrays are sorted ascending and owned by the calendar's owner. */
struct calendar {
	const int32_t *holidays;
	int n_holidays;
	const int32_t *workdays;
	int n_workdays;
};

bool cal_is_workday(const struct calendar *cal, int32_t day);
/* The date that is n (>= 0) working days after day (day itself not counted; n = 0 returns day). */
int32_t cal_add_workdays(const struct calendar *cal, int32_t day, int n);
/* Working days in (from, to]: 0 if to <= from. */
int cal_workdays_between(const struct calendar *cal, int32_t from, int32_t to);

#endif

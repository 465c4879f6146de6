/* idcard.h: resident identity numbers (居民身份证号码, GB 11643-1999): 18 characters, 17 digits and a check
 * character (0-9 or X) computed with ISO 7064 MOD 11-2. Birth date and sex are derived from the number. 15-digit
 * legacy numbers are refused with a message asking for the 18-digit number. */
#ifndef LTCI_IDCARD_H
#define LTCI_IDCARD_H

#include <stdint.h>

#include "base/err.h"

struct idcard {
	char number[19]; /* normalised: upper-case X */
	int32_t birth;   /* day number (date.h) */
	char sex;        /* 'M' or 'F' */
	char region[7];  /* the 6-digit address code of first registration */
};

/* Validate s as an identity number on date today (a birth date after today is refused). On success fills out and
 * returns 0; otherwise returns ERR_INVALID with a Chinese message in e (field as given). */
int idcard_parse(const char *s, int32_t today, struct idcard *out, const char *field, struct err *e);

/* The check character for 17 digits. */
char idcard_check_char(const char *first17);

#endif

/* money.h: amounts are int64 fen (1 yuan = 100 fen), never floating point. Parsing and formatting of yuan strings,
 * and multiplication by a ratio with one stated rounding rule (half away from zero). */
#ifndef LTCI_MONEY_H
#define LTCI_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest amount accepted anywhere: 10^15 fen (10 trillion yuan); keeps every sum of a few million lines exact. */
#define MONEY_MAX_FEN 1000000000000000LL

/* Parse "1280", "1280.5", "-0.01", "1,280.00" (grouping commas allowed only in groups of three) into fen.
 * At most two decimals. False on anything else or beyond MONEY_MAX_FEN. */
bool money_parse(const char *s, int64_t *fen);
/* Format fen as yuan with two decimals ("1280.00", "-0.05"); with grouping, "1,280.00". */
void money_format(int64_t fen, bool grouping, char *out, size_t size);
/* fen * num / den rounded half away from zero; den > 0. */
int64_t money_mul_ratio(int64_t fen, int64_t num, int64_t den);

#endif

/* csv.h: a streaming CSV reader for bulk imports (RFC 4180: quoted fields with commas, doubled quotes and line
 * breaks; CRLF or LF). UTF-8 with or without BOM is read as is; a GB18030 file (what Excel saves on a Chinese
 * Windows) is detected from its first bytes and converted to UTF-8 on the fly. Records and fields are capped. */
#ifndef LTCI_CSV_H
#define LTCI_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

enum csv_encoding { CSV_UTF8 = 1, CSV_GB18030 };

struct csv_reader;

/* Open a file. ERR_IO if it cannot be read, ERR_INVALID if its encoding is neither UTF-8 nor GB18030. */
int csv_open(const char *path, struct csv_reader **out, struct err *e);
void csv_close(struct csv_reader *r);
enum csv_encoding csv_encoding(const struct csv_reader *r);

#define CSV_ROW 100 /* csv_next: a record was read (distinct from every error code) */

/* Read the next record. Returns CSV_ROW with *fields / *n set (valid until the next call), 0 at end of file, or an
 * error code (ERR_INVALID: unterminated quote, record too long, too many fields, invalid UTF-8) with the line in
 * e->msg. *line is the physical line on which the record starts (1-based). A record that failed is skipped: the
 * next call continues after it. */
int csv_next(struct csv_reader *r, char ***fields, int *n, int64_t *line, struct err *e);

/* Bytes of the file consumed so far and the file's size, for progress. */
int64_t csv_position(const struct csv_reader *r);
int64_t csv_size(const struct csv_reader *r);

/* Find each wanted column (by name, case-insensitive, surrounding spaces ignored) in a header record.
 * idx[i] gets the column of wanted[i], or -1. Returns 0, or ERR_INVALID naming the first missing required column
 * (required[i] true) or a duplicated column. */
int csv_map_header(char **header, int n, const char *const *wanted, const bool *required, int count, int *idx,
		   struct err *e);

#endif

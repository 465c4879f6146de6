/* buf.h: a growable byte buffer with a hard cap. Appending past the cap fails (ERR_TOO_LARGE) and leaves the
 * buffer as it was, so client-sized data can never exhaust memory. The content is always NUL-terminated. */
#ifndef LTCI_BUF_H
#define LTCI_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* NULL until the first append; NUL-terminated after */
	size_t len;
	size_t cap;   /* allocated bytes */
	size_t max;   /* hard cap on len */
};

/* Initialise an empty buffer that may hold at most max bytes. */
void buf_init(struct buf *b, size_t max);
/* Free the content; the buffer may be reused after buf_init. */
void buf_free(struct buf *b);
/* Forget the content but keep the allocation. */
void buf_reset(struct buf *b);
/* Append n bytes. Returns 0 or ERR_TOO_LARGE (nothing appended). */
int buf_append(struct buf *b, const void *p, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Hand the content to the caller (who frees it) and reset the buffer. Never NULL. */
char *buf_steal(struct buf *b);

#endif

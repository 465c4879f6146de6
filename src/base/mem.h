/* mem.h: allocation wrappers that abort on out-of-memory, for small fixed-size allocations. Anything whose size a
 * client controls goes through struct buf (buf.h), which has a cap and fails cleanly instead. */
#ifndef LTCI_MEM_H
#define LTCI_MEM_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string (caller frees). */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif

/* csv.c: streaming CSV reader with UTF-8/GB18030 detection (see csv.h). */
#include "base/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/limits.h"
#include "base/mem.h"
#include "base/str.h"

#define RAW_CHUNK (256 * 1024)

struct csv_reader {
	int fd;
	enum csv_encoding enc;
	iconv_t cd;
	int64_t size, consumed;
	/* raw bytes from the file */
	char *raw;
	size_t raw_len, raw_off;
	bool eof;
	/* UTF-8 text ready for the parser */
	char *text;
	size_t text_cap, text_len, text_off;
	/* the current record */
	struct buf rec;
	size_t offs[LIMIT_CSV_FIELDS];
	char *ptrs[LIMIT_CSV_FIELDS];
	int64_t line;      /* physical line of the next character */
	bool first;        /* nothing parsed yet (BOM check) */
};

static bool fill_raw(struct csv_reader *r)
{
	ssize_t n;

	if (r->raw_off > 0) {
		memmove(r->raw, r->raw + r->raw_off, r->raw_len - r->raw_off);
		r->raw_len -= r->raw_off;
		r->raw_off = 0;
	}
	if (r->eof || r->raw_len == RAW_CHUNK)
		return r->raw_len > 0;
	do
		n = read(r->fd, r->raw + r->raw_len, RAW_CHUNK - r->raw_len);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		r->eof = true;
	else
		r->raw_len += (size_t)n;
	return r->raw_len > 0;
}

/* Make more UTF-8 text available; false at end of input. An undecodable GB18030 sequence becomes the byte 0xFF
 * (never valid in UTF-8) so the record is refused by the UTF-8 check rather than silently altered. */
static bool fill_text(struct csv_reader *r)
{
	r->text_len = 0;
	r->text_off = 0;
	if (!fill_raw(r))
		return false;
	if (r->enc == CSV_UTF8) {
		memcpy(r->text, r->raw, r->raw_len);
		r->text_len = r->raw_len;
		r->consumed += (int64_t)r->raw_len;
		r->raw_off = r->raw_len;
		return true;
	}
	{
		char *in = r->raw + r->raw_off, *out = r->text;
		size_t inleft = r->raw_len - r->raw_off, outleft = r->text_cap;
		while (inleft > 0) {
			size_t before = inleft;
			if (iconv(r->cd, &in, &inleft, &out, &outleft) != (size_t)-1)
				break;
			if (errno == EINVAL && !r->eof)
				break; /* incomplete sequence at the end of the chunk: wait for more */
			if (errno == E2BIG)
				break;
			if (outleft < 1)
				break;
			/* EILSEQ, or a truncated sequence at end of file */
			*out++ = '\xff';
			outleft--;
			in++;
			inleft--;
			(void)before;
		}
		r->consumed += (int64_t)((size_t)(in - (r->raw + r->raw_off)));
		r->raw_off = (size_t)(in - r->raw);
		r->text_len = (size_t)(out - r->text);
		if (r->text_len == 0 && r->eof && r->raw_off < r->raw_len) {
			r->raw_off = r->raw_len;
			return false;
		}
		return r->text_len > 0 || (!r->eof || r->raw_off < r->raw_len);
	}
}

static int next_char(struct csv_reader *r)
{
	while (r->text_off >= r->text_len)
		if (!fill_text(r))
			return -1;
	return (unsigned char)r->text[r->text_off++];
}

static int peek_char(struct csv_reader *r)
{
	while (r->text_off >= r->text_len)
		if (!fill_text(r))
			return -1;
	return (unsigned char)r->text[r->text_off];
}

/* UTF-8 validity of a sample, ignoring a sequence cut off at its end. */
static bool sample_is_utf8(const char *p, size_t n)
{
	size_t cut = n;

	for (size_t back = 0; back < 4 && back < n; back++) {
		unsigned char c = (unsigned char)p[n - 1 - back];
		if ((c & 0xc0) != 0x80) {
			size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
			if (need > back + 1)
				cut = n - 1 - back;
			break;
		}
	}
	return str_utf8_valid(p, cut);
}

int csv_open(const char *path, struct csv_reader **out, struct err *e)
{
	struct csv_reader *r;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0)
		return err_set(e, ERR_IO, "file", "无法打开文件%s：%s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(e, ERR_IO, "file", "%s不是普通文件", path);
	}
	r = xcalloc(1, sizeof *r);
	r->fd = fd;
	r->size = st.st_size;
	r->raw = xmalloc(RAW_CHUNK);
	r->text_cap = RAW_CHUNK * 2; /* GB18030 -> UTF-8 grows at most 1.5x */
	r->text = xmalloc(r->text_cap);
	r->cd = (iconv_t)-1;
	r->line = 1;
	r->first = true;
	buf_init(&r->rec, LIMIT_CSV_RECORD_BYTES + 1); /* fields joined by commas, plus the final NUL */
	fill_raw(r);
	if (sample_is_utf8(r->raw, r->raw_len)) {
		r->enc = CSV_UTF8;
	} else {
		iconv_t cd = iconv_open("UTF-8", "GB18030");
		char *in = r->raw, *o = r->text;
		size_t inleft = r->raw_len, outleft = r->text_cap;
		bool ok = cd != (iconv_t)-1;
		if (ok && iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 && errno != EINVAL)
			ok = false;
		if (!ok) {
			if (cd != (iconv_t)-1)
				iconv_close(cd);
			csv_close(r);
			return err_set(e, ERR_INVALID, "file", "文件既不是UTF-8也不是GB18030编码，请另存为UTF-8 CSV");
		}
		iconv(cd, NULL, NULL, NULL, NULL);
		r->cd = cd;
		r->enc = CSV_GB18030;
	}
	*out = r;
	return 0;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->cd != (iconv_t)-1)
		iconv_close(r->cd);
	close(r->fd);
	free(r->raw);
	free(r->text);
	buf_free(&r->rec);
	free(r);
}

enum csv_encoding csv_encoding(const struct csv_reader *r)
{
	return r->enc;
}

int64_t csv_position(const struct csv_reader *r)
{
	return r->consumed;
}

int64_t csv_size(const struct csv_reader *r)
{
	return r->size;
}

int csv_next(struct csv_reader *r, char ***fields, int *n, int64_t *line, struct err *e)
{
	int nf = 0, c;
	bool quoted = false, too_long = false, too_many = false, field_started = false, after_quote = false;
	bool bad_quote = false;

	buf_reset(&r->rec);
	if (r->first) {
		r->first = false;
		/* UTF-8 byte order mark (a GB18030 one arrives converted). The first chunk is in the text buffer, so all
		 * three bytes are there; text that merely starts with EF (U+F000-U+FFFF, e.g. a full-width bracket) is
		 * data. */
		if (peek_char(r) == 0xef && r->text_len - r->text_off >= 3 &&
		    memcmp(r->text + r->text_off, "\xef\xbb\xbf", 3) == 0)
			r->text_off += 3;
	}
	/* skip blank lines between records */
	while ((c = peek_char(r)) == '\n' || c == '\r') {
		next_char(r);
		if (c == '\n')
			r->line++;
	}
	if (c < 0)
		return 0;
	*line = r->line;
	r->offs[0] = 0;
	for (;;) {
		c = next_char(r);
		if (c < 0) {
			if (quoted)
				return err_set(e, ERR_INVALID, "file", "第%lld行：引号未闭合", (long long)*line);
			break;
		}
		if (quoted) {
			if (c == '"') {
				if (peek_char(r) == '"') {
					next_char(r);
				} else {
					quoted = false;
					after_quote = true;
					continue;
				}
			} else if (c == '\n') {
				r->line++;
			}
		} else {
			if (c == ',') {
				if (buf_putc(&r->rec, '\0'))
					too_long = true;
				if (nf + 1 < LIMIT_CSV_FIELDS)
					r->offs[++nf] = r->rec.len;
				else
					too_many = true;
				field_started = false;
				after_quote = false;
				continue;
			}
			if (c == '\r' && peek_char(r) == '\n')
				continue;
			if (c == '\n' || c == '\r') {
				r->line++;
				break;
			}
			if (c == '"' && !field_started) {
				quoted = true;
				field_started = true;
				continue;
			}
			if (after_quote)
				bad_quote = true;
		}
		field_started = true;
		if (!too_long && buf_putc(&r->rec, (char)c))
			too_long = true;
	}
	if (buf_putc(&r->rec, '\0'))
		too_long = true;
	if (too_long)
		return err_set(e, ERR_INVALID, "file", "第%lld行：记录过长（最多%d字节）", (long long)*line,
			       LIMIT_CSV_RECORD_BYTES);
	if (too_many)
		return err_set(e, ERR_INVALID, "file", "第%lld行：列数过多（最多%d列）", (long long)*line,
			       LIMIT_CSV_FIELDS);
	if (bad_quote)
		return err_set(e, ERR_INVALID, "file", "第%lld行：引号后面有多余字符", (long long)*line);
	if (!str_utf8_valid(r->rec.data, r->rec.len))
		return err_set(e, ERR_INVALID, "file", "第%lld行：不是有效的UTF-8文本", (long long)*line);
	nf++;
	for (int i = 0; i < nf; i++)
		r->ptrs[i] = r->rec.data + r->offs[i];
	*fields = r->ptrs;
	*n = nf;
	return CSV_ROW;
}

int csv_map_header(char **header, int n, const char *const *wanted, const bool *required, int count, int *idx,
		   struct err *e)
{
	for (int i = 0; i < count; i++) {
		idx[i] = -1;
		for (int k = 0; k < n; k++) {
			const char *h = header[k];
			size_t len;
			while (*h == ' ' || *h == '\t')
				h++;
			len = strlen(h);
			while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
				len--;
			if (len == strlen(wanted[i]) && strncasecmp(h, wanted[i], len) == 0) {
				if (idx[i] >= 0)
					return err_set(e, ERR_INVALID, wanted[i], "表头中列%s出现了两次", wanted[i]);
				idx[i] = k;
			}
		}
		if (idx[i] < 0 && required[i])
			return err_set(e, ERR_INVALID, wanted[i], "表头缺少必需的列：%s", wanted[i]);
	}
	return 0;
}

/* test_csv.c: the streaming CSV reader (base/csv.h). Each case writes bytes to a temporary file, reads every record
 * and renders the result as text: a record (CSV_ROW) as "<line>[field][field]...", a refused record as "E<line>" (its message
 * must name the same line), separated by spaces. Covered: RFC 4180 quoting, CRLF/LF, blank lines, the UTF-8 BOM,
 * GB18030 detection and conversion (bytes written literally: 张三 = D5 C5 C8 FD, 李四 = C0 EE CB C4,
 * 姓名 = D0 D5 C3 FB, 编号 = B1 E0 BA C5, 㐀 U+3400 = 81 39 EE 39 (four bytes), the GB18030 BOM = 84 31 95 33),
 * refused encodings, per-record errors and recovery, the record and field limits, header mapping, progress, and
 * inputs larger than the reader's 256 KiB chunk with a character, a quoted field, a doubled quote or a CRLF cut in
 * two by the chunk boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/limits.h"

#define CHUNK (256 * 1024) /* the reader's read size (csv.c RAW_CHUNK) */

/* A byte-string literal and its length (without the terminating NUL). */
#define B(lit) lit, sizeof(lit) - 1

/* ---- helpers ---- */

struct bytes {
	char *p;
	size_t n, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_b(struct bytes *b, const char *s)
{
	put(b, s, strlen(s));
}

static void putc_b(struct bytes *b, char c, size_t times)
{
	for (size_t i = 0; i < times; i++)
		put(b, &c, 1);
}

/* Append single-field rows "padxxx...\n" until b holds exactly target bytes (target - b->n must be 0 or >= 64).
 * Returns the number of rows (= lines) written. */
static int pad_to(struct bytes *b, size_t target)
{
	int rows = 0;

	assert_true(target >= b->n);
	assert_true(target - b->n == 0 || target - b->n >= 64);
	while (b->n < target) {
		size_t rem = target - b->n, len = rem >= 128 ? 64 : rem;
		puts_b(b, "pad");
		putc_b(b, 'x', len - 4);
		puts_b(b, "\n");
		rows++;
	}
	assert_int_equal(b->n, target);
	return rows;
}

static char *write_temp(const void *p, size_t n)
{
	char tmpl[] = "/tmp/ltci_csv_XXXXXX";
	int fd = mkstemp(tmpl);
	size_t off = 0;

	if (fd < 0)
		fail_msg("mkstemp failed");
	while (off < n) {
		ssize_t w = write(fd, (const char *)p + off, n - off);
		if (w <= 0)
			fail_msg("write to %s failed", tmpl);
		off += (size_t)w;
	}
	close(fd);
	return strdup(tmpl);
}

/* Read every record of the file at path (removed once open) and render them (see the top of the file). Records with a single field
 * starting with "pad" are only counted, in *pads (if pads is non-NULL). Also checks that csv_position never goes
 * backwards, never passes csv_size, reaches it at the end, and that end of file stays end of file. */
static char *read_path(const char *path, enum csv_encoding *enc, int *pads)
{
	struct csv_reader *r = NULL;
	struct bytes out = {0};
	struct err e;
	int64_t prev = 0;
	int rc;

	puts_b(&out, "");
	if (pads)
		*pads = 0;
	err_clear(&e);
	rc = csv_open(path, &r, &e);
	unlink(path); /* the open descriptor keeps it readable; nothing is left behind if a check fails */
	if (rc != 0)
		fail_msg("csv_open refused %s: rc %d, %s", path, rc, e.msg);
	assert_non_null(r);
	if (enc)
		*enc = csv_encoding(r);
	assert_int_equal(csv_position(r), 0);
	for (int guard = 0;; guard++) {
		char **f = NULL;
		int n = -1;
		int64_t line = -1;
		char tok[64];

		if (guard > 100000)
			fail_msg("csv_next does not reach end of file");
		err_clear(&e);
		rc = csv_next(r, &f, &n, &line, &e);
		if (csv_position(r) < prev || csv_position(r) > csv_size(r))
			fail_msg("position %lld after %lld (size %lld)", (long long)csv_position(r), (long long)prev,
				 (long long)csv_size(r));
		prev = csv_position(r);
		if (rc == 0)
			break;
		if (rc == CSV_ROW) {
			if (pads && n == 1 && strncmp(f[0], "pad", 3) == 0) {
				(*pads)++;
				continue;
			}
			snprintf(tok, sizeof tok, "%s%lld", out.n ? " " : "", (long long)line);
			puts_b(&out, tok);
			for (int i = 0; i < n; i++) {
				puts_b(&out, "[");
				puts_b(&out, f[i]);
				puts_b(&out, "]");
			}
			continue;
		}
		if (rc != ERR_INVALID)
			fail_msg("csv_next: rc %d (%s)", rc, e.msg);
		snprintf(tok, sizeof tok, "第%lld行", (long long)line);
		if (!strstr(e.msg, tok))
			fail_msg("error message \"%s\" does not name line %lld", e.msg, (long long)line);
		snprintf(tok, sizeof tok, "%sE%lld", out.n ? " " : "", (long long)line);
		puts_b(&out, tok);
	}
	assert_int_equal(csv_position(r), csv_size(r));
	{
		char **f;
		int n;
		int64_t line;
		assert_int_equal(csv_next(r, &f, &n, &line, &e), 0);
	}
	csv_close(r);
	return out.p;
}

static char *read_bytes(const void *p, size_t n, enum csv_encoding *enc, int *pads)
{
	char *path = write_temp(p, n);
	char *out = read_path(path, enc, pads);

	free(path);
	return out;
}

static void expect(const char *what, const void *p, size_t n, enum csv_encoding want_enc, const char *want)
{
	enum csv_encoding enc = 0;
	char *got = read_bytes(p, n, &enc, NULL);

	if (strcmp(got, want) != 0)
		fail_msg("%s:\n  got      %s\n  expected %s", what, got, want);
	if (enc != want_enc)
		fail_msg("%s: encoding %d, expected %d", what, (int)enc, (int)want_enc);
	free(got);
}

/* ---- small files ---- */

struct read_case {
	const char *in;
	size_t n;
	const char *want;
	const char *what;
};

static void run_cases(const struct read_case *cases, size_t count, enum csv_encoding enc)
{
	for (size_t i = 0; i < count; i++)
		expect(cases[i].what, cases[i].in, cases[i].n, enc, cases[i].want);
}

static void test_rfc4180(void **state)
{
	static const struct read_case cases[] = {
		{B("a,b,c\n1,2,3\n"), "1[a][b][c] 2[1][2][3]", "LF"},
		{B("a,b,c\r\n1,2,3\r\n"), "1[a][b][c] 2[1][2][3]", "CRLF"},
		{B("a,b\n1,2"), "1[a][b] 2[1][2]", "no newline at the end"},
		{B("a,b\r\n1,2\n"), "1[a][b] 2[1][2]", "mixed line ends"},
		{B("x\n"), "1[x]", "one field"},
		{B(",,\n"), "1[][][]", "three empty fields"},
		{B("a,\n,b\n"), "1[a][] 2[][b]", "empty first or last field"},
		{B(" a , b \n"), "1[ a ][ b ]", "spaces are data"},
		{B("\"a,b\",c\n"), "1[a,b][c]", "comma inside quotes"},
		{B("\"say \"\"hi\"\"\",x\n"), "1[say \"hi\"][x]", "doubled quotes"},
		{B("\"\"\"\"\n"), "1[\"]", "a field that is one quote"},
		{B("\"\",\"\"\n"), "1[][]", "empty quoted fields"},
		{B("a,\"\"\n"), "1[a][]", "empty quoted last field"},
		{B("\"a\"\r\n\"b\"\n"), "1[a] 2[b]", "quoted field before CRLF"},
		{B("\"l1\nl2\",x\nnext,y\n"), "1[l1\nl2][x] 3[next][y]", "LF inside quotes"},
		{B("\"l1\r\nl2\",x\r\nnext,y\r\n"), "1[l1\r\nl2][x] 3[next][y]", "CRLF inside quotes kept"},
		{B("a,\"1\n2\n3\n4\"\nb,c\n"), "1[a][1\n2\n3\n4] 5[b][c]", "a record over four lines"},
		{B("\"\n\",\"\n\"\nz\n"), "1[\n][\n] 4[z]", "two fields that are a line break each"},
		{B("姓名,身份证号\n张三,11010519491231002X\n"), "1[姓名][身份证号] 2[张三][11010519491231002X]",
		 "Chinese UTF-8"},
	};

	run_cases(cases, sizeof cases / sizeof cases[0], CSV_UTF8);
}

static void test_blank_lines_and_bom(void **state)
{
	static const struct read_case cases[] = {
		{B(""), "", "empty file"},
		{B("\n\r\n\n"), "", "only blank lines"},
		{B("\n\na,b\n\n\r\n1,2\n\n"), "3[a][b] 6[1][2]", "blank lines skipped, still counted"},
		{B("a\n\n\n\nb"), "1[a] 5[b]", "blank lines before the last record"},
		{B("\xef\xbb\xbf"), "", "only a BOM"},
		{B("\xef\xbb\xbfname,id\n1,2\n"), "1[name][id] 2[1][2]", "UTF-8 BOM skipped"},
		{B("\xef\xbb\xbf\n\nname\n"), "3[name]", "BOM then blank lines"},
		{B("\xef\xbb\xbf\"q,1\"\n"), "1[q,1]", "BOM then a quoted field"},
		/* U+FF08 FULLWIDTH LEFT PARENTHESIS is EF BC 88: it starts like a BOM but is text */
		{B("\xef\xbc\x88" "备注\xef\xbc\x89,b\n"), "1[（备注）][b]", "first character U+FF08, not a BOM"},
		{B("\xef\xbf\xbd,b\n"), "1[\xef\xbf\xbd][b]", "first character U+FFFD, not a BOM"},
	};

	run_cases(cases, sizeof cases / sizeof cases[0], CSV_UTF8);
}

static void test_gb18030(void **state)
{
	static const struct read_case cases[] = {
		{B("\xd5\xc5\xc8\xfd,1\n"), "1[张三][1]", "张三"},
		{B("\xd0\xd5\xc3\xfb,\xb1\xe0\xba\xc5\r\n\xd5\xc5\xc8\xfd,1\r\n\xc0\xee\xcb\xc4,2\r\n"),
		 "1[姓名][编号] 2[张三][1] 3[李四][2]", "header and two rows, CRLF"},
		{B("\x81\x39\xee\x39,\xd5\xc5\n"), "1[㐀][张]", "a four-byte sequence"},
		{B("\"\xd5\xc5,\xc8\xfd\"\"\",x\n"), "1[张,三\"][x]", "quoted, with a comma and a doubled quote"},
		{B("\"\xd5\xc5\n\xc8\xfd\",x\n\xc0\xee\n"), "1[张\n三][x] 3[李]", "line break inside quotes"},
		{B("\n\n\xd5\xc5\xc8\xfd\n"), "3[张三]", "blank lines"},
		{B("\x84\x31\x95\x33\xd5\xc5\xc8\xfd,1\n"), "1[张三][1]", "GB18030 BOM skipped"},
		{B("name,\xd5\xc5\n"), "1[name][张]", "ASCII first, GB18030 later in the first chunk"},
		/* a lead byte with nothing after it at the end of the file: refused, not silently altered */
		{B("\xd5\xc5\xc8\xfd,1\n\xc0\xee\xcb\xc4,\xc0"), "1[张三][1] E2", "truncated character at end of file"},
	};

	run_cases(cases, sizeof cases / sizeof cases[0], CSV_GB18030);
}

static void test_refused_encodings(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *what;
	} cases[] = {
		{B("\xff\xfen\x00" "a\x00,\x00" "b\x00\n\x00"), "UTF-16LE with BOM"},
		{B("\xfe\xff\x00n\x00" "a"), "UTF-16BE with BOM"},
		{B("\x80" "abc\n"), "0x80 (invalid in both)"},
		{B("\xd5\xc5\xff\n"), "GB18030 then 0xFF"},
		{B("abc\n\xd5\x20\n"), "GB18030 lead byte followed by a space"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *path = write_temp(cases[i].in, cases[i].n);
		struct csv_reader *r = (struct csv_reader *)1;
		struct err e;
		int rc;

		err_clear(&e);
		rc = csv_open(path, &r, &e);
		unlink(path);
		free(path);
		if (rc != ERR_INVALID)
			fail_msg("%s: not refused", cases[i].what);
		assert_null(r);
		assert_int_equal(e.code, ERR_INVALID);
		assert_true(e.msg[0] != '\0');
	}
}

static void test_open_errors(void **state)
{
	struct csv_reader *r = (struct csv_reader *)1;
	struct err e;

	err_clear(&e);
	assert_int_equal(csv_open("/tmp/ltci_csv_no_such_file/x.csv", &r, &e), ERR_IO);
	assert_null(r);
	r = (struct csv_reader *)1;
	assert_int_equal(csv_open("/tmp", &r, &e), ERR_IO); /* a directory */
	assert_null(r);
	csv_close(NULL);
}

static void test_record_errors(void **state)
{
	static const struct read_case cases[] = {
		{B("a,b\n\"open,c\nd,e\n"), "1[a][b] E2", "unterminated quote swallows the rest of the file"},
		{B("\"abc"), "E1", "unterminated quote, no newline"},
		{B("a\n\"x\"\"\n"), "1[a] E2", "a doubled quote does not close the field"},
		{B("\"ab\"c,d\nx,y\n"), "E1 2[x][y]", "text after a closing quote"},
		{B("a,\"b\" \nx\n"), "E1 2[x]", "space after a closing quote"},
		{B("\"a\"\"b\"c\nx\n"), "E1 2[x]", "text after a closing quote that follows a doubled quote"},
		{B("x\n\"a\"b\n\"c\nd\",e\nz\n"), "1[x] E2 3[c\nd][e] 5[z]", "an error between good records"},
		{B("\"a\nb\"c\nnext\n"), "E1 3[next]", "error in a record over two lines: next line counted"},
		{B("\"a\"x\n\"b\"y\n\"c\"\n"), "E1 E2 3[c]", "two errors in a row"},
	};

	run_cases(cases, sizeof cases / sizeof cases[0], CSV_UTF8);
}

/* A record's bytes are its decoded fields joined by commas: at most LIMIT_CSV_RECORD_BYTES (65536). */
static void test_record_limit(void **state)
{
	static const struct {
		size_t first, second; /* lengths of two fields; second 0 = one field only */
		bool ok;
	} cases[] = {
		{65535, 0, true},
		{65536, 0, true},   /* exactly the limit */
		{65537, 0, false},  /* one byte over */
		{200000, 0, false},
		{65534, 1, true},   /* 65534 + ',' + 1 = 65536 */
		{65535, 1, false},  /* 65537 */
	};

	assert_int_equal(LIMIT_CSV_RECORD_BYTES, 65536);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bytes b = {0};
		char *got;
		const char *want;

		puts_b(&b, "head\n");
		putc_b(&b, 'a', cases[i].first);
		if (cases[i].second) {
			puts_b(&b, ",");
			putc_b(&b, 'b', cases[i].second);
		}
		puts_b(&b, "\ntail,1\n");
		got = read_bytes(b.p, b.n, NULL, NULL);
		if (cases[i].ok) {
			/* check the long field's length without printing it */
			size_t want_len = strlen("1[head] 2[") + cases[i].first +
					  (cases[i].second ? 2 + cases[i].second : 0) + strlen("] 3[tail][1]");
			if (strlen(got) != want_len || strncmp(got, "1[head] 2[aaa", 13) != 0 ||
			    strcmp(got + want_len - 12, "] 3[tail][1]") != 0)
				fail_msg("%zu+%zu bytes: refused or altered (%.40s...)", cases[i].first, cases[i].second,
					 got);
		} else {
			want = "1[head] E2 3[tail][1]";
			if (strcmp(got, want) != 0)
				fail_msg("%zu+%zu bytes: got %.60s, expected %s", cases[i].first, cases[i].second, got,
					 want);
		}
		free(got);
		free(b.p);
	}
}

/* A long quoted record with line breaks inside: refused, and the lines inside it still counted. */
static void test_record_limit_multiline(void **state)
{
	struct bytes b = {0};
	char *got;

	puts_b(&b, "\"");
	for (int i = 0; i < 10; i++) {
		putc_b(&b, 'q', 10000);
		puts_b(&b, "\n");
	}
	puts_b(&b, "\",x\nafter,1\n");
	got = read_bytes(b.p, b.n, NULL, NULL);
	assert_string_equal(got, "E1 12[after][1]");
	free(got);
	free(b.p);
}

static void test_field_limit(void **state)
{
	static const struct {
		int fields;
		bool ok;
	} cases[] = {{63, true}, {64, true}, {65, false}, {200, false}};

	assert_int_equal(LIMIT_CSV_FIELDS, 64);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct bytes b = {0}, want = {0};
		char *got;

		puts_b(&b, "first\n");
		puts_b(&want, "1[first] ");
		if (cases[i].ok)
			puts_b(&want, "2");
		else
			puts_b(&want, "E2");
		for (int k = 0; k < cases[i].fields; k++) {
			char f[16];
			snprintf(f, sizeof f, "%sf%d", k ? "," : "", k);
			puts_b(&b, f);
			if (cases[i].ok) {
				snprintf(f, sizeof f, "[f%d]", k);
				puts_b(&want, f);
			}
		}
		puts_b(&b, "\nlast,1\n");
		puts_b(&want, " 3[last][1]");
		got = read_bytes(b.p, b.n, NULL, NULL);
		if (strcmp(got, want.p) != 0)
			fail_msg("%d fields:\n  got      %s\n  expected %s", cases[i].fields, got, want.p);
		free(got);
		free(b.p);
		free(want.p);
	}
}

/* A record of one file is handed out as an array of n strings. */
static void test_fields_array(void **state)
{
	static const char text[] = "a,,\"c,d\"\n";
	char *path = write_temp(text, sizeof text - 1);
	struct csv_reader *r;
	struct err e;
	char **f;
	int n;
	int64_t line;

	assert_int_equal(csv_open(path, &r, &e), 0);
	unlink(path);
	free(path);
	assert_int_equal(csv_encoding(r), CSV_UTF8);
	assert_int_equal(csv_size(r), 9);
	assert_int_equal(csv_position(r), 0);
	assert_int_equal(csv_next(r, &f, &n, &line, &e), CSV_ROW);
	assert_int_equal(n, 3);
	assert_int_equal(line, 1);
	assert_string_equal(f[0], "a");
	assert_string_equal(f[1], "");
	assert_string_equal(f[2], "c,d");
	assert_int_equal(csv_next(r, &f, &n, &line, &e), 0);
	assert_int_equal(csv_position(r), 9);
	csv_close(r);
}

/* ---- header mapping ---- */

static void test_map_header(void **state)
{
	static const char *const wanted[] = {"name", "id_number", "phone", "address"};
	static const bool required[] = {true, true, false, false};
	int idx[4];
	struct err e;

	{
		char *h[] = {" Name ", "ID_NUMBER", "\tphone\t", "extra"};
		memset(idx, 0x55, sizeof idx);
		assert_int_equal(csv_map_header(h, 4, wanted, required, 4, idx, &e), 0);
		assert_int_equal(idx[0], 0);
		assert_int_equal(idx[1], 1);
		assert_int_equal(idx[2], 2);
		assert_int_equal(idx[3], -1); /* optional and absent */
	}
	{
		char *h[] = {"ADDRESS", "id_Number", "namex", "name", "Phone"}; /* any order; no prefix match */
		assert_int_equal(csv_map_header(h, 5, wanted, required, 4, idx, &e), 0);
		assert_int_equal(idx[0], 3);
		assert_int_equal(idx[1], 1);
		assert_int_equal(idx[2], 4);
		assert_int_equal(idx[3], 0);
	}
	{
		char *h[] = {"name", "phone"}; /* required id_number missing */
		err_clear(&e);
		assert_int_equal(csv_map_header(h, 2, wanted, required, 4, idx, &e), ERR_INVALID);
		assert_string_equal(e.field, "id_number");
		assert_non_null(strstr(e.msg, "id_number"));
	}
	{
		char *h[] = {"id_number"}; /* the first missing required column is named */
		err_clear(&e);
		assert_int_equal(csv_map_header(h, 1, wanted, required, 4, idx, &e), ERR_INVALID);
		assert_string_equal(e.field, "name");
		assert_non_null(strstr(e.msg, "name"));
	}
	{
		char *h[] = {"name", "id_number", "NAME "}; /* duplicated required column */
		err_clear(&e);
		assert_int_equal(csv_map_header(h, 3, wanted, required, 4, idx, &e), ERR_INVALID);
		assert_string_equal(e.field, "name");
	}
	{
		char *h[] = {"name", "id_number", "phone", " Phone"}; /* duplicated optional column */
		err_clear(&e);
		assert_int_equal(csv_map_header(h, 4, wanted, required, 4, idx, &e), ERR_INVALID);
		assert_string_equal(e.field, "phone");
	}
	{
		char *h[] = {"", "  ", "name", "id_number"}; /* empty header cells match nothing */
		assert_int_equal(csv_map_header(h, 4, wanted, required, 4, idx, &e), 0);
		assert_int_equal(idx[0], 2);
		assert_int_equal(idx[1], 3);
		assert_int_equal(idx[2], -1);
		assert_int_equal(idx[3], -1);
	}
	{
		static const char *const zh[] = {"姓名", "身份证号"};
		static const bool req[] = {true, false};
		char *h[] = {" 身份证号", "姓名 "};
		assert_int_equal(csv_map_header(h, 2, zh, req, 2, idx, &e), 0);
		assert_int_equal(idx[0], 1);
		assert_int_equal(idx[1], 0);
	}
	{
		char *h[] = {"x"};
		static const bool none[] = {false, false, false, false};
		assert_int_equal(csv_map_header(h, 1, wanted, none, 4, idx, &e), 0);
		for (int i = 0; i < 4; i++)
			assert_int_equal(idx[i], -1);
	}
}

/* ---- inputs larger than one read chunk ---- */

/* Build header + padding up to offset `at`, then `tail`; read it back and compare with want_header followed by
 * want_pat, in which "@k" stands for line L + k, L being the line just after the padding. */
static void expect_large(const char *what, const char *header, size_t at, const char *tail, size_t tail_n,
			 enum csv_encoding want_enc, const char *want_header, const char *want_pat)
{
	struct bytes b = {0}, want = {0};
	enum csv_encoding enc = 0;
	int rows, pads = 0, header_lines = 0;
	char *got;

	puts_b(&b, header);
	for (const char *p = header; *p; p++)
		header_lines += *p == '\n';
	rows = pad_to(&b, at);
	put(&b, tail, tail_n);
	got = read_bytes(b.p, b.n, &enc, &pads);
	puts_b(&want, want_header);
	for (const char *p = want_pat; *p; p++) {
		if (*p == '@') {
			char num[24];
			long k = strtol(p + 1, (char **)&p, 10);
			snprintf(num, sizeof num, "%ld", header_lines + rows + 1 + k);
			puts_b(&want, num);
			p--;
		} else {
			put(&want, p, 1);
		}
	}
	if (pads != rows)
		fail_msg("%s: %d padding rows read, %d written", what, pads, rows);
	if (strcmp(got, want.p) != 0)
		fail_msg("%s:\n  got      %s\n  expected %s", what, got, want.p);
	if (enc != want_enc)
		fail_msg("%s: encoding %d, expected %d", what, (int)enc, (int)want_enc);
	free(got);
	free(b.p);
	free(want.p);
}

static void test_large_gb18030(void **state)
{
	/* 姓名,编号 in GB18030 (so that the first chunk is recognised as GB18030) */
	static const char hdr[] = "\xd0\xd5\xc3\xfb,\xb1\xe0\xba\xc5\n";
	static const char zhang[] = "\xd5\xc5\xc8\xfd,1\n\xc0\xee\xcb\xc4,2\n";
	static const char ext_a[] = "\x81\x39\xee\x39,3\n\xc0\xee\xcb\xc4,4\n";

	/* 张 D5 C5: lead byte the last of the first chunk */
	expect_large("GB18030 two-byte character across the chunk boundary", hdr, CHUNK - 1, B(zhang), CSV_GB18030,
		     "1[姓名][编号] ", "@0[张三][1] @1[李四][2]");
	/* the same character ending exactly at the boundary */
	expect_large("GB18030 two-byte character ending at the boundary", hdr, CHUNK - 2, B(zhang), CSV_GB18030,
		     "1[姓名][编号] ", "@0[张三][1] @1[李四][2]");
	/* 㐀 81 39 EE 39 cut 1+3, 2+2 and 3+1 */
	for (size_t cut = 1; cut <= 3; cut++) {
		char what[96];
		snprintf(what, sizeof what, "GB18030 four-byte character cut %zu+%zu", cut, 4 - cut);
		expect_large(what, hdr, CHUNK - cut, B(ext_a), CSV_GB18030, "1[姓名][编号] ",
			     "@0[㐀][3] @1[李四][4]");
	}
	/* a quoted GB18030 field with a line break and a doubled quote, crossing the boundary at every offset */
	for (size_t back = 1; back <= 12; back++) {
		static const char q[] = "\"\xd5\xc5\n\"\"\xc8\xfd\",x\n\xc0\xee,y\n";
		char what[96];
		snprintf(what, sizeof what, "GB18030 quoted field starting %zu bytes before the boundary", back);
		expect_large(what, hdr, CHUNK - back, B(q), CSV_GB18030, "1[姓名][编号] ",
			     "@0[张\n\"三][x] @2[李][y]");
	}
}

static void test_large_utf8(void **state)
{
	static const char hdr[] = "name,n\n";

	/* 张 E5 BC A0 cut 1+2 and 2+1; 😀 F0 9F 98 80 cut 1+3, 2+2, 3+1 */
	for (size_t cut = 1; cut <= 2; cut++)
		expect_large("UTF-8 three-byte character across the boundary", hdr, CHUNK - cut,
			     B("张三,1\n李四,2\n"), CSV_UTF8, "1[name][n] ", "@0[张三][1] @1[李四][2]");
	for (size_t cut = 1; cut <= 3; cut++)
		expect_large("UTF-8 four-byte character across the boundary", hdr, CHUNK - cut,
			     B("\xf0\x9f\x98\x80,1\nok,2\n"), CSV_UTF8, "1[name][n] ",
			     "@0[\xf0\x9f\x98\x80][1] @1[ok][2]");
	/* CRLF with CR the last byte of the chunk: one record, one line */
	expect_large("CR and LF on either side of the boundary", hdr, CHUNK - 5, B("crlf\r\nnext,1\r\n"), CSV_UTF8,
		     "1[name][n] ", "@0[crlf] @1[next][1]");
	/* a quoted field with commas, doubled quotes and CRLFs, starting at every offset of its 6-byte unit before
	 * the boundary: the boundary falls between the two quotes of a pair, between CR and LF, ... */
	for (size_t back = 1; back <= 60; back++) {
		struct bytes t = {0};
		char what[96];
		puts_b(&t, "\"");
		for (int i = 0; i < 10; i++)
			puts_b(&t, "a,\"\"\r\n");
		puts_b(&t, "\",tail\nend,1\n");
		snprintf(what, sizeof what, "UTF-8 quoted field starting %zu bytes before the boundary", back);
		expect_large(what, hdr, CHUNK - back, t.p, t.n, CSV_UTF8, "1[name][n] ",
			     "@0[a,\"\r\na,\"\r\na,\"\r\na,\"\r\na,\"\r\na,\"\r\na,\"\r\na,\"\r\na,\"\r\na,\"\r\n][tail] "
			     "@11[end][1]");
		free(t.p);
	}
}

/* Per-record UTF-8 errors can only come after the first chunk (which decides the encoding). */
static void test_large_invalid(void **state)
{
	static const char hdr[] = "name,n\n";
	static const char gbhdr[] = "\xd0\xd5\xc3\xfb,\xb1\xe0\xba\xc5\n";

	expect_large("UTF-8 file, 0xFF in a later record", hdr, 300000, B("bad,\xff\nok,1\n"), CSV_UTF8,
		     "1[name][n] ", "E@0 @1[ok][1]");
	expect_large("UTF-8 file, overlong encoding in a later record", hdr, 300000, B("bad,\xc0\xaf\nok,1\n"),
		     CSV_UTF8, "1[name][n] ", "E@0 @1[ok][1]");
	/* a lead byte last in the first chunk looks like a cut character; what follows shows it is not */
	expect_large("UTF-8 lead byte at the boundary followed by ASCII", hdr, CHUNK - 1, B("\xe5x,1\nok,2\n"),
		     CSV_UTF8, "1[name][n] ", "E@0 @1[ok][2]");
	/* a file whose first 256 KiB are ASCII is taken as UTF-8: later GB18030 bytes are refused, record by record */
	expect_large("GB18030 text after an ASCII first chunk", hdr, 300000, B("\xd5\xc5\xc8\xfd,1\nok,2\n"),
		     CSV_UTF8, "1[name][n] ", "E@0 @1[ok][2]");
	/* GB18030 file with a byte that is not GB18030 after the first chunk: refused, not replaced */
	expect_large("GB18030 file, 0xFF in a later record", gbhdr, 300000, B("\xd5\xc5,\xff\n\xc0\xee,1\n"),
		     CSV_GB18030, "1[姓名][编号] ", "E@0 @1[李][1]");
	expect_large("GB18030 file, 0x80 in a later record", gbhdr, 300000, B("\xd5\xc5\x80\n\xc0\xee,1\n"),
		     CSV_GB18030, "1[姓名][编号] ", "E@0 @1[李][1]");
	/* an unterminated quote late in a large file */
	expect_large("unterminated quote after the first chunk", hdr, CHUNK + 100, B("ok,1\n\"open\nmore\n"),
		     CSV_UTF8, "1[name][n] ", "@0[ok][1] E@1");
}

/* Progress over a file of several chunks: 0 at the start, strictly between 0 and the size after the first
 * record, the size at the end (read_path checks monotony on every call). */
static void test_progress(void **state)
{
	struct bytes b = {0};
	struct csv_reader *r;
	struct err e;
	char **f;
	int n, rows;
	int64_t line, size = 3 * CHUNK + 1000;
	char *path;

	puts_b(&b, "\xd0\xd5\xc3\xfb\n"); /* GB18030 too: progress counts file bytes, not converted ones */
	rows = pad_to(&b, (size_t)size);
	path = write_temp(b.p, b.n);
	assert_int_equal(csv_open(path, &r, &e), 0);
	unlink(path);
	free(path);
	assert_int_equal(csv_encoding(r), CSV_GB18030);
	assert_int_equal(csv_size(r), size);
	assert_int_equal(csv_position(r), 0);
	assert_int_equal(csv_next(r, &f, &n, &line, &e), CSV_ROW);
	assert_string_equal(f[0], "姓名");
	assert_true(csv_position(r) > 0);
	assert_true(csv_position(r) < size);
	for (int i = 0; i < rows; i++)
		assert_int_equal(csv_next(r, &f, &n, &line, &e), CSV_ROW);
	assert_int_equal(line, rows + 1);
	assert_int_equal(csv_next(r, &f, &n, &line, &e), 0);
	assert_int_equal(csv_position(r), size);
	csv_close(r);
	free(b.p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4180),
		cmocka_unit_test(test_blank_lines_and_bom),
		cmocka_unit_test(test_gb18030),
		cmocka_unit_test(test_refused_encodings),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_record_errors),
		cmocka_unit_test(test_record_limit),
		cmocka_unit_test(test_record_limit_multiline),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_fields_array),
		cmocka_unit_test(test_map_header),
		cmocka_unit_test(test_large_gb18030),
		cmocka_unit_test(test_large_utf8),
		cmocka_unit_test(test_large_invalid),
		cmocka_unit_test(test_progress),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}

/* str.c: string utilities. */
#include "base/str.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool str_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t k;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i <= k)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		if (cp >= 0xd800 && cp <= 0xdfff)
			return false;
		i += k + 1;
	}
	return true;
}

size_t str_utf8_len(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

bool str_has_control(const char *s, bool allow_nl)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (allow_nl && (c == '\n' || c == '\r' || c == '\t'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return true;
	}
	return false;
}

bool str_is_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

size_t str_copy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t m = n < size - 1 ? n : size - 1;
		memcpy(dst, src, m);
		dst[m] = '\0';
	}
	return n;
}

bool str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_to_i64(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return false;
	if (!((*s >= '0' && *s <= '9') || *s == '-'))
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

void str_hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static void mask_keep(const char *s, size_t head, size_t tail, char *out, size_t size)
{
	size_t n = strlen(s), i;

	if (!size)
		return;
	for (i = 0; i < n && i + 1 < size; i++)
		out[i] = (n > head + tail && i >= head && i < n - tail) ? '*' : s[i];
	if (n <= head + tail)
		for (i = 0; i < n && i + 1 < size; i++)
			out[i] = i < n / 2 ? s[i] : '*';
	out[i] = '\0';
}

void str_mask_id(const char *s, char *out, size_t size)
{
	mask_keep(s, 4, 4, out, size);
}

void str_mask_phone(const char *s, char *out, size_t size)
{
	mask_keep(s, 3, 4, out, size);
}

void str_sanitize(const char *s, char *out, size_t size)
{
	size_t i;

	if (!size)
		return;
	for (i = 0; s[i] && i + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') ? '?' : (char)c;
	}
	out[i] = '\0';
}

void str_like_contains(const char *s, char *out, size_t size)
{
	size_t j = 0;

	if (size < 3) {
		if (size)
			out[0] = '\0';
		return;
	}
	out[j++] = '%';
	for (; *s && j + 3 < size; s++) {
		if (*s == '%' || *s == '_' || *s == '\\')
			out[j++] = '\\';
		out[j++] = *s;
	}
	out[j++] = '%';
	out[j] = '\0';
}

static size_t count_digits(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n;
}

bool str_phone_valid(const char *s)
{
	size_t n;

	if (!s)
		return false;
	if (s[0] == '1') {
		return strlen(s) == 11 && count_digits(s) == 11 && s[1] >= '3' && s[1] <= '9';
	}
	if (s[0] != '0')
		return false;
	/* area code and number, with or without a hyphen between them; a hyphen after 10-12 digits starts the
	 * extension */
	n = count_digits(s);
	if (s[n] == '-' && n >= 3 && n <= 4) {
		s += n + 1;
		n = count_digits(s);
		if (n < 7 || n > 8)
			return false;
	} else if (n < 10 || n > 12) {
		return false;
	}
	s += n;
	if (*s == '-') {
		n = count_digits(s + 1);
		return n >= 1 && n <= 6 && s[1 + n] == '\0';
	}
	return *s == '\0';
}

bool str_is_mobile(const char *s)
{
	return s && s[0] == '1' && str_phone_valid(s);
}

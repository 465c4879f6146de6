/* str.h: small string utilities: UTF-8 checks, trimming, masking of personal data, hex, bounded copies. */
#ifndef LTCI_STR_H
#define LTCI_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, no code points above U+10FFFF). */
bool str_utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t str_utf8_len(const char *s);
/* True if s contains a control character (below 0x20 or 0x7f), tabs and newlines included unless allow_nl. */
bool str_has_control(const char *s, bool allow_nl);
/* True if s is non-empty and only ASCII digits. */
bool str_is_digits(const char *s);
/* Copy at most size-1 bytes and NUL-terminate (like strlcpy); returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);
/* True if s starts with prefix. */
bool str_starts(const char *s, const char *prefix);
/* Parse a whole decimal int64; false on junk, overflow or empty. */
bool str_to_i64(const char *s, int64_t *out);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void str_hex(const unsigned char *p, size_t n, char *out);
/* Mask an identity number: keep the first 4 and last 4 characters ("3101**********1234"). out: >= strlen(s)+1. */
void str_mask_id(const char *s, char *out, size_t size);
/* Mask a phone number: keep the first 3 and last 4 digits ("138****5678"). */
void str_mask_phone(const char *s, char *out, size_t size);
/* A mainland phone number: mobile (11 digits, 1[3-9]...) or landline (0 + 2-3 digit area code, optional '-',
 * 7-8 digits, optional '-' extension of 1-6 digits). */
bool str_phone_valid(const char *s);
/* A mobile number an SMS can go to: str_phone_valid and 11 digits starting with 1. False for NULL. */
bool str_is_mobile(const char *s);
/* A LIKE pattern matching s anywhere, with %, _ and \ escaped (use with ESCAPE '\'). */
void str_like_contains(const char *s, char *out, size_t size);
/* Replace each invalid byte of s by '?' so it can be logged; writes at most size-1 bytes. */
void str_sanitize(const char *s, char *out, size_t size);

#endif

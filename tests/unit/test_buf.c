/* test_buf.c: the capped buffer (base/buf.h). The cap is the guarantee that client-sized data cannot exhaust
 * memory, so the boundaries matter most: exactly at the cap succeeds, one byte over fails, and a failed append
 * leaves the buffer exactly as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/err.h"

static void test_init_is_empty(void **state)
{
	struct buf b;

	buf_init(&b, 100);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(b.max, 100);
	buf_free(&b);
}

static void test_append_terminates(void **state)
{
	struct buf b;

	buf_init(&b, 100);
	assert_int_equal(buf_append(&b, "hello", 5), 0);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "hello");
	assert_int_equal(b.data[5], '\0');
	assert_int_equal(buf_puts(&b, ", "), 0);
	assert_int_equal(buf_putc(&b, 'w'), 0);
	assert_int_equal(buf_append(&b, "orld!!!", 4), 0); /* only n bytes are taken */
	assert_string_equal(b.data, "hello, world");
	assert_int_equal(b.len, 12);
	buf_free(&b);
}

static void test_cap_exactly_reached(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "12345678", 8), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	/* Full: one more byte fails and changes nothing. */
	assert_int_equal(buf_putc(&b, 'x'), ERR_TOO_LARGE);
	assert_int_equal(buf_puts(&b, "x"), ERR_TOO_LARGE);
	assert_int_equal(buf_printf(&b, "%d", 1), ERR_TOO_LARGE);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	/* Appending nothing to a full buffer is fine. */
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(buf_puts(&b, ""), 0);
	assert_int_equal(b.len, 8);
	buf_free(&b);
}

static void test_cap_exceeded_by_one_on_empty(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "123456789", 9), ERR_TOO_LARGE);
	assert_int_equal(b.len, 0);
	assert_null(b.data); /* nothing was even allocated */
	assert_int_equal(buf_puts(&b, "123456789"), ERR_TOO_LARGE);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_cap_exceeded_by_one_after_content(void **state)
{
	struct buf b;

	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	/* 3 + 6 = 9 > 8: refused, content unchanged. */
	assert_int_equal(buf_append(&b, "123456", 6), ERR_TOO_LARGE);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	/* 3 + 5 = 8: accepted. */
	assert_int_equal(buf_append(&b, "12345", 5), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "abc12345");
	buf_free(&b);
}

static void test_printf_boundaries(void **state)
{
	struct buf b;

	/* "42-abcdefg" is 10 characters. */
	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "abcdefg"), 0);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "42-abcdefg");
	assert_int_equal(buf_printf(&b, "%c", 'x'), ERR_TOO_LARGE);
	assert_string_equal(b.data, "42-abcdefg");
	buf_free(&b);

	/* 11 characters into a cap of 10: refused. */
	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, "abcdefgh"), ERR_TOO_LARGE);
	assert_int_equal(b.len, 0);
	buf_free(&b);

	/* printf appends after existing content. */
	buf_init(&b, 100);
	assert_int_equal(buf_puts(&b, "n="), 0);
	assert_int_equal(buf_printf(&b, "%05d;%s", 42, "张三"), 0);
	assert_string_equal(b.data, "n=00042;张三");
	assert_int_equal(b.len, 2 + 6 + 6);
	buf_free(&b);
}

static void test_zero_cap(void **state)
{
	struct buf b;

	buf_init(&b, 0);
	assert_int_equal(buf_putc(&b, 'a'), ERR_TOO_LARGE);
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void test_huge_request_refused(void **state)
{
	struct buf b;

	buf_init(&b, 1024);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	/* Sizes that would overflow len + n must be refused before any copying happens (the pointer is never read). */
	assert_int_equal(buf_append(&b, "x", SIZE_MAX), ERR_TOO_LARGE);
	assert_int_equal(buf_append(&b, "x", SIZE_MAX - 2), ERR_TOO_LARGE);
	assert_int_equal(buf_append(&b, "x", 1022), ERR_TOO_LARGE);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	buf_free(&b);
}

static void test_binary_content(void **state)
{
	struct buf b;
	static const char bytes[] = {'a', '\0', 'b', '\xff'};

	buf_init(&b, 16);
	assert_int_equal(buf_append(&b, bytes, 4), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, bytes, 4);
	assert_int_equal(b.data[4], '\0');
	buf_free(&b);
}

static void test_growth_keeps_content(void **state)
{
	struct buf b;

	buf_init(&b, 1000);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 1000);
	assert_true(b.cap >= 1001);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(b.data[1000], '\0');
	assert_int_equal(buf_putc(&b, 'z'), ERR_TOO_LARGE);
	assert_int_equal(b.len, 1000);
	buf_free(&b);
}

static void test_reset_keeps_allocation(void **state)
{
	struct buf b;
	char *p;

	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	p = b.data;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_ptr_equal(b.data, p);
	assert_string_equal(b.data, "");
	/* After a reset the full cap is available again. */
	assert_int_equal(buf_puts(&b, "abcdefgh"), 0);
	assert_string_equal(b.data, "abcdefgh");
	assert_int_equal(buf_putc(&b, 'i'), ERR_TOO_LARGE);
	buf_free(&b);

	/* Resetting a never-used buffer is harmless. */
	buf_init(&b, 8);
	buf_reset(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void test_steal(void **state)
{
	struct buf b;
	char *s;

	buf_init(&b, 32);
	assert_int_equal(buf_puts(&b, "owned"), 0);
	s = buf_steal(&b);
	assert_string_equal(s, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	free(s);

	/* The buffer is usable again with the same cap. */
	assert_int_equal(buf_puts(&b, "again"), 0);
	assert_string_equal(b.data, "again");
	buf_free(&b);

	/* Stealing from an empty buffer gives "" (never NULL). */
	buf_init(&b, 32);
	s = buf_steal(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

static void test_free_then_reuse(void **state)
{
	struct buf b;

	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "abcd"), 0);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_free(&b); /* double free is safe */
	buf_init(&b, 2);
	assert_int_equal(buf_puts(&b, "abc"), ERR_TOO_LARGE);
	assert_int_equal(buf_puts(&b, "ab"), 0);
	assert_string_equal(b.data, "ab");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty),
		cmocka_unit_test(test_append_terminates),
		cmocka_unit_test(test_cap_exactly_reached),
		cmocka_unit_test(test_cap_exceeded_by_one_on_empty),
		cmocka_unit_test(test_cap_exceeded_by_one_after_content),
		cmocka_unit_test(test_printf_boundaries),
		cmocka_unit_test(test_zero_cap),
		cmocka_unit_test(test_huge_request_refused),
		cmocka_unit_test(test_binary_content),
		cmocka_unit_test(test_growth_keeps_content),
		cmocka_unit_test(test_reset_keeps_allocation),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_free_then_reuse),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}

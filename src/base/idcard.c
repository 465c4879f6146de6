/* idcard.c: GB 11643-1999 identity number validation. */
#include "base/idcard.h"

#include <ctype.h>
#include <string.h>

#include "base/date.h"

char idcard_check_char(const char *d)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char map[] = "10X98765432";
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (d[i] - '0') * w[i];
	return map[sum % 11];
}

/* Province-level codes in use (GB/T 2260), plus 81-83 used by residence permits of Hong Kong, Macao and Taiwan
 * residents, which follow the same number format. */
static int province_ok(int p)
{
	static const int codes[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43,
				    44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};

	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i] == p)
			return 1;
	return 0;
}

int idcard_parse(const char *s, int32_t today, struct idcard *out, const char *field, struct err *e)
{
	char n[19];
	size_t len;
	int y, m, d;

	if (!s)
		return err_set(e, ERR_INVALID, field, "身份证号码不能为空");
	len = strlen(s);
	if (len == 15 && strspn(s, "0123456789") == 15)
		return err_set(e, ERR_INVALID, field, "15位旧身份证号码不再受理，请提供18位身份证号码");
	if (len != 18)
		return err_set(e, ERR_INVALID, field, "身份证号码应为18位");
	for (int i = 0; i < 17; i++)
		if (!isdigit((unsigned char)s[i]))
			return err_set(e, ERR_INVALID, field, "身份证号码前17位必须是数字");
	if (!isdigit((unsigned char)s[17]) && s[17] != 'X' && s[17] != 'x')
		return err_set(e, ERR_INVALID, field, "身份证号码末位只能是数字或X");
	memcpy(n, s, 18);
	n[18] = '\0';
	if (n[17] == 'x')
		n[17] = 'X';
	if (!province_ok((n[0] - '0') * 10 + (n[1] - '0')))
		return err_set(e, ERR_INVALID, field, "身份证号码的地区码无效");
	y = (n[6] - '0') * 1000 + (n[7] - '0') * 100 + (n[8] - '0') * 10 + (n[9] - '0');
	m = (n[10] - '0') * 10 + (n[11] - '0');
	d = (n[12] - '0') * 10 + (n[13] - '0');
	if (!date_valid_ymd(y, m, d) || date_from_ymd(y, m, d) > today)
		return err_set(e, ERR_INVALID, field, "身份证号码中的出生日期无效");
	if (idcard_check_char(n) != n[17])
		return err_set(e, ERR_INVALID, field, "身份证号码校验位错误");
	if (out) {
		memcpy(out->number, n, sizeof n);
		out->birth = date_from_ymd(y, m, d);
		out->sex = ((n[16] - '0') % 2) ? 'M' : 'F';
		memcpy(out->region, n, 6);
		out->region[6] = '\0';
	}
	return 0;
}

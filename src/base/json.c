/* json.c: request-body parsing and declarative checks over jansson values. */
#include "base/json.h"

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "base/str.h"

bool jx_depth_ok(const char *t, size_t len, int max_depth)
{
	int depth = 0;
	bool in_str = false;

	for (size_t i = 0; i < len; i++) {
		char c = t[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"')
			in_str = true;
		else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return false;
		} else if (c == '}' || c == ']')
			depth--;
	}
	return true;
}

int jx_parse_object(const char *text, size_t len, json_t **out, struct err *e)
{
	json_error_t je;
	json_t *v;

	*out = NULL;
	if (len == 0)
		return err_set(e, ERR_INVALID, "body", "请求体为空，需要一个JSON对象");
	if (!jx_depth_ok(text, len, LIMIT_JSON_DEPTH))
		return err_set(e, ERR_INVALID, "body", "JSON嵌套层数超过%d层", LIMIT_JSON_DEPTH);
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!v) {
		char msg[160];
		str_sanitize(je.text, msg, sizeof msg);
		return err_set(e, ERR_INVALID, "body", "JSON格式错误（第%d行第%d列）：%s", je.line, je.column, msg);
	}
	if (!json_is_object(v)) {
		json_decref(v);
		return err_set(e, ERR_INVALID, "body", "请求体必须是JSON对象");
	}
	*out = v;
	return 0;
}

static const char *type_name(enum jx_type t)
{
	switch (t) {
	case JX_STRING: return "字符串";
	case JX_INT: return "整数";
	case JX_BOOL: return "布尔值";
	case JX_OBJECT: return "对象";
	case JX_ARRAY: return "数组";
	case JX_ANY: return "值";
	}
	return "值";
}

static bool type_ok(const json_t *v, enum jx_type t)
{
	switch (t) {
	case JX_STRING: return json_is_string(v);
	case JX_INT: return json_is_integer(v);
	case JX_BOOL: return json_is_boolean(v);
	case JX_OBJECT: return json_is_object(v);
	case JX_ARRAY: return json_is_array(v);
	case JX_ANY: return true;
	}
	return false;
}

int jx_check(const json_t *obj, const struct jx_field *fields, const char *prefix, struct err *e)
{
	const char *key;
	json_t *v;
	char path[96];

	if (!json_is_object(obj))
		return err_set(e, ERR_INVALID, prefix, "应为JSON对象");
	json_object_foreach((json_t *)obj, key, v) {
		const struct jx_field *f = fields;
		while (f->name && strcmp(f->name, key) != 0)
			f++;
		snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", key);
		if (!f->name) {
			char safe[64];
			str_sanitize(path, safe, sizeof safe);
			return err_set(e, ERR_INVALID, safe, "未知字段：%s", safe);
		}
		if (json_is_null(v)) {
			if (f->flags & JX_NULLABLE)
				continue;
			if (f->flags & JX_REQUIRED)
				return err_set(e, ERR_INVALID, path, "字段%s不能为空", path);
			return err_set(e, ERR_INVALID, path, "字段%s不能为null", path);
		}
		if (!type_ok(v, f->type))
			return err_set(e, ERR_INVALID, path, "字段%s应为%s", path, type_name(f->type));
		if (f->type == JX_STRING) {
			const char *s = json_string_value(v);
			size_t n = json_string_length(v);
			if (strlen(s) != n)
				return err_set(e, ERR_INVALID, path, "字段%s含有空字符", path);
			if (str_has_control(s, (f->flags & JX_MULTILINE) != 0))
				return err_set(e, ERR_INVALID, path, "字段%s含有控制字符", path);
			if (f->max && (int64_t)n > f->max)
				return err_set(e, ERR_INVALID, path, "字段%s过长（最多%lld字节）", path, (long long)f->max);
			if (f->min && (int64_t)str_utf8_len(s) < f->min)
				return err_set(e, ERR_INVALID, path, "字段%s过短（至少%lld个字符）", path, (long long)f->min);
		} else if (f->type == JX_INT && (f->min || f->max)) {
			json_int_t i = json_integer_value(v);
			if (!f->max && i < f->min) /* max 0 = no upper limit */
				return err_set(e, ERR_INVALID, path, "字段%s应大于等于%lld", path, (long long)f->min);
			if (f->max && (i < f->min || i > f->max))
				return err_set(e, ERR_INVALID, path, "字段%s应在%lld到%lld之间", path, (long long)f->min,
					       (long long)f->max);
		}
	}
	for (const struct jx_field *f = fields; f->name; f++) {
		if ((f->flags & JX_REQUIRED) && !json_object_get(obj, f->name)) {
			snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", f->name);
			return err_set(e, ERR_INVALID, path, "缺少必填字段%s", path);
		}
	}
	return 0;
}

const char *jx_str(const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int64_t jx_int(const json_t *obj, const char *key, int64_t def)
{
	json_t *v = json_object_get(obj, key);
	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

bool jx_bool(const json_t *obj, const char *key, bool def)
{
	json_t *v = json_object_get(obj, key);
	return json_is_boolean(v) ? json_is_true(v) : def;
}

bool jx_has(const json_t *obj, const char *key)
{
	return json_object_get(obj, key) != NULL;
}

char *jx_dump(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT);
}

json_t *jx_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

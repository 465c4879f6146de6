/* visit_label.c: the wording of visit, review and complaint-source keys (see visit_label.h). */
#include "svc/visit_label.h"

#include <string.h>

const struct label visit_status_labels[VISIT_STATUS_COUNT] = {
	{"scheduled", "待服务"}, {"in_progress", "服务中"}, {"done", "已完成"}, {"missed", "未服务"}, {"cancelled", "已取消"},
};

const struct label visit_verify_labels[VISIT_VERIFY_COUNT] = {
	{"pending", "待核验"}, {"verified", "核验通过"}, {"exception", "核验异常"},
};

const struct label visit_review_labels[VISIT_REVIEW_COUNT] = {
	{"open", "待机构说明"}, {"explained", "待经办审核"}, {"accepted", "审核认可"}, {"rejected", "审核不予认可"},
};

const struct label complaint_source_labels[COMPLAINT_SOURCE_COUNT] = {
	{"portal", "网上投诉"}, {"hotline", "12345热线"}, {"inspection", "监督检查"},
};

const char *label_text(const struct label *t, size_t n, const char *key)
{
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return t[i].text;
	return NULL;
}

json_t *label_list_json(const struct label *t, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "key", t[i].key, "label", t[i].text));
	return a;
}

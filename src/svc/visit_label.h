/* visit_label.h: the Chinese words for the states of a visit and of its review, and for where a complaint came
 * from: one wording per key, shared by every module that answers them (visit.c, feedback.c) and mirrored by the
 * web (web/src/visits.js). */
#ifndef LTCI_VISIT_LABEL_H
#define LTCI_VISIT_LABEL_H

#include <jansson.h>
#include <stddef.h>

struct label {
	const char *key, *text;
};

/* scheduled 待服务, in_progress 服务中, done 已完成, missed 未服务, cancelled 已取消 */
extern const struct label visit_status_labels[];
/* pending 待核验, verified 核验通过, exception 核验异常 */
extern const struct label visit_verify_labels[];
/* open 待机构说明, explained 待经办审核, accepted 审核认可, rejected 审核不予认可 */
extern const struct label visit_review_labels[];
/* portal 网上投诉, hotline 12345热线, inspection 监督检查 */
extern const struct label complaint_source_labels[];
#define VISIT_STATUS_COUNT 5
#define VISIT_VERIFY_COUNT 3
#define VISIT_REVIEW_COUNT 4
#define COMPLAINT_SOURCE_COUNT 3

/* The text of key in a table of n labels; NULL for an unknown key or NULL. */
const char *label_text(const struct label *t, size_t n, const char *key);
/* [{key, label}] of a table, in table order (new reference). */
json_t *label_list_json(const struct label *t, size_t n);

#define VISIT_STATUS_LABEL(k) label_text(visit_status_labels, VISIT_STATUS_COUNT, k)
#define VISIT_VERIFY_LABEL(k) label_text(visit_verify_labels, VISIT_VERIFY_COUNT, k)
#define VISIT_REVIEW_LABEL(k) label_text(visit_review_labels, VISIT_REVIEW_COUNT, k)
#define COMPLAINT_SOURCE_LABEL(k) label_text(complaint_source_labels, COMPLAINT_SOURCE_COUNT, k)

#endif

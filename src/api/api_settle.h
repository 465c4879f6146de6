/* api_settle.h: handlers for monthly settlement (statements, their steps, objections, adjustments, payments and
 * their files), the fund's months and the supplementary insurance roster (api/settle.c). Included by api.h. */
#ifndef LTCI_API_SETTLE_H
#define LTCI_API_SETTLE_H

struct http_req;

/* the rules and the run */
int api_settlement_rules(struct http_req *r);
int api_settlement_run(struct http_req *r);
int api_settlement_months(struct http_req *r);

/* statements and their steps */
int api_settlement_statements(struct http_req *r);
int api_settlement_statement_get(struct http_req *r);
int api_settlement_statement_items(struct http_req *r);
int api_settlement_statement_xlsx(struct http_req *r);
int api_settlement_claim(struct http_req *r);
int api_settlement_first_review(struct http_req *r);
int api_settlement_second_review(struct http_req *r);
int api_settlement_approve(struct http_req *r);
int api_settlement_reopen(struct http_req *r);

/* beneficiary-months and lines, objections */
int api_settlement_item_get(struct http_req *r);
int api_settlement_line_get(struct http_req *r);
int api_settlement_object(struct http_req *r);
int api_settlement_objections(struct http_req *r);
int api_settlement_answer(struct http_req *r);

/* adjustments */
int api_settlement_adjustments(struct http_req *r);
int api_settlement_adjustment_create(struct http_req *r);
int api_settlement_adjustment_cancel(struct http_req *r);

/* payments */
int api_settlement_payments(struct http_req *r);
int api_settlement_payment_create(struct http_req *r);
int api_settlement_payment_get(struct http_req *r);
int api_settlement_payment_xlsx(struct http_req *r);
int api_settlement_payment_csv(struct http_req *r);
int api_settlement_payment_paid(struct http_req *r);

/* the fund by month, supplementary insurance */
int api_fund_months(struct http_req *r);
int api_supplementary_list(struct http_req *r);
int api_supplementary_create(struct http_req *r);

#endif

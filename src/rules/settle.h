/* settle.h: the settlement arithmetic (结算, DOMAIN.md 3.7) for one beneficiary-month under one care plan, and the
 * quality factor of a provider's statement. Pure: no I/O, no clock; every figure comes from the scheme
 * ($.care.entitlements and $.settlement) and from the facts the caller loads (certification, plan, hospital stays,
 * death, the month's visits as the verification left them, flags, adjustments). All money is int64 fen.
 *
 * The result is a list of lines, each saying who pays (source), who is paid (payee), what kind of line it is, its
 * quantity and unit amount, and its amount; every computed line is self-describing:
 *
 *     amount_fen = round(unit_fen x quantity x rate_pm / (divisor x 1000))
 *
 * rounded to the fen, halves away from zero (money_mul_ratio), once per line; nothing is rounded twice and the
 * total is the sum of the lines, exactly. The one exception is the last deduction of a source (balanced: true),
 * which takes what remained instead, at most a fen from its formula: cut so that a source's lines of one
 * beneficiary-month never add up to less than zero, or, when the month earns that source nothing (every required
 * visit deducted, no payable minute), so that they add up to exactly zero.
 *
 * The rules in words (day count, entitled days, required visits, shortfall, deductions, supplements, extra hours,
 * quality factor), with a worked example per method, are in docs/SCHEMES.md, "Settlement". */
#ifndef LTCI_RULES_SETTLE_H
#define LTCI_RULES_SETTLE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/limits.h"
#include "scheme/scheme.h"

/* Who is paid. */
enum settle_payee {
	SETTLE_PAYEE_PROVIDER = 0,      /* the designated provider (定点护理机构) */
	SETTLE_PAYEE_FAMILY_CAREGIVER,  /* the trained relative of family care (亲情护理员) */
	SETTLE_PAYEE_BENEFICIARY,       /* the beneficiary (the extra hours taken as cash) */
	SETTLE_PAYEE_COUNT
};

enum settle_kind {
	SETTLE_KIND_BASE = 0,               /* what the month earns before deductions */
	SETTLE_KIND_SHORTFALL,              /* a condition not met: visits missing, attestation missing */
	SETTLE_KIND_DEDUCTION_REJECTED,     /* visits of exceptions the bureau rejected */
	SETTLE_KIND_DEDUCTION_UNQUALIFIED,  /* visits by a caregiver not qualified that day: always 100 % */
	SETTLE_KIND_ADJUSTMENT,             /* a manual line passed through (correction, recovery) */
	SETTLE_KIND_QUALITY,                /* the provider's quality factor on its statement */
	SETTLE_KIND_COUNT
};

enum settle_reason {
	SETTLE_R_MONTHLY = 0,       /* monthly amount pro-rated by entitled days */
	SETTLE_R_FAMILY_ALLOWANCE,  /* the relative's allowance */
	SETTLE_R_SUPPLEMENT,        /* a supplementary source's monthly amount */
	SETTLE_R_HOURS,             /* visit minutes at the hourly price */
	SETTLE_R_EXTRA_HOURS,       /* extra minutes of a high level staying at home */
	SETTLE_R_EXTRA_CASH,        /* the same taken as cash */
	SETTLE_R_INSTITUTION_DAYS,  /* institutional days at the daily rate */
	SETTLE_R_UNQUALIFIED,
	SETTLE_R_REJECTED,
	SETTLE_R_SHORTFALL,         /* prorate: the visits short */
	SETTLE_R_WITHHELD,          /* withhold: the month short, nothing paid */
	SETTLE_R_NO_ATTESTATION,    /* family care: the month's attestation is missing */
	SETTLE_R_ADJUSTMENT,
	SETTLE_R_QUALITY,
	SETTLE_R_COUNT
};

/* The unit of a line's quantity. */
enum settle_qty {
	SETTLE_QTY_DAYS = 0,  /* entitled days (the day-count rule's days) or institutional days */
	SETTLE_QTY_VISITS,
	SETTLE_QTY_MINUTES,
	SETTLE_QTY_MONTH,     /* a whole amount withheld */
	SETTLE_QTY_FEN,       /* the quality line: the provider's total it applies to */
	SETTLE_QTY_ITEM,      /* an adjustment */
	SETTLE_QTY_COUNT
};

struct settle_line {
	enum fund_source source;
	enum settle_payee payee;
	enum settle_kind kind;
	enum settle_reason reason;
	enum settle_qty unit;
	int64_t quantity;
	int64_t unit_fen;
	int64_t divisor;            /* >= 1 */
	int rate_pm;                /* signed, per mille: 1000 = all, 900 = a 90 % fund share, -1000 = deducted */
	int64_t amount_fen;         /* signed */
	bool balanced;              /* the last deduction of a source set to what remained (within a fen of its
	                             * formula; see the top of this file) */
	const char *label;          /* Chinese, for the statement; borrowed (static, the scheme's or the input's) */
	const char *reference;      /* adjustment: its reference; quality: the grade ("" for the default); else "" */
	int64_t ref_line_id;        /* adjustment: the line it corrects, 0 = none */
};

/* Days, both ends included; until 0 = open-ended. */
struct settle_period {
	int32_t from, until;
};

/* A manual line, passed through unchanged (no factor, no rounding). */
struct settle_adjustment {
	enum fund_source source;
	enum settle_payee payee;
	int64_t amount_fen;         /* signed, not 0: negative recovers */
	const char *reason;         /* required: why (the line's label); borrowed */
	const char *reference;      /* required: the decision, document or original statement it rests on; borrowed */
	int64_t ref_line_id;        /* the corrected line of an earlier statement, 0 = none */
};

/* The month's visits of the beneficiary under this plan, as the verification and the bureau's decisions left them
 * (pending exceptions are not passed: the service publishes a month only once they are decided). Every visit is in
 * exactly one of the three counts. Institutional care has no visits (all 0). */
struct settle_visits {
	int payable;                /* verified, or exceptions the bureau accepted; caregiver qualified */
	int rejected;               /* exceptions the bureau rejected; caregiver qualified */
	int unqualified;            /* caregiver not qualified that day (verify reason "unqualified"), whatever else */
	int payable_minutes, rejected_minutes, unqualified_minutes;  /* their whole minutes (hourly method) */
	int extra_minutes;          /* hourly, home: payable minutes delivered as the extra hours of a high level,
	                             * not included in payable_minutes */
};

enum settle_extra_choice { SETTLE_EXTRA_SERVICE = 0, SETTLE_EXTRA_CASH };

/* One beneficiary-month under one care plan (one provider, mode and level). When the plan, the provider or the
 * level changes within the month, the caller settles each part with its own plan period: a monthly amount is cut by
 * the days of each part, so the parts add up to the month's amount (within a fen of rounding). */
struct settle_in {
	int year, month;
	int mode;                   /* enum care_mode */
	int level;                  /* the certified level the plan was made for */
	struct settle_period plan;  /* the plan in force (with this provider) */
	const struct settle_period *certified; int n_certified;  /* the certified periods (a qualifying level) */
	const struct settle_period *hospital; int n_hospital;    /* stays: from = admission, until = discharge (0 =
	                                                           * still in hospital) */
	int32_t death_day;          /* 0 = alive */
	bool flags[SETTLE_FLAG_COUNT];  /* supplementary_insured, assistance: for the supplementary sources */
	bool family_attested;       /* family care: the month's attestation was given (else the allowance is held) */
	struct settle_visits visits;
	int absent_days;            /* hourly, institutional care: entitled days the resident was not present
	                             * (home leave); at most the entitled days */
	int home_month;             /* hourly, home care: this month's number in the continuous home-care spell (1 =
	                             * its first month), for the extra hours; 0 = not known, no extra */
	enum settle_extra_choice extra_choice;  /* hourly, home: the extra hours as service or as cash */
	const struct settle_adjustment *adjustments; int n_adjustments;
};

struct settle_result {
	int days_in_month;
	int entitled_days;          /* calendar days entitled (see settle_entitled_days) */
	uint32_t entitled_mask;     /* bit d-1 set when day d of the month is entitled */
	int paid_days;              /* the day-count rule's days (thirty: a whole month is 30) */
	int day_divisor;            /* days_in_month (calendar) or 30 (thirty) */
	int required_visits;        /* monthly_prorated, home and family: visits a week x entitled days / 7, rounded */
	int shortfall_visits;       /* required - payable, at least 0 */
	bool forgiven;              /* short, but within the tolerance */
	int extra_minutes_unpaid;   /* hourly: extra minutes beyond the allowance (or without one, or taken as cash) */
	int64_t total_fen;          /* the sum of all lines */
	int64_t source_fen[SOURCE_COUNT];   /* the sum of the lines of each source */
	int64_t payee_fen[SETTLE_PAYEE_COUNT];
	int64_t quality_base_fen;   /* the lines the quality factor applies to: source fund, payee provider, not
	                             * adjustments */
	int n_lines;
	struct settle_line lines[LIMIT_SETTLE_LINES];
};

/* Settle one beneficiary-month. s must have $.care and $.settlement; in is validated (ERR_INVALID with e->field
 * naming the input at fault, e.g. "visits.payable", "adjustments[2].reference"). On success out holds the lines
 * in a fixed order (the fund's base and its deductions, the extra hours, the relative's allowance, each
 * supplementary source with its deductions, then the adjustments; deduction lines only when not 0) and the figures
 * behind them. Labels and references point into s, in or static strings. */
int settle_month(const struct scheme *s, const struct settle_in *in, struct settle_result *out, struct err *e);

/* The entitled days of in's month: a day is entitled when it is within the plan period, within a certified period,
 * not after the day of death (the day of death counts), and not a hospital day. Hospital days are admission day
 * through the day before discharge (住院天数 "算入不算出", the way a hospital counts bed days, so that no day is paid
 * by both the medical insurance and LTCI, and none by neither); a stay admitted and discharged the same day is that
 * one day; an open stay runs to the end of the month. Sets *mask (bit d-1 for day d) if mask is not NULL. Returns
 * the count, or -1 if the month is not a real month. */
int settle_entitled_days(const struct settle_in *in, uint32_t *mask);

/* Visits required of a month with entitled_days: visits_per_week x entitled_days / 7, rounded as p says (nearest:
 * half up; down; up). */
int settle_required_visits(const struct scheme_settlement *p, int visits_per_week, int entitled_days);

/* The quality line of a provider's statement: the factor of its credit grade (NULL or "" = no grade yet: the
 * scheme's default) applied to base_fen (the sum of quality_base_fen over the statement's beneficiary-months):
 * amount = round(base_fen x (factor - 1000) / 1000). Always written, even at factor 1000 (amount 0), so the
 * statement shows the factor applied. ERR_INVALID (field "grade") for a grade the scheme does not know. */
int settle_quality(const struct scheme *s, const char *grade, int64_t base_fen, struct settle_line *out,
		   struct err *e);

/* Sum of the lines' amounts. */
int64_t settle_lines_sum(const struct settle_line *lines, int n);

/* Codes (stable, stored) and Chinese labels; "unknown" / "未知" out of range. */
const char *settle_kind_code(enum settle_kind k);
const char *settle_kind_label(enum settle_kind k);
const char *settle_reason_code(enum settle_reason r);
const char *settle_reason_label(enum settle_reason r);
const char *settle_payee_code(enum settle_payee p);
const char *settle_payee_label(enum settle_payee p);
const char *settle_qty_code(enum settle_qty q);
/* The enum value of a code, or -1 if unknown (or NULL). */
int settle_kind_parse(const char *code);
int settle_reason_parse(const char *code);
int settle_payee_parse(const char *code);

/* {source, source_label, payee, kind, reason, label, quantity, unit, unit_fen, divisor, rate_permille, amount_fen,
 * balanced, reference, ref_line_id}. New reference. */
json_t *settle_line_json(const struct settle_line *l);
/* {days_in_month, entitled_days, entitled_days_list: [d...], paid_days, day_divisor, required_visits,
 * shortfall_visits, forgiven, extra_minutes_unpaid, total_fen, quality_base_fen, by_source: {fund, supplementary,
 * assistance}, by_payee: {provider, family_caregiver, beneficiary}, lines: [...]}. New reference. */
json_t *settle_result_json(const struct settle_result *r);

#endif

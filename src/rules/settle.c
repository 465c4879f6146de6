/* settle.c: the settlement arithmetic (see settle.h and docs/SCHEMES.md, "Settlement"). Every line is built by
 * one function from its quantity, unit amount, divisor and rate, rounded once (money_mul_ratio: halves away from
 * zero); the totals are sums of lines. */
#include "rules/settle.h"
#include "rules/verify.h"

#include <string.h>

#include "base/date.h"
#include "base/money.h"

/* The longest home-care spell a caller may pass, in months (a century: anything above is a bug). */
#define MAX_HOME_MONTH 1200

static const char *const kind_codes[SETTLE_KIND_COUNT] = {"base", "shortfall", "deduction_rejected",
							  "deduction_unqualified", "adjustment", "quality"};
static const char *const kind_labels[SETTLE_KIND_COUNT] = {"应付", "未达标扣减", "异常不予认可扣除",
							   "无资质护理员扣除", "调整", "质量系数"};
static const char *const reason_codes[SETTLE_R_COUNT] = {
	"monthly", "family_allowance", "supplement", "hours", "extra_hours", "extra_cash", "institution_days",
	"unqualified", "rejected", "shortfall", "withheld", "no_attestation", "adjustment", "quality"};
static const char *const reason_labels[SETTLE_R_COUNT] = {
	"按月定额（按享受天数折算）",
	"亲情护理补贴",
	"补充保障护理服务",
	"上门护理服务时长",
	"重度居家增加服务时长",
	"重度居家现金补助",
	"机构护理天数",
	"护理员当日无上岗资格，服务费用全额扣除",
	"异常服务经审核不予认可",
	"上门服务次数不足，按比例扣减",
	"上门服务次数不足，当月不予支付",
	"亲情护理当月未确认，补贴暂不支付",
	"调整",
	"质量系数调整"};
static const char *const payee_codes[SETTLE_PAYEE_COUNT] = {"provider", "family_caregiver", "beneficiary"};
static const char *const payee_labels[SETTLE_PAYEE_COUNT] = {"护理机构", "亲情护理员", "参保人"};
static const char *const qty_codes[SETTLE_QTY_COUNT] = {"days", "visits", "minutes", "month", "fen", "item"};
/* The base line of the fund's monthly amount in each mode. */
static const char *const monthly_labels[CARE_MODE_COUNT] = {"居家上门护理月度定额", "亲情护理上门服务月度定额",
							    "机构护理月度定额"};

const char *settle_kind_code(enum settle_kind k)
{
	return (unsigned)k < SETTLE_KIND_COUNT ? kind_codes[k] : "unknown";
}

const char *settle_kind_label(enum settle_kind k)
{
	return (unsigned)k < SETTLE_KIND_COUNT ? kind_labels[k] : "未知";
}

const char *settle_reason_code(enum settle_reason r)
{
	return (unsigned)r < SETTLE_R_COUNT ? reason_codes[r] : "unknown";
}

const char *settle_reason_label(enum settle_reason r)
{
	return (unsigned)r < SETTLE_R_COUNT ? reason_labels[r] : "未知";
}

const char *settle_payee_code(enum settle_payee p)
{
	return (unsigned)p < SETTLE_PAYEE_COUNT ? payee_codes[p] : "unknown";
}

const char *settle_payee_label(enum settle_payee p)
{
	return (unsigned)p < SETTLE_PAYEE_COUNT ? payee_labels[p] : "未知";
}

const char *settle_qty_code(enum settle_qty q)
{
	return (unsigned)q < SETTLE_QTY_COUNT ? qty_codes[q] : "unknown";
}

static int parse_code(const char *code, const char *const *codes, int n)
{
	for (int i = 0; code && i < n; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

int settle_kind_parse(const char *code)
{
	return parse_code(code, kind_codes, SETTLE_KIND_COUNT);
}

int settle_reason_parse(const char *code)
{
	return parse_code(code, reason_codes, SETTLE_R_COUNT);
}

int settle_payee_parse(const char *code)
{
	return parse_code(code, payee_codes, SETTLE_PAYEE_COUNT);
}

int64_t settle_lines_sum(const struct settle_line *lines, int n)
{
	int64_t t = 0;

	for (int i = 0; i < n; i++)
		t += lines[i].amount_fen;
	return t;
}

/* ---- days and visits ---- */

static bool in_period(const struct settle_period *p, int32_t day)
{
	return day >= p->from && (!p->until || day <= p->until);
}

/* Hospital days of a stay: the rule visit verification uses (verify_hospital_day). */
static bool in_hospital(const struct settle_period *st, int32_t day)
{
	return verify_hospital_day(st->from, st->until, day);
}

int settle_entitled_days(const struct settle_in *in, uint32_t *mask)
{
	uint32_t m = 0;
	int32_t first;
	int n, count = 0;

	if (!date_valid_ymd(in->year, in->month, 1))
		return -1;
	first = date_from_ymd(in->year, in->month, 1);
	n = date_days_in_month(in->year, in->month);
	for (int i = 0; i < n; i++) {
		int32_t day = first + i;
		bool ok = in_period(&in->plan, day) && (!in->death_day || day <= in->death_day), cert = false;
		for (int k = 0; ok && !cert && k < in->n_certified; k++)
			cert = in_period(&in->certified[k], day);
		ok = ok && cert;
		for (int k = 0; ok && k < in->n_hospital; k++)
			ok = !in_hospital(&in->hospital[k], day);
		if (ok) {
			m |= 1u << i;
			count++;
		}
	}
	if (mask)
		*mask = m;
	return count;
}

int settle_required_visits(const struct scheme_settlement *p, int visits_per_week, int entitled_days)
{
	int num = visits_per_week * entitled_days;

	switch (p->required_rounding) {
	case SETTLE_REQUIRED_DOWN:
		return num / 7;
	case SETTLE_REQUIRED_UP:
		return (num + 6) / 7;
	default:
		return (2 * num + 7) / 14; /* half up (a half never occurs: 2 x num is even, 7 odd) */
	}
}

/* ---- lines ---- */

static struct settle_line *add_line(struct settle_result *r, enum fund_source src, enum settle_payee payee,
				    enum settle_kind kind, enum settle_reason reason, enum settle_qty unit,
				    int64_t qty, int64_t unit_fen, int64_t divisor, int rate_pm, const char *label)
{
	struct settle_line *l = &r->lines[r->n_lines++];

	memset(l, 0, sizeof *l);
	l->source = src;
	l->payee = payee;
	l->kind = kind;
	l->reason = reason;
	l->unit = unit;
	l->quantity = qty;
	l->unit_fen = unit_fen;
	l->divisor = divisor;
	l->rate_pm = rate_pm;
	l->amount_fen = money_mul_ratio(unit_fen, qty * rate_pm, divisor * 1000);
	l->label = label;
	l->reference = "";
	return l;
}

/* A deduction (rate_pm < 0) of the provider's lines of src, cut so that *left (what those lines add up to so far)
 * never goes below 0. Nothing when qty or *left is 0; returns the line or NULL. */
static struct settle_line *deduct(struct settle_result *r, enum fund_source src, enum settle_kind kind,
				  enum settle_reason reason, enum settle_qty unit, int64_t qty, int64_t unit_fen,
				  int64_t divisor, int rate_pm, int64_t *left)
{
	struct settle_line *l;

	if (qty <= 0 || *left <= 0)
		return NULL;
	l = add_line(r, src, SETTLE_PAYEE_PROVIDER, kind, reason, unit, qty, unit_fen, divisor, rate_pm,
		     reason_labels[reason]);
	if (-l->amount_fen > *left) {
		l->amount_fen = -*left;
		l->balanced = true;
	}
	*left += l->amount_fen;
	return l;
}

/* When the deductions take everything the base earned, the last one takes what the rounding of the others left
 * (at most a fen), so that the source ends at exactly 0. */
static void balance(struct settle_line *last, int64_t *left)
{
	if (!last || *left == 0)
		return;
	last->amount_fen -= *left;
	last->balanced = true;
	*left = 0;
}

/* The visit counts of a month behind the deductions of a monthly amount (see docs/SCHEMES.md). */
struct month_visits {
	int required;           /* R */
	int unqualified;        /* min(U, max(R, 1)): each costs a visit's value, always */
	int per_visit;          /* max(R, 1): the divisor of a visit's value */
	int rejected, missing;  /* of the shortfall not made of unqualified visits: rejected visits, visits not made */
	bool short_month;       /* the shortfall is above the tolerance */
};

/* A monthly amount of one source, cut by the day-count rule, then (with visits) its deductions. */
static void monthly_source(struct settle_result *r, const struct scheme_settlement *p, enum fund_source src,
			   enum settle_reason reason, const char *label, int64_t monthly_fen, int rate_pm,
			   const struct month_visits *mv)
{
	struct settle_line *base = add_line(r, src, SETTLE_PAYEE_PROVIDER, SETTLE_KIND_BASE, reason, SETTLE_QTY_DAYS,
					    r->paid_days, monthly_fen, r->day_divisor, rate_pm, label);
	struct settle_line *last, *l;
	int64_t a = base->amount_fen, left = a;

	if (!mv)
		return;
	last = deduct(r, src, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED, SETTLE_QTY_VISITS,
		      mv->unqualified, a, mv->per_visit, -1000, &left);
	if (!mv->short_month) {
		if (mv->unqualified >= mv->per_visit)
			balance(last, &left);
		return;
	}
	if (p->shortfall == SETTLE_SHORTFALL_WITHHOLD) {
		if (left > 0)
			add_line(r, src, SETTLE_PAYEE_PROVIDER, SETTLE_KIND_SHORTFALL, SETTLE_R_WITHHELD, SETTLE_QTY_MONTH,
				 1, left, 1, -1000, reason_labels[SETTLE_R_WITHHELD]);
		return;
	}
	if ((l = deduct(r, src, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, SETTLE_QTY_VISITS, mv->rejected, a,
			mv->required, -1000, &left)))
		last = l;
	if ((l = deduct(r, src, SETTLE_KIND_SHORTFALL, SETTLE_R_SHORTFALL, SETTLE_QTY_VISITS, mv->missing, a,
			mv->required, -1000, &left)))
		last = l;
	if (mv->unqualified + mv->rejected + mv->missing >= mv->per_visit)
		balance(last, &left);
}

/* The relative's allowance of family care, held when the month's attestation is missing. */
static void family_allowance(struct settle_result *r, const struct scheme_entitlement *ent,
			     const struct settle_in *in)
{
	struct settle_line *l;
	int64_t a;

	if (ent->family_monthly_fen <= 0 || r->entitled_days == 0)
		return;
	l = add_line(r, SOURCE_FUND, SETTLE_PAYEE_FAMILY_CAREGIVER, SETTLE_KIND_BASE, SETTLE_R_FAMILY_ALLOWANCE,
		     SETTLE_QTY_DAYS, r->paid_days, ent->family_monthly_fen, r->day_divisor, 1000,
		     reason_labels[SETTLE_R_FAMILY_ALLOWANCE]);
	a = l->amount_fen;
	if (!in->family_attested && a > 0)
		add_line(r, SOURCE_FUND, SETTLE_PAYEE_FAMILY_CAREGIVER, SETTLE_KIND_SHORTFALL, SETTLE_R_NO_ATTESTATION,
			 SETTLE_QTY_MONTH, 1, a, 1, -1000, reason_labels[SETTLE_R_NO_ATTESTATION]);
}

static void settle_monthly(const struct scheme *s, const struct scheme_entitlement *ent, const struct settle_in *in,
			   struct settle_result *r)
{
	const struct scheme_settlement *p = &s->settle;
	const struct settle_visits *v = &in->visits;
	struct month_visits mv = {0}, *mvp = NULL;

	if (r->entitled_days == 0)
		return;
	if (in->mode != CARE_INSTITUTION) {
		int R = settle_required_visits(p, ent->min_visits_per_week, r->entitled_days);
		int S = R > v->payable ? R - v->payable : 0;
		int rest = R - v->payable - v->unqualified; /* shortfall beyond the unqualified visits */
		mv.required = R;
		mv.per_visit = R > 0 ? R : 1;
		mv.unqualified = v->unqualified < mv.per_visit ? v->unqualified : mv.per_visit;
		if (rest < 0)
			rest = 0;
		mv.rejected = v->rejected < rest ? v->rejected : rest;
		mv.missing = rest - mv.rejected;
		mv.short_month = S > p->tolerance_visits;
		r->required_visits = R;
		r->shortfall_visits = S;
		r->forgiven = S > 0 && !mv.short_month;
		mvp = &mv;
	}
	monthly_source(r, p, SOURCE_FUND, SETTLE_R_MONTHLY, monthly_labels[in->mode], ent->monthly_fen,
		       ent->fund_share_pct * 10, mvp);
	family_allowance(r, ent, in);
	for (int i = 0; i < p->n_supplements; i++) {
		const struct scheme_supplement *x = &p->supplements[i];
		if (x->monthly_fen[in->mode] > 0 && in->flags[x->flag])
			monthly_source(r, p, x->source, SETTLE_R_SUPPLEMENT, x->label, x->monthly_fen[in->mode], 1000,
				       mvp);
	}
}

/* The extra-hours entry for the level in this month of the home-care spell, or NULL. */
static const struct scheme_extra_hours *extra_entry(const struct scheme_settlement *p, int level, int home_month)
{
	for (int i = 0; home_month > 0 && i < p->n_extra; i++) {
		const struct scheme_extra_hours *x = &p->extra[i];
		if (x->levels[level] && home_month >= x->from_month && (!x->until_month || home_month <= x->until_month))
			return x;
	}
	return NULL;
}

static void settle_hourly(const struct scheme *s, const struct scheme_entitlement *ent, const struct settle_in *in,
			  struct settle_result *r)
{
	const struct scheme_settlement *p = &s->settle;
	const struct settle_visits *v = &in->visits;
	const struct scheme_extra_hours *x;
	struct settle_line *last, *l;
	int rate = ent->fund_share_pct * 10;
	int64_t claimed, left;

	if (in->mode == CARE_INSTITUTION) {
		if (r->entitled_days > 0)
			add_line(r, SOURCE_FUND, SETTLE_PAYEE_PROVIDER, SETTLE_KIND_BASE, SETTLE_R_INSTITUTION_DAYS,
				 SETTLE_QTY_DAYS, r->entitled_days - in->absent_days,
				 p->institution_daily_fen[in->level], 1, rate, reason_labels[SETTLE_R_INSTITUTION_DAYS]);
		return;
	}
	/* visits are billed as verified: the verification already required certification, plan, life and no
	 * hospital stay on each visit's day */
	claimed = (int64_t)v->payable_minutes + v->rejected_minutes + v->unqualified_minutes;
	if (claimed > 0 || r->entitled_days > 0) {
		left = add_line(r, SOURCE_FUND, SETTLE_PAYEE_PROVIDER, SETTLE_KIND_BASE, SETTLE_R_HOURS,
				SETTLE_QTY_MINUTES, claimed, ent->visit_price_fen, 60, rate,
				reason_labels[SETTLE_R_HOURS])->amount_fen;
		/* the deductions at the same price and share as the base: a rate of -share */
		last = deduct(r, SOURCE_FUND, SETTLE_KIND_DEDUCTION_UNQUALIFIED, SETTLE_R_UNQUALIFIED,
			      SETTLE_QTY_MINUTES, v->unqualified_minutes, ent->visit_price_fen, 60, -rate, &left);
		if ((l = deduct(r, SOURCE_FUND, SETTLE_KIND_DEDUCTION_REJECTED, SETTLE_R_REJECTED, SETTLE_QTY_MINUTES,
				v->rejected_minutes, ent->visit_price_fen, 60, -rate, &left)))
			last = l;
		if (v->payable_minutes == 0)
			balance(last, &left);
	}
	x = in->mode == CARE_HOME ? extra_entry(p, in->level, in->home_month) : NULL;
	r->extra_minutes_unpaid = v->extra_minutes;
	if (x && in->extra_choice == SETTLE_EXTRA_SERVICE && x->minutes > 0 && v->extra_minutes > 0) {
		int billed = v->extra_minutes < x->minutes ? v->extra_minutes : x->minutes;
		add_line(r, SOURCE_FUND, SETTLE_PAYEE_PROVIDER, SETTLE_KIND_BASE, SETTLE_R_EXTRA_HOURS,
			 SETTLE_QTY_MINUTES, billed, ent->visit_price_fen, 60, rate,
			 reason_labels[SETTLE_R_EXTRA_HOURS]);
		r->extra_minutes_unpaid -= billed;
	}
	if (x && in->extra_choice == SETTLE_EXTRA_CASH && x->cash_fen > 0 && r->entitled_days > 0)
		add_line(r, SOURCE_FUND, SETTLE_PAYEE_BENEFICIARY, SETTLE_KIND_BASE, SETTLE_R_EXTRA_CASH, SETTLE_QTY_DAYS,
			 r->paid_days, x->cash_fen, r->day_divisor, 1000, reason_labels[SETTLE_R_EXTRA_CASH]);
	family_allowance(r, ent, in);
}

/* ---- input ---- */

static int check_count(int v, int max, const char *field, struct err *e)
{
	if (v < 0 || v > max)
		return err_set(e, ERR_INVALID, field, "应为0到%d（现为%d）", max, v);
	return 0;
}

static int check_input(const struct scheme *s, const struct settle_in *in, struct err *e)
{
	const struct settle_visits *v = &in->visits;
	bool hourly = s->settle.method == SETTLE_METHOD_HOURLY;
	char field[48];
	int rc;

	if (!s->settle.defined || !s->care.defined)
		return err_set(e, ERR_INVALID, "scheme", "结算方案未定义（$.settlement）");
	if (in->month < 1 || in->month > 12 || !date_valid_ymd(in->year, in->month, 1))
		return err_set(e, ERR_INVALID, "month", "结算月份无效");
	if (in->mode < 0 || in->mode >= CARE_MODE_COUNT)
		return err_set(e, ERR_INVALID, "mode", "护理方式无效");
	if (!scheme_entitlement(s, (enum care_mode)in->mode, in->level))
		return err_set(e, ERR_INVALID, "level", "失能等级%d级不享受%s待遇", in->level,
			       care_mode_label((enum care_mode)in->mode));
	if (in->plan.until && in->plan.until < in->plan.from)
		return err_set(e, ERR_INVALID, "plan", "护理计划结束日期早于开始日期");
	if (in->n_certified < 0 || in->n_certified > LIMIT_SETTLE_PERIODS || (in->n_certified && !in->certified))
		return err_set(e, ERR_INVALID, "certified", "认定期间应为0到%d段", LIMIT_SETTLE_PERIODS);
	for (int i = 0; i < in->n_certified; i++)
		if (in->certified[i].until && in->certified[i].until < in->certified[i].from) {
			snprintf(field, sizeof field, "certified[%d]", i);
			return err_set(e, ERR_INVALID, field, "认定期间结束日期早于开始日期");
		}
	if (in->n_hospital < 0 || in->n_hospital > LIMIT_SETTLE_STAYS || (in->n_hospital && !in->hospital))
		return err_set(e, ERR_INVALID, "hospital", "住院记录应为0到%d段", LIMIT_SETTLE_STAYS);
	for (int i = 0; i < in->n_hospital; i++)
		if (in->hospital[i].until && in->hospital[i].until < in->hospital[i].from) {
			snprintf(field, sizeof field, "hospital[%d]", i);
			return err_set(e, ERR_INVALID, field, "出院日期早于入院日期");
		}
	if ((rc = check_count(v->payable, LIMIT_SETTLE_VISITS, "visits.payable", e)) ||
	    (rc = check_count(v->rejected, LIMIT_SETTLE_VISITS, "visits.rejected", e)) ||
	    (rc = check_count(v->unqualified, LIMIT_SETTLE_VISITS, "visits.unqualified", e)) ||
	    (rc = check_count(v->payable_minutes, LIMIT_SETTLE_MINUTES, "visits.payable_minutes", e)) ||
	    (rc = check_count(v->rejected_minutes, LIMIT_SETTLE_MINUTES, "visits.rejected_minutes", e)) ||
	    (rc = check_count(v->unqualified_minutes, LIMIT_SETTLE_MINUTES, "visits.unqualified_minutes", e)) ||
	    (rc = check_count(v->extra_minutes, LIMIT_SETTLE_MINUTES, "visits.extra_minutes", e)) ||
	    (rc = check_count(in->home_month, MAX_HOME_MONTH, "home_month", e)))
		return rc;
	if (in->mode == CARE_INSTITUTION && (v->payable || v->rejected || v->unqualified || v->payable_minutes ||
					     v->rejected_minutes || v->unqualified_minutes || v->extra_minutes))
		return err_set(e, ERR_INVALID, "visits", "机构护理没有上门服务");
	if (v->extra_minutes && !(hourly && in->mode == CARE_HOME))
		return err_set(e, ERR_INVALID, "visits.extra_minutes", "仅按小时结算的居家上门护理有增加服务时长");
	if (in->extra_choice != SETTLE_EXTRA_SERVICE && in->extra_choice != SETTLE_EXTRA_CASH)
		return err_set(e, ERR_INVALID, "extra_choice", "增加服务时长的领取方式无效");
	if (in->absent_days && !(hourly && in->mode == CARE_INSTITUTION))
		return err_set(e, ERR_INVALID, "absent_days", "仅按日结算的机构护理扣除不在院天数");
	if (in->n_adjustments < 0 || in->n_adjustments > LIMIT_SETTLE_ADJUSTMENTS ||
	    (in->n_adjustments && !in->adjustments))
		return err_set(e, ERR_INVALID, "adjustments", "调整项应为0到%d项", LIMIT_SETTLE_ADJUSTMENTS);
	for (int i = 0; i < in->n_adjustments; i++) {
		const struct settle_adjustment *a = &in->adjustments[i];
		const char *bad = NULL, *msg = NULL;
		if ((unsigned)a->source >= SOURCE_COUNT)
			bad = "source", msg = "资金来源无效";
		else if ((unsigned)a->payee >= SETTLE_PAYEE_COUNT)
			bad = "payee", msg = "收款方无效";
		else if (a->amount_fen == 0 || a->amount_fen > MONEY_MAX_FEN || a->amount_fen < -MONEY_MAX_FEN)
			bad = "amount_fen", msg = "调整金额不能为0，且不超过上限";
		else if (!a->reason || !a->reason[0] || strlen(a->reason) > LIMIT_TEXT_MAX)
			bad = "reason", msg = "调整须写明原因";
		else if (!a->reference || !a->reference[0] || strlen(a->reference) > LIMIT_TEXT_MAX)
			bad = "reference", msg = "调整须注明依据（文书号或原结算单行）";
		else if (a->ref_line_id < 0)
			bad = "ref_line_id", msg = "原结算单行号无效";
		if (bad) {
			snprintf(field, sizeof field, "adjustments[%d].%s", i, bad);
			return err_set(e, ERR_INVALID, field, "%s", msg);
		}
	}
	return 0;
}

int settle_month(const struct scheme *s, const struct settle_in *in, struct settle_result *out, struct err *e)
{
	const struct scheme_entitlement *ent;
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = check_input(s, in, e)))
		return rc;
	ent = scheme_entitlement(s, (enum care_mode)in->mode, in->level);
	out->days_in_month = date_days_in_month(in->year, in->month);
	out->entitled_days = settle_entitled_days(in, &out->entitled_mask);
	if (in->absent_days > out->entitled_days)
		return err_set(e, ERR_INVALID, "absent_days", "不在院天数（%d）多于享受待遇天数（%d）", in->absent_days,
			       out->entitled_days);
	if (s->settle.day_count == SETTLE_DAYS_THIRTY) {
		out->day_divisor = 30;
		out->paid_days = out->entitled_days == out->days_in_month ? 30
				 : out->entitled_days < 30 ? out->entitled_days : 30;
	} else {
		out->day_divisor = out->days_in_month;
		out->paid_days = out->entitled_days;
	}
	if (s->settle.method == SETTLE_METHOD_HOURLY)
		settle_hourly(s, ent, in, out);
	else
		settle_monthly(s, ent, in, out);
	for (int i = 0; i < in->n_adjustments; i++) {
		const struct settle_adjustment *a = &in->adjustments[i];
		struct settle_line *l = add_line(out, a->source, a->payee, SETTLE_KIND_ADJUSTMENT, SETTLE_R_ADJUSTMENT,
						 SETTLE_QTY_ITEM, 1, a->amount_fen, 1, 1000, a->reason);
		l->reference = a->reference;
		l->ref_line_id = a->ref_line_id;
	}
	for (int i = 0; i < out->n_lines; i++) {
		const struct settle_line *l = &out->lines[i];
		out->total_fen += l->amount_fen;
		out->source_fen[l->source] += l->amount_fen;
		out->payee_fen[l->payee] += l->amount_fen;
		if (l->source == SOURCE_FUND && l->payee == SETTLE_PAYEE_PROVIDER && l->kind != SETTLE_KIND_ADJUSTMENT)
			out->quality_base_fen += l->amount_fen;
	}
	return 0;
}

int settle_quality(const struct scheme *s, const char *grade, int64_t base_fen, struct settle_line *out,
		   struct err *e)
{
	int pm;

	if (!s->settle.defined)
		return err_set(e, ERR_INVALID, "scheme", "结算方案未定义（$.settlement）");
	pm = scheme_quality_permille(s, grade);
	if (pm < 0)
		return err_set(e, ERR_INVALID, "grade", "结算方案中没有信用等级%s的质量系数", grade);
	if (base_fen > MONEY_MAX_FEN || base_fen < -MONEY_MAX_FEN)
		return err_set(e, ERR_INVALID, "base_fen", "金额超出上限");
	memset(out, 0, sizeof *out);
	out->source = SOURCE_FUND;
	out->payee = SETTLE_PAYEE_PROVIDER;
	out->kind = SETTLE_KIND_QUALITY;
	out->reason = SETTLE_R_QUALITY;
	out->unit = SETTLE_QTY_FEN;
	out->quantity = base_fen;
	out->unit_fen = 1;
	out->divisor = 1;
	out->rate_pm = pm - 1000;
	out->amount_fen = money_mul_ratio(base_fen, pm - 1000, 1000);
	out->label = reason_labels[SETTLE_R_QUALITY];
	out->reference = grade ? grade : "";
	return 0;
}

json_t *settle_line_json(const struct settle_line *l)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:i, s:I, s:b, s:s, s:I}", "source",
			 fund_source_name(l->source), "source_label", fund_source_label(l->source), "payee",
			 settle_payee_code(l->payee), "kind", settle_kind_code(l->kind), "reason",
			 settle_reason_code(l->reason), "label", l->label ? l->label : "", "quantity",
			 (json_int_t)l->quantity, "unit", settle_qty_code(l->unit), "unit_fen", (json_int_t)l->unit_fen,
			 "divisor", (json_int_t)l->divisor, "rate_permille", l->rate_pm, "amount_fen",
			 (json_int_t)l->amount_fen, "balanced", l->balanced, "reference", l->reference ? l->reference : "",
			 "ref_line_id", (json_int_t)l->ref_line_id);
}

json_t *settle_result_json(const struct settle_result *r)
{
	json_t *days = json_array(), *lines = json_array(), *src = json_object(), *pay = json_object();

	for (int d = 0; d < r->days_in_month; d++)
		if (r->entitled_mask & (1u << d))
			json_array_append_new(days, json_integer(d + 1));
	for (int i = 0; i < r->n_lines; i++)
		json_array_append_new(lines, settle_line_json(&r->lines[i]));
	for (int i = 0; i < SOURCE_COUNT; i++)
		json_object_set_new(src, fund_source_name((enum fund_source)i), json_integer(r->source_fen[i]));
	for (int i = 0; i < SETTLE_PAYEE_COUNT; i++)
		json_object_set_new(pay, settle_payee_code((enum settle_payee)i), json_integer(r->payee_fen[i]));
	return json_pack("{s:i, s:i, s:o, s:i, s:i, s:i, s:i, s:b, s:i, s:I, s:I, s:o, s:o, s:o}", "days_in_month",
			 r->days_in_month, "entitled_days", r->entitled_days, "entitled_days_list", days, "paid_days",
			 r->paid_days, "day_divisor", r->day_divisor, "required_visits", r->required_visits,
			 "shortfall_visits", r->shortfall_visits, "forgiven", r->forgiven, "extra_minutes_unpaid",
			 r->extra_minutes_unpaid, "total_fen", (json_int_t)r->total_fen, "quality_base_fen",
			 (json_int_t)r->quality_base_fen, "by_source", src, "by_payee", pay, "lines", lines);
}

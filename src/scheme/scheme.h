/* scheme.h: a pooling region's rules as data. A scheme file (JSON, see docs/SCHEMES.md) is loaded once, validated
 * with every error reported by JSON path, and turned into an immutable struct scheme that the rules and services
 * read. Later sections (benefits, catalogue, settlement ...) are added here as the capabilities arrive. */
#ifndef LTCI_SCHEME_H
#define LTCI_SCHEME_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/date.h"
#include "base/limits.h"

#define SCHEME_FORMAT "ltci-scheme/1"

enum scheme_standard {
	SCHEME_STD_NATIONAL_2021 = 1, /* national standard (2021): built-in scoring and combination table */
	SCHEME_STD_EXTERNAL,          /* level comes from an external scoring program; raw form stored */
};

struct scheme_level {
	int level;
	char name[64];
	bool qualifies; /* whether this level gives entitlement to benefits */
};

/* Who pays a contribution (筹资来源). */
enum payer {
	PAYER_PERSONAL_ACCOUNT = 0, /* the employee's medical-insurance personal account (个人账户) */
	PAYER_POOLED_FUND,          /* the employee medical-insurance pooled fund (统筹基金) */
	PAYER_INDIVIDUAL,           /* the insured person (个人缴费) */
	PAYER_FINANCE,              /* fiscal subsidy (财政补助) */
	PAYER_COUNT
};

#define SCHEME_CATEGORIES 2 /* employee, resident */
#define SCHEME_MAX_SUBSIDIES 8

struct scheme_share {
	enum payer payer;
	int64_t fen;
};

/* A flag (assistance, sponsored) that moves one payer's share to another for one category. */
struct scheme_subsidy {
	int flag;        /* 0 = assistance (医疗救助对象), 1 = sponsored (政府资助参保对象) */
	int category;    /* 0 = employee, 1 = resident */
	enum payer from, to;
};

struct scheme_contributions {
	bool defined;
	int64_t annual_fen;                         /* per person per year */
	struct scheme_share shares[SCHEME_CATEGORIES][PAYER_COUNT];
	int n_shares[SCHEME_CATEGORIES];
	struct scheme_subsidy subsidies[SCHEME_MAX_SUBSIDIES];
	int n_subsidies;
};

/* ---- assessment (失能等级评估) ---- */

#define SCHEME_MAX_ITEMS 40
#define SCHEME_MAX_DIMS 4
#define SCHEME_MAX_SCORES 8
#define SCHEME_MAX_GRADES 6
#define SCHEME_MAX_GATE_ITEMS 8

struct scheme_item {
	char key[32];
	char name[64];
	int dim;                       /* index into dims */
	int scores[SCHEME_MAX_SCORES]; /* allowed scores, ascending */
	int n_scores;
};

struct scheme_band {
	int grade;
	int min, max;                  /* inclusive range of the dimension's total */
};

struct scheme_dimension {
	char key[32];
	char name[64];
	int max;                       /* sum of its items' top scores */
	struct scheme_band bands[SCHEME_MAX_GRADES];
	int n_bands;
};

struct scheme_gate_item {
	char key[32];
	char name[64];
	int cls;                       /* 0 = class a, 1 = class b */
};

struct scheme_assessment {
	/* national-2021: the form, its dimensions and grades, and the combination table (组合法) */
	struct scheme_item items[SCHEME_MAX_ITEMS];
	int n_items;
	struct scheme_dimension dims[SCHEME_MAX_DIMS];
	int n_dims;
	char grade_names[SCHEME_MAX_GRADES][32];
	int n_grades;
	int row_dim;                   /* the combination table's rows: this dimension's grade */
	int col_dims[SCHEME_MAX_DIMS]; /* its columns: the worst grade among these dimensions */
	int n_col_dims;
	int table[SCHEME_MAX_GRADES][SCHEME_MAX_GRADES];
	/* the self-assessment gate (自评): dependent answers counted per class select a letter from a table */
	bool has_gate;
	struct scheme_gate_item gate_items[SCHEME_MAX_GATE_ITEMS];
	int n_gate_items;
	int gate_count[2];             /* items in class a and b */
	char gate_table[SCHEME_MAX_GATE_ITEMS + 1][SCHEME_MAX_GATE_ITEMS + 1];
	char gate_proceed[8];          /* letters that proceed to formal assessment, e.g. "EFG" */
	/* quality review thresholds */
	int min_visit_minutes;         /* a visit shorter than this is flagged */
	int gps_max_m;                 /* a visit farther than this from the home is flagged */
	int level_jump;                /* a level this many steps from the previous conclusion is flagged */
	int outlier_min_assessments;   /* an assessor is compared with peers after this many assessments */
	int outlier_z_x100;            /* ... and flagged when |z| exceeds this / 100 */
	int workload_cap;              /* open assignments an assessor may hold */
	char valid_from[16];           /* "next_month" or "conclusion": when a certified level starts */
};

/* ---- care: service modes, the service catalogue and the entitlements (DOMAIN.md 3.4) ---- */

/* Highest level number a scheme may define ($.levels[].level is 0..SCHEME_MAX_LEVEL). */
#define SCHEME_MAX_LEVEL 99
/* Most visits a week a plan or an entitlement may name (three a day). */
#define SCHEME_MAX_VISITS_PER_WEEK 21
/* Bounds of a service item's standard minutes and of a planned item's minutes. */
#define SCHEME_ITEM_MINUTES_MIN 5
#define SCHEME_ITEM_MINUTES_MAX 480
/* Catalogue size: Zhoushan has 6 categories / 41 items, Shanghai 42 items, the national catalogue 36 items. */
#define SCHEME_MAX_CARE_CATEGORIES 32
#define SCHEME_MAX_CARE_ITEMS 200

enum care_mode { CARE_HOME = 0, CARE_FAMILY, CARE_INSTITUTION, CARE_MODE_COUNT };

/* "home", "family", "institution" ("unknown" out of range). */
const char *care_mode_name(enum care_mode m);
/* 居家上门护理, 亲情护理, 机构护理 ("未知" out of range). */
const char *care_mode_label(enum care_mode m);
/* The enum value of a mode name, or -1 if unknown (or NULL). */
int care_mode_parse(const char *name);

/* How a beneficiary gets a home-care provider: one provider per service region (Zhoushan), or a free choice among
 * the providers serving the street (Shanghai). */
enum scheme_choice { SCHEME_CHOICE_REGION = 0, SCHEME_CHOICE_STREET };
/* When a provider switch takes effect: the first day of the next month, or at once. */
enum scheme_switch { SCHEME_SWITCH_NEXT_MONTH = 0, SCHEME_SWITCH_IMMEDIATE };

/* Who may perform a service item (bits of scheme_service_item.performers). */
#define SCHEME_PERFORMER_CAREGIVER 1u
#define SCHEME_PERFORMER_NURSE 2u
#define SCHEME_PERFORMER_FAMILY 4u

struct scheme_service_category {
	char code[16];
	char name[64];
};

struct scheme_service_item {
	char code[16];
	char name[96];
	char category[16];       /* the code of its category */
	int medical;             /* 0 生活照护, 1 医疗护理 */
	int minutes;             /* standard minutes */
	unsigned performers;     /* SCHEME_PERFORMER_* bits, at least one */
};

/* What one level gets in one mode. */
struct scheme_entitlement {
	int min_visits_per_week;     /* 0 = no minimum (institutional care) */
	int max_visits_per_week;     /* 0 = no maximum */
	int min_minutes_per_visit;   /* 0 = none */
	int max_minutes_per_week;    /* 0 = none */
	int64_t monthly_fen;         /* benefit per month paid to the provider (lump sum), 0 if priced per visit */
	int64_t family_monthly_fen;  /* family care: the trained relative's allowance per month */
	int64_t visit_price_fen;     /* priced per visit-hour (Shanghai style), 0 if lump sum */
	int fund_share_pct;          /* share of the price the fund pays, 100 for a lump sum */
	bool family_caregiver_required;
};

struct scheme_care {
	bool defined;                /* false when the scheme has no $.care section */
	enum scheme_choice choice;
	enum scheme_switch switch_effective;
	int family_training_hours;   /* minimum training of a family caregiver */
	struct scheme_service_category *categories;
	int n_categories;
	struct scheme_service_item *items;  /* in file order, grouped by category */
	int n_items;
	/* ent[mode][level]; entitled[mode][level] false where the level gets nothing in that mode; levels index
	 * 0..SCHEME_MAX_LEVEL; modes[m] true when some level is entitled in mode m */
	bool modes[CARE_MODE_COUNT];
	bool entitled[CARE_MODE_COUNT][SCHEME_MAX_LEVEL + 1];
	struct scheme_entitlement ent[CARE_MODE_COUNT][SCHEME_MAX_LEVEL + 1];
};

/* ---- visits: electronic visit verification thresholds, records, ratings and complaints (DOMAIN.md 3.5) ---- */

#define SCHEME_MAX_COMPLAINT_CATEGORIES 16

/* A complaint category (投诉类别) and its handling deadline in calendar days from receipt. */
struct scheme_complaint_category {
	char key[24];                /* lower-case letters, digits, '_' (e.g. "fraud") */
	char name[64];               /* 虚假服务 */
	int days;                    /* deadline in days by category */
};

/* $.visits: what a visit must show to be payable, and the time limits around it. The ranges allowed for each
 * figure are in docs/SCHEMES.md ("Visits"). A scheme without the section loads with defined false and every figure
 * 0: no visit can be recorded or verified under it (callers check defined first). */
struct scheme_visits {
	bool defined;
	int geofence_m;              /* check-in within this distance of the home (plus the fix's accuracy, capped) */
	int max_accuracy_m;          /* a fix less accurate than this cannot prove presence */
	int min_minutes[CARE_MODE_COUNT];  /* shortest payable visit per care mode (0: no visits in that mode) */
	int max_speed_kmh;           /* travel between consecutive visits of one caregiver faster than this is impossible */
	int missing_checkout_hours;  /* a visit without check-out this long after check-in is an exception */
	int late_delivery_minutes;   /* a record received this long after its device time is marked delivered late */
	int lock_days;               /* records lock this many days after the visit date; later corrections need a
	                              * bureau unlock */
	int audio_max_mb;            /* largest audio recording of a visit */
	int rating_days;             /* a visit may be rated (or disputed) this many days after it */
	int attestation_day;         /* family care: the monthly attestation is due by this day of the next month */
	struct scheme_complaint_category complaint_categories[SCHEME_MAX_COMPLAINT_CATEGORIES];
	int n_complaint_categories;
};

/* ---- settlement: how a beneficiary-month is paid (DOMAIN.md 3.7; docs/SCHEMES.md, "Settlement") ---- */

/* How the fund pays for care: a monthly lump sum per beneficiary pro-rated by entitled days (Zhoushan style), or the
 * verified hours at the hourly price and institutional days at a daily rate, times the fund's share (Shanghai). */
enum settle_method { SETTLE_METHOD_MONTHLY_PRORATED = 0, SETTLE_METHOD_HOURLY };
/* How a monthly amount is cut for part of a month: amount x entitled days / the days of the month (calendar), or
 * a month counted as 30 days: amount x min(entitled days, 30) / 30, a wholly entitled month paying 30/30. */
enum settle_day_count { SETTLE_DAYS_CALENDAR = 0, SETTLE_DAYS_THIRTY };
/* What a month short of its required visits gets: the amount x delivered / required (prorate), or nothing. */
enum settle_shortfall { SETTLE_SHORTFALL_PRORATE = 0, SETTLE_SHORTFALL_WITHHOLD };
/* Required visits = visits a week x entitled days / 7, rounded to the nearest whole visit, down or up. */
enum settle_required_rounding { SETTLE_REQUIRED_NEAREST = 0, SETTLE_REQUIRED_DOWN, SETTLE_REQUIRED_UP };

/* Who pays a settlement line (资金来源): the LTCI fund, a supplementary insurance bought by the beneficiary
 * (惠民型商业补充保险, Zhoushan's 舟惠保), social assistance (社会救助福利护理保障). */
enum fund_source { SOURCE_FUND = 0, SOURCE_SUPPLEMENTARY, SOURCE_ASSISTANCE, SOURCE_COUNT };
/* Beneficiary flags that make a supplementary source pay: holds the supplementary insurance that month; is a
 * medical-assistance recipient (医疗救助对象, the registry's assistance flag). */
enum settle_flag { SETTLE_FLAG_SUPPLEMENTARY_INSURED = 0, SETTLE_FLAG_ASSISTANCE, SETTLE_FLAG_COUNT };

#define SCHEME_MAX_QUALITY_GRADES 16
#define SCHEME_MAX_EXTRA_HOURS 8
/* A quality factor is 0.500-1.500 (per mille): beyond that it is a penalty or a bonus, not a factor. */
#define SCHEME_QUALITY_MIN_PM 500
#define SCHEME_QUALITY_MAX_PM 1500
/* Most visits a month short of the requirement that are forgiven (a month has at most 31 days). */
#define SCHEME_MAX_TOLERANCE_VISITS 31
/* Longest home-care spell counted for the extra hours, in months (ten years). */
#define SCHEME_MAX_SPELL_MONTHS 120

/* A supplementary source: paid, as services delivered by the provider, to beneficiaries with its flag. */
struct scheme_supplement {
	enum fund_source source;              /* SOURCE_SUPPLEMENTARY or SOURCE_ASSISTANCE; each source at most once */
	enum settle_flag flag;                /* the beneficiary flag that makes one eligible */
	char name[64];                        /* the payer: 舟惠保 */
	char label[64];                       /* the statement line: 舟惠保护理服务 */
	int64_t monthly_fen[CARE_MODE_COUNT]; /* a month in each mode; 0 = nothing in that mode */
};

struct scheme_quality_grade {
	char grade[16];                       /* a provider credit grade: A, B, C ... */
	int permille;                         /* its factor x 1000 */
};

/* Extra service for high levels staying at home (Shanghai: grades 5-6, +1 h a month in months 2-6 of home care,
 * +2 h from the 7th), or cash instead, at the beneficiary's choice. */
struct scheme_extra_hours {
	bool levels[SCHEME_MAX_LEVEL + 1];
	int from_month, until_month;          /* months of the continuous home-care spell, 1 = its first; until 0 = open */
	int minutes;                          /* extra billable minutes a month */
	int64_t cash_fen;                     /* or this much cash a month (pro-rated like any monthly amount) */
};

/* $.settlement. Optional: without it (defined false) nothing can be settled under the scheme. */
struct scheme_settlement {
	bool defined;
	enum settle_method method;
	enum settle_day_count day_count;
	/* monthly_prorated only */
	enum settle_shortfall shortfall;
	int tolerance_visits;                 /* a month short by at most this many visits is paid in full */
	enum settle_required_rounding required_rounding;
	struct scheme_supplement supplements[SOURCE_COUNT - 1];
	int n_supplements;
	/* both methods */
	int quality_default_pm;               /* a provider without a grade (or before grades exist) */
	struct scheme_quality_grade grades[SCHEME_MAX_QUALITY_GRADES];
	int n_grades;
	/* hourly only */
	struct scheme_extra_hours extra[SCHEME_MAX_EXTRA_HOURS];
	int n_extra;
	int64_t institution_daily_fen[SCHEME_MAX_LEVEL + 1]; /* per level; 0 = none */
};

struct scheme_periods {
	int validity_months;          /* certified level valid at most this long */
	int publication_days;         /* 公示 period */
	int appeal_days;              /* window to ask for 复核 after notice */
	int reapply_interval_months;  /* minimum gap after a conclusion, except green channel */
	int prescreen_working_days;   /* answer to an application due within */
	int conclusion_working_days;  /* conclusion delivered within */
	int renewal_window_days;      /* re-assessment may be requested this long before expiry */
};

struct scheme {
	char id[64];
	char name[128];
	char version[32];
	char region_name[64];
	char region_code[16];
	int32_t effective_from;
	int32_t effective_until;      /* 0 = open-ended */
	enum scheme_standard standard;
	char instrument[128];
	struct scheme_level *levels;
	int n_levels;
	int min_age;                  /* 0 = no age condition */
	int waiting_months;           /* enrolled this long before applying; 0 = no waiting period */
	int disability_min_months;    /* 0 = no duration condition */
	struct scheme_periods periods;
	struct scheme_contributions contributions;
	struct scheme_assessment assess;
	struct scheme_care care;
	struct scheme_visits visits;    /* $.visits; visits.defined false when absent */
	struct scheme_settlement settle; /* $.settlement; settle.defined false when absent */
	int32_t *holidays;
	int n_holidays;
	int32_t *workdays;
	int n_workdays;
	struct calendar cal;
	json_t *doc;                  /* the validated document, for sections read directly */
};

struct scheme_problem {
	char path[128];
	char msg[200];
};

struct scheme_diag {
	int n;
	int dropped; /* problems beyond the array */
	struct scheme_problem items[LIMIT_SCHEME_ERRORS];
};

/* Load and validate a scheme file. On failure returns ERR_INVALID (or ERR_IO) with every problem in diag. */
int scheme_load_file(const char *path, struct scheme **out, struct scheme_diag *diag);
/* Validate a parsed document (borrowed). */
int scheme_from_json(json_t *doc, struct scheme **out, struct scheme_diag *diag);
void scheme_free(struct scheme *s);

/* The level entry, or NULL if the scheme has no such level. */
const struct scheme_level *scheme_level(const struct scheme *s, int level);
/* True if the scheme is in force on day. */
bool scheme_in_force(const struct scheme *s, int32_t day);
const char *scheme_standard_name(enum scheme_standard std);

/* Payer names ("personal_account", ...) and Chinese labels; payer_parse returns -1 if unknown. */
const char *payer_name(enum payer p);
const char *payer_label(enum payer p);
int payer_parse(const char *name);
/* "employee" -> 0, "resident" -> 1, else -1. */
int category_parse(const char *name);
const char *category_name(int category);

/* The form of the scheme's assessment standard for clients: items with their scores and descriptions,
 * dimensions, grades, the self-assessment gate. NULL for an external standard without items. */
json_t *scheme_form_json(const struct scheme *s);

/* ---- care ---- */

/* The entitlement of level in mode m, or NULL if the level gets nothing in that mode (or the scheme has no care
 * section). Points into s. */
const struct scheme_entitlement *scheme_entitlement(const struct scheme *s, enum care_mode m, int level);
/* The service item with that code, or NULL if unknown. Points into s. */
const struct scheme_service_item *scheme_service_item(const struct scheme *s, const char *code);
/* The category with that code, or NULL if unknown. */
const struct scheme_service_category *scheme_service_category(const struct scheme *s, const char *code);
/* "caregiver", "nurse", "family" -> SCHEME_PERFORMER_* bit; 0 if unknown. */
unsigned scheme_performer_parse(const char *name);
/* The entitlement of level in mode m as JSON: {mode, mode_label, level, level_name, min_visits_per_week,
 * max_visits_per_week, min_minutes_per_visit, max_minutes_per_week, monthly_fen, family_monthly_fen,
 * visit_price_fen, fund_share_pct, family_caregiver_required}; JSON null if not entitled. New reference. */
json_t *scheme_entitlement_json(const struct scheme *s, enum care_mode m, int level);
/* The catalogue and entitlements for GET /api/v1/care/catalogue (new reference): {defined, note, choice,
 * switch_effective, family_training_hours, catalogue_note, modes: [{mode, label, entitlements: [...]}] (offered
 * modes only), categories: [{code, name, items: [{code, name, category, class, medical, minutes, performers}]}],
 * n_items}. A scheme without a care section gives {defined: false} with empty arrays. */
json_t *scheme_care_json(const struct scheme *s);

/* ---- visits ---- */

/* The complaint category with that key, or NULL if unknown (or the scheme has no visits section). Points into s. */
const struct scheme_complaint_category *scheme_complaint_category(const struct scheme *s, const char *key);
/* The visit rules for GET /api/v1/visits/rules (new reference): {defined, note, geofence_m, max_accuracy_m,
 * min_minutes: {home, family, institution}, max_speed_kmh, missing_checkout_hours, late_delivery_minutes, lock_days,
 * audio_max_mb, rating_days, attestation_day, complaint_categories: [{key, name, days}]}. Without a visits section:
 * defined false, note null, every figure 0 and no categories. */
json_t *scheme_visits_json(const struct scheme *s);

/* ---- settlement ---- */

/* "fund", "supplementary", "assistance" ("unknown" out of range); parse gives -1 if unknown (or NULL). */
const char *fund_source_name(enum fund_source src);
/* 长护险基金, 补充保险, 社会救助 ("未知" out of range). */
const char *fund_source_label(enum fund_source src);
int fund_source_parse(const char *name);
/* "supplementary_insured", "assistance" ("unknown" out of range); parse gives -1 if unknown (or NULL). */
const char *settle_flag_name(enum settle_flag f);
int settle_flag_parse(const char *name);
/* The supplement paid by src, or NULL if the scheme has none (or no settlement section). Points into s. */
const struct scheme_supplement *scheme_supplement(const struct scheme *s, enum fund_source src);
/* The quality factor (per mille) of a provider credit grade: the default for NULL or "" (no grade yet), the
 * grade's factor if the table has it, -1 if the grade is unknown to the scheme. */
int scheme_quality_permille(const struct scheme *s, const char *grade);
/* The settlement rules for clients (new reference): {defined, note, method, day_count, rounding, shortfall: {policy,
 * tolerance_visits, required_rounding} or null, supplements: [{source, flag, name, label, monthly_fen: {mode: fen}}],
 * quality: {default_permille, grades: [{grade, permille}]}, extra_hours: [{levels, from_month, until_month, minutes,
 * cash_fen}], institution_daily: [{level, daily_fen}]}. Without the section: {defined: false} and empty parts. */
json_t *scheme_settlement_json(const struct scheme *s);

/* A JSON summary for the API (identity, dates, levels, periods). */
json_t *scheme_summary_json(const struct scheme *s);

#endif

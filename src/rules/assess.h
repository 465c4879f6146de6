/* assess.h: the rules of disability assessment, pure functions over the scheme's tables:
 * - scoring a form of the national standard: item scores checked against the allowed values, dimension totals,
 *   grades from the bands, and the level from the combination table (组合法);
 * - the self-assessment gate (A-G): the letter for the counts of dependent a-class and b-class items;
 * - the assignment draw: a reproducible random choice of one expert and one assessor from a candidate list. */
#ifndef LTCI_RULES_ASSESS_H
#define LTCI_RULES_ASSESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "scheme/scheme.h"

struct assess_problem {
	char item[32];
	char msg[200];
};

#define ASSESS_MAX_PROBLEMS SCHEME_MAX_ITEMS

struct assess_result {
	int totals[SCHEME_MAX_DIMS];
	int grades[SCHEME_MAX_DIMS];
	int level;
	int n_problems;
	struct assess_problem problems[ASSESS_MAX_PROBLEMS];
};

/* Score items (a JSON object item key -> integer) against the scheme. Every item is required; unknown keys and
 * values outside the allowed scores are problems (all of them are reported). Returns true when scored. */
bool assess_score(const struct scheme_assessment *a, const json_t *items, struct assess_result *r);
/* The grade of a dimension's total (-1 if no band holds it). */
int assess_grade(const struct scheme_dimension *d, int total);
/* The level of per-dimension grades by the combination table. */
int assess_level(const struct scheme_assessment *a, const int *grades);
/* The result as JSON: {dimension key: {total, grade, grade_name}, ..., level, level_name}. */
json_t *assess_result_json(const struct scheme *s, const struct assess_result *r);

/* The self-assessment gate. answers: JSON object gate item key -> "independent" | "partial" | "dependent".
 * Returns the letter ('A'..) or 0 with a message in msg when the answers are incomplete or invalid. */
char assess_gate(const struct scheme_assessment *a, const json_t *answers, char *msg, size_t size);
/* Whether a gate letter proceeds to formal assessment. */
bool assess_gate_proceeds(const struct scheme_assessment *a, char letter);

/* The draw: a deterministic generator seeded by seed picks one of n candidates for each role. The candidates
 * arrays must be sorted ascending (the recorded order); the same seed and lists always give the same pair.
 * Returns false if a list is empty. */
bool assess_draw(uint64_t seed, const int64_t *experts, int n_experts, const int64_t *assessors, int n_assessors,
		 int64_t *expert, int64_t *assessor);

#endif

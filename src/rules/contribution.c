/* contribution.c: the contribution rule (see contribution.h). */
#include "rules/contribution.h"

#include <string.h>

bool contribution_shares(const struct scheme_contributions *c, int category, bool assistance, bool sponsored,
			 int64_t amount[PAYER_COUNT])
{
	memset(amount, 0, sizeof(int64_t) * PAYER_COUNT);
	if (!c->defined || category < 0 || category >= SCHEME_CATEGORIES || c->n_shares[category] == 0)
		return false;
	for (int i = 0; i < c->n_shares[category]; i++)
		amount[c->shares[category][i].payer] += c->shares[category][i].fen;
	/* Each applicable subsidy moves the whole share once, even when both flags name the same move. */
	for (int i = 0; i < c->n_subsidies; i++) {
		const struct scheme_subsidy *s = &c->subsidies[i];
		bool has = s->flag == 0 ? assistance : sponsored;
		if (!has || s->category != category)
			continue;
		amount[s->to] += amount[s->from];
		amount[s->from] = 0;
	}
	return true;
}

/* contribution.h: the contribution rule (参保筹资): what each payer owes for one person's year of cover, from the
 * scheme's shares per insurance category and its subsidies (a flag moving one payer's share to another). Pure. */
#ifndef LTCI_RULES_CONTRIBUTION_H
#define LTCI_RULES_CONTRIBUTION_H

#include <stdbool.h>

#include "scheme/scheme.h"

/* Fill amount[payer] (fen, PAYER_COUNT entries; zero for payers with no share) for a person of the given category
 * (0 employee, 1 resident) and flags. Returns false if the scheme has no contribution rules for the category. */
bool contribution_shares(const struct scheme_contributions *c, int category, bool assistance, bool sponsored,
			 int64_t amount[PAYER_COUNT]);

#endif

/* settle.c: 'ltci settle run --month YYYY-MM [--provider CODE|ID]': compute the month's draft statements (one per
 * provider) and print each provider's totals and the time taken. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "base/str.h"
#include "cli/cli.h"
#include "scheme/scheme.h"
#include "svc/settlement.h"

static const char usage[] =
	"usage: ltci settle run --month YYYY-MM [--provider CODE|ID] [--scheme FILE] [--db URL]\n"
	"\n"
	"Compute the month's settlement: a draft statement per care provider with one item per beneficiary-month\n"
	"(care plans in force in the month), its lines under the scheme's settlement rules (the fund's amount and its\n"
	"deductions, the family caregiver's allowance, the supplementary sources, adjustments, the provider's quality\n"
	"factor) and the visits and days behind them. Visits are those checked in during the month as verification and\n"
	"the bureau's decisions left them; exceptions not decided yet are counted, not settled. Running again replaces\n"
	"the drafts in one transaction; statements already published (claimed) or later are left as they are and\n"
	"reported. The month must have ended.\n"
	"\n"
	"  --month YYYY-MM      the month to settle\n"
	"  --provider CODE|ID   only this provider (its code, e.g. P0001, or its id)\n"
	"  --scheme FILE        the scheme (LTCI_SCHEME, default " DEFAULT_SCHEME ")\n"
	"  --db URL             sqlite:PATH or postgresql://... (LTCI_DB, default " DEFAULT_DB ")\n";

static void yuan(int64_t fen, char *out, size_t size)
{
	money_format(fen, true, out, size);
}

static int64_t json_fen(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

int cli_settle(int argc, char **argv)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'}, {"provider", required_argument, NULL, 'p'},
		{"scheme", required_argument, NULL, 's'}, {"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	const char *dburl = NULL, *month = NULL, *provider = NULL, *scheme_path = NULL;
	struct settlement_run_result r;
	struct scheme_diag diag;
	struct scheme *s = NULL;
	struct actor sys;
	struct err e = {0};
	struct db *db, *rdb;
	int64_t provider_id = 0;
	const json_t *row;
	size_t i;
	int c, rc;

	if (argc < 2 || (strcmp(argv[1], "run") != 0 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0))
		return cli_usage_error(usage);
	if (strcmp(argv[1], "run") != 0) {
		fputs(usage, stdout);
		return 0;
	}
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': month = optarg; break;
		case 'p': provider = optarg; break;
		case 's': scheme_path = optarg; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci settle run: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc || !month) {
		fprintf(stderr, "ltci settle run: --month YYYY-MM is required\n");
		return cli_usage_error(usage);
	}
	scheme_path = cli_setting(scheme_path, "LTCI_SCHEME", DEFAULT_SCHEME);
	if (scheme_load_file(scheme_path, &s, &diag)) {
		fprintf(stderr, "ltci: scheme %s is invalid:\n", scheme_path);
		for (int k = 0; k < diag.n; k++)
			fprintf(stderr, "  %s: %s\n", diag.items[k].path, diag.items[k].msg);
		return 1;
	}
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db) {
		scheme_free(s);
		return 1;
	}
	if (provider && !str_to_i64(provider, &provider_id)) {
		rc = db_int(db, &provider_id, &e, "SELECT id FROM providers WHERE code = $1", DB_TEXT(provider));
		if (rc) {
			fprintf(stderr, "ltci settle run: no provider with code '%s'\n", provider);
			db_close(db);
			scheme_free(s);
			return 1;
		}
	}
	actor_system(&sys, "settle");
	/* SQLite: the city's month is read on a second connection while the first writes */
	rdb = db_engine(db) == DB_SQLITE && !provider_id ? cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB))
						       : NULL;
	rc = settlement_run(db, rdb, s, &sys, month, provider_id, &r, &e);
	db_close(rdb);
	db_close(db);
	scheme_free(s);
	if (rc) {
		cli_error(&e);
		settlement_run_free(&r);
		return 1;
	}
	printf("settlement %s: %d statements computed, %d left as they are (claimed or later), %d empty drafts removed\n",
	       r.month, r.statements, r.skipped, r.removed);
	printf("%-8s %-10s %-18s %6s %8s %8s %8s %8s %16s %16s\n", "provider", "status", "statement", "benef", "payable",
	       "rejected", "unqual", "pending", "deductions", "total (yuan)");
	json_array_foreach(r.providers, i, row) {
		char total[32], ded[32];
		bool ran = json_is_true(json_object_get(row, "run"));
		yuan(json_fen(row, "total_fen"), total, sizeof total);
		yuan(json_fen(row, "deductions_fen"), ded, sizeof ded);
		if (ran)
			printf("%-8s %-10s %-18s %6lld %8lld %8lld %8lld %8lld %16s %16s\n",
			       json_string_value(json_object_get(row, "code")), json_string_value(json_object_get(row, "status")),
			       json_string_value(json_object_get(row, "number")), (long long)json_fen(row, "beneficiaries"),
			       (long long)json_fen(row, "visits_payable"), (long long)json_fen(row, "visits_rejected"),
			       (long long)json_fen(row, "visits_unqualified"), (long long)json_fen(row, "visits_pending"), ded,
			       total);
		else
			printf("%-8s %-10s %-18s (not recomputed: %s)\n", json_string_value(json_object_get(row, "code")),
			       json_string_value(json_object_get(row, "status")), json_string_value(json_object_get(row, "number")),
			       json_string_value(json_object_get(row, "status")));
	}
	{
		char total[32];
		yuan(r.total_fen, total, sizeof total);
		printf("total %s yuan; %lld beneficiary-months, %lld lines, %lld visits settled, %lld exceptions pending\n",
		       total, (long long)r.items, (long long)r.lines, (long long)r.visits_settled,
		       (long long)r.visits_pending);
		printf("time %.2f s (facts %.2f s, visits %.2f s, items and lines %.2f s)\n", r.seconds, r.facts_seconds,
		       r.visits_seconds, r.write_seconds);
	}
	settlement_run_free(&r);
	return 0;
}

/* contributions.c: 'ltci contributions run --year YYYY': compute the year's contributions (idempotent) and post
 * the changes to the fund ledger. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "base/str.h"
#include "cli/cli.h"
#include "scheme/scheme.h"
#include "svc/contribution.h"

static const char usage[] =
	"usage: ltci contributions run --year YYYY [--date YYYY-MM-DD] [--scheme FILE] [--json] [--db URL]\n"
	"\n"
	"Compute what each payer owes for every person due for the year under the scheme's contribution rules,\n"
	"record it per person, payer and year, and post the change in each payer's total to the fund ledger as\n"
	"income dated --date (default: today, kept inside the year). Running it again changes nothing.\n";

int cli_contributions(int argc, char **argv)
{
	static const struct option opts[] = {
		{"year", required_argument, NULL, 'y'}, {"date", required_argument, NULL, 't'},
		{"scheme", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'j'},
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *dburl = NULL, *year_s = NULL, *date = NULL, *scheme_path = NULL;
	struct contribution_result r;
	struct scheme_diag diag;
	struct scheme *s = NULL;
	struct actor sys;
	struct err e = {0};
	struct db *db;
	int64_t year;
	bool as_json = false;
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
		case 'y': year_s = optarg; break;
		case 't': date = optarg; break;
		case 's': scheme_path = optarg; break;
		case 'j': as_json = true; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci contributions run: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc || !year_s || !str_to_i64(year_s, &year)) {
		fprintf(stderr, "ltci contributions run: --year YYYY is required\n");
		return cli_usage_error(usage);
	}
	scheme_path = cli_setting(scheme_path, "LTCI_SCHEME", DEFAULT_SCHEME);
	if (scheme_load_file(scheme_path, &s, &diag)) {
		fprintf(stderr, "ltci: scheme %s is invalid:\n", scheme_path);
		for (int i = 0; i < diag.n; i++)
			fprintf(stderr, "  %s: %s\n", diag.items[i].path, diag.items[i].msg);
		return 1;
	}
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db) {
		scheme_free(s);
		return 1;
	}
	actor_system(&sys, "cli");
	rc = contribution_run(db, s, &sys, (int)year, date, &r, &e);
	db_close(db);
	scheme_free(s);
	if (rc) {
		cli_error(&e);
		return 1;
	}
	if (as_json) {
		json_t *j = contribution_result_json(&r);
		char *text = json_dumps(j, JSON_INDENT(2));
		puts(text);
		free(text);
		json_decref(j);
		return 0;
	}
	printf("contributions %d: %lld persons due; %lld rows added, %lld changed, %lld removed\n", r.year,
	       (long long)r.persons_due, (long long)r.rows_inserted, (long long)r.rows_updated,
	       (long long)r.rows_deleted);
	for (int p = 0; p < PAYER_COUNT; p++) {
		char t[32], d[32];
		money_format(r.total_fen[p], true, t, sizeof t);
		money_format(r.delta_fen[p], true, d, sizeof d);
		printf("  %-17s total %16s yuan   posted %16s yuan\n", payer_name((enum payer)p), t, d);
	}
	return 0;
}

/* fund.c: 'ltci fund summary [--year YYYY] [--json]': income by source, spending, balance and usage rate;
 * 'ltci fund check': the ledger's running balances. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "base/str.h"
#include "cli/cli.h"
#include "svc/fund.h"

static const char usage[] =
	"usage: ltci fund summary [--year YYYY] [--json] [--db URL]\n"
	"       ltci fund check [--db URL]\n"
	"\n"
	"summary  the fund's income by source (the payers personal_account, pooled_fund, individual, finance, and the\n"
	"         supplementary sources' share of settlements), spending by funding source, recoveries, balance, usage\n"
	"         rate (the fund's spending / contributions), the annualised usage rate (the months settled x 12 /\n"
	"         a year of contributions) and months payable, in fen with --json.\n"
	"check    verify that every running balance in the ledger equals the sum of the postings before it.\n";

static void yuan(const char *label, int64_t fen)
{
	char t[40];

	money_format(fen, true, t, sizeof t);
	printf("  %-22s %18s yuan\n", label, t);
}

int cli_fund(int argc, char **argv)
{
	static const struct option opts[] = {
		{"year", required_argument, NULL, 'y'}, {"json", no_argument, NULL, 'j'},
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *dburl = NULL, *year_s = NULL, *cmd;
	struct err e = {0};
	struct db *db;
	json_t *out = NULL, *v;
	const char *key;
	int64_t year = 0;
	bool as_json = false;
	int c, rc;

	if (argc < 2)
		return cli_usage_error(usage);
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(cmd, "summary") != 0 && strcmp(cmd, "check") != 0)
		return cli_usage_error(usage);
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'y': year_s = optarg; break;
		case 'j': as_json = true; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci fund: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc || (year_s && (!str_to_i64(year_s, &year) || year < 1990 || year > 2199)))
		return cli_usage_error(usage);
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	if (strcmp(cmd, "check") == 0) {
		bool ok;
		char reason[200];
		rc = fund_check(db, &ok, reason, sizeof reason, &e);
		db_close(db);
		if (rc) {
			cli_error(&e);
			return 1;
		}
		if (!ok) {
			printf("fund ledger BROKEN: %s\n", reason);
			return 1;
		}
		printf("fund ledger consistent: every running balance equals the sum of its postings\n");
		return 0;
	}
	rc = fund_summary(db, (int)year, &out, &e);
	db_close(db);
	if (rc) {
		cli_error(&e);
		return 1;
	}
	if (as_json) {
		char *text;
		json_object_del(out, "source_labels");
		text = json_dumps(out, JSON_INDENT(2));
		puts(text);
		free(text);
		json_decref(out);
		return 0;
	}
	printf("fund summary%s%s\n", year ? " for " : " (all time)", year ? year_s : "");
	json_object_foreach(json_object_get(json_object_get(out, "income"), "by_source"), key, v) {
		char label[40];
		snprintf(label, sizeof label, "income %s", key);
		yuan(label, json_integer_value(v));
	}
	yuan("income total", json_integer_value(json_object_get(json_object_get(out, "income"), "total")));
	yuan("  of it contributions", json_integer_value(json_object_get(json_object_get(out, "income"), "contributions")));
	json_object_foreach(json_object_get(json_object_get(out, "spending"), "by_source"), key, v) {
		char label[40];
		snprintf(label, sizeof label, "spending %s", key);
		yuan(label, json_integer_value(v));
	}
	yuan("spending total", json_integer_value(json_object_get(json_object_get(out, "spending"), "total")));
	yuan("recoveries", json_integer_value(json_object_get(out, "recoveries")));
	yuan("balance", json_integer_value(json_object_get(out, "balance")));
	printf("  %-22s %18s %%\n", "usage rate",
	       json_string_value(json_object_get(out, "usage_rate")) ? json_string_value(json_object_get(out, "usage_rate"))
								      : "-");
	v = json_object_get(out, "annualised");
	if (json_is_object(v))
		printf("  %-22s %18s %%  (%s to %s: %lld month(s) of spending x 12 / a year of contributions)\n",
		       "usage rate, annualised", json_string_value(json_object_get(v, "usage_rate"))
						 ? json_string_value(json_object_get(v, "usage_rate"))
						 : "-",
		       json_string_value(json_object_get(v, "from")), json_string_value(json_object_get(v, "to")),
		       (long long)json_integer_value(json_object_get(v, "months_with_spending")));
	printf("  %-22s %18s\n", "months payable",
	       json_string_value(json_object_get(out, "months_payable"))
		       ? json_string_value(json_object_get(out, "months_payable"))
		       : "-");
	json_decref(out);
	return 0;
}

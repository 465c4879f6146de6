/* demo.c: 'ltci demo': migrate, then load the demo data set and print the demo logins. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "db/migrate.h"
#include "svc/auth.h"
#include "scheme/scheme.h"
#include "svc/demo.h"

static const char usage[] =
	"usage: ltci demo [--db URL] [--scheme FILE] [--force] | --logins\n"
	"\n"
	"Create the schema if needed and load the demo data set: a fictional city (江海市) with 2 districts,\n"
	"6 streets and 20 neighbourhoods, 10 care providers, one account per role, and 2,000 insured persons with\n"
	"their enrolments and two years of contributions under the scheme, assessments, care plans, two months of\n"
	"visits, and the last full month settled and approved (the city's insured population sized like Zhoushan's,\n"
	"so the fund's usage rate is the seed's). Refuses a database that already holds data unless --force is\n"
	"given, which WIPES the database first.\n"
	"\n"
	"  --db URL   sqlite:PATH or postgresql://... (LTCI_DB, default " DEFAULT_DB ")\n"
	"  --scheme FILE  scheme for the contributions (LTCI_SCHEME, default " DEFAULT_SCHEME ")\n"
	"  --force    wipe a non-empty database and load the demo\n"
	"  --logins   only print the demo logins\n";

static void print_logins(void)
{
	printf("demo logins (password for all: %s)\n", DEMO_PASSWORD);
	for (int i = 0; i < demo_login_count; i++)
		printf("  %-15s %-15s %s\n", demo_logins[i].username, demo_logins[i].role, demo_logins[i].display_name);
	printf("  (the expert pool also has expert02..expert12 and assessor02..assessor20; bureau02 is the fund's\n"
	       "   accountant, the second reviewer of settlement statements)\n");
}

int cli_demo(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {"force", no_argument, NULL, 'f'},
					     {"logins", no_argument, NULL, 'l'}, {"scheme", required_argument, NULL, 's'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	const char *dburl = NULL, *scheme_path = NULL;
	struct scheme_diag diag;
	struct scheme *scheme = NULL;
	struct demo_summary sum;
	struct err e = {0};
	struct db *db;
	int c, empty = 0, force = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dburl = optarg; break;
		case 'f': force = 1; break;
		case 'l': print_logins(); return 0;
		case 's': scheme_path = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci demo: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage);
	dburl = cli_setting(dburl, "LTCI_DB", DEFAULT_DB);
	scheme_path = cli_setting(scheme_path, "LTCI_SCHEME", DEFAULT_SCHEME);
	if (scheme_load_file(scheme_path, &scheme, &diag)) {
		fprintf(stderr, "ltci demo: scheme %s is invalid:\n", scheme_path);
		for (int i = 0; i < diag.n; i++)
			fprintf(stderr, "  %s: %s\n", diag.items[i].path, diag.items[i].msg);
		return 1;
	}
	db = cli_open_db(dburl);
	if (!db) {
		scheme_free(scheme);
		return 1;
	}
	if (migrate_run(db, NULL, &e) || demo_is_empty(db, &empty, &e))
		goto fail;
	if (!empty) {
		if (!force) {
			fprintf(stderr, "ltci demo: the database already holds data; use --force to wipe it and load the demo\n");
			db_close(db);
			scheme_free(scheme);
			return 1;
		}
		if (migrate_wipe(db, &e))
			goto fail;
		db_close(db);
		db = cli_open_db(dburl);
		if (!db) {
			scheme_free(scheme);
			return 1;
		}
		if (migrate_run(db, NULL, &e))
			goto fail;
	}
	if (auth_init(&e) || demo_load(db, scheme, &sum, &e))
		goto fail;
	db_close(db);
	scheme_free(scheme);
	printf("demo loaded: %d areas, %d providers, %d accounts, %d insured persons (%d enrolment records),"
	       " contributions %lld.%02lld yuan, %d certified beneficiaries, %d cases in progress, %d caregivers,"
	       " %d care plans, %d visits\n\n",
	       sum.areas, sum.providers, sum.users, sum.persons, sum.enrolments, (long long)(sum.contributions_fen / 100),
	       (long long)(sum.contributions_fen % 100), sum.certified, sum.cases, sum.caregivers, sum.plans, sum.visits);
	if (sum.statements)
		printf("last full month settled: %d statements approved, %lld.%02lld yuan; the city sized like Zhoushan:"
		       " %lld insured persons\n\n",
		       sum.statements, (long long)(sum.settled_fen / 100), (long long)(sum.settled_fen % 100),
		       (long long)sum.insured);
	print_logins();
	return 0;
fail:
	cli_error(&e);
	db_close(db);
	scheme_free(scheme);
	return 1;
}

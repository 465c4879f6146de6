/* visits.c: 'ltci visits verify --month YYYY-MM': verify every visit checked in during a month in bulk (the
 * outcome of each visit: verified or an exception with its reasons). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "scheme/scheme.h"
#include "svc/visit.h"

static const char usage[] =
	"usage: ltci visits verify --month YYYY-MM [--scheme FILE] [--db URL]\n"
	"\n"
	"Verify every visit checked in during the month (Asia/Shanghai time) against the scheme's rules: the\n"
	"caregiver's qualification that day, the geofence, the duration, overlaps and travel between a caregiver's\n"
	"visits, the beneficiary's certification, plan, hospital stays and death, the plan's weekly entitlement and\n"
	"items, missing check-outs and disputes. Only visits whose outcome changes are written; a second run writes\n"
	"nothing.\n";

int cli_visits(int argc, char **argv)
{
	static const struct option opts[] = {
		{"month", required_argument, NULL, 'm'}, {"scheme", required_argument, NULL, 's'},
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *dburl = NULL, *month = NULL, *scheme_path = NULL;
	struct visit_verify_result r;
	struct scheme_diag diag;
	struct scheme *s = NULL;
	struct err e = {0};
	struct db *db, *rdb;
	int c, rc;

	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0))
		return cli_usage_error(usage);
	if (strcmp(argv[1], "verify") != 0) {
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
		case 's': scheme_path = optarg; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci visits verify: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc || !month) {
		fprintf(stderr, "ltci visits verify: --month YYYY-MM is required\n");
		return cli_usage_error(usage);
	}
	scheme_path = cli_setting(scheme_path, "LTCI_SCHEME", DEFAULT_SCHEME);
	if (scheme_load_file(scheme_path, &s, &diag)) {
		fprintf(stderr, "ltci: scheme %s is invalid:\n", scheme_path);
		for (int i = 0; i < diag.n; i++)
			fprintf(stderr, "  %s: %s\n", diag.items[i].path, diag.items[i].msg);
		return 1;
	}
	dburl = cli_setting(dburl, "LTCI_DB", DEFAULT_DB);
	db = cli_open_db_current(dburl);
	rdb = db ? cli_open_db_current(dburl) : NULL; /* the reading walk's own connection */
	if (!db || !rdb) {
		db_close(db);
		scheme_free(s);
		return 1;
	}
	rc = visit_verify_month(db, rdb, s, month, &r, &e);
	db_close(rdb);
	db_close(db);
	scheme_free(s);
	if (rc) {
		cli_error(&e);
		return 1;
	}
	printf("visits %s: %lld verified: %lld, exceptions: %lld, pending: %lld in %.2f s (%.0f visits/s)\n", month,
	       (long long)r.visits, (long long)r.verified, (long long)r.exceptions, (long long)r.pending, r.seconds,
	       r.seconds > 0 ? (double)r.visits / r.seconds : 0.0);
	return 0;
}

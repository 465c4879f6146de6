/* audit.c: 'ltci audit verify': walk the audit trail's hash chain; exit 1 naming the first broken entry. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "svc/audit.h"

static const char usage[] =
	"usage: ltci audit verify [--db URL]\n"
	"\n"
	"Verify the audit trail: every entry's hash, the chain from each entry to the next, and the chain head.\n"
	"Exit status 0 if intact; 1 naming the first broken entry (edited, inserted or deleted rows).\n"
	"\n"
	"  --db URL   sqlite:PATH or postgresql://... (LTCI_DB, default " DEFAULT_DB ")\n";

int cli_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct audit_verify_result res;
	const char *dburl = NULL;
	struct err e = {0};
	struct db *db;
	int c;

	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "--help") != 0))
		return cli_usage_error(usage);
	if (strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci audit verify: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage);
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	if (audit_verify(db, &res, &e)) {
		cli_error(&e);
		db_close(db);
		return 1;
	}
	db_close(db);
	if (res.first_bad) {
		printf("audit trail BROKEN at entry %lld: %s (%lld entries verified before it)\n", (long long)res.first_bad,
		       res.reason, (long long)res.checked);
		return 1;
	}
	printf("audit trail intact: %lld entries verified\n", (long long)res.checked);
	return 0;
}

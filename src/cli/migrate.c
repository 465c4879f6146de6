/* migrate.c: 'ltci migrate': create or upgrade the schema (idempotent; refuses a database newer than the binary). */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "db/migrate.h"

static const char usage[] =
	"usage: ltci migrate [--db URL]\n"
	"\n"
	"Create or upgrade the database schema. Running it again changes nothing. A database whose schema is\n"
	"newer than this program is refused.\n"
	"\n"
	"  --db URL   sqlite:PATH or postgresql://... (LTCI_DB, default " DEFAULT_DB ")\n";

int cli_migrate(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *dburl = NULL;
	struct err e = {0};
	struct db *db;
	int c, applied = 0, version = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci migrate: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ltci migrate: unexpected argument '%s'\n", argv[optind]);
		return cli_usage_error(usage);
	}
	db = cli_open_db(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	if (migrate_run(db, &applied, &e) || migrate_current(db, &version, &e)) {
		cli_error(&e);
		db_close(db);
		return 1;
	}
	printf("schema at version %d (%d migration%s applied)\n", version, applied, applied == 1 ? "" : "s");
	db_close(db);
	return 0;
}

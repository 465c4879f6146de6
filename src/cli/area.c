/* area.c: 'ltci area add': create an area from the command line (the pooling region itself on a new
 * installation, before any administrator exists). Acts as the system; audited. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "svc/area.h"
#include "svc/role.h"

static const char usage[] =
	"usage: ltci area add --code CODE --name NAME [--parent CODE] [--db URL]\n"
	"\n"
	"Create an area. Without --parent it creates the pooling region (统筹区), which a new installation needs\n"
	"before its first account. Codes: region and district 6 digits, street 9, neighbourhood 12, each starting\n"
	"with its parent's code.\n";

int cli_area(int argc, char **argv)
{
	static const struct option opts[] = {
		{"code", required_argument, NULL, 'c'}, {"name", required_argument, NULL, 'n'},
		{"parent", required_argument, NULL, 'p'}, {"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *code = NULL, *name = NULL, *parent = NULL, *dburl = NULL;
	struct actor sys;
	struct err e = {0};
	struct db *db;
	json_t *in;
	int64_t id = 0, parent_id = 0;
	int c, rc;

	if (argc < 2)
		return cli_usage_error(usage);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "add") != 0) {
		fprintf(stderr, "ltci area: unknown subcommand '%s'\n", argv[1]);
		return cli_usage_error(usage);
	}
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': code = optarg; break;
		case 'n': name = optarg; break;
		case 'p': parent = optarg; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci area add: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc || !code || !name) {
		fprintf(stderr, "ltci area add: --code and --name are required\n");
		return cli_usage_error(usage);
	}
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	if (parent && db_int(db, &parent_id, &e, "SELECT id FROM areas WHERE code = $1", DB_TEXT(parent))) {
		fprintf(stderr, "ltci area add: no area with code %s\n", parent);
		db_close(db);
		return 1;
	}
	in = json_pack("{s:s, s:s}", "code", code, "name", name);
	if (parent_id)
		json_object_set_new(in, "parent_id", json_integer(parent_id));
	actor_system(&sys, "cli");
	rc = area_create(db, &sys, in, &id, &e);
	json_decref(in);
	db_close(db);
	if (rc) {
		cli_error(&e);
		return 1;
	}
	printf("created area %s %s (id %lld)\n", code, name, (long long)id);
	return 0;
}

/* user.c: 'ltci user add|list|passwd': account management from the command line (acts as the system, audited). */
#include <getopt.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "cli/cli.h"
#include "svc/auth.h"
#include "svc/role.h"
#include "svc/scope.h"
#include "svc/user.h"

static const char usage[] =
	"usage: ltci user add --username U --role R [--scope KIND:ID] [--name NAME] [--must-change] [--db URL]\n"
	"       ltci user list [--db URL]\n"
	"       ltci user passwd U [--db URL]\n"
	"\n"
	"add     create an account; the password is read from standard input (one line).\n"
	"        R is one of: admin bureau auditor intake coordinator assessor expert committee nurse\n"
	"        provider_admin caregiver dept applicant.\n"
	"        KIND:ID is region|district|street|neighbourhood:CODE-or-ID or provider:CODE-or-ID;\n"
	"        default: the whole pooling region. --must-change makes the user change it at first sign-in.\n"
	"list    list accounts.\n"
	"passwd  set a new password for U, read from standard input; ends U's sessions and lifts a lock.\n";

static int add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"username", required_argument, NULL, 'u'}, {"role", required_argument, NULL, 'r'},
		{"scope", required_argument, NULL, 's'}, {"name", required_argument, NULL, 'n'},
		{"must-change", no_argument, NULL, 'm'}, {"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *username = NULL, *role = NULL, *scope = NULL, *name = NULL, *dburl = NULL;
	char password[LIMIT_PASSWORD_MAX + 2];
	struct actor sys;
	struct err e = {0};
	json_t *in, *sc;
	struct db *db;
	int64_t id = 0;
	bool must_change = false;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'u': username = optarg; break;
		case 'r': role = optarg; break;
		case 's': scope = optarg; break;
		case 'n': name = optarg; break;
		case 'm': must_change = true; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci user add: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc || !username || !role) {
		fprintf(stderr, "ltci user add: --username and --role are required\n");
		return cli_usage_error(usage);
	}
	if (role_parse(role) < 0) {
		fprintf(stderr, "ltci user add: unknown role '%s'\n", role);
		return cli_usage_error(usage);
	}
	if (scope) {
		sc = scope_parse_arg(scope);
		if (!sc) {
			fprintf(stderr, "ltci user add: --scope must be KIND:ID\n");
			return cli_usage_error(usage);
		}
	} else {
		sc = NULL;
	}
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db) {
		json_decref(sc);
		return 1;
	}
	if (!sc) {
		int64_t root = 0;
		if (db_int0(db, &root, &e, "SELECT id FROM areas WHERE parent_id IS NULL")) {
			fprintf(stderr, "ltci user add: no pooling region in the database yet; give --scope\n");
			db_close(db);
			return 1;
		}
		sc = json_pack("{s:s, s:I}", "kind", "region", "id", (json_int_t)root);
	}
	if (!cli_read_secret("password: ", password, sizeof password)) {
		fprintf(stderr, "ltci user add: no password on standard input\n");
		json_decref(sc);
		db_close(db);
		return 1;
	}
	in = json_pack("{s:s, s:s, s:s, s:o, s:s, s:b}", "username", username, "display_name", name ? name : username,
		       "role", role, "scope", sc, "password", password, "must_change_password", must_change);
	sodium_memzero(password, sizeof password);
	actor_system(&sys, "cli");
	rc = auth_init(&e);
	if (!rc)
		rc = user_create(db, &sys, in, &id, &e);
	json_decref(in);
	db_close(db);
	if (rc) {
		cli_error(&e);
		return 1;
	}
	printf("created user %s (id %lld, role %s)\n", username, (long long)id, role);
	return 0;
}

static int list(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	const char *dburl = NULL;
	struct user_filter f = {.page = 1, .page_size = LIMIT_PAGE_SIZE_MAX};
	struct actor sys;
	struct err e = {0};
	struct db *db;
	json_t *out = NULL, *u;
	size_t i;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci user list: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage);
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	actor_system(&sys, "cli");
	printf("%-6s %-20s %-16s %-10s %-9s %s\n", "ID", "USERNAME", "ROLE", "STATUS", "SCOPE", "SCOPE NAME");
	for (;;) {
		if (user_list(db, &sys, &f, &out, &e)) {
			cli_error(&e);
			db_close(db);
			return 1;
		}
		json_array_foreach(json_object_get(out, "items"), i, u) {
			json_t *sc = json_object_get(u, "scope");
			printf("%-6lld %-20s %-16s %-10s %-9s %s\n", (long long)json_integer_value(json_object_get(u, "id")),
			       json_string_value(json_object_get(u, "username")),
			       json_string_value(json_object_get(u, "role")),
			       json_string_value(json_object_get(u, "status")),
			       json_string_value(json_object_get(sc, "kind")) ? json_string_value(json_object_get(sc, "kind")) : "-",
			       json_string_value(json_object_get(sc, "name")) ? json_string_value(json_object_get(sc, "name")) : "-");
		}
		if ((int64_t)f.page * f.page_size >= json_integer_value(json_object_get(out, "total"))) {
			json_decref(out);
			break;
		}
		json_decref(out);
		f.page++;
	}
	db_close(db);
	return 0;
}

static int passwd(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	char password[LIMIT_PASSWORD_MAX + 2];
	const char *dburl = NULL;
	struct actor sys;
	struct err e = {0};
	struct db *db;
	int64_t id;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci user passwd: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind != argc - 1)
		return cli_usage_error(usage);
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	rc = user_find_id(db, argv[optind], &id, &e);
	if (!rc && !cli_read_secret("new password: ", password, sizeof password))
		rc = err_set(&e, ERR_INVALID, NULL, "no password on standard input");
	actor_system(&sys, "cli");
	if (!rc)
		rc = auth_init(&e);
	if (!rc)
		rc = user_set_password(db, &sys, id, password, false, &e);
	sodium_memzero(password, sizeof password);
	db_close(db);
	if (rc) {
		cli_error(&e);
		return 1;
	}
	printf("password of %s changed\n", argv[optind]);
	return 0;
}

int cli_user(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error(usage);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "add") == 0)
		return add(argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return list(argc - 1, argv + 1);
	if (strcmp(argv[1], "passwd") == 0)
		return passwd(argc - 1, argv + 1);
	fprintf(stderr, "ltci user: unknown subcommand '%s'\n", argv[1]);
	return cli_usage_error(usage);
}

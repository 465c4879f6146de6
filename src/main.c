/* main.c: the ltci command: dispatches to the subcommands of src/cli. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"

const struct cli_command cli_commands[] = {
	{"serve", "run the HTTP server (API and web app)", cli_serve},
	{"migrate", "create or upgrade the database schema", cli_migrate},
	{"user", "manage accounts: add, list, passwd", cli_user},
	{"area", "add an area (the pooling region on a new installation)", cli_area},
	{"import", "bulk import persons, enrolments, deaths or hospital stays from CSV", cli_import},
	{"contributions", "compute a year's contributions and post them to the fund", cli_contributions},
	{"visits", "verify a month of visits in bulk", cli_visits},
	{"settle", "compute a month's settlement statements (drafts per provider)", cli_settle},
	{"fund", "the fund's summary (income, spending, balance, usage) and ledger check", cli_fund},
	{"assess", "score assessment forms with the scheme's standard", cli_assess},
	{"demo", "load the demo data set (a fictional city)", cli_demo},
	{"scheme", "check a scheme file", cli_scheme},
	{"audit", "verify the audit trail's hash chain", cli_audit},
	{"version", "print the version", cli_version},
	{"help", "list the commands", cli_help},
	{NULL, NULL, NULL},
};

static void print_help(FILE *f)
{
	fprintf(f, "usage: ltci COMMAND [OPTIONS]\n\nLong-term care insurance administration.\n\nCommands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, "  %-13s %s\n", c->name, c->summary);
	fprintf(f, "\nEach command takes --help. Settings come from flags, else the environment (LTCI_DB, LTCI_LISTEN,\n"
		   "LTCI_SCHEME, LTCI_WEB), else defaults (" DEFAULT_DB ", " DEFAULT_LISTEN ").\n");
}

int cli_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_help(stdout);
	return 0;
}

int cli_version(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: ltci version\n\nPrint the version.\n");
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("usage: ltci version\n");
	printf("ltci %s\n", LTCI_VERSION);
	return 0;
}

int main(int argc, char **argv)
{
	log_set_level(getenv("LTCI_LOG_LEVEL"));
	if (argc < 2) {
		print_help(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cli_help(0, NULL);
	if (strcmp(argv[1], "--version") == 0)
		return cli_version(1, argv + 1);
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, argv[1]) == 0)
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "ltci: unknown command '%s'\n\n", argv[1]);
	print_help(stderr);
	return 2;
}

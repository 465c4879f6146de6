/* cli.h: the subcommands of the ltci binary and the helpers they share (settings from flag, environment or
 * default; usage errors exit 2). */
#ifndef LTCI_CLI_H
#define LTCI_CLI_H

#include <stdio.h>

#include "base/err.h"
#include "db/db.h"

#define DEFAULT_DB "sqlite:var/ltci.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"
#define DEFAULT_SCHEME "schemes/zhoushan.json"
#define DEFAULT_WEB "web/dist"
#define DEFAULT_DATA "var"

struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cli_commands[];

int cli_serve(int argc, char **argv);
int cli_migrate(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_area(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_contributions(int argc, char **argv);
int cli_visits(int argc, char **argv);
int cli_settle(int argc, char **argv);
int cli_fund(int argc, char **argv);
int cli_assess(int argc, char **argv);
int cli_demo(int argc, char **argv);
int cli_scheme(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_version(int argc, char **argv);
int cli_help(int argc, char **argv);

/* The value of a setting: the flag if given, else the environment variable, else the default. */
const char *cli_setting(const char *flag, const char *env, const char *def);
/* Open the database named by url (flag/env/default already applied), printing errors. NULL on failure. */
struct db *cli_open_db(const char *url);
/* Open and require the schema to be current (exit status 1 and a message otherwise). */
struct db *cli_open_db_current(const char *url);
/* Print "ltci: <message>" (with the field if any) to stderr. */
void cli_error(const struct err *e);
/* Print usage to f; used by every command's --help (stdout, exit 0) and on a bad flag (stderr, exit 2). */
int cli_usage_error(const char *usage);
/* Read one line from stdin (no echo on a terminal) into buf; false on end of input. */
int cli_read_secret(const char *prompt, char *buf, size_t size);

#endif

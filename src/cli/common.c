/* common.c: settings resolution, database opening and error printing shared by the subcommands. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "db/migrate.h"

const char *cli_setting(const char *flag, const char *env, const char *def)
{
	const char *v;

	if (flag && *flag)
		return flag;
	v = env ? getenv(env) : NULL;
	if (v && *v)
		return v;
	return def;
}

void cli_error(const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "ltci: %s: %s\n", e->field, e->msg);
	else
		fprintf(stderr, "ltci: %s\n", e->msg);
}

struct db *cli_open_db(const char *url)
{
	struct db *db = NULL;
	struct err e = {0};

	if (db_open(url, &db, &e)) {
		cli_error(&e);
		return NULL;
	}
	return db;
}

struct db *cli_open_db_current(const char *url)
{
	struct db *db = cli_open_db(url);
	struct err e = {0};

	if (db && migrate_check(db, &e)) {
		cli_error(&e);
		db_close(db);
		return NULL;
	}
	return db;
}

int cli_usage_error(const char *usage)
{
	fputs(usage, stderr);
	return 2;
}

int cli_read_secret(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	bool tty = isatty(STDIN_FILENO);
	size_t n;

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= (tcflag_t)~ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	if (!fgets(buf, (int)size, stdin)) {
		if (tty) {
			tcsetattr(STDIN_FILENO, TCSANOW, &old);
			fputc('\n', stderr);
		}
		return 0;
	}
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	n = strlen(buf);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	return 1;
}

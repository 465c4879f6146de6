/* import.c: 'ltci import KIND FILE': bulk import of persons, enrolments, deaths or hospital stays from CSV, with a
 * progress bar on a terminal (plain periodic lines otherwise) and a rejects file for bad rows. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/str.h"
#include "cli/cli.h"
#include "svc/import.h"

static const char usage[] =
	"usage: ltci import persons|enrolments|deaths|hospital-stays FILE.csv [--rejects FILE] [--db URL]\n"
	"\n"
	"Import a CSV file (UTF-8 with or without BOM; GB18030 is detected and converted). Columns are found by\n"
	"header name, in any order:\n"
	"  persons         id_number,name,area_code and optionally phone,address,lat,lon\n"
	"  enrolments      id_number,category,flags,status,effective_from\n"
	"                  (category employee|resident; flags: assistance;sponsored or empty;\n"
	"                   status active|suspended|ended)\n"
	"  deaths          id_number,death_date\n"
	"  hospital-stays  id_number,admitted and optionally discharged,hospital\n"
	"Rows are upserted by ID number; importing a file again changes nothing. Each rejected row is written with\n"
	"its line number and reason to the rejects file (default FILE.rejects.csv); the good rows are kept.\n"
	"Exit status 0 when the file was processed (even with rejected rows), 1 when it could not be.\n";

struct bar {
	bool tty;
	double start, last;
};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void show(const struct import_progress *p, void *arg)
{
	struct bar *b = arg;
	double t = seconds(), el = t - b->start, frac, rate, eta;
	char line[160];
	int width = 30, filled;

	if (!b->tty && t - b->last < 5 && p->bytes_done < p->bytes_total)
		return;
	if (b->tty && t - b->last < 0.2 && p->bytes_done < p->bytes_total)
		return;
	b->last = t;
	frac = p->bytes_total > 0 ? (double)p->bytes_done / (double)p->bytes_total : 1;
	if (frac > 1)
		frac = 1;
	rate = el > 0 ? (double)p->rows / el : 0;
	eta = frac > 0 && frac < 1 ? el * (1 - frac) / frac : 0;
	if (b->tty) {
		char bar[64];
		filled = (int)(frac * width);
		for (int i = 0; i < width; i++)
			bar[i] = i < filled ? '#' : '.';
		bar[width] = '\0';
		snprintf(line, sizeof line, "\r[%s] %3d%% %lld rows (%lld rejected) %.0f rows/s ETA %.0fs   ", bar,
			 (int)(frac * 100), (long long)p->rows, (long long)p->rejected, rate, eta);
		fputs(line, stderr);
	} else {
		fprintf(stderr, "import: %d%% %lld rows, %lld rejected, %.0f rows/s, ETA %.0fs\n", (int)(frac * 100),
			(long long)p->rows, (long long)p->rejected, rate, eta);
	}
}

int cli_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{"rejects", required_argument, NULL, 'r'}, {"db", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *dburl = NULL, *rejects = NULL;
	char rejects_buf[4096];
	struct import_result r;
	struct bar bar = {0};
	struct actor sys;
	struct err e = {0};
	struct db *db;
	int c, kind, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rejects = optarg; break;
		case 'd': dburl = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci import: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind != argc - 2)
		return cli_usage_error(usage);
	kind = import_kind_parse(argv[optind]);
	if (kind < 0) {
		fprintf(stderr, "ltci import: unknown kind '%s'\n", argv[optind]);
		return cli_usage_error(usage);
	}
	if (!rejects) {
		const char *file = argv[optind + 1];
		size_t n = strlen(file);
		if (n > 4 && strcmp(file + n - 4, ".csv") == 0)
			snprintf(rejects_buf, sizeof rejects_buf, "%.*s.rejects.csv", (int)(n - 4), file);
		else
			snprintf(rejects_buf, sizeof rejects_buf, "%s.rejects.csv", file);
		rejects = rejects_buf;
	}
	db = cli_open_db_current(cli_setting(dburl, "LTCI_DB", DEFAULT_DB));
	if (!db)
		return 1;
	actor_system(&sys, "cli");
	bar.tty = isatty(STDERR_FILENO);
	bar.start = bar.last = seconds();
	rc = import_run(db, &sys, (enum import_kind)kind, argv[optind + 1], rejects, show, &bar, &r, &e);
	if (bar.tty)
		fputc('\n', stderr);
	db_close(db);
	if (rc) {
		cli_error(&e);
		if (r.ok)
			fprintf(stderr, "ltci import: %lld rows were imported before the failure\n", (long long)r.ok);
		return 1;
	}
	printf("%s: %lld rows read (%s), %lld imported, %lld rejected in %.1f s (%.0f rows/s)\n", argv[optind + 1],
	       (long long)r.rows, r.encoding, (long long)r.ok, (long long)r.rejected, r.seconds,
	       r.seconds > 0 ? (double)r.rows / r.seconds : 0.0);
	if (r.rejected)
		printf("rejected rows with reasons: %s\n", rejects);
	return 0;
}

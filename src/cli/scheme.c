/* scheme.c: 'ltci scheme check FILE': validate a scheme file, printing every problem with its JSON path. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "scheme/scheme.h"

static const char usage[] =
	"usage: ltci scheme check FILE\n"
	"\n"
	"Validate a scheme file. Every problem is printed with its JSON path; the exit status is 1 if the file is\n"
	"invalid, 0 if it is valid.\n";

int cli_scheme(int argc, char **argv)
{
	struct scheme_diag diag;
	struct scheme *s = NULL;
	int rc;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "check") == 0 && strcmp(argv[2], "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 3 || strcmp(argv[1], "check") != 0 || argv[2][0] == '-')
		return cli_usage_error(usage);
	rc = scheme_load_file(argv[2], &s, &diag);
	if (rc) {
		fprintf(stderr, "%s: invalid scheme (%d problem%s)\n", argv[2], diag.n + diag.dropped,
			diag.n + diag.dropped == 1 ? "" : "s");
		for (int i = 0; i < diag.n; i++)
			printf("%s: %s\n", diag.items[i].path, diag.items[i].msg);
		if (diag.dropped)
			printf("... and %d more\n", diag.dropped);
		return 1;
	}
	printf("%s: valid scheme '%s' (%s, version %s, %d levels, %s)\n", argv[2], s->id, s->name, s->version,
	       s->n_levels, scheme_standard_name(s->standard));
	scheme_free(s);
	return 0;
}

/* assess.c: 'ltci assess score': score assessment forms with the scheme's standard, one JSON form on standard
 * input (or with --jsonl one per line), one JSON result out per form. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/limits.h"
#include "cli/cli.h"
#include "rules/assess.h"
#include "scheme/scheme.h"

static const char usage[] =
	"usage: ltci assess score [--scheme FILE] [--jsonl]\n"
	"\n"
	"Read an assessment form as JSON on standard input and print the result as JSON. With --jsonl, read one\n"
	"form per line and print one result per line (in the same order).\n"
	"  national standard: {\"items\": {\"eating\": 10, \"dressing\": 5, ...}} ->\n"
	"      {\"adl\": {\"total\", \"grade\", \"grade_name\"}, \"cognition\": {...}, \"perception\": {...},\n"
	"       \"level\": N, \"level_name\": \"...\", \"qualifies\": true|false}\n"
	"  external standard: {\"level\": N, \"form\": {...}} -> {\"level\", \"level_name\", \"qualifies\"}\n"
	"An invalid form prints {\"error\": {\"message\", \"problems\": [{\"item\", \"message\"}]}}; the exit status is 1\n"
	"if any form was invalid. Item errors name the item and its allowed scores.\n"
	"\n"
	"  --scheme FILE  the scheme (LTCI_SCHEME, default " DEFAULT_SCHEME ")\n";

/* Score one form; returns the JSON to print (caller decrefs) and sets *ok. */
static json_t *score_one(const struct scheme *s, const char *text, size_t len, bool *ok)
{
	struct assess_result r;
	struct err e;
	json_t *form = NULL, *out;

	*ok = false;
	if (jx_parse_object(text, len, &form, &e))
		return json_pack("{s:{s:s, s:[]}}", "error", "message", e.msg, "problems");
	if (s->standard == SCHEME_STD_EXTERNAL) {
		json_t *lv = json_object_get(form, "level");
		const struct scheme_level *l = json_is_integer(lv) ? scheme_level(s, (int)json_integer_value(lv)) : NULL;
		if (!l) {
			json_decref(form);
			return json_pack("{s:{s:s, s:[{s:s, s:s}]}}", "error", "message", "外部评估须提供方案定义的等级",
					 "problems", "item", "level", "message", "level应为保障方案定义的等级");
		}
		out = json_pack("{s:i, s:s, s:b}", "level", l->level, "level_name", l->name, "qualifies", l->qualifies);
		json_decref(form);
		*ok = true;
		return out;
	}
	if (!assess_score(&s->assess, json_object_get(form, "items"), &r)) {
		json_t *probs = json_array();
		for (int i = 0; i < r.n_problems; i++)
			json_array_append_new(probs, json_pack("{s:s, s:s}", "item", r.problems[i].item, "message",
							       r.problems[i].msg));
		json_decref(form);
		return json_pack("{s:{s:s, s:o}}", "error", "message", "评估表有误", "problems", probs);
	}
	json_decref(form);
	*ok = true;
	return assess_result_json(s, &r);
}

int cli_assess(int argc, char **argv)
{
	static const struct option opts[] = {
		{"scheme", required_argument, NULL, 's'}, {"jsonl", no_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *scheme_path = NULL;
	struct scheme_diag diag;
	struct scheme *s = NULL;
	bool jsonl = false, all_ok = true, ok;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int c;

	if (argc < 2 || (strcmp(argv[1], "score") != 0 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0))
		return cli_usage_error(usage);
	if (strcmp(argv[1], "score") != 0) {
		fputs(usage, stdout);
		return 0;
	}
	argc--;
	argv++;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 's': scheme_path = optarg; break;
		case 'l': jsonl = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci assess score: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc)
		return cli_usage_error(usage);
	scheme_path = cli_setting(scheme_path, "LTCI_SCHEME", DEFAULT_SCHEME);
	if (scheme_load_file(scheme_path, &s, &diag)) {
		fprintf(stderr, "ltci: scheme %s is invalid:\n", scheme_path);
		for (int i = 0; i < diag.n; i++)
			fprintf(stderr, "  %s: %s\n", diag.items[i].path, diag.items[i].msg);
		return 1;
	}
	if (jsonl) {
		/* large output buffer: results go out in blocks, not a write per line */
		static char outbuf[1 << 16];
		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
		while ((n = getline(&line, &cap, stdin)) > 0) {
			json_t *res;
			while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
				line[--n] = '\0';
			if (n == 0)
				continue;
			res = score_one(s, line, (size_t)n, &ok);
			all_ok &= ok;
			{
				/* one write per result: json_dumpf writes piece by piece */
				char out[4096];
				size_t len = json_dumpb(res, out, sizeof out - 1, JSON_COMPACT);
				if (len > 0 && len < sizeof out - 1) {
					out[len++] = '\n';
					fwrite(out, 1, len, stdout);
				} else {
					json_dumpf(res, stdout, JSON_COMPACT);
					fputc('\n', stdout);
				}
			}
			json_decref(res);
		}
	} else {
		struct buf b;
		char chunk[8192];
		size_t got;
		json_t *res;
		buf_init(&b, LIMIT_BODY_BYTES);
		while ((got = fread(chunk, 1, sizeof chunk, stdin)) > 0)
			if (buf_append(&b, chunk, got)) {
				fprintf(stderr, "ltci assess score: input larger than %d bytes\n", LIMIT_BODY_BYTES);
				buf_free(&b);
				scheme_free(s);
				return 1;
			}
		res = score_one(s, b.data ? b.data : "", b.len, &ok);
		all_ok = ok;
		json_dumpf(res, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(res);
		buf_free(&b);
	}
	fflush(stdout);
	free(line);
	scheme_free(s);
	return all_ok ? 0 : 1;
}

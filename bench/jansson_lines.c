/* jansson_lines.c: the floor under 'ltci assess score --jsonl' with the same JSON library: read standard input line
 * by line, parse each line with json_loadb (duplicate keys refused, as ltci does) and free it. Prints the number
 * of objects parsed. Used by bench/assess.sh as a same-run baseline. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long ok = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		json_t *v = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, NULL);
		ok += json_is_object(v);
		json_decref(v);
	}
	free(line);
	printf("%ld\n", ok);
	return 0;
}

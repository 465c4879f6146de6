/* assign_bench.c: the cost of the service-level draw (application_assign: candidates loaded from the database,
 * conflicts and workload excluded, the draw, the assignment and its audit row written in one transaction) over a
 * pool of POOL assessors and POOL/10 experts added to a demo database, against the same number of plain SELECTs of
 * the pool's rows (id, kind, core, provider, area path: what any draw must read) in the same process.
 * Linked with build/libltcicore.a by bench/assess.sh.      assign_bench DB_URL SCHEME [POOL] [DRAWS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/str.h"
#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/application.h"
#include "svc/role.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "assign_bench: %s: %s\n", what, e->msg);
	exit(1);
}

/* POOL assessors and POOL/10 experts over the region, districts and streets; one in twenty employed by a
 * provider; a quarter of them busy with 1..8 open cases (on one old case, so the counts are real rows). */
static void seed_pool(struct db *db, int pool, struct err *e)
{
	int64_t areas[64], provider = 0, old_case = 0, member;
	int n_areas = 0;
	struct db_stmt *st = NULL;
	unsigned r = 12345;

	if (db_query(db, &st, e, "SELECT id FROM areas WHERE level IN ('region', 'district', 'street') ORDER BY id"))
		die("areas", e);
	while (db_step(st, e) == DB_ROW && n_areas < 64)
		areas[n_areas++] = db_col_int(st, 0);
	db_done(st);
	if (db_int(db, &provider, e, "SELECT MIN(id) FROM providers") ||
	    db_int(db, &old_case, e, "SELECT MIN(id) FROM applications"))
		die("providers", e);
	if (db_begin(db, e))
		die("begin", e);
	for (int i = 0; i < pool + pool / 10; i++) {
		bool expert = i >= pool;
		char name[32];
		r = r * 1103515245u + 12345u;
		snprintf(name, sizeof name, "%s%05d", expert ? "专家" : "评估员", i);
		if (db_int(db, &member, e,
			   "INSERT INTO assessors (name, kind, core, organisation, provider_id, area_id, status, created_at,"
			   " updated_at) VALUES ($1, $2, $3, 'bench', $4, $5, 'active', 0, 0) RETURNING id",
			   DB_TEXT(name), DB_TEXT(expert ? "expert" : "assessor"), DB_INT(expert && i % 3 == 0),
			   DB_INT_OR_NULL(i % 20 == 7, provider), DB_INT(areas[(r >> 8) % (unsigned)n_areas])))
			die("insert assessor", e);
		for (int k = 0; i % 4 == 1 && k < (int)((r >> 16) % 8) + 1; k++)
			if (db_exec(db, NULL, e,
				    "INSERT INTO assignments (application_id, purpose, seed, experts, assessors, excluded,"
				    " expert_id, assessor_id, status, drawn_by, drawn_at) VALUES ($1, 'assessment', '1', '[]',"
				    " '[]', '[]', $2, $2, 'open', 'bench', 0)",
				    DB_INT(old_case), DB_INT(member)))
				die("insert assignment", e);
	}
	if (db_commit(db, e))
		die("commit", e);
}

int main(int argc, char **argv)
{
	struct db *db = NULL;
	struct scheme *s = NULL;
	struct scheme_diag diag = {0};
	struct err e = {0};
	struct actor a = {0};
	int pool = argc > 3 ? atoi(argv[3]) : 10000, draws = argc > 4 ? atoi(argv[4]) : 200;
	int64_t app = 0, rows = 0, candidates = 0;
	double t0, t_select, t_assign;

	if (argc < 3) {
		fprintf(stderr, "usage: assign_bench DB_URL SCHEME [POOL] [DRAWS]\n");
		return 2;
	}
	if (scheme_load_file(argv[2], &s, &diag)) {
		fprintf(stderr, "assign_bench: cannot load %s\n", argv[2]);
		return 1;
	}
	if (db_open(argv[1], &db, &e))
		die("open", &e);
	seed_pool(db, pool, &e);
	if (db_int(db, &candidates, &e, "SELECT COUNT(*) FROM assessors WHERE status = 'active'"))
		die("count", &e);
	/* an accepted case of the demo, drawn again and again (its status put back outside the timing) */
	if (db_int(db, &app, &e, "SELECT MIN(id) FROM applications WHERE status = 'accepted'") || !app)
		die("no accepted application in the demo", &e);
	a.kind = ACTOR_SYSTEM;
	a.role = ROLE_BUREAU;
	str_copy(a.username, "bench", sizeof a.username);
	str_copy(a.area_level, "region", sizeof a.area_level);

	/* warm both paths once */
	if (application_assign(db, s, &a, app, &e))
		die("assign", &e);

	t_select = 0;
	t_assign = 0;
	for (int i = 0; i < draws; i++) {
		struct db_stmt *st = NULL;
		t0 = now();
		if (db_query(db, &st, &e,
			     "SELECT s.id, s.kind, s.core, s.provider_id, ar.path FROM assessors s"
			     " JOIN areas ar ON ar.id = s.area_id WHERE s.status = 'active' ORDER BY s.id"))
			die("select", &e);
		rows = 0;
		while (db_step(st, &e) == DB_ROW) {
			rows += db_col_int(st, 0) > 0;
			(void)db_col_text(st, 4);
		}
		db_done(st);
		t_select += now() - t0;

		if (db_exec(db, NULL, &e, "UPDATE applications SET status = 'accepted' WHERE id = $1", DB_INT(app)) ||
		    db_exec(db, NULL, &e, "DELETE FROM assignments WHERE application_id = $1", DB_INT(app)))
			die("reset", &e);
		t0 = now();
		if (application_assign(db, s, &a, app, &e))
			die("assign", &e);
		t_assign += now() - t0;
	}
	printf("  pool %lld active members (%d assessors + %d experts added), %d draws\n", (long long)candidates, pool,
	       pool / 10, draws);
	printf("  plain SELECT of the pool       %8.2f ms per read (%lld rows)\n", t_select * 1000 / draws,
	       (long long)rows);
	printf("  application_assign (draw)      %8.2f ms per draw\n", t_assign * 1000 / draws);
	printf("  ratio (SELECT time / draw time) %.2f\n", t_select / t_assign);
	db_close(db);
	scheme_free(s);
	return 0;
}

/* group_commit.h: one writer thread that commits many small write operations from request threads in one
 * transaction (one fsync), so durable writes scale with the number of waiting requests instead of the disk's
 * flush rate. A request thread submits an operation and waits until it is committed (or failed); if one operation
 * of a batch fails, the batch is rolled back and its operations are run again one transaction each, so only the
 * failing one reports an error. */
#ifndef LTCI_GROUP_COMMIT_H
#define LTCI_GROUP_COMMIT_H

#include <stdbool.h>

#include "base/err.h"
#include "db/db.h"

struct gc_op {
	/* the write, run inside the writer's transaction (it must not begin or commit) */
	int (*apply)(struct db *db, struct gc_op *op, struct err *e);
	void *arg;
	/* set by the writer */
	int rc;
	struct err err;
	bool done;
	struct gc_op *next;
};

/* Start the writer on its own connection to db_url; 0 on success. */
int gc_start(const char *db_url, struct err *e);
void gc_stop(void);
/* True while a writer runs. */
bool gc_running(void);
/* Run op through the writer and wait for its outcome (op->rc, op->err). */
int gc_submit(struct gc_op *op);

#endif

/* group_commit.c: the group-commit writer (see group_commit.h). */
#include "svc/group_commit.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"

static struct {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct gc_op *head, *tail;
	bool running, stop;
	struct db *db;
} W = {.mu = PTHREAD_MUTEX_INITIALIZER, .work = PTHREAD_COND_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

/* One operation in its own transaction (the fallback after a failed batch, or a batch of one). */
static void run_alone(struct db *db, struct gc_op *op)
{
	memset(&op->err, 0, sizeof op->err);
	op->rc = db_begin(db, &op->err);
	if (!op->rc)
		op->rc = op->apply(db, op, &op->err);
	if (!op->rc)
		op->rc = db_commit(db, &op->err);
	else if (db_in_tx(db))
		db_rollback(db);
}

static void run_batch(struct db *db, struct gc_op *batch, int n)
{
	struct err e = {0};
	int rc;

	if (n == 1) {
		run_alone(db, batch);
		return;
	}
	rc = db_begin(db, &e);
	for (struct gc_op *op = batch; !rc && op; op = op->next) {
		memset(&op->err, 0, sizeof op->err);
		rc = op->apply(db, op, &op->err);
	}
	if (!rc)
		rc = db_commit(db, &e);
	if (!rc) {
		for (struct gc_op *op = batch; op; op = op->next)
			op->rc = 0;
		return;
	}
	if (db_in_tx(db))
		db_rollback(db);
	/* one of them failed (or the commit did): each on its own, so only the failing one reports it */
	for (struct gc_op *op = batch; op; op = op->next)
		run_alone(db, op);
}

static void *writer_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&W.mu);
	for (;;) {
		struct gc_op *batch;
		int n = 0;
		while (!W.head && !W.stop)
			pthread_cond_wait(&W.work, &W.mu);
		if (!W.head && W.stop)
			break;
		/* take everything queued, up to the cap */
		batch = W.head;
		{
			struct gc_op *last = batch;
			n = 1;
			while (last->next && n < LIMIT_GROUP_COMMIT_OPS) {
				last = last->next;
				n++;
			}
			W.head = last->next;
			if (!W.head)
				W.tail = NULL;
			last->next = NULL;
		}
		pthread_mutex_unlock(&W.mu);
		run_batch(W.db, batch, n);
		pthread_mutex_lock(&W.mu);
		for (struct gc_op *op = batch, *next; op; op = next) {
			next = op->next;
			op->done = true;
		}
		pthread_cond_broadcast(&W.done);
	}
	pthread_mutex_unlock(&W.mu);
	return NULL;
}

int gc_start(const char *db_url, struct err *e)
{
	sigset_t all, old;
	int rc = db_open(db_url, &W.db, e);

	if (rc)
		return rc;
	W.stop = false;
	W.head = W.tail = NULL;
	/* signals belong to the serving thread: the writer starts with all blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&W.thread, NULL, writer_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		db_close(W.db);
		W.db = NULL;
		return err_set(e, ERR_INTERNAL, NULL, "cannot start the group-commit writer");
	}
	W.running = true;
	log_info("event=group_commit_start max_ops=%d", LIMIT_GROUP_COMMIT_OPS);
	return 0;
}

void gc_stop(void)
{
	if (!W.running)
		return;
	pthread_mutex_lock(&W.mu);
	W.stop = true;
	pthread_cond_signal(&W.work);
	pthread_mutex_unlock(&W.mu);
	pthread_join(W.thread, NULL);
	db_close(W.db);
	W.db = NULL;
	W.running = false;
}

bool gc_running(void)
{
	return W.running;
}

int gc_submit(struct gc_op *op)
{
	op->done = false;
	op->next = NULL;
	pthread_mutex_lock(&W.mu);
	if (W.tail)
		W.tail->next = op;
	else
		W.head = op;
	W.tail = op;
	pthread_cond_signal(&W.work);
	while (!op->done)
		pthread_cond_wait(&W.done, &W.mu);
	pthread_mutex_unlock(&W.mu);
	return op->rc;
}

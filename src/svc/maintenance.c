/* maintenance.c: the background thread of 'ltci serve' (see maintenance.h). It sleeps on a condition variable
 * (monotonic clock) until the next job is due or a stop is requested, so shutdown never waits for a sleep; a
 * transfer in progress is aborted through the sender's cancel flag. */
#include "svc/maintenance.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/limits.h"
#include "base/date.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "svc/application.h"
#include "svc/care_plan.h"
#include "svc/role.h"
#include "svc/visit.h"

struct job {
	const char *name;
	struct db *db;           /* opened on first use, closed after a failure and reopened on the next run */
	bool failing;            /* the last run failed: repeat failures are logged only when the message changes */
	char last_error[256];
};

struct maintenance {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cond;
	bool stop;               /* under mu */
	atomic_int cancel;       /* set with stop: aborts a transfer in progress */
	char *url;
	const struct scheme *scheme;
	struct notify_config cfg;
	int notify_interval_s;
	struct job notify, certify;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An error message for a msg="..." field: quotes, backslashes and control characters become '?' (UTF-8 kept). */
static void log_safe(const char *s, char *out, size_t size)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];
		out[i] = (c < 0x20 || c == 0x7f || c == '"' || c == '\\') ? '?' : (char)c;
	}
	out[i] = '\0';
}

static void job_failed(struct job *j, const struct err *e)
{
	char msg[256];

	log_safe(e->msg, msg, sizeof msg);
	if (!j->failing || strcmp(msg, j->last_error) != 0)
		log_warn("event=maintenance_error job=%s msg=\"%s\"", j->name, msg);
	j->failing = true;
	str_copy(j->last_error, msg, sizeof j->last_error);
	if (j->db) {
		db_close(j->db);
		j->db = NULL;
	}
}

static void job_ok(struct job *j)
{
	if (j->failing)
		log_info("event=maintenance_recovered job=%s", j->name);
	j->failing = false;
	j->last_error[0] = '\0';
}

static struct db *job_db(struct maintenance *m, struct job *j)
{
	struct err e = {0};

	if (!j->db && db_open(m->url, &j->db, &e)) {
		j->db = NULL;
		job_failed(j, &e);
	}
	return j->db;
}

static void run_notify(struct maintenance *m)
{
	struct job *j = &m->notify;
	struct db *db = job_db(m, j);
	struct err e = {0};
	int sent = 0, failed = 0, s = 0, f = 0, rc;

	if (!db)
		return;
	/* batches while they come back full, so a backlog drains within one run */
	do {
		rc = notify_send_pending(db, &m->cfg, LIMIT_NOTIFY_BATCH, &s, &f, &e);
		sent += s;
		failed += f;
	} while (!rc && s + f == LIMIT_NOTIFY_BATCH && !atomic_load(&m->cancel));
	if (rc)
		job_failed(j, &e);
	else
		job_ok(j);
	if (sent || failed)
		log_info("event=notify_run sent=%d failed=%d", sent, failed);
}

static void run_certify(struct maintenance *m)
{
	struct job *j = &m->certify;
	struct db *db = job_db(m, j);
	struct actor sys;
	struct err e = {0};
	int n = 0, started = 0, closed = 0, missed = 0, rc;

	if (!db)
		return;
	actor_system(&sys, "maintenance");
	rc = certify_due(db, m->scheme, &sys, &n, &e);
	/* care plans follow the calendar: switches start on their day, plans past their last day close */
	if (!rc)
		rc = care_plans_roll(db, date_today_cn(), &started, &closed, &e);
	/* scheduled visits of days gone by without a check-in */
	if (!rc)
		rc = visits_mark_missed(db, date_today_cn(), &missed, &e);
	if (rc)
		job_failed(j, &e);
	else
		job_ok(j);
	if (n)
		log_info("event=certify_run certified=%d", n);
	if (started || closed)
		log_info("event=care_plans_roll started=%d closed=%d", started, closed);
	if (missed)
		log_info("event=visits_missed visits=%d", missed);
}

static void *maintenance_main(void *arg)
{
	struct maintenance *m = arg;
	int64_t next_notify = mono_ms(), next_certify = next_notify, wake;
	struct timespec ts;

	pthread_mutex_lock(&m->mu);
	while (!m->stop) {
		int64_t now = mono_ms();

		if (m->notify_interval_s > 0 && now >= next_notify) {
			pthread_mutex_unlock(&m->mu);
			run_notify(m);
			pthread_mutex_lock(&m->mu);
			next_notify = mono_ms() + (int64_t)m->notify_interval_s * 1000;
			continue;
		}
		if (now >= next_certify) {
			pthread_mutex_unlock(&m->mu);
			run_certify(m);
			pthread_mutex_lock(&m->mu);
			next_certify = mono_ms() + (int64_t)LIMIT_CERTIFY_INTERVAL_S * 1000;
			continue;
		}
		wake = next_certify;
		if (m->notify_interval_s > 0 && next_notify < wake)
			wake = next_notify;
		ts.tv_sec = (time_t)(wake / 1000);
		ts.tv_nsec = (long)(wake % 1000) * 1000000L;
		pthread_cond_timedwait(&m->cond, &m->mu, &ts);
	}
	pthread_mutex_unlock(&m->mu);
	return NULL;
}

int maintenance_start(const char *db_url, const struct scheme *scheme, const struct notify_config *cfg,
		      int notify_interval_s, struct maintenance **out, struct err *e)
{
	struct maintenance *m = xcalloc(1, sizeof *m);
	pthread_condattr_t ca;
	sigset_t all, old;
	char desc[400];
	int rc;

	*out = NULL;
	m->url = xstrdup(db_url);
	m->scheme = scheme;
	m->cfg = *cfg;
	m->cfg.cancel = &m->cancel;
	atomic_init(&m->cancel, 0);
	m->notify_interval_s = notify_interval_s;
	m->notify.name = "notify";
	m->certify.name = "certify";
	rc = notify_send_global_init(e);
	if (rc)
		goto out;
	pthread_mutex_init(&m->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&m->cond, &ca);
	pthread_condattr_destroy(&ca);
	/* signals belong to the thread that waits for them (http_serve): the new thread starts with all blocked */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&m->thread, NULL, maintenance_main, m);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		pthread_cond_destroy(&m->cond);
		pthread_mutex_destroy(&m->mu);
		notify_send_global_cleanup();
		rc = err_set(e, ERR_INTERNAL, NULL, "cannot start the maintenance thread");
		goto out;
	}
	notify_config_describe(&m->cfg, desc, sizeof desc);
	log_info("event=maintenance_start notify_interval=%d certify_interval=%d %s", notify_interval_s,
		 LIMIT_CERTIFY_INTERVAL_S, desc);
	*out = m;
out:
	if (rc) {
		notify_config_clear(&m->cfg);
		free(m->url);
		free(m);
	}
	return rc;
}

void maintenance_stop(struct maintenance *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->mu);
	m->stop = true;
	atomic_store(&m->cancel, 1);
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->mu);
	pthread_join(m->thread, NULL);
	if (m->notify.db)
		db_close(m->notify.db);
	if (m->certify.db)
		db_close(m->certify.db);
	pthread_cond_destroy(&m->cond);
	pthread_mutex_destroy(&m->mu);
	notify_send_global_cleanup();
	notify_config_clear(&m->cfg);
	free(m->url);
	free(m);
	log_info("event=maintenance_stop");
}

/* maintenance.h: the server's one background thread. It runs the notice sender (svc/notify_send.h) every
 * notify_interval_s seconds and the certification of conclusions whose publication has ended (certify_due) every
 * LIMIT_CERTIFY_INTERVAL_S seconds, each job on its own database connection (reopened after a failure), and logs
 * one line per run that did something. Both jobs are safe with several server processes against one database. */
#ifndef LTCI_MAINTENANCE_H
#define LTCI_MAINTENANCE_H

#include "base/err.h"
#include "scheme/scheme.h"
#include "svc/notify_send.h"

struct maintenance;

/* Start the thread. db_url is copied; scheme must outlive the thread; cfg is copied (with its secrets, wiped at
 * stop). notify_interval_s 0 turns the notice sender off. The thread blocks all signals. */
int maintenance_start(const char *db_url, const struct scheme *scheme, const struct notify_config *cfg,
		      int notify_interval_s, struct maintenance **out, struct err *e);

/* Stop at once: wake the thread, abort a transfer in progress (the notice stays pending), join it and free
 * everything. NULL is fine. */
void maintenance_stop(struct maintenance *m);

#endif

/* notify_send.h: the sender that delivers the notice outbox (svc/notify.h). Three transports, chosen once at start
 * from the environment:
 *
 *   LTCI_NOTIFY=log (default)  every notice is "delivered" as one log line with a masked recipient (never the body)
 *   LTCI_NOTIFY=smtp           e-mails through SMTP (libcurl; LTCI_SMTP_URL, LTCI_SMTP_FROM, optional
 *                              LTCI_SMTP_USER / LTCI_SMTP_PASSWORD); SMS to LTCI_SMS_WEBHOOK if set, else logged
 *   LTCI_NOTIFY=webhook        SMS POSTed as JSON to LTCI_SMS_WEBHOOK (optional LTCI_SMS_TOKEN as a bearer token);
 *                              e-mails through SMTP if LTCI_SMTP_URL is set, else logged
 *
 * Each pending notice is claimed with a conditional UPDATE before it is sent, so several server processes may run
 * the sender at once; a failed attempt is retried with exponential back-off and marked failed after
 * LIMIT_NOTIFY_ATTEMPTS. Secrets (password, token) are never logged nor stored in last_error.
 */
#ifndef LTCI_NOTIFY_SEND_H
#define LTCI_NOTIFY_SEND_H

#include <stdatomic.h>
#include <stddef.h>

#include "base/err.h"
#include "db/db.h"

enum notify_mode { NOTIFY_LOG = 0, NOTIFY_SMTP, NOTIFY_WEBHOOK };

struct notify_config {
	enum notify_mode mode;
	char smtp_url[512];          /* "" = e-mails are logged */
	char smtp_from[256];         /* the From header as configured: "addr" or "Name <addr>" */
	char smtp_from_addr[256];    /* the envelope address */
	char smtp_user[128];
	char smtp_password[256];     /* secret */
	char sms_webhook[512];       /* "" = SMS are logged */
	char sms_token[512];         /* secret */
	/* Set by the owner (non-zero) to abort a transfer in progress and stop the batch, e.g. at shutdown. May be
	 * NULL. An aborted notice is released for a later run without counting an attempt. */
	const atomic_int *cancel;
};

/* Read the LTCI_NOTIFY* / LTCI_SMTP_* / LTCI_SMS_* variables into cfg. ERR_INVALID (with the variable's name in
 * e->field) if the mode is unknown or its settings are missing or malformed: a server that would silently log
 * notices it was meant to send must not start. */
int notify_config_from_env(struct notify_config *cfg, struct err *e);

/* One line describing the transports for the start-up log, without secrets or URL paths:
 * "mode=smtp email=smtp://relay:25 sms=webhook:https://gw.example.com". */
void notify_config_describe(const struct notify_config *cfg, char *out, size_t size);

/* Wipe the secrets of cfg. */
void notify_config_clear(struct notify_config *cfg);

/* Process-wide set-up of the transfer library; call once before any thread calls notify_send_pending. */
int notify_send_global_init(struct err *e);
void notify_send_global_cleanup(void);

/* Send up to max pending notices whose next_attempt_at has come (oldest first). Each is claimed, sent without a
 * transaction open, then recorded: sent (status 'sent', sent_at), or a retry (attempts + 1, last_error,
 * next_attempt_at = now + LIMIT_NOTIFY_BACKOFF_S * 2^attempts), or 'failed' after LIMIT_NOTIFY_ATTEMPTS attempts or
 * at once when the notice cannot be sent at all (malformed recipient, oversized). *sent and *failed (attempts that
 * failed, retried or not) count this call's outcomes. Returns 0, or a database error (e filled). */
int notify_send_pending(struct db *db, const struct notify_config *cfg, int max, int *sent, int *failed,
			struct err *e);

/* Masked recipient for logs and lists: "138****5678" for a phone, "z***@example.com" for an e-mail. */
void notify_mask_recipient(const char *channel, const char *recipient, char *out, size_t size);

#endif

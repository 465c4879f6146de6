/* serve.c: 'ltci serve': load and validate the scheme, check the database schema, start the background maintenance
 * thread (notice sender, due certifications) and the HTTP server; stop both cleanly on SIGINT/SIGTERM. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/str.h"
#include "cli/cli.h"
#include "db/migrate.h"
#include "http/http.h"
#include "scheme/scheme.h"
#include "svc/auth.h"
#include "svc/import_job.h"
#include "svc/group_commit.h"
#include "svc/maintenance.h"
#include "svc/notify_send.h"

static const char usage[] =
	"usage: ltci serve [--listen ADDR:PORT] [--db URL] [--scheme FILE] [--web DIR] [--threads N]\n"
	"                  [--tls-cert FILE --tls-key FILE] [--public-url URL]\n"
	"\n"
	"Run the HTTP server: the JSON API under /api/v1/ and the web app from DIR.\n"
	"\n"
	"  --listen ADDR:PORT  address to listen on (LTCI_LISTEN, default " DEFAULT_LISTEN "; port 0 picks one)\n"
	"  --db URL            sqlite:PATH or postgresql://... (LTCI_DB, default " DEFAULT_DB ")\n"
	"  --scheme FILE       scheme file (LTCI_SCHEME, default " DEFAULT_SCHEME ")\n"
	"  --web DIR           built web app (LTCI_WEB, default " DEFAULT_WEB ")\n"
	"  --threads N         worker threads, each with one database connection (LTCI_THREADS, default 4)\n"
	"  --data DIR          uploads, imports and their rejects files (LTCI_DATA, default " DEFAULT_DATA ")\n"
	"  --tls-cert FILE     serve HTTPS with this PEM certificate (and --tls-key)\n"
	"  --public-url URL    http(s)://host[/path] where the public reaches the web app (LTCI_PUBLIC_URL); when set,\n"
	"                      a check-out queues an SMS to the family with the visit's rating link URL/r/TOKEN;\n"
	"                      default: no link is sent\n"
	"\n"
	"Environment: LTCI_SESSION_IDLE and LTCI_SESSION_MAX (seconds) set session idle and absolute expiry;\n"
	"LTCI_LOGIN_LOCK (seconds) how long an account stays locked; LTCI_SECURE_COOKIES=1 marks cookies Secure\n"
	"when a TLS proxy is in front; LTCI_LOG_LEVEL=debug|info|warn|error.\n"
	"\n"
	"Notices (SMS and e-mail outbox), sent by a background thread every LTCI_NOTIFY_INTERVAL seconds\n"
	"(default 5; 0 = off):\n"
	"  LTCI_NOTIFY=log|smtp|webhook  log (default): one log line per notice, recipient masked, no body;\n"
	"                               smtp: e-mails by SMTP, SMS to the webhook if set, else logged;\n"
	"                               webhook: SMS to the webhook, e-mails by SMTP if set, else logged\n"
	"  LTCI_SMTP_URL                smtp://host:25 (STARTTLS when offered) or smtps://host:465\n"
	"  LTCI_SMTP_FROM               sender: addr or \"Name <addr>\"\n"
	"  LTCI_SMTP_USER, LTCI_SMTP_PASSWORD  optional; sent only over TLS\n"
	"  LTCI_SMS_WEBHOOK             http(s)://... receiving POST {\"to\",\"text\",\"ref\",\"id\"} as JSON\n"
	"  LTCI_SMS_TOKEN               optional; sent as Authorization: Bearer TOKEN\n"
	"Conclusions whose publication has ended are certified every 10 minutes.\n";

static int env_seconds(const char *name, int def, int min, int max)
{
	const char *v = getenv(name);
	int64_t n;

	if (!v || !*v)
		return def;
	if (!str_to_i64(v, &n) || n < min || n > max) {
		fprintf(stderr, "ltci: %s must be a number of seconds between %d and %d; using %d\n", name, min, max,
			def);
		return def;
	}
	return (int)n;
}

/* The public base URL: http(s)://..., printable ASCII without spaces, quotes or a query; stored without trailing
 * slashes. "" (not set) is fine. */
static int parse_public_url(const char *s, struct server_config *cfg)
{
	size_t n = s ? strlen(s) : 0;
	const char *host;

	cfg->public_url[0] = '\0';
	if (!n)
		return 0;
	if (n > LIMIT_PUBLIC_URL || !(str_starts(s, "https://") || str_starts(s, "http://")))
		return -1;
	for (const char *c = s; *c; c++)
		if (*c <= ' ' || *c > '~' || *c == '"' || *c == '\'' || *c == '<' || *c == '>' || *c == '?' || *c == '#' ||
		    *c == '\\')
			return -1;
	host = strstr(s, "://") + 3;
	if (!*host || *host == '/')
		return -1; /* a host, not "https:///" */
	while (s[n - 1] == '/')
		n--;
	memcpy(cfg->public_url, s, n);
	cfg->public_url[n] = '\0';
	return 0;
}

static int parse_listen(const char *s, struct server_config *cfg)
{
	const char *colon = strrchr(s, ':');
	int64_t port;
	size_t n;

	if (!colon || colon == s || !str_to_i64(colon + 1, &port) || port < 0 || port > 65535)
		return -1;
	n = (size_t)(colon - s);
	if (s[0] == '[' && colon[-1] == ']') {
		s++;
		n -= 2;
	}
	if (n >= sizeof cfg->listen_addr)
		return -1;
	memcpy(cfg->listen_addr, s, n);
	cfg->listen_addr[n] = '\0';
	cfg->port = (int)port;
	return 0;
}

int cli_serve(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'}, {"db", required_argument, NULL, 'd'},
		{"scheme", required_argument, NULL, 's'}, {"web", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'}, {"tls-cert", required_argument, NULL, 'c'},
		{"tls-key", required_argument, NULL, 'k'}, {"data", required_argument, NULL, 'D'},
		{"public-url", required_argument, NULL, 'u'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *listen = NULL, *dburl = NULL, *scheme_path = NULL, *web = NULL, *threads = NULL;
	const char *cert = NULL, *key = NULL, *data = NULL, *public_url = NULL;
	struct app app;
	struct scheme_diag diag;
	struct db *db;
	struct err e = {0};
	struct notify_config notify;
	struct maintenance *maint = NULL;
	int notify_interval;
	int64_t nthreads;
	int c, rc;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': listen = optarg; break;
		case 'd': dburl = optarg; break;
		case 's': scheme_path = optarg; break;
		case 'w': web = optarg; break;
		case 't': threads = optarg; break;
		case 'c': cert = optarg; break;
		case 'k': key = optarg; break;
		case 'D': data = optarg; break;
		case 'u': public_url = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fprintf(stderr, "ltci serve: unknown or incomplete option '%s'\n", argv[optind - 1]);
			return cli_usage_error(usage);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ltci serve: unexpected argument '%s'\n", argv[optind]);
		return cli_usage_error(usage);
	}
	memset(&app, 0, sizeof app);
	if (parse_listen(cli_setting(listen, "LTCI_LISTEN", DEFAULT_LISTEN), &app.cfg)) {
		fprintf(stderr, "ltci serve: --listen must be ADDR:PORT\n");
		return cli_usage_error(usage);
	}
	threads = cli_setting(threads, "LTCI_THREADS", NULL);
	nthreads = LIMIT_DEFAULT_THREADS;
	if (threads && (!str_to_i64(threads, &nthreads) || nthreads < 1 || nthreads > LIMIT_MAX_THREADS)) {
		fprintf(stderr, "ltci serve: --threads must be 1..%d\n", LIMIT_MAX_THREADS);
		return cli_usage_error(usage);
	}
	app.cfg.threads = (int)nthreads;
	if ((cert != NULL) != (key != NULL)) {
		fprintf(stderr, "ltci serve: --tls-cert and --tls-key go together\n");
		return cli_usage_error(usage);
	}
	str_copy(app.cfg.tls_cert, cert ? cert : "", sizeof app.cfg.tls_cert);
	str_copy(app.cfg.tls_key, key ? key : "", sizeof app.cfg.tls_key);
	app.cfg.secure_cookies = getenv("LTCI_SECURE_COOKIES") && strcmp(getenv("LTCI_SECURE_COOKIES"), "1") == 0;
	str_copy(app.cfg.web_dir, cli_setting(web, "LTCI_WEB", DEFAULT_WEB), sizeof app.cfg.web_dir);
	str_copy(app.cfg.data_dir, cli_setting(data, "LTCI_DATA", DEFAULT_DATA), sizeof app.cfg.data_dir);
	if (parse_public_url(cli_setting(public_url, "LTCI_PUBLIC_URL", NULL), &app.cfg)) {
		fprintf(stderr, "ltci serve: --public-url must be an http:// or https:// address of at most %d characters,"
				" without spaces, quotes, '?' or '#'\n",
			LIMIT_PUBLIC_URL);
		return cli_usage_error(usage);
	}
	if (!realpath(app.cfg.web_dir, app.web_real)) {
		app.web_real[0] = '\0';
		log_warn("event=no_web_app dir=%s msg=\"web app not built; serving the API only\"", app.cfg.web_dir);
	}

	auth_settings.session_idle_s = env_seconds("LTCI_SESSION_IDLE", LIMIT_SESSION_IDLE_S, 1, 7 * 86400);
	auth_settings.session_max_s = env_seconds("LTCI_SESSION_MAX", LIMIT_SESSION_MAX_S, 1, 30 * 86400);
	auth_settings.login_lock_s = env_seconds("LTCI_LOGIN_LOCK", LIMIT_LOGIN_LOCK_S, 1, 86400);
	notify_interval = env_seconds("LTCI_NOTIFY_INTERVAL", LIMIT_NOTIFY_INTERVAL_S, 0, LIMIT_NOTIFY_INTERVAL_MAX_S);
	if (notify_config_from_env(&notify, &e)) {
		fprintf(stderr, "ltci serve: %s\n", e.msg);
		return 1;
	}

	scheme_path = cli_setting(scheme_path, "LTCI_SCHEME", DEFAULT_SCHEME);
	rc = scheme_load_file(scheme_path, &app.scheme, &diag);
	if (rc) {
		fprintf(stderr, "ltci serve: scheme %s is invalid; not starting:\n", scheme_path);
		for (int i = 0; i < diag.n; i++)
			fprintf(stderr, "  %s: %s\n", diag.items[i].path, diag.items[i].msg);
		notify_config_clear(&notify);
		return 1;
	}
	dburl = cli_setting(dburl, "LTCI_DB", DEFAULT_DB);
	db = cli_open_db_current(dburl);
	if (!db) {
		notify_config_clear(&notify);
		scheme_free(app.scheme);
		return 1;
	}
	if (import_jobs_recover(db, &e))
		cli_error(&e);
	db_close(db);
	if (auth_init(&e) || db_pool_create(dburl, &app.pool, &e)) {
		cli_error(&e);
		notify_config_clear(&notify);
		scheme_free(app.scheme);
		return 1;
	}
	log_info("event=scheme id=%s version=%s", app.scheme->id, app.scheme->version);
	if (app.cfg.public_url[0])
		log_info("event=public_url url=%s msg=\"rating links are sent after check-out\"", app.cfg.public_url);
	rc = maintenance_start(dburl, app.scheme, &notify, notify_interval, &maint, &e);
	notify_config_clear(&notify);
	/* the check-ins' group-commit writer (one transaction, one flush, for all check-ins waiting at once) */
	if (!rc)
		rc = gc_start(dburl, &e);
	if (!rc)
		rc = http_serve(&app, &e);
	if (rc)
		cli_error(&e);
	gc_stop();
	maintenance_stop(maint);
	db_pool_destroy(app.pool);
	scheme_free(app.scheme);
	return rc ? 1 : 0;
}

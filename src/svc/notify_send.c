/* notify_send.c: the outbox sender (see notify_send.h): configuration from the environment, the three transports
 * (log line, SMTP through libcurl, JSON webhook through libcurl) and the claim / send / record cycle with retries.
 * Nothing here logs a notice body, a password or a token; recipients are masked in every log line. */
#include "svc/notify_send.h"

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"

/* ---- addresses and URLs ---- */

static bool ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A plain addr-spec (RFC 5322 dot-atom local part, host name domain): no display name, quotes, spaces or
 * control characters, so it can go into an SMTP command and a header as is. */
static bool email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *p;
	size_t n = strlen(s);

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || n > 254 || (size_t)(at - s) > 64)
		return false;
	for (p = s; p < at; p++)
		if (!ascii_alnum(*p) && !strchr("!#$%&'*+-/=?^_`{|}~.", *p))
			return false;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return false;
	for (p = at + 1; *p; p++)
		if (!ascii_alnum(*p) && *p != '.' && *p != '-')
			return false;
	return at[1] != '.' && at[1] != '-' && s[n - 1] != '.' && s[n - 1] != '-';
}

/* An SMS recipient: a phone number as the gateway takes it (digits, '+', '-', spaces between), at most 32 bytes. */
static bool phone_valid(const char *s)
{
	size_t n = strlen(s), digits = 0;

	if (n == 0 || n > 32)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p != '+' && *p != '-' && *p != ' ')
			return false;
	}
	return digits >= 3;
}

/* "scheme://host[:port]" of a URL: no user information, path or query (which may carry credentials). */
static void url_origin(const char *url, char *out, size_t size)
{
	const char *p = strstr(url, "://"), *host, *end, *at;
	size_t n;

	if (!p) {
		str_copy(out, "?", size);
		return;
	}
	host = p + 3;
	end = host + strcspn(host, "/?#");
	at = NULL;
	for (const char *q = host; q < end; q++)
		if (*q == '@')
			at = q;
	if (at)
		host = at + 1;
	n = (size_t)(p + 3 - url);
	snprintf(out, size, "%.*s%.*s", (int)n, url, (int)(end - host), host);
}

/* True if the URL's authority carries "user[:password]@": credentials belong in their own variables. */
static bool url_has_userinfo(const char *url)
{
	const char *p = strstr(url, "://"), *host = p ? p + 3 : url;

	return memchr(host, '@', strcspn(host, "/?#")) != NULL;
}

void notify_mask_recipient(const char *channel, const char *recipient, char *out, size_t size)
{
	char tmp[320];
	const char *at;
	size_t i;

	if (!recipient)
		recipient = "";
	if ((channel && strcmp(channel, "email") == 0) || strchr(recipient, '@')) {
		at = strrchr(recipient, '@');
		if (!at || at == recipient)
			str_copy(tmp, "***", sizeof tmp);
		else
			snprintf(tmp, sizeof tmp, "%c***%s", recipient[0], at);
	} else {
		str_mask_phone(recipient, tmp, sizeof tmp);
	}
	str_sanitize(tmp, out, size);
	for (i = 0; out[i]; i++)
		if (out[i] == ' ')
			out[i] = '_';
}

/* ---- configuration ---- */

static int env_copy(const char *name, char *dst, size_t size, struct err *e)
{
	const char *v = getenv(name);

	dst[0] = '\0';
	if (!v || !*v)
		return 0;
	if (strlen(v) >= size)
		return err_set(e, ERR_INVALID, name, "%s is too long (at most %zu bytes)", name, size - 1);
	if (str_has_control(v, false) || !str_utf8_valid(v, strlen(v)))
		return err_set(e, ERR_INVALID, name, "%s contains control characters or invalid UTF-8", name);
	str_copy(dst, v, size);
	return 0;
}

/* LTCI_SMTP_FROM is "addr" or "Display Name <addr>": the envelope address goes to smtp_from_addr. */
static int parse_from(struct notify_config *cfg, struct err *e)
{
	const char *lt = strchr(cfg->smtp_from, '<'), *gt;
	size_t n;

	if (!lt) {
		str_copy(cfg->smtp_from_addr, cfg->smtp_from, sizeof cfg->smtp_from_addr);
	} else {
		gt = strchr(lt, '>');
		n = gt ? (size_t)(gt - lt - 1) : 0;
		if (!gt || gt[1 + strspn(gt + 1, " ")] != '\0' || n >= sizeof cfg->smtp_from_addr || strchr(lt + 1, '<'))
			return err_set(e, ERR_INVALID, "LTCI_SMTP_FROM", "LTCI_SMTP_FROM must be addr or \"Name <addr>\"");
		memcpy(cfg->smtp_from_addr, lt + 1, n);
		cfg->smtp_from_addr[n] = '\0';
	}
	if (!email_valid(cfg->smtp_from_addr))
		return err_set(e, ERR_INVALID, "LTCI_SMTP_FROM", "LTCI_SMTP_FROM is not a valid e-mail address");
	return 0;
}

static int check_smtp(struct notify_config *cfg, struct err *e)
{
	if (!str_starts(cfg->smtp_url, "smtp://") && !str_starts(cfg->smtp_url, "smtps://"))
		return err_set(e, ERR_INVALID, "LTCI_SMTP_URL", "LTCI_SMTP_URL must start with smtp:// or smtps://");
	if (url_has_userinfo(cfg->smtp_url))
		return err_set(e, ERR_INVALID, "LTCI_SMTP_URL",
			       "LTCI_SMTP_URL must not hold credentials; use LTCI_SMTP_USER and LTCI_SMTP_PASSWORD");
	if (!cfg->smtp_from[0])
		return err_set(e, ERR_INVALID, "LTCI_SMTP_FROM", "LTCI_SMTP_FROM is required with LTCI_SMTP_URL");
	if (cfg->smtp_password[0] && !cfg->smtp_user[0])
		return err_set(e, ERR_INVALID, "LTCI_SMTP_USER", "LTCI_SMTP_PASSWORD needs LTCI_SMTP_USER");
	return parse_from(cfg, e);
}

int notify_config_from_env(struct notify_config *cfg, struct err *e)
{
	const char *mode = getenv("LTCI_NOTIFY");
	int rc;

	memset(cfg, 0, sizeof *cfg);
	if (!mode || !*mode || strcmp(mode, "log") == 0)
		cfg->mode = NOTIFY_LOG;
	else if (strcmp(mode, "smtp") == 0)
		cfg->mode = NOTIFY_SMTP;
	else if (strcmp(mode, "webhook") == 0)
		cfg->mode = NOTIFY_WEBHOOK;
	else
		return err_set(e, ERR_INVALID, "LTCI_NOTIFY", "LTCI_NOTIFY must be log, smtp or webhook");
	rc = env_copy("LTCI_SMTP_URL", cfg->smtp_url, sizeof cfg->smtp_url, e);
	if (!rc)
		rc = env_copy("LTCI_SMTP_FROM", cfg->smtp_from, sizeof cfg->smtp_from, e);
	if (!rc)
		rc = env_copy("LTCI_SMTP_USER", cfg->smtp_user, sizeof cfg->smtp_user, e);
	if (!rc)
		rc = env_copy("LTCI_SMTP_PASSWORD", cfg->smtp_password, sizeof cfg->smtp_password, e);
	if (!rc)
		rc = env_copy("LTCI_SMS_WEBHOOK", cfg->sms_webhook, sizeof cfg->sms_webhook, e);
	if (!rc)
		rc = env_copy("LTCI_SMS_TOKEN", cfg->sms_token, sizeof cfg->sms_token, e);
	if (rc)
		goto out;
	if (cfg->mode == NOTIFY_LOG) {
		if (cfg->smtp_url[0] || cfg->sms_webhook[0])
			log_warn("event=notify_config msg=\"LTCI_NOTIFY is log: LTCI_SMTP_URL and LTCI_SMS_WEBHOOK are ignored\"");
		cfg->smtp_url[0] = cfg->sms_webhook[0] = '\0';
		goto out;
	}
	if (cfg->mode == NOTIFY_SMTP && !cfg->smtp_url[0]) {
		rc = err_set(e, ERR_INVALID, "LTCI_SMTP_URL", "LTCI_NOTIFY=smtp needs LTCI_SMTP_URL");
		goto out;
	}
	if (cfg->mode == NOTIFY_WEBHOOK && !cfg->sms_webhook[0]) {
		rc = err_set(e, ERR_INVALID, "LTCI_SMS_WEBHOOK", "LTCI_NOTIFY=webhook needs LTCI_SMS_WEBHOOK");
		goto out;
	}
	if (cfg->smtp_url[0] && (rc = check_smtp(cfg, e)))
		goto out;
	if (cfg->sms_webhook[0] && !str_starts(cfg->sms_webhook, "http://") &&
	    !str_starts(cfg->sms_webhook, "https://")) {
		rc = err_set(e, ERR_INVALID, "LTCI_SMS_WEBHOOK", "LTCI_SMS_WEBHOOK must start with http:// or https://");
		goto out;
	}
	if (url_has_userinfo(cfg->sms_webhook)) {
		rc = err_set(e, ERR_INVALID, "LTCI_SMS_WEBHOOK", "LTCI_SMS_WEBHOOK must not hold credentials; use LTCI_SMS_TOKEN");
		goto out;
	}
	if (cfg->sms_token[0] && str_starts(cfg->sms_webhook, "http://") &&
	    !str_starts(cfg->sms_webhook, "http://127.") && !str_starts(cfg->sms_webhook, "http://localhost") &&
	    !str_starts(cfg->sms_webhook, "http://[::1]"))
		log_warn("event=notify_config msg=\"LTCI_SMS_TOKEN is sent to a plain http:// webhook; use https://\"");
out:
	if (rc)
		notify_config_clear(cfg);
	return rc;
}

void notify_config_describe(const struct notify_config *cfg, char *out, size_t size)
{
	char email[160] = "log", sms[170] = "log";

	if (cfg->mode == NOTIFY_LOG) {
		snprintf(out, size, "mode=log");
		return;
	}
	if (cfg->smtp_url[0])
		url_origin(cfg->smtp_url, email, sizeof email);
	if (cfg->sms_webhook[0]) {
		char origin[160];
		url_origin(cfg->sms_webhook, origin, sizeof origin);
		snprintf(sms, sizeof sms, "webhook:%s", origin);
	}
	snprintf(out, size, "mode=%s email=%s sms=%s", cfg->mode == NOTIFY_SMTP ? "smtp" : "webhook", email, sms);
}

void notify_config_clear(struct notify_config *cfg)
{
	sodium_memzero(cfg->smtp_password, sizeof cfg->smtp_password);
	sodium_memzero(cfg->sms_token, sizeof cfg->sms_token);
}

int notify_send_global_init(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_INTERNAL, NULL, "libsodium failed to initialise");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return err_set(e, ERR_INTERNAL, NULL, "libcurl failed to initialise");
	return 0;
}

void notify_send_global_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- the e-mail message (RFC 5322, MIME, RFC 2047) ---- */

static size_t utf8_seq_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c >> 5) == 0x6)
		return 2;
	if ((c >> 4) == 0xe)
		return 3;
	return 4;
}

/* Append s (valid UTF-8) as RFC 2047 encoded-words (UTF-8, base64). Each word carries at most 39 bytes of text
 * (52 base64 characters, 64 with its delimiters) so a folded header line stays under 78 characters; words are
 * split only between characters and separated by CRLF SP. */
static int put_encoded_words(struct buf *b, const char *s)
{
	size_t n = strlen(s), i = 0, j, k;
	char b64[64];
	int rc = 0;

	while (!rc && i < n) {
		for (j = i; j < n; j += k) {
			k = utf8_seq_len((unsigned char)s[j]);
			if (j + k - i > 39)
				break;
		}
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, j - i, sodium_base64_VARIANT_ORIGINAL);
		rc = buf_printf(b, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i = j;
	}
	return rc;
}

/* Date header value in China Standard Time (no daylight saving), e.g. "Tue, 03 Mar 2026 09:30:00 +0800". */
static void mail_date(time_t t, char *out, size_t size)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t local = t + 8 * 3600;
	struct tm tm;

	gmtime_r(&local, &tm);
	snprintf(out, size, "%s, %02d %s %04d %02d:%02d:%02d +0800", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The whole message: headers, then the body as text/plain; charset=UTF-8 in base64 with CRLF line ends (the
 * canonical form of RFC 2045) in 76-character lines. 0, or ERR_TOO_LARGE. */
static int build_message(const struct notify_config *cfg, int64_t id, const char *to, const char *subject,
			 const char *body, struct buf *b)
{
	char date[64], rnd_hex[17], line[80], name[256];
	unsigned char rnd[8];
	const char *lt = strchr(cfg->smtp_from, '<');
	struct buf canon;
	size_t n;
	int rc;

	mail_date(time(NULL), date, sizeof date);
	randombytes_buf(rnd, sizeof rnd);
	str_hex(rnd, sizeof rnd, rnd_hex);
	rc = buf_printf(b, "Date: %s\r\nFrom: ", date);
	/* a display name is always encoded, which also takes care of quoting */
	n = lt ? (size_t)(lt - cfg->smtp_from) : 0;
	while (n && (cfg->smtp_from[n - 1] == ' ' || cfg->smtp_from[n - 1] == '"'))
		n--;
	snprintf(name, sizeof name, "%.*s", (int)n, cfg->smtp_from + strspn(cfg->smtp_from, " \""));
	if (!rc && name[0] && lt) {
		rc = put_encoded_words(b, name);
		if (!rc)
			rc = buf_printf(b, " <%s>\r\n", cfg->smtp_from_addr);
	} else if (!rc) {
		rc = buf_printf(b, "%s\r\n", cfg->smtp_from_addr);
	}
	if (!rc)
		rc = buf_printf(b, "To: %s\r\nSubject: ", to);
	if (!rc)
		rc = put_encoded_words(b, subject && *subject ? subject : "长期护理保险通知");
	if (!rc)
		rc = buf_printf(b,
				"\r\nMessage-ID: <notice-%lld.%s@%s>\r\n"
				"MIME-Version: 1.0\r\n"
				"Content-Type: text/plain; charset=UTF-8\r\n"
				"Content-Transfer-Encoding: base64\r\n"
				"Auto-Submitted: auto-generated\r\n"
				"\r\n",
				(long long)id, rnd_hex, strchr(cfg->smtp_from_addr, '@') + 1);
	if (rc)
		return rc;
	/* line ends to CRLF */
	buf_init(&canon, 2 * LIMIT_NOTICE_BYTES + 2);
	for (const char *p = body; !rc && *p; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\r' || *p == '\n')
			rc = buf_append(&canon, "\r\n", 2);
		else
			rc = buf_putc(&canon, *p);
	}
	for (size_t i = 0; !rc && i < canon.len; i += 57) {
		n = canon.len - i < 57 ? canon.len - i : 57;
		sodium_bin2base64(line, sizeof line, (const unsigned char *)canon.data + i, n,
				  sodium_base64_VARIANT_ORIGINAL);
		rc = buf_printf(b, "%s\r\n", line);
	}
	buf_free(&canon);
	return rc;
}

/* ---- transfers ---- */

enum outcome { OUT_SENT, OUT_RETRY, OUT_GIVE_UP, OUT_CANCELLED };

struct notice {
	int64_t id;
	char channel[8];
	char *recipient, *subject, *body, *ref_type, *ref_id;
	int attempts;
};

struct sender {
	const struct notify_config *cfg;
	CURL *h;
	char errbuf[CURL_ERROR_SIZE];
};

struct upload {
	const char *p;
	size_t left;
};

static bool cancelled(const struct notify_config *cfg)
{
	return cfg->cancel && atomic_load(cfg->cancel);
}

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb < u->left ? size * nmemb : u->left;

	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The gateway's answer is not needed (and may echo personal data): drop it. */
static size_t discard_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	return size * nmemb;
}

static int progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	return cancelled(arg) ? 1 : 0;
}

/* Options every transfer gets: timeouts, no signals (threads), no redirects, TLS verified, one protocol family. */
static void common_opts(struct sender *s, const char *url, const char *protocols)
{
	CURL *h = s->h;

	curl_easy_reset(h);
	s->errbuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, protocols);
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS,
			 strcmp(protocols, "smtp,smtps") == 0 ? (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS)
							      : (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)LIMIT_NOTIFY_CONNECT_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)LIMIT_NOTIFY_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, progress_cb);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)s->cfg);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
}

/* Replace every occurrence of secret in s (size bytes) by "***". */
static void scrub(char *s, size_t size, const char *secret)
{
	char out[512];
	size_t n = strlen(secret), j = 0;

	if (!n)
		return;
	for (const char *p = s; *p && j + 4 < sizeof out;) {
		if (strncmp(p, secret, n) == 0) {
			memcpy(out + j, "***", 3);
			j += 3;
			p += n;
		} else {
			out[j++] = *p++;
		}
	}
	out[j] = '\0';
	str_copy(s, out, size);
}

/* The outcome of a finished curl transfer; why gets a reason without secrets. */
static enum outcome transfer_outcome(struct sender *s, CURLcode cc, const char *what, char *why, size_t wsize)
{
	char raw[CURL_ERROR_SIZE + 64];
	size_t n;

	if (cc == CURLE_OK)
		return OUT_SENT;
	if (cc == CURLE_ABORTED_BY_CALLBACK && cancelled(s->cfg))
		return OUT_CANCELLED;
	snprintf(raw, sizeof raw, "%s: %s", what, s->errbuf[0] ? s->errbuf : curl_easy_strerror(cc));
	n = strlen(raw);
	while (n && (raw[n - 1] == '\n' || raw[n - 1] == '\r'))
		raw[--n] = '\0';
	scrub(raw, sizeof raw, s->cfg->smtp_password);
	scrub(raw, sizeof raw, s->cfg->sms_token);
	scrub(raw, sizeof raw, s->cfg->sms_webhook);
	scrub(raw, sizeof raw, s->cfg->smtp_url);
	str_sanitize(raw, why, wsize);
	return OUT_RETRY;
}

static enum outcome send_smtp(struct sender *s, const struct notice *n, char *why, size_t wsize)
{
	const struct notify_config *cfg = s->cfg;
	struct curl_slist *rcpt = NULL;
	struct upload up;
	struct buf msg;
	char rcpt_s[300], from_s[300];
	enum outcome out;
	CURLcode cc;

	buf_init(&msg, 3 * LIMIT_NOTICE_BYTES + 8192);
	if (build_message(cfg, n->id, n->recipient, n->subject, n->body, &msg)) {
		snprintf(why, wsize, "the message is too large");
		out = OUT_GIVE_UP;
		goto out;
	}
	snprintf(rcpt_s, sizeof rcpt_s, "<%s>", n->recipient);
	snprintf(from_s, sizeof from_s, "<%s>", cfg->smtp_from_addr);
	rcpt = curl_slist_append(NULL, rcpt_s);
	up.p = msg.data;
	up.left = msg.len;
	common_opts(s, cfg->smtp_url, "smtp,smtps");
	curl_easy_setopt(s->h, CURLOPT_MAIL_FROM, from_s);
	curl_easy_setopt(s->h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(s->h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(s->h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(s->h, CURLOPT_READDATA, &up);
	/* smtp:// upgrades with STARTTLS when the server offers it, and must when there are credentials to send;
	 * smtps:// is TLS from the start. Certificates are verified either way. */
	curl_easy_setopt(s->h, CURLOPT_USE_SSL, cfg->smtp_user[0] ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (cfg->smtp_user[0]) {
		curl_easy_setopt(s->h, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(s->h, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	cc = curl_easy_perform(s->h);
	out = transfer_outcome(s, cc, "smtp", why, wsize);
out:
	curl_slist_free_all(rcpt);
	buf_free(&msg);
	return out;
}

static enum outcome send_webhook(struct sender *s, const struct notice *n, char *why, size_t wsize)
{
	const struct notify_config *cfg = s->cfg;
	struct curl_slist *hdr = NULL;
	char *json = NULL, *auth = NULL;
	json_t *o, *ref;
	enum outcome out;
	long status = 0;
	CURLcode cc;

	ref = n->ref_type && n->ref_id ? json_sprintf("%s:%s", n->ref_type, n->ref_id) : json_null();
	o = json_pack("{s:s, s:s, s:o, s:I}", "to", n->recipient, "text", n->body, "ref", ref ? ref : json_null(),
		      "id", (json_int_t)n->id);
	json = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!json) {
		snprintf(why, wsize, "the notice cannot be encoded as JSON");
		out = OUT_GIVE_UP;
		goto out;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
	hdr = curl_slist_append(hdr, "Expect:");
	if (cfg->sms_token[0]) {
		auth = xasprintf("Authorization: Bearer %s", cfg->sms_token);
		hdr = curl_slist_append(hdr, auth);
	}
	common_opts(s, cfg->sms_webhook, "http,https");
	curl_easy_setopt(s->h, CURLOPT_USERAGENT, "ltci/" LTCI_VERSION);
	curl_easy_setopt(s->h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDS, json);
	curl_easy_setopt(s->h, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
	cc = curl_easy_perform(s->h);
	out = transfer_outcome(s, cc, "webhook", why, wsize);
	if (out == OUT_SENT) {
		curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
		if (status < 200 || status > 299) {
			snprintf(why, wsize, "webhook: HTTP %ld%s", status,
				 status >= 300 && status < 400 ? " (redirects are not followed)" : "");
			out = OUT_RETRY;
		}
	}
out:
	curl_slist_free_all(hdr);
	if (auth) {
		sodium_memzero(auth, strlen(auth));
		free(auth);
	}
	free(json);
	return out;
}

static const char *transport_of(const struct notify_config *cfg, const char *channel)
{
	if (cfg->mode == NOTIFY_LOG)
		return "log";
	if (strcmp(channel, "email") == 0)
		return cfg->smtp_url[0] ? "smtp" : "log";
	return cfg->sms_webhook[0] ? "webhook" : "log";
}

/* Deliver one claimed notice. why gets the reason of anything but OUT_SENT. */
static enum outcome deliver(struct sender *s, const struct notice *n, const char *transport, char *why, size_t wsize)
{
	bool email = strcmp(n->channel, "email") == 0;

	if (email ? !email_valid(n->recipient) : !phone_valid(n->recipient)) {
		snprintf(why, wsize, "invalid %s recipient", email ? "e-mail" : "SMS");
		return OUT_GIVE_UP;
	}
	if (strlen(n->body) > LIMIT_NOTICE_BYTES || (n->subject && strlen(n->subject) > LIMIT_NOTICE_BYTES)) {
		snprintf(why, wsize, "the notice is larger than %d bytes", LIMIT_NOTICE_BYTES);
		return OUT_GIVE_UP;
	}
	if (!str_utf8_valid(n->body, strlen(n->body)) || (n->subject && !str_utf8_valid(n->subject, strlen(n->subject)))) {
		snprintf(why, wsize, "the notice is not valid UTF-8");
		return OUT_GIVE_UP;
	}
	if (strcmp(transport, "log") == 0)
		return OUT_SENT;
	if (!s->h && !(s->h = curl_easy_init())) {
		snprintf(why, wsize, "libcurl: cannot create a handle");
		return OUT_RETRY;
	}
	return email ? send_smtp(s, n, why, wsize) : send_webhook(s, n, why, wsize);
}

/* ---- the outbox cycle ---- */

static void notice_free(struct notice *n)
{
	free(n->recipient);
	free(n->subject);
	free(n->body);
	free(n->ref_type);
	free(n->ref_id);
	memset(n, 0, sizeof *n);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int notice_load(struct db *db, int64_t id, struct notice *n, struct err *e)
{
	struct db_stmt *st = NULL;
	int rc;

	memset(n, 0, sizeof *n);
	rc = db_query(db, &st, e,
		      "SELECT channel, recipient, subject, body, ref_type, ref_id, attempts FROM notices WHERE id = $1",
		      DB_INT(id));
	if (!rc) {
		rc = db_step(st, e);
		if (rc == DB_ROW) {
			n->id = id;
			str_copy(n->channel, db_col_text(st, 0), sizeof n->channel);
			n->recipient = xstrdup(db_col_text(st, 1) ? db_col_text(st, 1) : "");
			n->subject = dup_or_null(db_col_text(st, 2));
			n->body = xstrdup(db_col_text(st, 3) ? db_col_text(st, 3) : "");
			n->ref_type = dup_or_null(db_col_text(st, 4));
			n->ref_id = dup_or_null(db_col_text(st, 5));
			n->attempts = (int)db_col_int(st, 6);
			rc = 0;
		} else if (rc == DB_DONE) {
			rc = err_set(e, ERR_NOT_FOUND, NULL, "notice %lld is gone", (long long)id);
		}
	}
	db_done(st);
	return rc;
}

/* Take a pending notice for this process: move its next attempt past the lease so no other sender picks it up.
 * *mine is false if another sender got there first. */
static int notice_claim(struct db *db, int64_t id, bool *mine, struct err *e)
{
	int64_t now = date_now_unix(), changes = 0;
	int rc = db_exec(db, &changes, e,
			 "UPDATE notices SET next_attempt_at = $1 WHERE id = $2 AND status = 'pending'"
			 " AND next_attempt_at <= $3",
			 DB_INT(now + LIMIT_NOTIFY_LEASE_S), DB_INT(id), DB_INT(now));

	*mine = !rc && changes == 1;
	return rc;
}

static int notice_record(struct db *db, const struct notice *n, const char *transport, enum outcome out,
			 const char *why, int *sent, int *failed, struct err *e)
{
	int64_t now = date_now_unix(), delay;
	int attempts = n->attempts + 1, rc;
	char masked[320], ref[160] = "-";

	notify_mask_recipient(n->channel, n->recipient, masked, sizeof masked);
	if (n->ref_type && n->ref_id) {
		char raw[160];
		snprintf(raw, sizeof raw, "%s:%s", n->ref_type, n->ref_id);
		str_sanitize(raw, ref, sizeof ref);
	}
	switch (out) {
	case OUT_CANCELLED:
		/* not attempted: release the claim for the next run */
		return db_exec(db, NULL, e, "UPDATE notices SET next_attempt_at = $1 WHERE id = $2 AND status = 'pending'",
			       DB_INT(now), DB_INT(n->id));
	case OUT_SENT:
		rc = db_exec(db, NULL, e,
			     "UPDATE notices SET status = 'sent', sent_at = $1, next_attempt_at = $1, attempts = $2,"
			     " last_error = NULL WHERE id = $3 AND status = 'pending'",
			     DB_INT(now), DB_INT(attempts), DB_INT(n->id));
		if (rc)
			return rc;
		(*sent)++;
		if (strcmp(transport, "log") == 0)
			log_info("event=notice id=%lld channel=%s recipient=%s ref=%s transport=log", (long long)n->id,
				 n->channel, masked, ref);
		else
			log_info("event=notice_sent id=%lld channel=%s recipient=%s ref=%s transport=%s attempts=%d",
				 (long long)n->id, n->channel, masked, ref, transport, attempts);
		return 0;
	case OUT_RETRY:
	case OUT_GIVE_UP:
		break;
	}
	if (out == OUT_RETRY && attempts < LIMIT_NOTIFY_ATTEMPTS) {
		delay = (int64_t)LIMIT_NOTIFY_BACKOFF_S << attempts;
		rc = db_exec(db, NULL, e,
			     "UPDATE notices SET attempts = $1, last_error = $2, next_attempt_at = $3"
			     " WHERE id = $4 AND status = 'pending'",
			     DB_INT(attempts), DB_TEXT(why), DB_INT(now + delay), DB_INT(n->id));
		if (rc)
			return rc;
		(*failed)++;
		log_warn("event=notice_retry id=%lld channel=%s recipient=%s ref=%s transport=%s attempts=%d"
			 " retry_in=%lld msg=\"%s\"",
			 (long long)n->id, n->channel, masked, ref, transport, attempts, (long long)delay, why);
		return 0;
	}
	/* cannot be sent, or out of attempts */
	rc = db_exec(db, NULL, e,
		     "UPDATE notices SET status = 'failed', attempts = $1, last_error = $2 WHERE id = $3 AND status = 'pending'",
		     DB_INT(attempts), DB_TEXT(why), DB_INT(n->id));
	if (rc)
		return rc;
	(*failed)++;
	log_error("event=notice_failed id=%lld channel=%s recipient=%s ref=%s transport=%s attempts=%d msg=\"%s\"",
		  (long long)n->id, n->channel, masked, ref, transport, attempts, why);
	return 0;
}

int notify_send_pending(struct db *db, const struct notify_config *cfg, int max, int *sent, int *failed,
			struct err *e)
{
	struct sender s = {.cfg = cfg};
	struct db_stmt *st = NULL;
	int64_t *ids = NULL;
	int n = 0, rc;

	*sent = *failed = 0;
	if (max <= 0)
		return 0;
	ids = xcalloc((size_t)max, sizeof *ids);
	rc = db_query(db, &st, e,
		      "SELECT id FROM notices WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
		      DB_INT(date_now_unix()), DB_INT(max));
	while (!rc && (rc = db_step(st, e)) == DB_ROW) {
		rc = 0;
		if (n < max)
			ids[n++] = db_col_int(st, 0);
	}
	if (rc == DB_DONE)
		rc = 0;
	db_done(st);
	for (int i = 0; i < n && !rc && !cancelled(cfg); i++) {
		struct notice nt;
		const char *transport;
		char why[256] = "";
		enum outcome out;
		bool mine = false;

		rc = notice_claim(db, ids[i], &mine, e);
		if (rc || !mine)
			continue;
		rc = notice_load(db, ids[i], &nt, e);
		if (rc == ERR_NOT_FOUND) {
			rc = 0;
			continue;
		}
		if (rc)
			continue;
		transport = transport_of(cfg, nt.channel);
		out = deliver(&s, &nt, transport, why, sizeof why);
		rc = notice_record(db, &nt, transport, out, why, sent, failed, e);
		notice_free(&nt);
	}
	if (s.h)
		curl_easy_cleanup(s.h);
	free(ids);
	return rc;
}

/* server.c: the libmicrohttpd server: request intake with capped bodies, the dispatcher (authentication, roles,
 * CSRF, content type, query checks, audit of mutating requests), JSON responses, the access log and shutdown. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "base/str.h"
#include "http/http.h"
#include "http/router.h"
#include "http/static.h"
#include "svc/audit.h"
#include "svc/auth.h"

#define SESSION_COOKIE "ltci_session"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- handler helpers ---- */

void req_reply(struct http_req *r, int status, json_t *body)
{
	free(r->resp_body);
	r->resp_body = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(10)) : xstrdup("{}");
	r->resp_len = strlen(r->resp_body);
	r->resp_type = "application/json; charset=utf-8";
	r->status = status;
	r->replied = true;
	json_decref(body);
}

int req_reply_file(struct http_req *r, const char *path, const char *type, const char *download_name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(&r->err, ERR_NOT_FOUND, NULL, "文件不存在");
	if (r->resp_fd >= 0)
		close(r->resp_fd);
	r->resp_fd = fd;
	str_copy(r->file_type, type, sizeof r->file_type);
	r->resp_type = r->file_type;
	r->status = 200;
	r->replied = true;
	snprintf(r->disposition, sizeof r->disposition, "attachment; filename=\"%s\"", download_name);
	return 0;
}

void req_reply_error(struct http_req *r, const struct err *e)
{
	int status = err_http_status(e->code);
	const char *msg = e->msg;
	json_t *err;

	/* Internal failures never leak details: the log has them. */
	if (status >= 500 && e->code != ERR_UNAVAILABLE)
		msg = "服务器内部错误，请稍后重试";
	else if (e->code == ERR_UNAVAILABLE)
		msg = e->msg[0] ? e->msg : "服务暂不可用";
	err = json_pack("{s:s, s:s}", "code", err_code_name(e->code), "message", msg[0] ? msg : "请求失败");
	if (e->field[0])
		json_object_set_new(err, "field", json_string(e->field));
	if (e->code == ERR_RATE_LIMIT && e->retry_after > 0)
		json_object_set_new(err, "retry_after", json_integer(e->retry_after));
	req_reply(r, status, json_pack("{s:o}", "error", err));
	if (e->code == ERR_RATE_LIMIT)
		r->err.retry_after = e->retry_after;
}

const char *req_header(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *req_query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int req_query_int(struct http_req *r, const char *name, int64_t def, int64_t min, int64_t max, int64_t *out)
{
	const char *v = req_query(r, name);
	int64_t n;

	if (!v || !*v) {
		*out = def;
		return 0;
	}
	if (!str_to_i64(v, &n) || n < min || n > max)
		return err_set(&r->err, ERR_INVALID, name, "参数%s应为%lld到%lld之间的整数", name, (long long)min,
			       (long long)max);
	*out = n;
	return 0;
}

int req_page(struct http_req *r, int *page, int *page_size)
{
	int64_t p = 1, s = LIMIT_PAGE_SIZE_DEFAULT;
	int rc = req_query_int(r, "page", 1, 1, LIMIT_PAGE_MAX, &p);

	if (!rc)
		rc = req_query_int(r, "page_size", LIMIT_PAGE_SIZE_DEFAULT, 1, LIMIT_PAGE_SIZE_MAX, &s);
	if (rc)
		return rc;
	*page = (int)p;
	*page_size = (int)s;
	return 0;
}

int req_param_id(struct http_req *r, int i, int64_t *out)
{
	int64_t v;

	if (i >= r->nparams || !str_to_i64(r->params[i], &v) || v <= 0)
		return err_set(&r->err, ERR_NOT_FOUND, "id", "资源不存在");
	*out = v;
	return 0;
}

void req_target(struct http_req *r, const char *type, int64_t id)
{
	str_copy(r->target_type, type, sizeof r->target_type);
	snprintf(r->target_id, sizeof r->target_id, "%lld", (long long)id);
}

/* ---- dispatch ---- */

static bool is_mutating(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

struct query_check {
	struct http_req *r;
	int count;
	int rc;
};

static enum MHD_Result check_query_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct query_check *qc = cls;
	const struct route *rt = qc->r->route;
	bool known = false;
	char safe[48];

	(void)kind;
	if (++qc->count > LIMIT_QUERY_PARAMS) {
		qc->rc = err_set(&qc->r->err, ERR_INVALID, "query", "查询参数过多（最多%d个）", LIMIT_QUERY_PARAMS);
		return MHD_NO;
	}
	if (!str_utf8_valid(key, strlen(key)) || (value && !str_utf8_valid(value, strlen(value)))) {
		qc->rc = err_set(&qc->r->err, ERR_INVALID, "query", "查询参数不是有效的UTF-8文本");
		return MHD_NO;
	}
	for (const char *const *q = rt->query; q && *q; q++)
		if (strcmp(*q, key) == 0)
			known = true;
	str_sanitize(key, safe, sizeof safe);
	if (!known) {
		qc->rc = err_set(&qc->r->err, ERR_INVALID, safe, "不支持的查询参数：%s", safe);
		return MHD_NO;
	}
	if (value && str_has_control(value, false)) {
		qc->rc = err_set(&qc->r->err, ERR_INVALID, safe, "查询参数%s含有控制字符", safe);
		return MHD_NO;
	}
	if (value && strlen(value) > LIMIT_SEARCH_MAX * 4) {
		qc->rc = err_set(&qc->r->err, ERR_INVALID, safe, "查询参数%s过长", safe);
		return MHD_NO;
	}
	return MHD_YES;
}

static int check_query(struct http_req *r)
{
	struct query_check qc = {.r = r};

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_query_arg, &qc);
	return qc.rc;
}

static bool content_type_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct || strncasecmp(ct, "application/json", n) != 0)
		return false;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

static bool body_blank(const struct buf *b)
{
	for (size_t i = 0; i < b->len; i++)
		if (b->data[i] != ' ' && b->data[i] != '\n' && b->data[i] != '\r' && b->data[i] != '\t')
			return false;
	return true;
}

static int authenticate(struct http_req *r)
{
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	const char *authz = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);

	if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
		const char *tok = authz + 7;
		if (strlen(tok) > LIMIT_HEADER_VALUE)
			return err_set(&r->err, ERR_UNAUTH, NULL, "令牌无效");
		return auth_token_lookup(r->db, tok, &r->actor, &r->err);
	}
	if (authz)
		return err_set(&r->err, ERR_UNAUTH, NULL, "不支持的认证方式");
	if (!cookie || !*cookie)
		return err_set(&r->err, ERR_UNAUTH, NULL, "请先登录");
	if (strlen(cookie) > LIMIT_HEADER_VALUE)
		return err_set(&r->err, ERR_UNAUTH, NULL, "会话无效，请重新登录");
	return auth_session_lookup(r->db, cookie, &r->actor, r->csrf, &r->err);
}

static void clear_cookie(struct http_req *r)
{
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 SESSION_COOKIE "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
		 r->app->cfg.secure_cookies ? "; Secure" : "");
}

/* Set the session cookie (used by the login handler). */
void http_set_session_cookie(struct http_req *r, const char *token, int64_t max_age)
{
	snprintf(r->set_cookie, sizeof r->set_cookie,
		 SESSION_COOKIE "=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s", token, (long long)max_age,
		 r->app->cfg.secure_cookies ? "; Secure" : "");
}

void http_clear_session_cookie(struct http_req *r)
{
	clear_cookie(r);
}

/* Everything that decides whether this caller may use this route at all: a database connection, credentials,
 * role, session-only routes, the initial-password hold, and the CSRF header of cookie-authenticated mutations. */
static int check_access(struct http_req *r)
{
	const struct route *rt = r->route;
	int rc;

	r->access_checked = true;
	rc = db_pool_get(r->app->pool, &r->db, &r->err);
	if (rc) {
		r->db = NULL;
		return err_set(&r->err, ERR_UNAVAILABLE, NULL, "数据库暂不可用");
	}
	if (rt->flags & ROUTE_PUBLIC)
		return 0;
	rc = authenticate(r);
	if (rc) {
		if (rc == ERR_UNAUTH && MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE))
			clear_cookie(r);
		return rc;
	}
	if (!(rt->roles & ROLE_BIT(r->actor.role)))
		return err_set(&r->err, ERR_FORBIDDEN, NULL, "当前角色（%s）无权执行此操作", role_label(r->actor.role));
	if ((rt->flags & ROUTE_SESSION_ONLY) && r->actor.kind != ACTOR_USER)
		return err_set(&r->err, ERR_FORBIDDEN, NULL, "此操作只能由登录用户执行");
	if (r->actor.must_change_password && !(rt->flags & ROUTE_PRE_PASSWORD))
		return err_set(&r->err, ERR_FORBIDDEN, "password", "请先修改初始密码");
	if (r->actor.kind == ACTOR_USER && is_mutating(r->method)) {
		const char *sent = req_header(r, "X-CSRF-Token");
		if (!sent || strlen(sent) != strlen(r->csrf) || sodium_memcmp(sent, r->csrf, strlen(r->csrf)) != 0)
			return err_set(&r->err, ERR_FORBIDDEN, "X-CSRF-Token", "CSRF校验失败，请刷新页面后重试");
	}
	return 0;
}

static bool content_type_in(const char *ct, const char *const *ok, size_t count)
{
	if (!ct)
		return false;
	for (size_t i = 0; i < count; i++) {
		size_t n = strlen(ok[i]);
		if (strncasecmp(ct, ok[i], n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return true;
	}
	return false;
}

/* The size cap of an upload route: documents or CSV imports. */
static int64_t upload_cap(const struct http_req *r)
{
	if (r->route->flags & ROUTE_AUDIO)
		return LIMIT_AUDIO_BYTES;
	return (r->route->flags & ROUTE_FILE) ? LIMIT_MATERIAL_BYTES : LIMIT_IMPORT_BYTES;
}

/* An upload route: check access and the content type before any of the body is read, then open the file the
 * body is streamed to. Non-zero: the request is refused (r->err). */
static int upload_begin(struct http_req *r)
{
	char dir[600];
	int rc = check_access(r);

	if (rc)
		return rc;
	if (r->route->flags & ROUTE_AUDIO) {
		static const char *const audio[] = {"audio/mpeg", "audio/mp4", "audio/aac", "audio/amr", "audio/webm",
						    "audio/ogg", "audio/wav", "audio/x-m4a", "application/octet-stream"};
		if (!content_type_in(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), audio, sizeof audio / sizeof audio[0]))
			return err_set(&r->err, ERR_MEDIA_TYPE, "Content-Type", "录音应为音频文件（MP3、M4A、AAC、AMR、WebM、OGG或WAV）");
	} else if (r->route->flags & ROUTE_FILE) {
		static const char *const docs[] = {"application/pdf", "image/jpeg", "image/png", "application/octet-stream"};
		if (!content_type_in(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), docs, sizeof docs / sizeof docs[0]))
			return err_set(&r->err, ERR_MEDIA_TYPE, "Content-Type", "材料应为PDF、JPEG或PNG文件");
	} else {
		static const char *const csv[] = {"text/csv", "application/vnd.ms-excel", "application/octet-stream",
						  "text/plain"};
		if (!content_type_in(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), csv, sizeof csv / sizeof csv[0]))
			return err_set(&r->err, ERR_MEDIA_TYPE, "Content-Type", "上传文件应为CSV（text/csv）");
	}
	snprintf(dir, sizeof dir, "%s/uploads", r->app->cfg.data_dir);
	if (mkdir(r->app->cfg.data_dir, 0750) && errno != EEXIST)
		return err_set(&r->err, ERR_INTERNAL, NULL, "cannot create the data directory");
	if (mkdir(dir, 0750) && errno != EEXIST)
		return err_set(&r->err, ERR_INTERNAL, NULL, "cannot create the upload directory");
	snprintf(r->upload_path, sizeof r->upload_path, "%s/upload-XXXXXX", dir);
	r->upload_fd = mkstemp(r->upload_path);
	if (r->upload_fd < 0) {
		r->upload_path[0] = '\0';
		return err_set(&r->err, ERR_INTERNAL, NULL, "cannot create the upload file");
	}
	return 0;
}

static void dispatch_api(struct http_req *r)
{
	const struct route *rt = r->route;
	int rc = 0;

	if (!r->access_checked)
		rc = check_access(r);
	if (rc)
		goto fail;
	if (r->body_too_large) {
		if (rt->flags & ROUTE_UPLOAD)
			rc = err_set(&r->err, ERR_TOO_LARGE, "body", "上传文件过大（最多%lld MB）",
				     (long long)(upload_cap(r) / (1024 * 1024)));
		else
			rc = err_set(&r->err, ERR_TOO_LARGE, "body", "请求体过大（最多%d字节）", LIMIT_BODY_BYTES);
		goto fail;
	}
	rc = check_query(r);
	if (rc)
		goto fail;
	if (rt->flags & ROUTE_UPLOAD) {
		if (r->upload_fd >= 0) {
			close(r->upload_fd);
			r->upload_fd = -1;
		}
		if (r->upload_bytes == 0) {
			rc = err_set(&r->err, ERR_INVALID, "body", "上传的文件为空");
			goto fail;
		}
	} else if (rt->flags & ROUTE_BODY) {
		if (!content_type_json(req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE))) {
			rc = err_set(&r->err, ERR_MEDIA_TYPE, "Content-Type", "请求体必须是application/json");
			goto fail;
		}
		if (!str_utf8_valid(r->body.data ? r->body.data : "", r->body.len)) {
			rc = err_set(&r->err, ERR_INVALID, "body", "请求体不是有效的UTF-8文本");
			goto fail;
		}
		rc = jx_parse_object(r->body.data ? r->body.data : "", r->body.len, &r->json, &r->err);
		if (rc)
			goto fail;
	} else if (!body_blank(&r->body)) {
		rc = err_set(&r->err, ERR_INVALID, "body", "此接口不接受请求体");
		goto fail;
	}
	rc = rt->fn(r);
	if (rc == 0 && !r->replied)
		rc = err_set(&r->err, ERR_INTERNAL, NULL, "handler gave no answer");
	if (rc == 0)
		return;
fail:
	if (!r->replied)
		req_reply_error(r, &r->err);
}

/* Write the audit row of a mutating request that its handler did not audit (denied, invalid, failed). */
static void audit_unaudited(struct http_req *r)
{
	const char *outcome;
	struct err e;
	json_t *detail;

	if (!r->route || !is_mutating(r->method) || r->actor.audited || !r->db)
		return;
	if ((r->route->flags & ROUTE_READONLY) && r->status != 401 && r->status != 403)
		return;
	if (r->status == 401 || r->status == 403)
		outcome = AUDIT_DENIED;
	else if (r->status >= 500)
		outcome = AUDIT_ERROR;
	else if (r->status >= 400)
		outcome = AUDIT_FAILED;
	else
		outcome = AUDIT_OK; /* a handler that forgot to audit: still recorded */
	if (r->db && db_in_tx(r->db))
		db_rollback(r->db);
	detail = json_pack("{s:i}", "status", r->status);
	if (r->status >= 400) {
		json_object_set_new(detail, "error", json_string(err_code_name(r->err.code)));
		if (r->err.field[0])
			json_object_set_new(detail, "field", json_string(r->err.field));
	}
	if (audit_append(r->db, &r->actor, r->route->action ? r->route->action : "http.request",
			 r->target_type[0] ? r->target_type : NULL, r->target_id[0] ? r->target_id : NULL, outcome,
			 detail, &e))
		log_error("event=audit_failed action=%s msg=\"%s\"", r->route->action ? r->route->action : "-", e.msg);
	json_decref(detail);
}

static void handle(struct http_req *r, const char *allow)
{
	const struct route *rt = r->route;

	if (rt) {
		dispatch_api(r);
		audit_unaudited(r);
		if (r->db && db_in_tx(r->db)) {
			log_error("event=open_transaction path=%s", r->path);
			db_rollback(r->db);
		}
		return;
	}
	if (allow[0]) {
		err_set(&r->err, ERR_METHOD, NULL, "不支持的请求方法%s（允许：%s）", r->method, allow);
		req_reply_error(r, &r->err);
		str_copy(r->err.field, allow, sizeof r->err.field);
		return;
	}
	if (str_starts(r->path, "/api/")) {
		err_set(&r->err, ERR_NOT_FOUND, NULL, "接口不存在");
		req_reply_error(r, &r->err);
	}
	/* otherwise the static file server answers */
}

/* ---- libmicrohttpd glue ---- */

static void add_common_headers(struct MHD_Response *resp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

static enum MHD_Result send_reply(struct http_req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (r->resp_fd >= 0) {
		struct stat st;
		if (fstat(r->resp_fd, &st) == 0)
			resp = MHD_create_response_from_fd((uint64_t)st.st_size, r->resp_fd);
		else
			resp = NULL;
		if (!resp)
			close(r->resp_fd);
		r->resp_fd = -1;
	} else {
		resp = MHD_create_response_from_buffer(r->resp_len, r->resp_body, MHD_RESPMEM_MUST_FREE);
		r->resp_body = NULL;
	}
	if (!resp)
		return MHD_NO;
	if (r->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	add_common_headers(resp);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->resp_type);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (r->set_cookie[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
	if (r->status == 405 && r->err.field[0])
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->err.field);
	if (r->status == 429 && r->err.retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%d", r->err.retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void client_ip(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	str_copy(out, "unknown", size);
	if (!ci || !ci->client_addr)
		return;
	if (ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, out,
			  (socklen_t)size);
	else if (ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
			  (socklen_t)size);
}

static void access_log(struct http_req *r)
{
	char path[160];
	double ms;

	if (LOG_INFO < log_threshold)
		return;
	ms = (double)(now_ns() - r->start_ns) / 1e6;
	str_sanitize(r->path, path, sizeof path);
	log_write(LOG_INFO, "event=http method=%s path=%s status=%d ms=%.2f user=%lld actor=%s ip=%s", r->method, path,
		  r->status, ms, (long long)(r->actor.kind == ACTOR_USER ? r->actor.id : 0),
		  r->actor.kind == ACTOR_TOKEN ? "token" : r->actor.kind == ACTOR_USER ? "user" : "-", r->actor.ip);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct app *app = cls;
	struct http_req *r = *con_cls;
	enum MHD_Result ret;

	(void)version;
	if (!r) {
		const char *cl;
		r = xcalloc(1, sizeof *r);
		r->app = app;
		r->conn = conn;
		r->start_ns = now_ns();
		buf_init(&r->body, LIMIT_BODY_BYTES);
		str_copy(r->method, method, sizeof r->method);
		client_ip(conn, r->actor.ip, sizeof r->actor.ip);
		if (strlen(url) > LIMIT_URL_BYTES) {
			str_copy(r->path, "(too long)", sizeof r->path);
			err_set(&r->err, ERR_INVALID, "url", "URL过长（最多%d字节）", LIMIT_URL_BYTES);
			req_reply_error(r, &r->err);
		} else {
			str_copy(r->path, url, sizeof r->path);
		}
		r->upload_fd = -1;
		r->resp_fd = -1;
		if (!r->replied)
			r->route = router_find(r->method, r->path, r->param_buf, sizeof r->param_buf, r->params,
					       &r->nparams, r->allow, sizeof r->allow);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (!r->replied && r->route && (r->route->flags & ROUTE_UPLOAD)) {
			/* refuse before reading a byte of the file */
			if (cl && strtoull(cl, NULL, 10) > (unsigned long long)upload_cap(r)) {
				err_set(&r->err, ERR_TOO_LARGE, "body", "上传文件过大（最多%lld MB）",
					(long long)(upload_cap(r) / (1024 * 1024)));
				req_reply_error(r, &r->err);
			} else if (upload_begin(r)) {
				req_reply_error(r, &r->err);
			}
			if (r->replied)
				audit_unaudited(r);
		} else if (!r->replied && cl && strtoull(cl, NULL, 10) > LIMIT_BODY_BYTES) {
			r->body_too_large = true;
			if (strtoull(cl, NULL, 10) > LIMIT_UPLOAD_BYTES) {
				/* Too big to drain politely: answer now, and the connection closes. */
				err_set(&r->err, ERR_TOO_LARGE, "body", "请求体过大（最多%d字节）", LIMIT_BODY_BYTES);
				req_reply_error(r, &r->err);
			}
		}
		*con_cls = r;
		if (r->replied) {
			ret = send_reply(r);
			access_log(r);
			return ret;
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (r->upload_fd >= 0 && !r->body_too_large) {
			if (r->upload_bytes + (int64_t)*upload_data_size > upload_cap(r)) {
				r->body_too_large = true;
			} else {
				const char *p = upload_data;
				size_t left = *upload_data_size;
				while (left > 0) {
					ssize_t w = write(r->upload_fd, p, left);
					if (w < 0 && errno == EINTR)
						continue;
					if (w <= 0) {
						r->body_too_large = true; /* disk full: refused like an oversized file */
						break;
					}
					p += w;
					left -= (size_t)w;
				}
				r->upload_bytes += (int64_t)*upload_data_size;
			}
		} else if (!r->body_too_large && !r->replied && buf_append(&r->body, upload_data, *upload_data_size)) {
			r->body_too_large = true;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->replied)
		return MHD_YES; /* already answered (oversized body) */
	handle(r, r->allow);
	if (r->replied) {
		ret = send_reply(r);
	} else {
		struct MHD_Response *resp = NULL;
		r->status = static_serve(app, r->method, r->path, &resp);
		if (!resp)
			return MHD_NO;
		add_common_headers(resp);
		ret = MHD_queue_response(conn, (unsigned)r->status, resp);
		MHD_destroy_response(resp);
		r->replied = true;
	}
	access_log(r);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!r)
		return;
	if (r->upload_fd >= 0)
		close(r->upload_fd);
	if (r->upload_path[0])
		unlink(r->upload_path); /* a handler that keeps the file has moved it and cleared the path */
	if (r->resp_fd >= 0)
		close(r->resp_fd);
	json_decref(r->json);
	buf_free(&r->body);
	free(r->resp_body);
	free(r);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof msg, fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_warn("event=mhd msg=\"%s\"", msg);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (buf_append(&b, chunk, n)) {
			fclose(f);
			buf_free(&b);
			return NULL;
		}
	fclose(f);
	return buf_steal(&b);
}

int http_serve(struct app *app, struct err *e)
{
	struct MHD_Daemon *d;
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
	char *cert = NULL, *key = NULL;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	int sig = 0, port;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, app->cfg.listen_addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)app->cfg.port);
	} else if (inet_pton(AF_INET6, app->cfg.listen_addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)app->cfg.port);
		flags |= MHD_USE_IPv6;
	} else {
		return err_set(e, ERR_INVALID, "listen", "invalid listen address '%s'", app->cfg.listen_addr);
	}
	if (app->cfg.tls_cert[0]) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return err_set(e, ERR_INVALID, "tls", "this libmicrohttpd has no TLS support; use a TLS proxy");
		cert = read_file(app->cfg.tls_cert);
		key = read_file(app->cfg.tls_key);
		if (!cert || !key) {
			free(cert);
			free(key);
			return err_set(e, ERR_IO, "tls", "cannot read the TLS certificate or key");
		}
		flags |= MHD_USE_TLS;
		app->cfg.secure_cookies = true;
	}

	/* Signals go to this thread only (sigwait below); worker threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (cert)
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				     MHD_OPTION_SOCK_ADDR, &ss,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)LIMIT_CONNECTIONS,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)LIMIT_CONNECTIONS_PER_IP,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)LIMIT_CONNECTION_TIMEOUT_S,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)LIMIT_CONNECTION_MEMORY,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_HTTPS_MEM_CERT, cert, MHD_OPTION_HTTPS_MEM_KEY, key,
				     MHD_OPTION_END);
	else
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, app, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				     MHD_OPTION_SOCK_ADDR, &ss,
				     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)app->cfg.threads,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned)LIMIT_CONNECTIONS,
				     MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)LIMIT_CONNECTIONS_PER_IP,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)LIMIT_CONNECTION_TIMEOUT_S,
				     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)LIMIT_CONNECTION_MEMORY,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (!d) {
		free(cert);
		free(key);
		return err_set(e, ERR_UNAVAILABLE, "listen", "cannot listen on %s:%d (in use?)", app->cfg.listen_addr,
			       app->cfg.port);
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info && info->port ? info->port : app->cfg.port;
	printf("ltci %s listening on %s://%s%s%s:%d/\n", LTCI_VERSION, cert ? "https" : "http",
	       strchr(app->cfg.listen_addr, ':') ? "[" : "", app->cfg.listen_addr,
	       strchr(app->cfg.listen_addr, ':') ? "]" : "", port);
	fflush(stdout);
	log_info("event=listening addr=%s port=%d threads=%d web=%s", app->cfg.listen_addr, port, app->cfg.threads,
		 app->web_real[0] ? app->web_real : "-");
	sigwait(&set, &sig);
	log_info("event=shutdown signal=%d", sig);
	MHD_stop_daemon(d);
	free(cert);
	free(key);
	return 0;
}

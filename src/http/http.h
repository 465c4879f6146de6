/*
 * http.h: the HTTP server (libmicrohttpd, thread pool) and what request handlers see.
 *
 * Every API route is declared once in a route table (api/routes.c) with its method, path pattern, the roles that
 * may call it, the query parameters it accepts, whether it takes a JSON body, and the audit action name of a
 * mutating route. The dispatcher authenticates (session cookie or bearer token), checks the role, the CSRF
 * header, content type, body size and query parameters, then calls the handler, writes the access-log line and,
 * for mutating requests the handler did not audit itself (failures, denials), an audit row.
 */
#ifndef LTCI_HTTP_H
#define LTCI_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/limits.h"
#include "db/db.h"
#include "scheme/scheme.h"
#include "svc/role.h"

struct http_req;
typedef int (*http_handler)(struct http_req *r);

/* Route flags */
#define ROUTE_PUBLIC 1u        /* no authentication (login, health) */
#define ROUTE_BODY 2u          /* takes a JSON object body */
#define ROUTE_SESSION_ONLY 4u  /* signed-in people only, never API tokens */
#define ROUTE_PRE_PASSWORD 8u  /* allowed while the account must still change its password */
#define ROUTE_UPLOAD 16u       /* takes a file body (CSV), streamed to disk; access is checked before reading it */
#define ROUTE_FILE 32u         /* with ROUTE_UPLOAD: a document (PDF, JPEG, PNG) rather than a CSV import */
#define ROUTE_AUDIO 128u       /* with ROUTE_UPLOAD: an audio recording (a visit's) */
#define ROUTE_READONLY 64u     /* a POST that computes and changes nothing (a check): only its denials are audited */

struct route {
	const char *method;
	const char *pattern;          /* "/api/v1/users/:id" */
	unsigned roles;               /* ROLE_BIT mask; ignored for ROUTE_PUBLIC */
	unsigned flags;
	const char *action;           /* audit action of a mutating route, e.g. "user.create" */
	const char *const *query;     /* accepted query parameter names, NULL-terminated; NULL = none */
	http_handler fn;
	const char *summary;          /* one line for docs and GET /api/v1/routes */
};

extern const struct route api_routes[];
extern const int api_route_count;

struct server_config {
	char listen_addr[64];
	int port;
	int threads;
	char web_dir[512];
	char tls_cert[512];
	char tls_key[512];
	char data_dir[512];           /* uploads, imports and their rejects files */
	bool secure_cookies;          /* mark cookies Secure (TLS here or at a proxy in front) */
	char public_url[LIMIT_PUBLIC_URL + 1]; /* the address the public reaches the web app at, for links sent by
					       * SMS ("https://ltc.example.gov.cn"); "" sends none */
};

/* Server-wide state shared by all worker threads (read-only after start). */
struct app {
	struct db_pool *pool;
	struct scheme *scheme;
	struct server_config cfg;
	char web_real[4096];          /* realpath of web_dir, "" if absent */
};

#define REQ_MAX_PARAMS 8

struct http_req {
	struct app *app;
	void *conn;                    /* struct MHD_Connection */
	char method[8];
	char path[LIMIT_URL_BYTES + 1];
	const struct route *route;
	const char *params[REQ_MAX_PARAMS]; /* path parameters in pattern order */
	char param_buf[LIMIT_URL_BYTES + 1];
	int nparams;
	char allow[64];                /* methods the path has, when the request's method is not one of them */
	struct buf body;
	bool body_too_large;
	json_t *json;                  /* parsed body (ROUTE_BODY) */
	int upload_fd;                 /* ROUTE_UPLOAD: the file the body is written to (-1 if none) */
	char upload_path[600];         /* ... its path; a handler that keeps the file clears this */
	int64_t upload_bytes;
	bool access_checked;
	struct db *db;
	struct actor actor;
	char csrf[65];                 /* the session's CSRF token */
	struct err err;
	char target_type[32];          /* what a failed mutating request was aimed at, for its audit row */
	char target_id[64];
	/* response */
	int status;
	char *resp_body;
	size_t resp_len;
	const char *resp_type;
	char set_cookie[512];
	char disposition[256];         /* Content-Disposition of a file reply */
	char file_type[96];            /* ... and its content type (the handler's string may not outlive it) */
	int resp_fd;                   /* a file reply: sent from this descriptor (-1 if none) */
	uint64_t start_ns;
	bool replied;
};

/* Start serving; blocks until SIGINT/SIGTERM. */
int http_serve(struct app *app, struct err *e);

/* ---- for handlers ---- */

/* Reply with a JSON value (stolen). */
void req_reply(struct http_req *r, int status, json_t *body);
/* Reply with a file (a download): content type and the name the browser saves it under. */
int req_reply_file(struct http_req *r, const char *path, const char *type, const char *download_name);
/* Reply with the error (status from its code). */
void req_reply_error(struct http_req *r, const struct err *e);
/* A query parameter (NULL if absent). */
const char *req_query(struct http_req *r, const char *name);
/* An integer query parameter within [min, max]; def if absent. */
int req_query_int(struct http_req *r, const char *name, int64_t def, int64_t min, int64_t max, int64_t *out);
/* page and page_size query parameters with the limits of limits.h. */
int req_page(struct http_req *r, int *page, int *page_size);
/* Path parameter i parsed as a positive id. */
int req_param_id(struct http_req *r, int i, int64_t *out);
/* Name the target of a mutating request (for the audit row written if it fails). */
void req_target(struct http_req *r, const char *type, int64_t id);
/* Set or clear the session cookie (HttpOnly, SameSite=Strict, Secure when configured). */
void http_set_session_cookie(struct http_req *r, const char *token, int64_t max_age);
void http_clear_session_cookie(struct http_req *r);
/* A request header (NULL if absent). */
const char *req_header(struct http_req *r, const char *name);

#endif

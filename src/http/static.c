/* static.c: the web app's files. Paths are confined to the web directory (no "..", no symlink escape); hashed
 * assets are cached for a year, index.html never; unknown paths without an extension get index.html so the
 * single-page app's own routes work on reload. */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/str.h"

static const char *mime_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
		{".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".json", "application/json"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
		{".jpg", "image/jpeg"}, {".ico", "image/x-icon"}, {".woff", "font/woff"}, {".woff2", "font/woff2"},
		{".ttf", "font/ttf"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
	};
	const char *dot = strrchr(path, '.');

	if (dot)
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static struct MHD_Response *text_response(const char *text)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
	if (r)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	return r;
}

/* Open a regular file under the web root; -1 if absent or outside. */
static int open_under(const struct app *app, const char *rel, struct stat *st)
{
	char full[PATH_MAX], real[PATH_MAX];
	size_t rootlen = strlen(app->web_real);
	int fd;

	if (snprintf(full, sizeof full, "%s/%s", app->web_real, rel) >= (int)sizeof full)
		return -1;
	if (!realpath(full, real))
		return -1;
	if (strncmp(real, app->web_real, rootlen) != 0 || (real[rootlen] != '/' && real[rootlen] != '\0'))
		return -1;
	fd = open(real, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

int static_serve(struct app *app, const char *method, const char *path, struct MHD_Response **resp)
{
	const char *rel = path, *last;
	struct stat st;
	bool index = false;
	int fd = -1;

	*resp = NULL;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		*resp = text_response("405 method not allowed\n");
		if (*resp)
			MHD_add_response_header(*resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return 405;
	}
	if (!app->web_real[0]) {
		*resp = text_response("The web app is not built: run 'make run' or 'npm run build' in web/.\n");
		return 404;
	}
	while (*rel == '/')
		rel++;
	if (strstr(path, "..") || strchr(path, '\\') || str_has_control(path, false)) {
		*resp = text_response("404 not found\n");
		return 404;
	}
	if (*rel)
		fd = open_under(app, rel, &st);
	if (fd < 0) {
		last = strrchr(path, '/');
		if (*rel && last && strchr(last, '.')) {
			*resp = text_response("404 not found\n");
			return 404;
		}
		fd = open_under(app, "index.html", &st);
		index = true;
		rel = "index.html";
		if (fd < 0) {
			*resp = text_response("404 not found\n");
			return 404;
		}
	}
	*resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!*resp) {
		close(fd);
		return 500;
	}
	MHD_add_response_header(*resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime_type(rel));
	if (!index && str_starts(rel, "assets/"))
		MHD_add_response_header(*resp, MHD_HTTP_HEADER_CACHE_CONTROL, "public, max-age=31536000, immutable");
	else
		MHD_add_response_header(*resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
	if (index || str_starts(rel, "index.html"))
		MHD_add_response_header(*resp, "Content-Security-Policy",
					"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
					" font-src 'self' data:; connect-src 'self'; media-src 'self' blob:;"
					" frame-ancestors 'none'; base-uri 'self'");
	return 200;
}

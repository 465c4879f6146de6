/* static.h: serving the built web app (web/dist) with a fallback to index.html for the app's own routes. */
#ifndef LTCI_STATIC_H
#define LTCI_STATIC_H

#include <microhttpd.h>

#include "http/http.h"

/* Build the response for a non-API path; returns the HTTP status. *resp is NULL only on allocation failure. */
int static_serve(struct app *app, const char *method, const char *path, struct MHD_Response **resp);

#endif

/* filestore.h: content-addressed files under the data directory (files/ab/<sha256>): uploaded materials and visit
 * recordings. The same content is stored once. */
#ifndef LTCI_FILESTORE_H
#define LTCI_FILESTORE_H

#include <stddef.h>

#include "base/err.h"

/* Hash the uploaded file and move it into the store (or drop it if the content is there already); sha receives the
 * lower-case hex digest. */
int filestore_put(const char *upload_path, const char *data_dir, char sha[65], struct err *e);
/* Where a stored file is. */
void filestore_path(const char *data_dir, const char *sha, char *out, size_t size);

#endif

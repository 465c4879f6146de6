/* filestore.c: the content-addressed file store (see filestore.h). */
#include "svc/filestore.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/str.h"

int filestore_put(const char *upload_path, const char *data_dir, char sha[65], struct err *e)
{
	unsigned char buf[65536], hash[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state hs;
	char dir[700], path[800];
	ssize_t n;
	int fd = open(upload_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, ERR_INTERNAL, NULL, "cannot read the upload");
	crypto_hash_sha256_init(&hs);
	while ((n = read(fd, buf, sizeof buf)) > 0)
		crypto_hash_sha256_update(&hs, buf, (unsigned long long)n);
	close(fd);
	if (n < 0)
		return err_set(e, ERR_INTERNAL, NULL, "cannot read the upload");
	crypto_hash_sha256_final(&hs, hash);
	str_hex(hash, sizeof hash, sha);
	snprintf(dir, sizeof dir, "%s/files", data_dir);
	mkdir(data_dir, 0750);
	mkdir(dir, 0750);
	snprintf(dir, sizeof dir, "%s/files/%.2s", data_dir, sha);
	if (mkdir(dir, 0750) && errno != EEXIST)
		return err_set(e, ERR_INTERNAL, NULL, "cannot create %s", dir);
	filestore_path(data_dir, sha, path, sizeof path);
	if (access(path, F_OK) == 0) {
		unlink(upload_path);
		return 0;
	}
	if (rename(upload_path, path) != 0)
		return err_set(e, ERR_INTERNAL, NULL, "cannot store the file: %s", strerror(errno));
	return 0;
}

void filestore_path(const char *data_dir, const char *sha, char *out, size_t size)
{
	snprintf(out, size, "%s/files/%.2s/%s", data_dir, sha, sha);
}

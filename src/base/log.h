/* log.h: one line per event on stderr, "ts=... level=... " followed by key=value pairs. The level is checked before
 * anything is formatted. Never log a password, a token, a full ID number or a request body. */
#ifndef LTCI_LOG_H
#define LTCI_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

extern enum log_level log_threshold;

/* Set the threshold from a name ("debug", "info", "warn", "error", "off"); unknown names keep the current one. */
void log_set_level(const char *name);
void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define LOG_AT(lvl, ...) do { if ((lvl) >= log_threshold) log_write((lvl), __VA_ARGS__); } while (0)
#define log_debug(...) LOG_AT(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) LOG_AT(LOG_INFO, __VA_ARGS__)
#define log_warn(...) LOG_AT(LOG_WARN, __VA_ARGS__)
#define log_error(...) LOG_AT(LOG_ERROR, __VA_ARGS__)

#endif

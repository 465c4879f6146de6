/*
 * limits.h: every limit the system enforces, in one place, each with the reason for its value.
 * Anything sized by a client is checked against one of these before it is stored or processed.
 */
#ifndef LTCI_LIMITS_H
#define LTCI_LIMITS_H

/* ---- HTTP ---- */

/* Largest JSON request body. The biggest JSON documents clients send are assessment forms and care plans, a few
 * KiB each; 1 MiB leaves room for batch calls while keeping a worst-case parse cheap. File uploads have their own
 * limit. */
#define LIMIT_BODY_BYTES (1024 * 1024)

/* Largest uploaded file (materials, audio). A declared body over this is answered at once and the connection
 * closed rather than drained. */
#define LIMIT_UPLOAD_BYTES (64 * 1024 * 1024)

/* Largest application material (a scanned discharge summary or certificate, PDF or image). */
#define LIMIT_MATERIAL_BYTES (20 * 1024 * 1024)

/* Largest CSV import uploaded through the web console: a registry of a million persons is about 110 MB. Larger
 * files go through 'ltci import' on the server. Streamed to disk, never held in memory. */
#define LIMIT_IMPORT_BYTES (512LL * 1024 * 1024)

/* Deepest JSON nesting accepted. Our documents are at most 4-5 levels deep; 32 stops stack-exhaustion payloads
 * long before jansson's own recursion limit. */
#define LIMIT_JSON_DEPTH 32

/* Memory libmicrohttpd may use per connection for the request line and headers (and its read buffer). Browsers send
 * 1-4 KiB of headers; 32 KiB passes every real client and refuses header floods. */
#define LIMIT_CONNECTION_MEMORY (32 * 1024)

/* Longest URL path (with query) accepted; our routes are short and query strings carry at most a few filters. */
#define LIMIT_URL_BYTES 2048

/* Most query parameters on one request. */
#define LIMIT_QUERY_PARAMS 32

/* Longest value of a single header we read (cookie, authorization, content type). */
#define LIMIT_HEADER_VALUE 4096

/* Concurrent connections the server accepts. A bureau office has tens of staff; caregivers' phones add hundreds.
 * 1000 stays well inside the default 1024 file descriptors with room for database files. */
#define LIMIT_CONNECTIONS 1000

/* Concurrent connections from one address: an office behind one NAT address may have many staff. */
#define LIMIT_CONNECTIONS_PER_IP 200

/* Seconds an idle connection is kept open: long enough for keep-alive between clicks, short enough that slow-loris
 * clients do not pin connections. */
#define LIMIT_CONNECTION_TIMEOUT_S 30

/* Worker threads serving requests: one per core by default; each owns one database connection. */
#define LIMIT_DEFAULT_THREADS 4
#define LIMIT_MAX_THREADS 64

/* ---- lists ---- */

/* Default and largest page of a paginated list. 200 rows is more than any screen shows and keeps a response well
 * under 1 MiB. */
#define LIMIT_PAGE_SIZE_DEFAULT 20
#define LIMIT_PAGE_SIZE_MAX 200

/* A list's total is counted up to this many matches; beyond it the answer says "total_capped" (a region-wide
 * list of millions of persons would otherwise count them all on every page). */
#define LIMIT_COUNT_CAP 100000

/* Deepest page reachable by offset; deeper browsing must narrow its filters. Keeps OFFSET scans bounded. */
#define LIMIT_PAGE_MAX 100000

/* ---- strings ---- */

#define LIMIT_USERNAME_MIN 3
#define LIMIT_USERNAME_MAX 32
#define LIMIT_NAME_MAX 64          /* display names, area names: bytes of UTF-8 (about 21 CJK characters) */
#define LIMIT_TEXT_MAX 2000        /* free-text notes and reasons */
#define LIMIT_SEARCH_MAX 64        /* a search term */

/* Passwords: at least 8 characters from three of four classes (the usual rule for Chinese government systems,
 * 等保 2.0); at most 128 bytes so hashing cost stays bounded. */
#define LIMIT_PASSWORD_MIN 8
#define LIMIT_PASSWORD_MAX 128

/* ---- sessions and login ---- */

/* Session idle and absolute lifetime (defaults; LTCI_SESSION_IDLE / LTCI_SESSION_MAX override). Thirty idle
 * minutes matches office practice for systems holding personal data; a working day bounds a session's life. */
#define LIMIT_SESSION_IDLE_S (30 * 60)
#define LIMIT_SESSION_MAX_S (12 * 3600)

/* A session's last-seen time is written at most this often, so reads stay reads. */
#define LIMIT_SESSION_TOUCH_S 60

/* Failed logins in a row before an account is locked, and for how long (LTCI_LOGIN_LOCK overrides). */
#define LIMIT_LOGIN_FAILURES 5
#define LIMIT_LOGIN_LOCK_S (15 * 60)

/* Failed logins from one address within the window before that address gets 429 for the rest of the window.
 * Generous, because many staff may share an office's address. */
#define LIMIT_LOGIN_IP_FAILURES 30
#define LIMIT_LOGIN_IP_WINDOW_S (15 * 60)

/* Addresses tracked by the in-memory login throttle; the oldest entries are recycled beyond this. */
#define LIMIT_LOGIN_IP_TABLE 4096

/* ---- database ---- */

/* Milliseconds SQLite waits for a lock held by another connection before giving up with "busy". */
#define LIMIT_SQLITE_BUSY_MS 10000

/* SQLite page cache per connection (KiB, as text for the PRAGMA): 64 MiB holds the hot index pages of a
 * million-person registry. Bulk work (imports, yearly runs, monthly verification) also maps up to 1 GiB of the file
 * (db_bulk_mode); serving connections do not: with dozens of connections and a growing file, every connection
 * re-maps on growth, and the munmap calls cost more than the reads they save (measured: check-ins 4,160/s mapped,
 * 5,270/s unmapped, bench/checkin.sh). */
#define LIMIT_SQLITE_CACHE_KIB "65536"
#define LIMIT_SQLITE_BULK_MMAP_BYTES "1073741824"

/* Prepared statements cached per connection. */
#define LIMIT_STMT_CACHE 256

/* Seconds to wait for a PostgreSQL connection. */
#define LIMIT_PG_CONNECT_TIMEOUT_S 10

/* ---- areas ---- */

/* Most areas returned in one list: a large city has a few thousand neighbourhood committees. */
#define LIMIT_AREA_LIST 20000

/* Most API tokens or providers returned by their (unpaginated) directory lists: a region has tens of
 * integrations and at most a few thousand providers (Shanghai-size: 2,000). */
#define LIMIT_TOKEN_LIST 1000
#define LIMIT_PROVIDER_LIST 10000

/* ---- bulk imports ---- */

/* Largest CSV record (one person with an address is ~200 bytes) and most columns: generous, but a file of one
 * endless line or column cannot exhaust memory. */
#define LIMIT_CSV_RECORD_BYTES (64 * 1024)
#define LIMIT_CSV_FIELDS 64

/* ---- scheme files ---- */

#define LIMIT_SCHEME_BYTES (4 * 1024 * 1024)
#define LIMIT_SCHEME_ERRORS 100

/* ---- notices (svc/notify_send.c) and background maintenance (svc/maintenance.c) ---- */

/* Seconds to connect to the SMTP server or SMS gateway, and for a whole transfer. A mail relay or gateway on the
 * government network answers in milliseconds; 5 s rides out a slow TLS handshake, 15 s bounds a hung peer so one
 * bad gateway cannot stall the sender (and server shutdown) for long. */
#define LIMIT_NOTIFY_CONNECT_TIMEOUT_S 5
#define LIMIT_NOTIFY_TIMEOUT_S 15

/* Delivery attempts before a notice is marked failed, and the back-off base: a failed attempt n (1-based) waits
 * 60 * 2^n seconds, i.e. 2, 4, 8, 16, 32 minutes: about an hour in all, enough to ride out a gateway outage
 * without hammering it; after that people look at the outbox. */
#define LIMIT_NOTIFY_ATTEMPTS 6
#define LIMIT_NOTIFY_BACKOFF_S 60

/* Seconds a sender holds a claimed notice before another process may take it over (if the first died mid-send).
 * Must exceed one transfer (LIMIT_NOTIFY_TIMEOUT_S) plus the database writes around it. */
#define LIMIT_NOTIFY_LEASE_S 120

/* Notices sent per batch by the background sender; it keeps taking batches while they come back full, and checks
 * for shutdown between notices. */
#define LIMIT_NOTIFY_BATCH 20

/* Largest notice body or subject sent: SMS texts are under 1 KiB and e-mail notices a few KiB; a bigger row is a
 * bug upstream and is marked failed rather than sent. */
#define LIMIT_NOTICE_BYTES (64 * 1024)

/* Default and largest seconds between runs of the notice sender (LTCI_NOTIFY_INTERVAL; 0 turns it off). A few
 * seconds keeps notices prompt; the query is one index range scan. */
#define LIMIT_NOTIFY_INTERVAL_S 5
#define LIMIT_NOTIFY_INTERVAL_MAX_S 3600

/* Seconds between runs of the certification of conclusions whose publication has ended: publication ends by
 * calendar day, so every ten minutes is prompt enough and costs nothing. */
#define LIMIT_CERTIFY_INTERVAL_S 600

/* ---- providers, caregivers, care plans ---- */

/* Streets one agreement may cover: a district has a few dozen; a whole large city a few hundred. */
#define LIMIT_AGREEMENT_AREAS 500
/* Longest agreement term, in years (agreements are usually signed for one to three years). */
#define LIMIT_AGREEMENT_YEARS 10
/* Rows of a hand-over list: the clients of one terminated provider (the largest serve a few thousand). */
#define LIMIT_HANDOVER_LIST 20000
/* Certificates per caregiver and items per care plan accepted in one request. */
#define LIMIT_CAREGIVER_CERTIFICATES 20
/* Providers offered to a beneficiary to choose from. */
#define LIMIT_PROVIDER_OPTIONS 200

/* ---- visits ---- */

/* Days one scheduling request covers (a schedule is made a few weeks ahead). */
#define LIMIT_SCHEDULE_DAYS 61
/* A device clock ahead of the server by more than this is refused (phones keep network time within seconds). */
#define LIMIT_CLOCK_SKEW_S 300
/* An offline record older than this is refused: a phone is back in coverage within days, not weeks. */
#define LIMIT_OFFLINE_DAYS 7
/* Largest audio upload accepted at all (the scheme's audio_max_mb is the working limit): a two-hour visit recorded
 * at 64 kbit/s is under 60 MB. */
#define LIMIT_AUDIO_BYTES (100 * 1024 * 1024)
/* Points on the map of a day's visits (a city's day; a larger one is filtered by provider first). */
#define LIMIT_MAP_POINTS 20000
/* Operations committed together by the group-commit writer: enough to absorb every waiting worker thread
 * (LIMIT_MAX_THREADS) in one transaction, few enough that a batch stays short. */
#define LIMIT_GROUP_COMMIT_OPS 256
/* Days of changed visit outcomes that the month's verification walk may have waiting for its writer (a day of a
 * Shanghai-size city is about 330,000 visits, 24 bytes each when all change): bounds the memory of the pipeline. */
#define LIMIT_VERIFY_QUEUE_DAYS 4
/* Ids below this are kept by the month's verification as bits (16 MB per kind at the top, ids being dense from 1);
 * larger ids go to a hash set. */
#define LIMIT_VERIFY_ID_BITS (INT64_C(1) << 27)
/* Item codes recorded on one visit. */
#define LIMIT_VISIT_ITEMS 40
/* Plans offered to a caregiver's phone for an unscheduled visit today (a caregiver serves a few dozen
 * beneficiaries; the rest of a provider's plans are not theirs to pick from). */
#define LIMIT_PLANS_TODAY 200
/* Bytes of the public base URL put in front of rating short links (ltci serve --public-url): the SMS that
 * carries the link must stay short. */
#define LIMIT_PUBLIC_URL 200

/* ---- settlement (rules/settle.h) ---- */

/* Adjustment lines (corrections of an approved month, amounts recovered by penalties) one beneficiary-month
 * carries: a handful in practice; more belong on a later statement. */
#define LIMIT_SETTLE_ADJUSTMENTS 16
/* Lines one beneficiary-month may produce: at most 14 computed (the fund's base and its three deductions, the
 * relative's allowance and its withholding, two supplementary sources with base and three deductions each; hourly
 * has at most 5) plus the adjustments, rounded up. */
#define LIMIT_SETTLE_LINES 32
/* Certification periods and hospital stays of one beneficiary overlapping one month (a renewal makes two
 * certification periods; a stay a week is already extreme). */
#define LIMIT_SETTLE_PERIODS 8
#define LIMIT_SETTLE_STAYS 16
/* Visits and minutes of one beneficiary-month in one category: three visits a day for 31 days, and every minute of
 * the month. Larger counts are a caller's bug. */
#define LIMIT_SETTLE_VISITS (31 * 21)
#define LIMIT_SETTLE_MINUTES (31 * 24 * 60)

/* ---- settlement (svc/settlement*.c) ---- */

/* Objections or payment batches one list answers (a month has a few per provider at most; older ones are found
 * by statement or month). */
#define LIMIT_SETTLE_LIST 500
/* Plans up to which a run for one provider or an area reads its visits plan by plan (an index seek each) instead
 * of the whole month of the city day by day: a large provider has a few thousand. */
#define LIMIT_SETTLE_PLAN_WALK 5000
/* Days of visits read ahead of the writer in a settlement run with a second connection: a day of a Shanghai-size
 * city is about 330,000 rows of 40 bytes. */
#define LIMIT_SETTLE_QUEUE_DAYS 3
/* Months one fund-by-month answer covers: ten years of a chart. */
#define LIMIT_FUND_MONTHS 120
/* Days one supplementary-insurance policy covers: a policy year, with a leap day and some slack. */
#define LIMIT_POLICY_DAYS 400
/* Values one multi-row INSERT of db_copy carries on SQLite: enough to spread the statement's own cost (several
 * microseconds) over hundreds of rows, well under SQLite's 32,766 variables. */
#define LIMIT_COPY_BATCH_VALUES 1000

#endif

#!/usr/bin/env python3
"""bench/verify_month_gen.py: fill a freshly migrated SQLite database with a month of visits of a Shanghai-size
city for bench/verify_month.sh: PERSONS beneficiaries (levels 2-6 in turn, one certification, one home-care plan with
three items each), CAREGIVERS caregivers of PROVIDERS providers (500 unless given), and every visit of October 2026 that the plans call for
(levels 2-3: Mon/Wed/Fri, 4: Mon-Fri, 5-6: every day), checked in and out at the person's home in each caregiver's
fixed daily round (a slot of 75 minutes per person). About 5 % of the visits are made exceptions on purpose:
check-in 1.1 km away, 40-minute visits, missing check-outs, poor GPS fixes, items outside the plan, disputes;
persons in hospital for five days or dead on the 20th; caregivers whose certificate expires on the 15th.
Rows are inserted in check-in order (as scheduling and check-ins create them), with the table's indexes dropped
during the load and rebuilt after it. The SQL runs inside SQLite (recursive CTEs), so the load is quick.
    verify_month_gen.py DB_PATH [PERSONS] [CAREGIVERS] [PROVIDERS]"""
import sqlite3
import sys
import time

path = sys.argv[1]
persons = int(sys.argv[2]) if len(sys.argv) > 2 else 470000
caregivers = int(sys.argv[3]) if len(sys.argv) > 3 else 47000
providers = int(sys.argv[4]) if len(sys.argv) > 4 else 500
now = int(time.time())
t0 = time.time()

db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA cache_size = -262144")
db.execute("BEGIN")
p = {"persons": persons, "cgs": caregivers, "prov": providers, "now": now}


def run(sql):
    db.execute(sql % p)


run("INSERT INTO areas (id, parent_id, level, code, name, path, created_at, updated_at)"
    " VALUES (900001, NULL, 'street', 'BENCH01', '压测街道', '/900001/', %(now)d, %(now)d)")
run("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(prov)d)
INSERT INTO providers (id, code, name, area_id, status, created_at, updated_at, kind)
SELECT i, printf('B%%04d', i), '压测护理机构' || i, 900001, 'active', %(now)d, %(now)d, 'home_care' FROM n""")
run("""INSERT INTO agreements (id, provider_id, number, valid_from, valid_until, modes, capacity, created_by, created_at,
 updated_at) SELECT id, id, 'BENCH-' || id, '2020-01-01', '2099-12-31', 'home', 100000, 'bench', %(now)d, %(now)d
 FROM providers WHERE code LIKE 'B%%'""")
# caregiver c (1..CAREGIVERS) works for provider c %% PROVIDERS + 1; one in 200 holds a certificate expiring on Oct 15th
run("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(cgs)d)
INSERT INTO caregivers (id, id_number, name, sex, birth_date, kind, provider_id, training_hours, status, created_at,
 updated_at) SELECT i, printf('C%%017d', i), '压测护理员', 'F', '1975-01-01', 'staff', i %% %(prov)d + 1, 120, 'active',
 %(now)d, %(now)d FROM n""")
run("""INSERT INTO caregiver_employments (caregiver_id, provider_id, from_date)
SELECT id, provider_id, '2020-01-01' FROM caregivers""")
run("""INSERT INTO caregiver_certificates (caregiver_id, kind, number, skill_level, issued_on, expires_on, created_at)
SELECT id, 'care_worker', 'BENCH' || id, 4, '2020-01-01', CASE WHEN id %% 200 = 5 THEN '2026-10-15' ELSE '2099-12-31' END,
 %(now)d FROM caregivers""")
# person i is served by caregiver (i - 1) %% CAREGIVERS + 1 in slot (i - 1) / CAREGIVERS of the round; a caregiver's
# people live within a kilometre of each other on a grid of rounds 550 m apart
run("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(persons)d)
INSERT INTO persons (id, id_number, id_last4, name, sex, birth_date, address, area_id, lat_e6, lon_e6, death_date,
 created_at, updated_at)
SELECT i, printf('P%%017d', i), printf('%%04d', i %% 10000), '压测参保人', 'F', '1940-01-01', '压测地址', 900001,
 30700000 + ((i - 1) %% %(cgs)d / 250) * 5000 + ((i - 1) / %(cgs)d %% 10) * 700,
 121000000 + ((i - 1) %% %(cgs)d %% 250) * 5000 + ((i - 1) / %(cgs)d / 10) * 700,
 CASE WHEN i %% 1000 = 3 THEN '2026-10-20' END, %(now)d, %(now)d FROM n""")
run("""INSERT INTO hospital_stays (person_id, admitted, discharged, hospital, source, recorded_at)
SELECT id, '2026-10-10', '2026-10-14', '压测医院', 'import', %(now)d FROM persons WHERE id %% 500 = 7 AND id <= %(persons)d""")
run("""INSERT INTO applications (id, person_id, area_id, type, status, applicant_kind, submitted_by, submitted_at,
 submitted_on, due_date, level, updated_at)
SELECT id, id, 900001, 'first', 'certified', 'staff', 'bench', %(now)d, '2025-12-01', '2025-12-10', 2 + id %% 5, %(now)d
FROM persons WHERE id <= %(persons)d""")
run("""INSERT INTO certifications (id, person_id, application_id, level, level_name, qualifies, concluded_on,
 published_until, appeal_until, valid_from, valid_until, status, created_at, updated_at)
SELECT id, id, id, 2 + id %% 5, (2 + id %% 5) || '级', 1, '2025-12-15', '2025-12-22', '2026-02-15', '2026-01-01',
 '2027-12-31', 'certified', %(now)d, %(now)d FROM persons WHERE id <= %(persons)d""")
run("""INSERT INTO care_plans (id, person_id, certification_id, level, mode, provider_id, agreement_id, caregiver_id,
 visits_per_week, minutes_per_week, status, effective_from, drafted_by, drafted_at, updated_at)
SELECT id, id, id, 2 + id %% 5, 'home', ((id - 1) %% %(cgs)d + 1) %% %(prov)d + 1,
 ((id - 1) %% %(cgs)d + 1) %% %(prov)d + 1, (id - 1) %% %(cgs)d + 1,
 CASE WHEN id %% 5 < 2 THEN 3 WHEN id %% 5 = 2 THEN 5 ELSE 7 END,
 CASE WHEN id %% 5 < 2 THEN 180 WHEN id %% 5 = 2 THEN 300 ELSE 420 END,
 'active', '2026-01-01', 'bench', %(now)d, %(now)d FROM persons WHERE id <= %(persons)d""")
for code, minutes in (("JC01", 15), ("JC05", 20), ("JC10", 25)):
    db.execute("INSERT INTO care_plan_items (plan_id, code, per_week, minutes) SELECT id, ?, visits_per_week, ?"
               " FROM care_plans WHERE id <= ?", (code, minutes, persons))
print("registry: %d persons, %d caregivers, %d providers in %.1f s" % (persons, caregivers, providers, time.time() - t0),
      flush=True)

# the visits, day by day in check-in order, without the indexes
indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'visits'"
                     " AND sql IS NOT NULL").fetchall()
for name, _ in indexes:
    db.execute("DROP INDEX %s" % name)
t1 = time.time()
for day in range(1, 32):
    date = "2026-10-%02d" % day
    weekday = (3 + day - 1) % 7  # 2026-10-01 is a Thursday: 0 = Monday
    # midnight in Shanghai (UTC+8) of that day, in Unix seconds
    midnight = 1790812800 - 8 * 3600 + (day - 1) * 86400
    dp = dict(p, date=date, weekday=weekday, midnight=midnight, day=day)
    db.execute(("""WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %(persons)d),
v AS (SELECT i, (i - 1) %% %(cgs)d + 1 AS cg, (i - 1) / %(cgs)d AS slot, (i * 31 + %(day)d * 17) %% 1000 AS h,
       %(midnight)d + 7 * 3600 + ((i - 1) / %(cgs)d) * 4500 + (i * 7 + %(day)d * 13) %% 300 AS t
     FROM n WHERE CASE WHEN i %% 5 < 2 THEN %(weekday)d IN (0, 2, 4) WHEN i %% 5 = 2 THEN %(weekday)d < 5 ELSE 1 END)
INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date, planned_start, status,
 checkin_key, checkin_at, checkin_device_at, checkin_received_at, checkin_lat_e6, checkin_lon_e6, checkin_accuracy_m,
 checkout_key, checkout_at, checkout_device_at, checkout_received_at, checkout_lat_e6, checkout_lon_e6,
 checkout_accuracy_m, items, late, disputed, created_by, created_at, updated_at)
SELECT v.i, v.i, cg %% %(prov)d + 1, cg, 'home', '%(date)s', printf('%%02d:%%02d', 7 + slot * 75 / 60, slot * 75 %% 60),
 CASE WHEN h BETWEEN 20 AND 24 THEN 'in_progress' ELSE 'done' END,
 printf('%%08x-%%04x-4000-8000-%%012x', %(day)d, slot, v.i), t, t, t + 2,
 p.lat_e6 + CASE WHEN h < 10 THEN 10000 ELSE (h %% 7) * 40 END, p.lon_e6 + (h %% 5) * 40,
 CASE WHEN h BETWEEN 25 AND 29 THEN 150 ELSE 8 + h %% 30 END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL ELSE printf('%%08x-%%04x-4000-9000-%%012x', %(day)d, slot, v.i) END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL WHEN h BETWEEN 10 AND 19 THEN t + 2400 ELSE t + 3600 + h %% 50 END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL WHEN h BETWEEN 10 AND 19 THEN t + 2400 ELSE t + 3600 + h %% 50 END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL WHEN h BETWEEN 10 AND 19 THEN t + 2403 ELSE t + 3603 + h %% 50 END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL ELSE p.lat_e6 + (h %% 3) * 50 END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL ELSE p.lon_e6 END,
 CASE WHEN h BETWEEN 20 AND 24 THEN NULL ELSE 12 END,
 CASE WHEN h BETWEEN 30 AND 34 THEN '["JC01","JC05","JC10","JC20"]' ELSE '["JC01","JC05","JC10"]' END,
 0, h = 999, 'bench', t - 7 * 86400, t
FROM v JOIN persons p ON p.id = v.i ORDER BY t, v.i""") % dp)
    if day % 5 == 0 or day == 31:
        n = db.execute("SELECT COUNT(*) FROM visits").fetchone()[0]
        print("visits: %s, %d so far, %.0f rows/s" % (date, n, n / (time.time() - t1)), flush=True)
t2 = time.time()
for name, sql in indexes:
    db.execute(sql)
db.execute("COMMIT")
db.execute("ANALYZE")
print("indexes rebuilt in %.1f s; total %.1f s" % (time.time() - t2, time.time() - t0), flush=True)

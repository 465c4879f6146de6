#!/usr/bin/env python3
"""bench/checkin_setup.py: SQL that adds N caregivers of provider P0001 with phone accounts, valid certificates and
signed-in sessions (tokens bench-<i>, CSRF csrf-<i>) to a demo database, for bench/checkin.sh, each in the weekly
pattern of every P0001 home-care plan. Prints the SQL; the plans that the check-ins use are those plans.   checkin_setup.py N"""
import hashlib
import sys
import time

n = int(sys.argv[1])
now = int(time.time())
print("BEGIN;")
for i in range(n):
    token = "bench-%d" % i
    h = hashlib.sha256(token.encode()).hexdigest()
    uid = 900000 + i
    cid = 900000 + i
    print("INSERT INTO users (id, username, display_name, role, provider_id, password_hash, must_change_password,"
          " password_changed_at, created_at, updated_at) SELECT %d, 'bench%d', '压测护理员', 'caregiver', id, 'x', 0, %d,"
          " %d, %d FROM providers WHERE code = 'P0001';" % (uid, i, now, now, now))
    print("INSERT INTO caregivers (id, id_number, name, sex, birth_date, phone, kind, provider_id, user_id,"
          " training_hours, status, created_at, updated_at) SELECT %d, 'B%017d', '压测护理员', 'F', '1970-01-01', NULL,"
          " 'staff', id, %d, 100, 'active', %d, %d FROM providers WHERE code = 'P0001';" % (cid, i, uid, now, now))
    # in the weekly pattern of every P0001 home-care plan (a caregiver checks in unscheduled only on plans they
    # serve), in a slot of their own on Sundays that the demo's patterns (08:30, 10:30, 14:00, 16:00) never use
    minute = i % 50 + 1
    print("INSERT INTO visit_patterns (plan_id, weekday, start_time, caregiver_id, created_by, created_at)"
          " SELECT cp.id, 7, '%02d:%02d', %d, 'bench', %d FROM care_plans cp JOIN providers p ON p.id = cp.provider_id"
          " WHERE p.code = 'P0001' AND cp.mode = 'home' ON CONFLICT DO NOTHING;"
          % (i // 50, minute + (minute >= 30), cid, now))
    print("INSERT INTO caregiver_employments (caregiver_id, provider_id, from_date) SELECT %d, id, '2020-01-01'"
          " FROM providers WHERE code = 'P0001';" % cid)
    print("INSERT INTO caregiver_certificates (caregiver_id, kind, number, skill_level, issued_on, expires_on,"
          " created_at) VALUES (%d, 'care_worker', 'BENCH%d', 4, '2020-01-01', '2099-12-31', %d);" % (cid, i, now))
    print("INSERT INTO sessions (token_hash, csrf_token, user_id, created_at, last_seen_at, expires_at, source_ip)"
          " VALUES ('%s', 'csrf-%d', %d, %d, %d, %d, '127.0.0.1');" % (h, i, uid, now, now, now + 86400))
print("COMMIT;")

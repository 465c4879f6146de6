"""Visits with electronic verification: weekly patterns and scheduling within the plan, check-in and check-out with
device and server time, offline records delivered late and never twice, every exception kind, the provider's
explanation and the bureau's decision, record locks and unlocks, and caregivers kept to their own visits."""
import datetime
import hashlib
import json
import time
import unittest
import uuid

from harness import LtciTestCase, Server, run_cli
from test_care import HOME_ITEMS
from test_registry import make_id
from test_feedback import masked


# rules/verify.h, in bit order
REASON_CODES = ["unqualified", "no_gps", "low_accuracy", "outside_geofence", "short", "overlap", "travel",
                "not_certified", "deceased", "hospital", "no_plan", "over_entitlement", "item_not_in_plan",
                "no_checkout", "disputed"]


def cn_today():
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()


class Visits(LtciTestCase):
    seq = 0
    slot = 0  # weekly-pattern slots of serve()

    def one(self, sql):
        return self.db.sql(sql)[0][0]

    def p1(self):
        return int(self.one("SELECT id FROM providers WHERE code = 'P0001'"))

    def home_plan(self, n=0, free=False):
        """The n-th active home-care plan of P0001 with the person's home coordinates; free: one that has neither a
        weekly pattern nor scheduled visits (the demo schedules the week ahead of most plans)."""
        rows = self.db.sql("SELECT cp.id, cp.person_id, p.lat_e6, p.lon_e6 FROM care_plans cp JOIN persons p"
                           " ON p.id = cp.person_id WHERE cp.provider_id = %d AND cp.status = 'active' AND cp.mode = 'home'"
                           " AND cp.effective_from <= '%s' AND p.lat_e6 IS NOT NULL%s ORDER BY cp.id"
                           % (self.p1(), cn_today(),
                              " AND cp.id NOT IN (SELECT plan_id FROM visit_patterns) AND cp.id NOT IN"
                              " (SELECT plan_id FROM visits WHERE status = 'scheduled')" if free else ""))
        plan, person, lat, lon = rows[n]
        return int(plan), int(person), int(lat) / 1e6, int(lon) / 1e6

    def plan_items(self, plan):
        return [r[0] for r in self.db.sql("SELECT code FROM care_plan_items WHERE plan_id = %d" % plan)]

    def caregiver_account(self, expired=False):
        """A new P0001 caregiver with a phone account (and a certificate that ended two days ago when expired)."""
        Visits.seq += 1
        padmin = self.as_user("provider_admin")
        y = cn_today() - datetime.timedelta(days=2)  # before any visit of these tests (the oldest are ~12 h old)
        r = padmin.post("/api/v1/caregivers", {
            "id_number": make_id("33990519680303%03d" % (300 + Visits.seq)), "name": "上门护理员", "kind": "staff",
            "employed_from": "2025-01-01",
            "certificates": [{"kind": "care_worker", "number": "V%05d" % Visits.seq, "skill_level": 4,
                              "issued_on": "2024-01-01", "expires_on": y.isoformat() if expired else "2029-12-31"}]})
        self.assertEqual(r.status, 201, r)
        cg = r.json["id"]
        username = "cg_v%d" % Visits.seq
        r = self.as_user("admin").post("/api/v1/users", {
            "username": username, "display_name": "护理员%d" % Visits.seq, "role": "caregiver",
            "scope": {"kind": "provider", "code": "P0001"}, "password": "Init#2026ab", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        r = padmin.patch("/api/v1/caregivers/%d" % cg, {"user_id": r.json["id"]})
        self.assertEqual(r.status, 200, r)
        phone = self.login(username, "Init#2026ab")
        phone.caregiver_id = cg
        return cg, phone

    def serve(self, cg, plan):
        """Put the caregiver in the plan's weekly pattern (a slot late on Sunday), once: they serve it and may check in
        on it without a scheduled visit."""
        if int(self.one("SELECT COUNT(*) FROM visit_patterns WHERE plan_id = %d AND caregiver_id = %d" % (plan, cg))):
            return
        Visits.slot += 1
        self.db.sql("INSERT INTO visit_patterns (plan_id, weekday, start_time, caregiver_id, created_by, created_at)"
                    " VALUES (%d, 7, '23:%02d', %d, 'test', 0)" % (plan, Visits.slot % 60, cg))

    def visit_today(self, plan, caregiver):
        r = self.as_user("provider_admin").post("/api/v1/visits", {"plan_id": plan, "visit_date": cn_today().isoformat(),
                                                                   "planned_start": "09:00", "caregiver_id": caregiver})
        return r

    def unscheduled(self, phone, plan, minutes_ago, minutes, lat, lon, items, accuracy=15, out=None, checkout=True):
        """Check in minutes_ago (delivered late when over 15), check out minutes later; returns the visit. The
        caregiver serves the plan (serve)."""
        self.serve(phone.caregiver_id, plan)
        now = int(time.time())
        r = phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "plan_id": plan,
                                                  "device_at": now - minutes_ago * 60, "lat": lat, "lon": lon,
                                                  "accuracy": accuracy})
        self.assertEqual(r.status, 200, r)
        if not checkout:
            return r.json
        olat, olon = out or (lat, lon)
        r = phone.post("/api/v1/visits/checkout", {"key": str(uuid.uuid4()), "visit_id": r.json["id"],
                                                   "device_at": now - (minutes_ago - minutes) * 60, "lat": olat,
                                                   "lon": olon, "accuracy": accuracy, "items": items})
        self.assertEqual(r.status, 200, r)
        return r.json

    def codes(self, visit):
        return {x["code"] for x in visit["reasons"]}

    def login_other_provider(self):
        if not self.db.sql("SELECT id FROM users WHERE username = 'padmin5'"):
            r = self.as_user("admin").post("/api/v1/users", {
                "username": "padmin5", "display_name": "海之家管理员", "role": "provider_admin",
                "scope": {"kind": "provider", "code": "P0005"}, "password": "Init#2026ab",
                "must_change_password": False})
            self.assertEqual(r.status, 201, r)
        return self.login("padmin5", "Init#2026ab")


class TestSchedule(Visits):
    def test_patterns_and_schedule(self):
        padmin = self.as_user("provider_admin")
        plan, person, lat, lon = self.home_plan(0, free=True)
        per_week = int(self.one("SELECT visits_per_week FROM care_plans WHERE id = %d" % plan))
        cg = int(self.one("SELECT id FROM caregivers WHERE name = '冯桂英'"))
        too_many = [{"weekday": d, "start_time": "09:00", "caregiver_id": cg} for d in range(1, per_week + 2)]
        r = padmin.put("/api/v1/care-plans/%d/patterns" % plan, {"patterns": too_many})
        self.assertError(r, 400, field="patterns")
        self.assertIn(str(per_week), r.json["error"]["message"])
        pattern = [{"weekday": d, "start_time": "09:30", "caregiver_id": cg} for d in range(1, per_week + 1)]
        self.assertError(padmin.put("/api/v1/care-plans/%d/patterns" % plan,
                                    {"patterns": [dict(pattern[0], start_time="25:00")]}), 400,
                         field="patterns[0].start_time")
        r = padmin.put("/api/v1/care-plans/%d/patterns" % plan, {"patterns": pattern})
        self.assertEqual((r.status, len(r.json["patterns"])), (200, per_week), r)
        start = cn_today() + datetime.timedelta(days=1)
        end = start + datetime.timedelta(days=13)
        r = padmin.post("/api/v1/visits/schedule", {"plan_id": plan, "from": start.isoformat(), "to": end.isoformat()})
        self.assertEqual(r.status, 200, r)
        # two weeks: per_week visits on each weekday in the pattern (1..per_week) that fall in the range
        expected = sum(1 for k in range(14) if (start + datetime.timedelta(days=k)).isoweekday() <= per_week)
        self.assertEqual(r.json["created"], expected)
        # again: nothing new
        r = padmin.post("/api/v1/visits/schedule", {"plan_id": plan, "from": start.isoformat(), "to": end.isoformat()})
        self.assertEqual((r.json["created"], r.json["skipped"]), (0, expected))
        # a week is full: one more visit that week is refused, naming the plan's visits a week
        full_day = [start + datetime.timedelta(days=k) for k in range(7)
                    if (start + datetime.timedelta(days=k)).isoweekday() == 7][0]
        monday = full_day - datetime.timedelta(days=6)
        if monday >= start:
            r = padmin.post("/api/v1/visits", {"plan_id": plan, "visit_date": full_day.isoformat(), "caregiver_id": cg})
            self.assertError(r, 409, field="visit_date")
        # reassign and cancel a scheduled visit
        v = padmin.get("/api/v1/visits?plan_id=%d&status=scheduled&page_size=1" % plan).json["items"][0]
        other, _ = self.caregiver_account()
        r = padmin.post("/api/v1/visits/%d/reassign" % v["id"], {"caregiver_id": other, "reason": "原护理员请假"})
        self.assertEqual((r.status, r.json["caregiver"]["id"]), (200, other), r)
        r = padmin.post("/api/v1/visits/%d/cancel" % v["id"], {"reason": "家属临时外出"})
        self.assertEqual(r.json["status"], "cancelled")
        self.assertError(padmin.post("/api/v1/visits/%d/cancel" % v["id"], {"reason": "再次"}), 409)
        # an unqualified caregiver cannot be scheduled
        bad, _ = self.caregiver_account(expired=True)
        self.assertError(padmin.post("/api/v1/visits", {"plan_id": plan, "visit_date": start.isoformat(),
                                                        "caregiver_id": bad}), 409, field="caregiver_id")


class TestCheckInOut(Visits):
    def test_happy_path_offline_and_idempotent(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(1, free=True)
        v = self.visit_today(plan, cg)
        self.assertEqual(v.status, 201, v)
        vid = v.json["id"]
        now = int(time.time())
        key = str(uuid.uuid4())
        # an offline check-in 70 minutes ago, delivered now, twice
        body = {"key": key, "visit_id": vid, "device_at": now - 70 * 60, "lat": lat, "lon": lon, "accuracy": 12}
        r1 = phone.post("/api/v1/visits/checkin", body)
        r2 = phone.post("/api/v1/visits/checkin", body)
        self.assertEqual((r1.status, r2.status, r1.json["id"], r2.json["id"]), (200, 200, vid, vid), r1)
        self.assertEqual((r1.json["status"], r1.json["late"], r1.json["checkin_at"]), ("in_progress", True, now - 4200))
        self.assertGreaterEqual(r1.json["checkin"]["received_at"], now)
        self.assertEqual(int(self.one("SELECT COUNT(*) FROM visits WHERE checkin_key = '%s'" % key)), 1)
        # the six data elements: service, beneficiary, caregiver, date, location, start and end
        items = self.plan_items(plan)[:2]
        out = {"key": str(uuid.uuid4()), "visit_id": vid, "device_at": now, "lat": lat, "lon": lon, "accuracy": 10,
               "items": items, "notes": "老人精神好"}
        r = phone.post("/api/v1/visits/checkout", out)
        r2 = phone.post("/api/v1/visits/checkout", out)
        self.assertEqual((r.status, r2.status, r2.json["id"]), (200, 200, vid), r)
        v = r.json
        self.assertEqual((v["status"], v["verify_state"], v["minutes"], v["reasons"]), ("done", "verified", 70, []), v)
        self.assertEqual((v["person"]["id"], v["caregiver"]["id"], v["visit_date"], v["items"]),
                         (person, cg, cn_today().isoformat(), items))
        self.assertIsNotNone(v["checkin"]["position"])
        # the first delivery's row and the replay's (nothing written), both naming the visit
        rows = self.audit_rows(action="visit.checkin", target_id=str(vid))
        self.assertEqual([(x["target_type"], x["outcome"]) for x in rows], [("visit", "ok")] * 2, rows)
        self.assertIn(key, rows[1]["detail"])
        self.assertNotIn(key, rows[0]["detail"])
        replays = self.audit_rows(action="visit.checkout", target_id=str(vid))
        self.assertEqual(len(replays), 2, replays)
        # the recording of the whole visit: stored by SHA-256
        audio = b"\x00\x00\x00\x18ftypM4A " + b"\x01" * 2000
        r = phone.request("POST", "/api/v1/visits/%d/audio?seconds=4200" % vid, raw=audio, content_type="audio/mp4")
        self.assertEqual((r.status, r.json["audio"]["sha256"], r.json["audio"]["seconds"]),
                         (200, hashlib.sha256(audio).hexdigest(), 4200), r)
        self.assertError(phone.request("POST", "/api/v1/visits/%d/audio" % vid, raw=b"x", content_type="text/plain"),
                         415)
        # played back by the bureau and the provider's staff, every download audited; not by the caregiver
        for who in ("bureau", "provider_admin", "auditor"):
            r = self.as_user(who).get("/api/v1/visits/%d/audio" % vid)
            self.assertEqual((r.status, r.raw), (200, audio), r)
            self.assertEqual(r.header("Content-Type"), "audio/mp4")
            self.assertEqual(r.header("Content-Length"), str(len(audio)))
            self.assertIn('attachment; filename="visit-%d-' % vid, r.header("Content-Disposition"))
        reads = self.audit_rows(action="visit.audio_read", target_id=str(vid))
        self.assertEqual([x["username"] for x in reads], ["auditor", "provider_admin", "bureau"])
        self.assertTrue(all(x["target_type"] == "visit" and hashlib.sha256(audio).hexdigest() in x["detail"]
                            for x in reads), reads)
        self.assertError(phone.get("/api/v1/visits/%d/audio" % vid), 403)
        self.assertError(self.login_other_provider().get("/api/v1/visits/%d/audio" % vid), 404)
        # area staff: their area's visits only
        in_lj = self.one("SELECT ar.path LIKE (SELECT path FROM areas WHERE code = '339902') || '%%' FROM persons p"
                         " JOIN areas ar ON ar.id = p.area_id WHERE p.id = %d" % person) in ("1", "t", "True")
        r = self.as_user("bureau_lj").get("/api/v1/visits/%d/audio" % vid)
        self.assertEqual(r.status, 200 if in_lj else 404, r)
        # a visit without a recording: 404 naming the audio
        other_visit = int(self.one("SELECT id FROM visits WHERE audio_sha256 IS NULL AND provider_id = %d ORDER BY id"
                                   " LIMIT 1" % self.p1()))
        self.assertError(self.as_user("bureau").get("/api/v1/visits/%d/audio" % other_visit), 404, field="audio")
        self.assertError(self.as_user("bureau").get("/api/v1/visits/987654/audio"), 404)
        # a future device time is refused
        self.assertError(phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "plan_id": plan,
                                                               "device_at": now + 3600}), 400, field="device_at")
        # the same key used by another caregiver is refused
        _, other = self.caregiver_account()
        self.assertError(other.post("/api/v1/visits/checkin", body), 409, field="key")

    def test_caregiver_sees_only_own(self):
        cg1, phone1 = self.caregiver_account()
        cg2, phone2 = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(2)
        self.serve(cg1, plan)
        v = self.unscheduled(phone1, plan, 80, 65, lat, lon, self.plan_items(plan)[:1])
        self.assertError(phone2.get("/api/v1/visits/%d" % v["id"]), 404)
        mine = phone2.get("/api/v1/visits?mine=1").json
        self.assertTrue(all(x["caregiver"]["id"] == cg2 for x in mine["items"]))
        self.assertNotIn(v["id"], [x["id"] for x in phone2.get("/api/v1/visits?page_size=200").json["items"]])
        self.assertError(phone1.post("/api/v1/visits/%d/explain" % v["id"], {}), 403)
        # another provider's staff do not see it either
        self.assertError(self.login_other_provider().get("/api/v1/visits/%d" % v["id"]), 404)



    def test_missed_after_the_day(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(0, free=True)
        r = self.visit_today(plan, cg)
        self.assertEqual(r.status, 201, r)
        gone = r.json["id"]
        r = self.as_user("provider_admin").post("/api/v1/visits", {"plan_id": plan, "visit_date": cn_today().isoformat(),
                                                                   "planned_start": "15:00", "caregiver_id": cg})
        self.assertEqual(r.status, 201, r)
        today = r.json["id"]
        yesterday = (cn_today() - datetime.timedelta(days=1)).isoformat()
        self.db.sql("UPDATE visits SET visit_date = '%s' WHERE id = %d" % (yesterday, gone))
        status = lambda v: self.one("SELECT status FROM visits WHERE id = %d" % v)  # noqa
        second = Server(self.db, name="second")  # its maintenance job runs at once
        try:
            deadline = time.time() + 10
            while time.time() < deadline and status(gone) != "missed":
                time.sleep(0.1)
        finally:
            second.stop()
        self.assertEqual((status(gone), status(today)), ("missed", "scheduled"))
        self.assertEqual([x["id"] for x in self.as_user("provider_admin").get(
            "/api/v1/visits?status=missed&from=%s&to=%s" % (yesterday, yesterday)).json["items"]], [gone])
        # a check-in on it that reaches the server only now (the phone was offline): still taken
        r = phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "visit_id": gone,
                                                  "device_at": int(time.time()) - 600, "lat": lat, "lon": lon,
                                                  "accuracy": 9})
        self.assertEqual((r.status, r.json["status"]), (200, "in_progress"), r)

class TestExceptions(Visits):
    def test_each_exception_kind(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(3)
        self.serve(cg, plan)
        items = self.plan_items(plan)[:1]
        far = lat + 0.009  # about 1 km north
        cases = {}
        cases["no_gps"] = self.unscheduled(phone, plan, 700, 61, None, None, items)
        cases["low_accuracy"] = self.unscheduled(phone, plan, 630, 61, lat, lon, items, accuracy=500)
        cases["outside_geofence"] = self.unscheduled(phone, plan, 560, 61, far, lon, items)
        cases["short"] = self.unscheduled(phone, plan, 490, 20, lat, lon, items)
        cases["item_not_in_plan"] = self.unscheduled(phone, plan, 460, 61, lat, lon, ["YZ04"])
        # overlap: starts before the previous visit ended; travel: 5 km in one minute
        a = self.unscheduled(phone, plan, 390, 70, lat, lon, items)
        cases["overlap"] = self.unscheduled(phone, plan, 330, 61, lat, lon, items)
        self.unscheduled(phone, plan, 260, 61, lat, lon, items, out=(lat + 0.045, lon))
        cases["travel"] = self.unscheduled(phone, plan, 198, 61, lat, lon, items)
        del a
        for code, v in cases.items():
            self.assertEqual(v["verify_state"], "exception", (code, v))
            self.assertIn(code, self.codes(v), (code, v))
        self.assertEqual(cases["short"]["review_state"], "open")
        # unqualified: a caregiver whose certificate ended yesterday
        bad, bad_phone = self.caregiver_account(expired=True)
        v = self.unscheduled(bad_phone, plan, 130, 61, lat, lon, items)
        self.assertIn("unqualified", self.codes(v))
        # over the week's entitlement (420 minutes): one long visit
        _, phone2 = self.caregiver_account()
        plan2, _, lat2, lon2 = self.home_plan(4)
        v = self.unscheduled(phone2, plan2, 450, 430, lat2, lon2, self.plan_items(plan2)[:1])
        self.assertIn("over_entitlement", self.codes(v))
        # missing check-out: checked in five hours ago (limit four), found by the month's verification
        _, phone3 = self.caregiver_account()
        plan3, _, lat3, lon3 = self.home_plan(5)
        open_visit = self.unscheduled(phone3, plan3, 300, 0, lat3, lon3, [], checkout=False)
        # the month's bulk verification must agree with the answers given one visit at a time
        # (this test's visits: the demo's were verified before the maintenance roll ended a dead person's plan)
        mine = "status = 'done' AND created_by <> 'system:demo'"
        one_by_one = self.db.sql("SELECT id, verify_state, reasons, minutes FROM visits WHERE %s ORDER BY id" % mine)
        months = {r[0][:7] for r in self.db.sql("SELECT DISTINCT visit_date FROM visits WHERE status = 'done'")}
        for month in sorted(months):
            out = run_cli("visits", "verify", "--month", month, db=self.db)
            self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.db.sql("SELECT id, verify_state, reasons, minutes FROM visits WHERE %s ORDER BY id"
                                     % mine), one_by_one)
        out = run_cli("visits", "verify", "--month", cn_today().strftime("%Y-%m"), db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        got = self.db.sql("SELECT verify_state, reasons FROM visits WHERE id = %d" % open_visit["id"])[0]
        self.assertEqual(got[0], "exception")
        v = self.as_user("bureau").get("/api/v1/visits/%d" % open_visit["id"]).json
        self.assertEqual(self.codes(v), {"no_checkout"})
        # the beneficiary's side: hospital, death, no certification, no plan (via a correction that re-verifies)
        v = cases["short"]
        padmin = self.as_user("provider_admin")
        day = datetime.date.fromisoformat(v["visit_date"])
        self.db.sql("INSERT INTO hospital_stays (person_id, admitted, hospital, source, recorded_at) VALUES (%d, '%s',"
                    " '江海市人民医院', 'manual', 0)" % (person, day.isoformat()))
        r = padmin.patch("/api/v1/visits/%d" % v["id"], {"notes": "补记", "reason": "补充服务说明"})
        self.assertEqual(r.status, 200, r)
        self.assertIn("hospital", self.codes(r.json))
        self.db.sql("UPDATE persons SET death_date = '%s' WHERE id = %d"
                    % ((day - datetime.timedelta(days=1)).isoformat(), person))
        r = padmin.patch("/api/v1/visits/%d" % v["id"], {"notes": "补记2", "reason": "补充服务说明"})
        self.assertIn("deceased", self.codes(r.json))
        self.db.sql("UPDATE certifications SET valid_until = '2000-01-01' WHERE person_id = %d" % person)
        self.db.sql("UPDATE care_plans SET ended_on = '2000-01-01' WHERE id = %d" % plan)
        r = padmin.patch("/api/v1/visits/%d" % v["id"], {"notes": "补记3", "reason": "补充服务说明"})
        self.assertTrue({"not_certified", "no_plan", "hospital", "deceased", "short"} <= self.codes(r.json), r.json)
        # a second run of the month writes nothing: every stored outcome stands
        before = self.db.sql("SELECT id, verify_state, reasons, minutes, verified_at FROM visits ORDER BY id")
        for month in sorted(months):
            run_cli("visits", "verify", "--month", month, db=self.db)
            self.assertIn("written=0", run_cli("visits", "verify", "--month", month, db=self.db).stderr)
        after = self.db.sql("SELECT id, verify_state, reasons, minutes, verified_at FROM visits ORDER BY id")
        changed = [a for a, b in zip(before, after) if a != b]
        # only the visits whose facts were changed above (hospital, death, certification, plan) move
        self.assertTrue(all(int(self.one("SELECT person_id FROM visits WHERE id = %s" % c[0])) == person
                            for c in changed), changed)

    def test_explanation_decision_lock_unlock(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(6)
        self.serve(cg, plan)
        items = self.plan_items(plan)[:1]
        v = self.unscheduled(phone, plan, 100, 20, lat, lon, items)       # short
        padmin, bureau = self.as_user("provider_admin"), self.as_user("bureau")
        self.assertError(bureau.post("/api/v1/visits/%d/decision" % v["id"], {"decision": "maybe", "note": "说明"}), 400,
                         field="decision")
        self.assertError(padmin.post("/api/v1/visits/%d/explain" % v["id"], {"explanation": "老人突发不适提前结束",
                                                                             "resolution": "weather"}), 400,
                         field="resolution")
        r = padmin.post("/api/v1/visits/%d/explain" % v["id"], {"explanation": "老人突发不适提前结束",
                                                                "resolution": "emergency"})
        self.assertEqual((r.status, r.json["review_state"]), (200, "explained"), r)
        r = bureau.post("/api/v1/visits/%d/decision" % v["id"], {"decision": "accept", "note": "情况属实"})
        self.assertEqual((r.json["review_state"], r.json["decision"]["by"]), ("accepted", "bureau"))
        self.assertError(bureau.post("/api/v1/visits/%d/decision" % v["id"], {"decision": "reject", "note": "改判"}),
                         409)
        self.assertEqual([x["action"] for x in self.audit_rows(target_type="visit", target_id=str(v["id"]))
                          if x["outcome"] == "ok"][:2], ["visit.decide", "visit.explain"])
        # an unqualified caregiver's visit is never accepted
        bad, bad_phone = self.caregiver_account(expired=True)
        u = self.unscheduled(bad_phone, plan, 400, 61, lat, lon, items)
        self.assertError(bureau.post("/api/v1/visits/%d/decision" % u["id"], {"decision": "accept", "note": "说明"}),
                         409, field="decision")
        r = bureau.post("/api/v1/visits/%d/decision" % u["id"], {"decision": "reject", "note": "无资格"})
        self.assertEqual(r.json["review_state"], "rejected")
        # a record older than the lock (10 days) cannot be corrected or explained until the bureau unlocks it
        old = (cn_today() - datetime.timedelta(days=11)).isoformat()
        w = self.unscheduled(phone, plan, 40, 20, lat, lon, items)
        self.db.sql("UPDATE visits SET visit_date = '%s' WHERE id = %d" % (old, w["id"]))
        # list rows say whether the record is locked (and so not editable) and until when it is unlocked
        rows = {x["id"]: x for x in padmin.get("/api/v1/visits?plan_id=%d&page_size=200" % plan).json["items"]}
        lock = lambda x: (x["locked"], x["editable"], x["unlocked_until"])  # noqa: E731
        self.assertEqual((lock(rows[w["id"]]), lock(rows[v["id"]])), ((True, False, None), (False, True, None)))
        self.assertEqual(lock(padmin.get("/api/v1/visits/%d" % w["id"]).json), (True, False, None))
        self.assertError(padmin.patch("/api/v1/visits/%d" % w["id"], {"notes": "补", "reason": "补充"}), 409)
        self.assertError(padmin.post("/api/v1/visits/%d/explain" % w["id"], {"explanation": "设备故障签退晚",
                                                                             "resolution": "device_problem"}), 409)
        self.assertError(padmin.post("/api/v1/visits/%d/unlock" % w["id"], {"hours": 24, "reason": "x"}), 403)
        r = bureau.post("/api/v1/visits/%d/unlock" % w["id"], {"hours": 24, "reason": "机构申请补正"})
        self.assertEqual((r.status, r.json["editable"], r.json["locked"]), (200, True, False), r)
        self.assertAlmostEqual(r.json["unlocked_until"], time.time() + 24 * 3600, delta=60)
        row = [x for x in padmin.get("/api/v1/visits?plan_id=%d&page_size=200" % plan).json["items"]
               if x["id"] == w["id"]][0]
        self.assertEqual(lock(row), (False, True, r.json["unlocked_until"]))
        r = padmin.patch("/api/v1/visits/%d" % w["id"], {"notes": "补", "reason": "补充"})
        self.assertEqual(r.status, 200, r)


class TestScopes(Visits):
    """The exception counts, the reason filter and the day's map, each scoped like the visit list."""

    def lj_path(self):
        return self.one("SELECT path FROM areas WHERE code = '339902'")

    def exceptions(self):
        """[(id, review_state, reasons, provider_id, visit_date, in the 临江区 district)] straight from the database."""
        rows = self.db.sql("SELECT v.id, v.review_state, v.reasons, v.provider_id, v.visit_date, ar.path FROM visits v"
                           " JOIN persons p ON p.id = v.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
                           " WHERE v.verify_state = 'exception'")
        lj = self.lj_path()
        return [(int(r[0]), r[1], int(r[2]), int(r[3]), r[4], (r[5] or "").startswith(lj)) for r in rows]

    def expected_summary(self, rows):
        from collections import Counter
        states, reasons, both = Counter(), Counter(), {}
        for _, review, mask, _, _, _ in rows:
            states[review] += 1
            for b in range(15):
                if mask & (1 << b):
                    reasons[b] += 1
                    both.setdefault(review, Counter())[b] += 1
        return len(rows), states, reasons, both

    def check_summary(self, got, rows):
        total, states, reasons, both = self.expected_summary(rows)
        self.assertEqual(got["total"], total)
        self.assertEqual([s["key"] for s in got["review_states"]], ["open", "explained", "accepted", "rejected"])
        counts = lambda items: {r["code"]: r["count"] for r in items}  # noqa: E731
        named = lambda c: {REASON_CODES[b]: n for b, n in c.items()}  # noqa: E731
        for st in got["review_states"]:
            self.assertEqual(st["count"], states.get(st["key"], 0), st)
            self.assertTrue(st["label"])
            self.assertEqual(counts(st["reasons"]), named(both.get(st["key"], {})), st)
        self.assertEqual(counts(got["reasons"]), named(reasons))
        # in bit order, each with its Chinese text
        self.assertEqual([r["code"] for r in got["reasons"]], [c for c in REASON_CODES if c in counts(got["reasons"])])
        self.assertTrue(all(r["text"] for r in got["reasons"]))

    def test_exception_summary_and_reason_filter(self):
        bureau, padmin, lj = self.as_user("bureau"), self.as_user("provider_admin"), self.as_user("bureau_lj")
        rows = self.exceptions()
        self.assertTrue(rows)
        r = bureau.get("/api/v1/visits/exceptions/summary")
        self.assertEqual(r.status, 200, r)
        self.check_summary(r.json, rows)
        # the reason filter gives exactly the visits with that bit, and agrees with the counts
        for item in r.json["reasons"][:4]:
            code = item["code"]
            got = bureau.get("/api/v1/visits?verify_state=exception&reason=%s&page_size=200" % code).json
            self.assertEqual(got["total"], item["count"], code)
            self.assertTrue(all(code in self.codes(v) for v in got["items"]), code)
        for st in r.json["review_states"]:
            for item in st["reasons"][:2]:
                got = bureau.get("/api/v1/visits?verify_state=exception&review_state=%s&reason=%s&page_size=1"
                                 % (st["key"], item["code"])).json
                self.assertEqual(got["total"], item["count"], (st["key"], item))
        self.assertError(bureau.get("/api/v1/visits?reason=weather"), 400, field="reason")
        self.assertError(bureau.get("/api/v1/visits/exceptions/summary?from=2026-13-01"), 400, field="from")
        self.assertError(bureau.get("/api/v1/visits/exceptions/summary?reason=short"), 400)
        # provider staff: their provider's; area staff: their area's; the filters of the list
        p1 = self.p1()
        self.check_summary(padmin.get("/api/v1/visits/exceptions/summary").json, [x for x in rows if x[3] == p1])
        self.check_summary(lj.get("/api/v1/visits/exceptions/summary").json, [x for x in rows if x[5]])
        days = sorted({x[4] for x in rows})
        lo, hi = days[len(days) // 3], days[2 * len(days) // 3]
        got = bureau.get("/api/v1/visits/exceptions/summary?provider_id=%d&from=%s&to=%s" % (p1, lo, hi)).json
        self.check_summary(got, [x for x in rows if x[3] == p1 and lo <= x[4] <= hi])
        self.assertEqual((got["from"], got["to"]), (lo, hi))
        self.assertError(self.as_user("caregiver").get("/api/v1/visits/exceptions/summary"), 403)

    def test_map_scoped_and_by_provider(self):
        lj = self.lj_path()
        rows = self.db.sql("SELECT v.id, v.visit_date, v.provider_id, ar.path FROM visits v JOIN persons p"
                           " ON p.id = v.person_id LEFT JOIN areas ar ON ar.id = p.area_id"
                           " WHERE v.status IN ('in_progress', 'done')")
        by_day = {}
        for vid, day, prov, path in rows:
            by_day.setdefault(day, []).append((int(vid), int(prov), (path or "").startswith(lj)))
        # the latest day with visits inside and outside the district
        day = max(d for d, vs in by_day.items() if any(v[2] for v in vs) and not all(v[2] for v in vs))
        visits = by_day[day]
        ids = lambda r: sorted(p["id"] for p in r.json["items"])  # noqa: E731
        r = self.as_user("bureau").get("/api/v1/visits/map?date=%s" % day)
        self.assertEqual((r.status, r.json["date"]), (200, day), r)
        self.assertEqual(ids(r), sorted(v[0] for v in visits))
        r = self.as_user("bureau_lj").get("/api/v1/visits/map?date=%s" % day)
        self.assertEqual(ids(r), sorted(v[0] for v in visits if v[2]))
        outside = [v[0] for v in visits if not v[2]]
        self.assertTrue(outside and not set(outside) & set(ids(r)))
        prov = visits[0][1]
        r = self.as_user("bureau").get("/api/v1/visits/map?date=%s&provider_id=%d" % (day, prov))
        self.assertEqual(ids(r), sorted(v[0] for v in visits if v[1] == prov))
        self.assertTrue(all(p["provider_id"] == prov for p in r.json["items"]))
        self.assertError(self.as_user("bureau").get("/api/v1/visits/map?date=11/23"), 400, field="date")
        self.assertError(self.as_user("bureau").get("/api/v1/visits/map?provider_id=x"), 400, field="provider_id")


class TestScheduleScope(Visits):
    """Scheduling without a plan touches only the plans the caller sees; provider_id narrows it to one provider."""

    def monday(self):
        """A Monday three weeks ahead: clear of the demo's week ahead."""
        d = cn_today() + datetime.timedelta(days=15)
        return d + datetime.timedelta(days=(7 - d.weekday()) % 7)

    def week(self):
        return {"from": self.monday().isoformat(), "to": (self.monday() + datetime.timedelta(days=6)).isoformat()}

    def plan_in(self, district, provider):
        """An active home plan of the provider for a person in the district, in force that week, without a pattern."""
        monday = self.monday()
        return int(self.one(
            "SELECT cp.id FROM care_plans cp JOIN persons p ON p.id = cp.person_id JOIN areas ar ON ar.id = p.area_id"
            " WHERE cp.status = 'active' AND cp.mode = 'home' AND cp.provider_id = %d AND ar.code LIKE '%s%%'"
            " AND cp.effective_from <= '%s' AND (cp.ended_on IS NULL OR cp.ended_on > '%s')"
            " AND cp.id NOT IN (SELECT plan_id FROM visit_patterns) ORDER BY cp.id LIMIT 1"
            % (provider, district, monday, monday + datetime.timedelta(days=6))))

    def pattern(self, plan, provider):
        """A Monday 08:00 pattern on the plan with the first caregiver of the provider qualified for it."""
        for (cg,) in self.db.sql("SELECT id FROM caregivers WHERE provider_id = %d AND kind = 'staff' AND status = 'active'"
                                 " ORDER BY id" % provider):
            r = self.as_user("bureau").put("/api/v1/care-plans/%d/patterns" % plan, {
                "patterns": [{"weekday": 1, "start_time": "08:00", "caregiver_id": int(cg)}]})
            if r.status == 200:
                return
        self.fail("no qualified caregiver for plan %d" % plan)

    def created_by(self, user):
        """(plan, provider, person in the 临江区 district) of the visits the user scheduled that week."""
        lj = self.one("SELECT path FROM areas WHERE code = '339902'")
        w = self.week()
        rows = self.db.sql("SELECT v.plan_id, v.provider_id, ar.path FROM visits v JOIN persons p ON p.id = v.person_id"
                           " LEFT JOIN areas ar ON ar.id = p.area_id WHERE v.created_by = '%s' AND v.visit_date"
                           " BETWEEN '%s' AND '%s'" % (user, w["from"], w["to"]))
        return [(int(r[0]), int(r[1]), (r[2] or "").startswith(lj)) for r in rows]

    def test_area_and_provider(self):
        p1, p5 = self.p1(), int(self.one("SELECT id FROM providers WHERE code = 'P0005'"))
        inside, outside = self.plan_in("339902", p1), self.plan_in("339903", p5)
        self.pattern(inside, p1)
        self.pattern(outside, p5)
        week = self.week()
        # an area-scoped bureau user: only plans of persons in its district (the others are not even looked at)
        r = self.as_user("bureau_lj").post("/api/v1/visits/schedule", week)
        self.assertEqual(r.status, 200, r)
        made = self.created_by("bureau_lj")
        self.assertEqual(len(made), r.json["created"])
        self.assertIn(inside, [m[0] for m in made])
        self.assertNotIn(outside, [m[0] for m in made])
        self.assertTrue(all(m[2] for m in made), made)
        self.assertError(self.as_user("bureau_lj").post("/api/v1/visits/schedule", dict(week, plan_id=outside)), 400,
                         field="plan_id")
        # provider staff: their own provider only
        padmin = self.as_user("provider_admin")
        self.assertError(padmin.post("/api/v1/visits/schedule", dict(week, provider_id=p5)), 403, field="provider_id")
        r = padmin.post("/api/v1/visits/schedule", dict(week, provider_id=p1))
        self.assertEqual(r.status, 200, r)
        self.assertTrue(all(m[1] == p1 for m in self.created_by("provider_admin")))
        # the region's bureau: one provider's plans
        bureau = self.as_user("bureau")
        self.assertError(bureau.post("/api/v1/visits/schedule", dict(week, provider_id=987654)), 400, field="provider_id")
        self.assertError(bureau.post("/api/v1/visits/schedule", dict(week, provider_id=p5, plan_id=inside)), 400,
                         field="plan_id")
        r = bureau.post("/api/v1/visits/schedule", dict(week, provider_id=p5))
        self.assertEqual(r.status, 200, r)
        made = self.created_by("bureau")
        self.assertEqual(len(made), r.json["created"])
        self.assertIn(outside, [m[0] for m in made])
        self.assertTrue(all(m[1] == p5 for m in made), made)
        row = self.audit_rows(action="visit.schedule")[0]
        self.assertIn('"provider_id":%d' % p5, row["detail"])



class TestPhone(Visits):
    """What the caregiver's phone needs: the plan's items, the way to the home (address and contacts, an audited
    read of the caregiver's own visits to serve), the plans open for an unscheduled visit today; labels worded once."""

    def test_plan_items_and_contact(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(0, free=True)
        self.serve(cg, plan)
        v = self.visit_today(plan, cg).json
        want = [(c, int(w), int(m)) for c, w, m in
                self.db.sql("SELECT code, per_week, minutes FROM care_plan_items WHERE plan_id = %d ORDER BY id" % plan)]
        self.assertTrue(want)
        r = phone.get("/api/v1/visits/%d" % v["id"])
        self.assertEqual(r.status, 200, r)
        got = r.json["plan_items"]
        self.assertEqual([(x["code"], x["per_week"], x["minutes"]) for x in got], want)
        self.assertTrue(all(x["name"] and x["name"] != x["code"] for x in got), got)
        # the phone's list rows carry them too
        today = cn_today().isoformat()
        rows = phone.get("/api/v1/visits?mine=1&from=%s&to=%s" % (today, today)).json["items"]
        row = [x for x in rows if x["id"] == v["id"]][0]
        self.assertEqual(row["plan_items"], got)
        # the staff record of the visit has them as well
        self.assertEqual(self.as_user("provider_admin").get("/api/v1/visits/%d" % v["id"]).json["plan_items"], got)
        # the way to the home: the full address and phone, the agent first, each read audited
        name, address, tel = self.db.sql("SELECT name, address, phone FROM persons WHERE id = %d" % person)[0]
        contacts = self.db.sql("SELECT name, relation, phone, is_agent FROM person_contacts WHERE person_id = %d"
                               " ORDER BY is_agent DESC, id" % person)
        self.assertTrue(address and tel and contacts)
        c = r.json["contact"]
        self.assertEqual((c["name"], c["address"], c["phone"]), (name, address, tel))
        self.assertEqual([(x["name"], x["relation"], x["phone"], x["is_agent"]) for x in c["contacts"]],
                         [(n, rel, ph, ag == "1") for n, rel, ph, ag in contacts])
        reads = self.audit_rows(action="visit.contact_read", target_id=str(v["id"]))
        self.assertEqual([(x["username"], x["target_type"], x["outcome"]) for x in reads],
                         [("cg_v%d" % Visits.seq, "visit", "ok")], reads)
        detail = json.loads(reads[0]["detail"])
        self.assertEqual(detail, {"person_id": person, "address": True, "phone": True, "contacts": len(contacts)})
        # list rows stay without it
        listed = json.dumps(rows, ensure_ascii=False)
        self.assertNotIn(tel, listed)
        self.assertNotIn(address, listed)
        self.assertNotIn("contact", row)
        # staff and other readers: no contact on the record, nothing audited
        for who in ("provider_admin", "bureau"):
            self.assertNotIn("contact", self.as_user(who).get("/api/v1/visits/%d" % v["id"]).json)
        # in progress and done today: still given; a visit of an earlier day: not, and not audited
        now = int(time.time())
        r = phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "visit_id": v["id"], "device_at": now,
                                                  "lat": lat, "lon": lon, "accuracy": 10})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(phone.get("/api/v1/visits/%d" % v["id"]).json["contact"]["address"], address)
        u = self.unscheduled(phone, plan, 90, 62, lat, lon, [want[0][0]])
        self.assertEqual(phone.get("/api/v1/visits/%d" % u["id"]).json["contact"]["phone"], tel)
        yesterday = (cn_today() - datetime.timedelta(days=1)).isoformat()
        self.db.sql("UPDATE visits SET visit_date = '%s' WHERE id = %d" % (yesterday, u["id"]))
        before = len(self.audit_rows(action="visit.contact_read"))
        r = phone.get("/api/v1/visits/%d" % u["id"])
        self.assertEqual((r.status, r.json["contact"]), (200, None), r)
        self.assertEqual(len(self.audit_rows(action="visit.contact_read")), before)
        # another caregiver sees neither the visit nor the home
        _, other = self.caregiver_account()
        self.assertError(other.get("/api/v1/visits/%d" % v["id"]), 404)
        # without --public-url no rating link is sent after a check-out
        self.assertEqual(self.one("SELECT COUNT(*) FROM notices WHERE ref_type = 'visit'"), "0")
        self.assertIn('"rating_sms":false', self.audit_rows(action="visit.checkout", target_id=str(u["id"]))[0]["detail"])

    def test_plans_today_and_unscheduled_checkin(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(1, free=True)
        plan2, person2, _, _ = self.home_plan(2, free=True)
        r = phone.get("/api/v1/visits/plans-today")
        self.assertEqual((r.status, r.json["date"], r.json["items"]), (200, cn_today().isoformat(), []), r)
        # a plan of the caregiver's provider that is not theirs: no check-in on it (a stand-in is scheduled)
        self.assertError(phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "plan_id": plan,
                                                               "device_at": int(time.time()), "lat": lat, "lon": lon,
                                                               "accuracy": 9}), 403, field="plan_id")
        # in the plan's weekly pattern (any day): offered
        padmin = self.as_user("provider_admin")
        weekday = cn_today().isoweekday() % 7 + 1  # tomorrow's: no visit of it today
        r = padmin.put("/api/v1/care-plans/%d/patterns" % plan,
                       {"patterns": [{"weekday": weekday, "start_time": "07:30", "caregiver_id": cg}]})
        self.assertEqual(r.status, 200, r)
        # the preferred caregiver of another plan: offered too
        self.db.sql("UPDATE care_plans SET caregiver_id = %d WHERE id = %d" % (cg, plan2))
        items = phone.get("/api/v1/visits/plans-today").json["items"]
        self.assertEqual(sorted(x["plan_id"] for x in items), sorted([plan, plan2]))
        it = [x for x in items if x["plan_id"] == plan][0]
        name, area = self.db.sql("SELECT p.name, ar.name FROM persons p JOIN areas ar ON ar.id = p.area_id"
                                 " WHERE p.id = %d" % person)[0]
        self.assertEqual((it["person"]["id"], it["person"]["name"], it["person"]["area_name"]),
                         (person, masked(name), area))
        self.assertNotEqual(it["person"]["name"], name)
        self.assertEqual((it["mode"], it["mode_label"], it["provider"]["id"], it["scheduled_today"]),
                         ("home", "居家上门护理", self.p1(), 0))
        # a visit scheduled for the caregiver today is counted (the phone checks in on it instead)
        self.assertEqual(self.visit_today(plan2, cg).status, 201)
        items = {x["plan_id"]: x for x in phone.get("/api/v1/visits/plans-today").json["items"]}
        self.assertEqual(items[plan2]["scheduled_today"], 1)
        # an unscheduled check-in on the plan offered
        now = int(time.time())
        r = phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "plan_id": plan, "device_at": now,
                                                  "lat": lat, "lon": lon, "accuracy": 9})
        self.assertEqual((r.status, r.json["status"]), (200, "in_progress"), r)
        row = [x for x in phone.get("/api/v1/visits?mine=1&status=in_progress").json["items"] if x["id"] == r.json["id"]]
        self.assertEqual((len(row), row[0]["plan_id"]), (1, plan))
        self.assertEqual([x["code"] for x in row[0]["plan_items"]], self.plan_items(plan))
        # a plan that ended yesterday is no longer offered
        self.db.sql("UPDATE care_plans SET ended_on = '%s' WHERE id = %d"
                    % ((cn_today() - datetime.timedelta(days=1)).isoformat(), plan2))
        self.assertEqual([x["plan_id"] for x in phone.get("/api/v1/visits/plans-today").json["items"]], [plan])
        # the family caregiver of a family-care plan: that plan
        fplan, fcg, fperson, fprov = self.db.sql(
            "SELECT cp.id, cp.family_caregiver_id, cp.person_id, pr.code FROM care_plans cp JOIN providers pr"
            " ON pr.id = cp.provider_id JOIN caregivers c ON c.id = cp.family_caregiver_id WHERE cp.status = 'active'"
            " AND cp.mode = 'family' AND cp.effective_from <= '%s' AND c.person_id = cp.person_id ORDER BY cp.id"
            " LIMIT 1" % cn_today())[0]
        r = self.as_user("admin").post("/api/v1/users", {
            "username": "fam_cg", "display_name": "亲情护理员", "role": "caregiver",
            "scope": {"kind": "provider", "code": fprov}, "password": "Init#2026ab", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        fam_uid = r.json["id"]
        # linked by the bureau: an account of the provider whose family-care plan the caregiver looks after, and
        # no other provider's
        other = "P0002" if fprov != "P0002" else "P0003"
        r = self.as_user("admin").post("/api/v1/users", {
            "username": "fam_cg2", "display_name": "亲情护理员", "role": "caregiver",
            "scope": {"kind": "provider", "code": other}, "password": "Init#2026ab", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        bureau = self.as_user("bureau")
        self.assertError(bureau.patch("/api/v1/caregivers/%s" % fcg, {"user_id": r.json["id"]}), 400, field="user_id")
        r = bureau.patch("/api/v1/caregivers/%s" % fcg, {"user_id": fam_uid})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.one("SELECT user_id FROM caregivers WHERE id = %s" % fcg), str(fam_uid))
        fam = self.login("fam_cg", "Init#2026ab")
        items = fam.get("/api/v1/visits/plans-today").json["items"]
        self.assertEqual([(x["plan_id"], x["mode"], x["person"]["id"]) for x in items], [(int(fplan), "family", int(fperson))])
        r = fam.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "plan_id": int(fplan), "device_at": now})
        self.assertEqual((r.status, r.json.get("caregiver_id")), (200, int(fcg)), r)
        # an account that is not a caregiver's record: refused
        r = self.as_user("admin").post("/api/v1/users", {
            "username": "cg_none", "display_name": "未登记", "role": "caregiver",
            "scope": {"kind": "provider", "code": "P0001"}, "password": "Init#2026ab", "must_change_password": False})
        self.assertError(self.login("cg_none", "Init#2026ab").get("/api/v1/visits/plans-today"), 403)

    def test_labels_worded_once(self):
        opts = self.as_user("bureau").get("/api/v1/feedback/options").json
        words = lambda key: {x["key"]: x["label"] for x in opts[key]}  # noqa: E731
        self.assertEqual(words("visit_statuses"), {"scheduled": "待服务", "in_progress": "服务中", "done": "已完成",
                                                   "missed": "未服务", "cancelled": "已取消"})
        self.assertEqual(words("verify_states"), {"pending": "待核验", "verified": "核验通过", "exception": "核验异常"})
        self.assertEqual(words("review_states"), {"open": "待机构说明", "explained": "待经办审核",
                                                  "accepted": "审核认可", "rejected": "审核不予认可"})
        self.assertEqual(words("complaint_sources"), {"portal": "网上投诉", "hotline": "12345热线",
                                                      "inspection": "监督检查"})
        # the records say the same: the staff list, and the public short link's page
        rows = self.as_user("bureau").get("/api/v1/visits?page_size=200").json["items"]
        for x in rows:
            self.assertEqual(x["status_label"], words("visit_statuses")[x["status"]], x)
            self.assertEqual(x["verify_label"], words("verify_states")[x["verify_state"]], x)
            if x["review_state"]:
                self.assertEqual(x["review_label"], words("review_states")[x["review_state"]], x)
        token = self.one("SELECT rating_token FROM visits WHERE rating_token IS NOT NULL AND status = 'done' LIMIT 1")
        self.assertEqual(self.new_client().get("/api/v1/ratings/%s" % token).json["status_label"], "已完成")


class TestRatingLink(Visits):
    """With --public-url (here LTCI_PUBLIC_URL) a check-out queues an SMS with the visit's short rating link to the
    family, in the check-out's transaction; the family's list rows carry the rating state."""

    server_env = {"LTCI_PUBLIC_URL": "https://ltc.example.gov.cn/"}

    def notices(self, vid):
        return self.db.sql("SELECT channel, recipient, body FROM notices WHERE ref_type = 'visit' AND ref_id = '%d'" % vid)

    def test_sms_after_checkout(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(0)
        self.serve(cg, plan)
        now = int(time.time())
        r = phone.post("/api/v1/visits/checkin", {"key": str(uuid.uuid4()), "plan_id": plan, "device_at": now - 3900,
                                                  "lat": lat, "lon": lon, "accuracy": 10})
        self.assertEqual(r.status, 200, r)
        vid = r.json["id"]
        self.assertEqual(self.notices(vid), [])  # not at check-in
        out = {"key": str(uuid.uuid4()), "visit_id": vid, "device_at": now, "lat": lat, "lon": lon, "accuracy": 10,
               "items": self.plan_items(plan)[:1]}
        r = phone.post("/api/v1/visits/checkout", out)
        self.assertEqual(r.status, 200, r)
        self.assertEqual(phone.post("/api/v1/visits/checkout", out).status, 200)  # sent again: no second SMS
        token = self.one("SELECT rating_token FROM visits WHERE id = %d" % vid)
        agent = self.one("SELECT phone FROM person_contacts WHERE person_id = %d ORDER BY is_agent DESC, id LIMIT 1"
                         % person)
        rows = self.notices(vid)
        self.assertEqual([(c, to) for c, to, _ in rows], [("sms", agent)], rows)
        body = rows[0][2]
        self.assertIn("https://ltc.example.gov.cn/r/%s" % token, body)
        until = (datetime.date.fromisoformat(r.json["visit_date"]) + datetime.timedelta(days=7)).isoformat()
        self.assertIn(until, body)
        name = self.one("SELECT name FROM persons WHERE id = %d" % person)
        self.assertNotIn(name, body)
        self.assertIn('"rating_sms":true', self.audit_rows(action="visit.checkout", target_id=str(vid))[1]["detail"])
        # the link opens the visit's rating page
        view = self.new_client().get("/api/v1/ratings/%s" % token)
        self.assertEqual((view.status, view.json["can_rate"], view.json["rate_until"]), (200, True, until), view)
        # nobody with a mobile: no SMS (a landline cannot take one), the check-out goes through
        plan2, person2, lat2, lon2 = self.home_plan(1)
        self.db.sql("UPDATE persons SET phone = NULL WHERE id = %d" % person2)
        self.db.sql("UPDATE person_contacts SET phone = '0580-2021234' WHERE person_id = %d" % person2)
        v = self.unscheduled(phone, plan2, 200, 65, lat2, lon2, self.plan_items(plan2)[:1])
        self.assertEqual(v["status"], "done")
        self.assertEqual(self.notices(v["id"]), [])
        # the person's own mobile when no relative has one
        self.db.sql("UPDATE persons SET phone = '13800001111' WHERE id = %d" % person2)
        v = self.unscheduled(phone, plan2, 120, 65, lat2, lon2, self.plan_items(plan2)[:1])
        self.assertEqual([(c, to) for c, to, _ in self.notices(v["id"])], [("sms", "13800001111")])

    def test_family_rows_carry_the_rating(self):
        cg, phone = self.caregiver_account()
        plan, person, lat, lon = self.home_plan(2)
        self.serve(cg, plan)
        uid = int(self.one("SELECT id FROM users WHERE username = 'applicant'"))
        self.db.sql("INSERT INTO user_persons (user_id, person_id, relation) VALUES (%d, %d, '女儿')" % (uid, person))
        v = self.unscheduled(phone, plan, 130, 65, lat, lon, self.plan_items(plan)[:1])
        w = self.unscheduled(phone, plan, 60, 50, lat, lon, self.plan_items(plan)[:1], checkout=False)
        fam = self.as_user("applicant")
        today = cn_today().isoformat()
        until = (cn_today() + datetime.timedelta(days=7)).isoformat()

        def rows():
            r = fam.get("/api/v1/visits?person_id=%d&from=%s&to=%s" % (person, today, today))
            self.assertEqual(r.status, 200, r)
            return {x["id"]: x for x in r.json["items"]}

        got = rows()
        token = self.one("SELECT rating_token FROM visits WHERE id = %d" % v["id"])
        x = got[v["id"]]
        self.assertEqual((x["rating_token"], x["rating"], x["can_rate"], x["rate_until"], x["rate_reason"]),
                         (token, None, True, until, None), x)
        y = got[w["id"]]
        self.assertEqual((y["rating_token"], y["rating"], y["can_rate"]), (None, None, False), y)
        self.assertIn("尚未完成", y["rate_reason"])
        r = fam.post("/api/v1/visits/%d/rating" % v["id"], {"stars": 4, "tags": ["准时"], "comment": "很好"})
        self.assertEqual(r.status, 201, r)
        x = rows()[v["id"]]
        self.assertEqual((x["rating"]["stars"], x["rating"]["tags"], x["rating"]["channel"], x["can_rate"]),
                         (4, ["准时"], "portal", False), x)
        self.assertIn("已评价", x["rate_reason"])
        # staff rows carry none of it
        staff = [s for s in self.as_user("bureau").get("/api/v1/visits?person_id=%d" % person).json["items"]
                 if s["id"] == v["id"]][0]
        self.assertFalse({"rating_token", "can_rate", "rating"} & set(staff))

    def test_public_url_is_checked(self):
        for bad in ("ftp://x.example", "https://", "https:///r", "https://a b.example", "https://x.example/?q=1",
                    "https://x.example/" + "a" * 200):
            out = run_cli("serve", "--public-url", bad, "--listen", "127.0.0.1:0")
            self.assertEqual(out.returncode, 2, (bad, out.stderr))
            self.assertIn("--public-url", out.stderr)


if __name__ == "__main__":
    unittest.main()

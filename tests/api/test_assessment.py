"""The assessment workflow end to end: application, materials, pre-screening (and each refusal), the reproducible
draw, the assessment with its quality flags, the committee, two experts' confirmation, publication, notices,
certification, appeal excluding the first pair, illegal transitions (409), department sharing and follow-ups."""
import datetime
import hashlib
import json
import os
import time
import unittest
import urllib.parse

from harness import LtciTestCase, Server
from test_registry import make_id

GATE_E = {"eating": "dependent", "continence": "dependent", "bathing": "dependent", "dressing": "independent",
          "toileting": "independent", "transfer": "independent"}          # a3 b0 -> E: proceeds
GATE_B = {"eating": "dependent", "continence": "independent", "bathing": "independent", "dressing": "independent",
          "toileting": "independent", "transfer": "independent"}          # a1 b0 -> B: does not
SEVERE = {"eating": 0, "dressing": 0, "face_oral": 0, "bowel": 0, "bladder": 5, "toilet": 0, "walking": 0,
          "transfer": 5, "stairs": 0, "bathing": 0, "time_orientation": 1, "person_orientation": 0,
          "place_orientation": 0, "memory": 0, "vision": 4, "hearing": 3, "communication": 1}
# ADL 10 (重度, grade 3); cognition 1 (重度, 3); perception 8 (轻度, 1); worse of 3 and 1 is 3 -> table[3][3] = 5
MODERATE = dict(SEVERE, eating=10, dressing=10, face_oral=5, bowel=10, bladder=10, toilet=5, walking=10, transfer=10,
                stairs=0, bathing=0, time_orientation=4, person_orientation=4, place_orientation=4, memory=4,
                vision=4, hearing=4, communication=4)
# ADL 70 (轻度, grade 1); cognition 16 (完好); perception 12 (完好) -> table[1][0] = 1


class Workflow(LtciTestCase):
    counter = 0
    # The assessor-outlier test depends on which pair the draw picks; TestOutlier covers it on its own.
    scheme_overrides = {"assessment.quality.outlier_min_assessments": 10000}

    def area(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def new_person(self, code="339902001002", birth="1940", phone="13700002222"):
        Workflow.counter += 1
        id17 = "339902%s0101%03d" % (birth, 100 + Workflow.counter)
        id17 = id17[:16] + str(Workflow.counter % 10)
        bureau = self.as_user("bureau")
        r = bureau.post("/api/v1/persons", {
            "id_number": make_id(id17), "name": "评估测试", "area_id": self.area(code), "phone": phone,
            "lat": 29.99, "lon": 122.2,
            "enrolment": {"category": "resident", "status": "active", "effective_from": "2020-01-01"}})
        self.assertEqual(r.status, 201, r)
        return r.json["id"]

    def apply(self, person, **extra):
        body = {"person_id": person, "type": "first", "pledge_signed": True, "applicant_kind": "agent",
                "agent_name": "王小明", "agent_relation": "子女", "agent_phone": "13912345678",
                "agent_email": "wxm@example.com", "disability_since": "2025-01-01", "self_assessment": GATE_E}
        body.update(extra)
        return self.as_user("intake").post("/api/v1/applications", body)

    def upload(self, app_id, kind="discharge_summary", data=b"%PDF-1.4\nsummary\n", ctype="application/pdf"):
        return self.as_user("intake").request("POST", "/api/v1/applications/%d/materials?kind=%s&filename=doc.pdf"
                                              % (app_id, kind), raw=data, content_type=ctype)

    def accepted_case(self, person=None):
        person = person or self.new_person()
        r = self.apply(person)
        self.assertEqual(r.status, 201, r)
        app = r.json["id"]
        self.assertEqual(self.upload(app).status, 201)
        r = self.as_user("intake").post("/api/v1/applications/%d/prescreen" % app, {"decision": "accept"})
        self.assertEqual((r.status, r.json.get("status")), (200, "accepted"), r)
        return app

    def drawn_pair(self, app):
        r = self.as_user("bureau").post("/api/v1/applications/%d/assign" % app)
        self.assertEqual((r.status, r.json.get("status")), (200, "assigned"), r)
        a = [x for x in r.json["assignments"] if x["status"] == "open"][0]
        return a["expert"]["id"], a["assessor"]["id"]

    def pool_user(self, assessor_id):
        return self.db.sql("SELECT u.username FROM assessors s JOIN users u ON u.id = s.user_id WHERE s.id = %d"
                           % assessor_id)[0][0]

    def visit(self, items=SEVERE, minutes=50, lat=29.99, lon=122.2, video=True, family=True):
        end = int(time.time()) - 60
        body = {"items": items, "visit_start": end - minutes * 60, "visit_end": end, "lat": lat, "lon": lon,
                "present": [{"name": "专家", "role": "expert"}, {"name": "评估员", "role": "assessor"}]}
        if family:
            body["present"].append({"name": "王小明", "role": "agent"})
        if video:
            body.update(video_ref="videos/visit.mp4", video_sha256="ab" * 32, video_seconds=minutes * 60)
        return body

    def assess(self, app, body):
        expert, assessor = self.drawn_pair(app)
        c = self.login(self.pool_user(assessor))
        return c.post("/api/v1/applications/%d/assessment" % app, body)

    def confirm_by_two(self, app):
        r1 = self.as_user("expert02").post("/api/v1/applications/%d/confirm" % app)
        self.assertEqual((r1.status, r1.json.get("status")), (200, "awaiting_confirmation"), r1)
        self.assertError(self.as_user("expert02").post("/api/v1/applications/%d/confirm" % app), 409)
        r2 = self.as_user("expert03").post("/api/v1/applications/%d/confirm" % app)
        self.assertEqual((r2.status, r2.json.get("status")), (200, "publicised"), r2)
        return r2.json


class TestHappyPath(Workflow):
    def test_whole_path(self):
        person = self.new_person()
        r = self.apply(person)
        self.assertEqual(r.status, 201, r)
        case = r.json
        app = case["id"]
        self.assertEqual((case["status"], case["gate"]), ("submitted", "E"))
        checks = {c["code"]: c["ok"] for c in case["checks"]}
        self.assertFalse(checks["materials"])
        self.assertTrue(checks["insured"] and checks["self_assessment"] and checks["pledge"] and checks["duration"])
        # accept is refused while a check fails
        self.assertError(self.as_user("intake").post("/api/v1/applications/%d/prescreen" % app,
                                                     {"decision": "accept"}), 409, field="decision")
        pdf = b"%PDF-1.4\nthe discharge summary\n"
        r = self.upload(app, data=pdf)
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["materials"][0]["sha256"], hashlib.sha256(pdf).hexdigest())
        self.assertTrue(r.json["checks_ok"])
        m = r.json["materials"][0]["id"]
        d = self.as_user("committee").get("/api/v1/applications/%d/materials/%d" % (app, m))
        self.assertEqual((d.status, d.raw, d.header("Content-Type")), (200, pdf, "application/pdf"))
        r = self.as_user("intake").post("/api/v1/applications/%d/prescreen" % app, {"decision": "accept"})
        self.assertEqual(r.json["status"], "accepted")
        # the draw: recorded, reproducible, never the provider's assessor
        expert, assessor = self.drawn_pair(app)
        draws = self.as_user("auditor").get("/api/v1/applications/%d/draws" % app).json["items"]
        self.assertEqual(len(draws), 1)
        self.assertTrue(draws[0]["reproduced"])
        self.assertIn(expert, draws[0]["experts"])
        self.assertIn(assessor, draws[0]["assessors"])
        provider_assessor = int(self.db.sql("SELECT id FROM assessors WHERE provider_id IS NOT NULL")[0][0])
        self.assertNotIn(provider_assessor, draws[0]["assessors"])
        self.assertIn(provider_assessor, [x["id"] for x in draws[0]["excluded"]])
        # only the drawn pair may submit
        outsider = [u for u in ("assessor02", "assessor03", "assessor04") if u != self.pool_user(assessor)][0]
        self.assertError(self.login(outsider).post("/api/v1/applications/%d/assessment" % app, self.visit()), 403)
        c = self.login(self.pool_user(expert))
        bad = dict(SEVERE, eating=7)
        self.assertError(c.post("/api/v1/applications/%d/assessment" % app, self.visit(items=bad)), 400,
                         field="items.eating")
        r = c.post("/api/v1/applications/%d/assessment" % app, self.visit())
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["status"], r.json["level"], r.json["level_name"]), ("awaiting_confirmation", 5,
                                                                                  "重度失能Ⅲ级"))
        res = r.json["assessments"][0]["result"]
        self.assertEqual((res["adl"]["total"], res["adl"]["grade"], res["cognition"]["total"],
                          res["perception"]["total"], res["perception"]["grade"]), (10, 3, 1, 8, 1))
        self.assertEqual(r.json["assessments"][0]["flags"], [])
        # two experts confirm: publication, notices with the deadline
        case = self.confirm_by_two(app)
        cert = case["certification"]
        self.assertEqual((cert["status"], cert["level"], cert["qualifies"]), ("publicised", 5, True))
        notices = self.db.sql("SELECT channel, recipient, body FROM notices WHERE ref_id = '%d' ORDER BY channel"
                              % app)
        self.assertEqual([n[:2] for n in notices], [["email", "wxm@example.com"], ["sms", "13912345678"]])
        self.assertIn(cert["appeal_until"], notices[1][2])
        self.assertIn("重度失能Ⅲ级", notices[1][2])
        self.assertIn(cert["valid_until"], notices[1][2])
        # the outbox lists one case's notices with the recipients masked
        listed = self.as_user("auditor").get("/api/v1/notices?ref_id=%d" % app).json
        self.assertEqual(sorted((n["channel"], n["recipient"]) for n in listed["items"]),
                         [("email", "w***@example.com"), ("sms", "139****5678")])
        # certification waits for the end of publication
        self.assertError(self.as_user("bureau").post("/api/v1/applications/%d/certify" % app), 409)
        self.db.sql("UPDATE certifications SET published_until = '2000-01-01' WHERE application_id = %d" % app)
        r = self.as_user("bureau").post("/api/v1/applications/%d/certify" % app)
        self.assertEqual((r.status, r.json["status"], r.json["certification"]["status"]), (200, "certified",
                                                                                           "certified"), r)
        # validity: from the first day of the next month, for the scheme's 24 months
        vf, vu = r.json["certification"]["valid_from"], r.json["certification"]["valid_until"]
        self.assertEqual(vf[8:], "01")
        y, m = int(vf[:4]), int(vf[5:7])
        self.assertEqual(vu[:7], "%04d-%02d" % (y + 2 if m > 1 else y + 1, m - 1 if m > 1 else 12))
        rows = [row for row in self.audit_rows(target_type="application", target_id=str(app)) if row["outcome"] == "ok"]
        self.assertEqual([row["action"] for row in rows if not row["action"].endswith(".read")],
                         ["application.certify", "conclusion.publish", "conclusion.confirm",
                          "assessment.submit", "application.assign", "application.prescreen",
                          "application.material", "application.submit"])
        # reading the medical records is audited, and so is opening the case (not the answer to a write)
        reads = [(row["action"], row["username"]) for row in rows if row["action"].endswith(".read")]
        self.assertEqual(reads, [("application.material.read", "committee")])
        self.assertEqual(self.as_user("auditor").get("/api/v1/applications/%d" % app).status, 200)
        row = self.audit_rows(target_type="application", target_id=str(app))[0]
        self.assertEqual((row["action"], row["username"]), ("application.read", "auditor"))

    def test_maintenance_certifies_after_publication(self):
        # two concluded cases whose publication has ended, one still in publication; a server starting on the
        # database runs the certification job at once (then every 10 minutes)
        apps = []
        for _ in range(3):
            app = self.accepted_case()
            self.assess(app, self.visit())
            self.confirm_by_two(app)
            apps.append(app)
        for app in apps[:2]:
            self.db.sql("UPDATE certifications SET published_until = '2000-01-01' WHERE application_id = %d" % app)
        second = Server(self.db, name="second")
        try:
            deadline = time.time() + 10
            while time.time() < deadline:
                states = [self.db.sql("SELECT status FROM applications WHERE id = %d" % a)[0][0] for a in apps]
                if states[:2] == ["certified", "certified"]:
                    break
                time.sleep(0.1)
        finally:
            second.stop()
        self.assertEqual(states, ["certified", "certified", "publicised"])
        row = self.audit_rows(action="application.certify", target_id=str(apps[0]))[0]
        self.assertEqual(row["username"], "system:maintenance")

    def test_illegal_transitions_409(self):
        app = self.accepted_case()
        self.assertError(self.as_user("intake").post("/api/v1/applications/%d/prescreen" % app,
                                                     {"decision": "accept"}), 409, "conflict", "status")
        self.assertError(self.as_user("expert").post("/api/v1/applications/%d/confirm" % app), 409)
        self.assertError(self.as_user("committee").post("/api/v1/applications/%d/review" % app,
                                                        {"decision": "uphold"}), 409)
        self.assertError(self.as_user("bureau").post("/api/v1/applications/%d/certify" % app), 409)
        self.assertError(self.upload(app), 409)
        expert, assessor = self.drawn_pair(app)
        c = self.login(self.pool_user(assessor))
        self.assertEqual(c.post("/api/v1/applications/%d/assessment" % app, self.visit()).status, 200)
        self.assertError(self.as_user("bureau").post("/api/v1/applications/%d/assign" % app), 409)
        self.assertError(self.as_user("intake").post("/api/v1/applications/%d/withdraw" % app,
                                                     {"reason": "家属撤回"}), 409)
        self.assertError(c.post("/api/v1/applications/%d/assessment" % app, self.visit()), 409)

    def test_redraw_and_withdraw_after_draw(self):
        app = self.accepted_case()
        expert, assessor = self.drawn_pair(app)
        # 改派: a new pair, nobody drawn before, the first draw marked replaced
        r = self.as_user("bureau").post("/api/v1/applications/%d/assign" % app)
        self.assertEqual((r.status, r.json["status"]), (200, "assigned"), r)
        draws = self.as_user("bureau").get("/api/v1/applications/%d/draws" % app).json["items"]
        self.assertEqual(len(draws), 2)
        new = [d for d in draws if d["status"] == "open"]
        self.assertEqual(len(new), 1)
        self.assertEqual(sorted(d["status"] for d in draws), ["open", "replaced"])
        self.assertNotIn(expert, new[0]["experts"])
        self.assertNotIn(assessor, new[0]["assessors"])
        reasons = {x["id"]: x["reason"] for x in new[0]["excluded"]}
        self.assertEqual((reasons[expert], reasons[assessor]), ("本案此前已抽取（改派）", "本案此前已抽取（改派）"))
        self.assertTrue(all(d["reproduced"] for d in draws))
        # the replaced assessor may no longer submit
        self.assertError(self.login(self.pool_user(assessor)).post("/api/v1/applications/%d/assessment" % app,
                                                                   self.visit()), 403)
        # withdrawn before the visit: the open draw is released
        r = self.as_user("intake").post("/api/v1/applications/%d/withdraw" % app, {"reason": "参保人住院，家属撤回"})
        self.assertEqual((r.status, r.json["status"]), (200, "withdrawn"), r)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM assignments WHERE application_id = %d AND status = 'open'"
                                     % app), [["0"]])

    def test_materials_are_type_checked(self):
        r = self.apply(self.new_person())
        app = r.json["id"]
        self.assertError(self.upload(app, data=b"MZ\x90\x00 not a pdf", ctype="application/pdf"), 415)
        self.assertError(self.upload(app, data=b"%PDF-1.4", ctype="text/html"), 415)
        self.assertError(self.upload(app, kind="selfie"), 400, field="kind")
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
        self.assertEqual(self.upload(app, kind="disability_certificate", data=png, ctype="image/png").status, 201)
        self.assertError(self.as_user("coordinator").request(
            "POST", "/api/v1/applications/%d/materials?kind=other" % app, raw=png, content_type="image/png"), 403)


class TestPrescreenRefusals(Workflow):
    def checks_of(self, app):
        return {c["code"]: c["ok"] for c in self.as_user("intake").get("/api/v1/applications/%d" % app).json["checks"]}

    def test_each_refusal(self):
        bureau = self.as_user("bureau")
        # not insured: enrolment suspended
        p = self.new_person()
        bureau.post("/api/v1/persons/%d/enrolments" % p, {"category": "resident", "status": "suspended",
                                                         "effective_from": "2026-01-01"})
        self.assertFalse(self.checks_of(self.apply(p).json["id"])["insured"])
        # deceased
        p = self.new_person()
        bureau.put("/api/v1/persons/%d/death" % p, {"death_date": "2026-02-01"})
        self.assertFalse(self.checks_of(self.apply(p).json["id"])["alive"])
        # disability shorter than 6 months (Zhoushan)
        p = self.new_person()
        since = time.strftime("%Y-%m-%d", time.localtime(time.time() - 60 * 86400))
        self.assertFalse(self.checks_of(self.apply(p, disability_since=since).json["id"])["duration"])
        # the self-assessment gate: B does not proceed
        p = self.new_person()
        app = self.apply(p, self_assessment=GATE_B).json
        self.assertEqual(app["gate"], "B")
        self.assertFalse(self.checks_of(app["id"])["self_assessment"])
        # an open application
        p = self.new_person()
        self.apply(p)
        second = self.apply(p).json["id"]
        self.assertFalse(self.checks_of(second)["no_open_application"])
        # too soon after the last conclusion (6 months), unless green channel
        p = self.new_person()
        app = self.accepted_case(person=p)
        self.assess(app, self.visit())
        self.confirm_by_two(app)
        again = self.apply(p).json["id"]
        self.assertFalse(self.checks_of(again)["interval"])
        self.as_user("intake").post("/api/v1/applications/%d/withdraw" % again, {"reason": "改走绿色通道"})
        green = self.apply(p, green_channel=True, green_reason="突发脑卒中").json["id"]
        self.assertTrue(self.checks_of(green)["interval"])
        # a rejection needs reasons and records them
        intake = self.as_user("intake")
        self.assertError(intake.post("/api/v1/applications/%d/prescreen" % second, {"decision": "reject"}), 400,
                         field="reasons")
        self.assertError(intake.post("/api/v1/applications/%d/prescreen" % second,
                                     {"decision": "reject", "reasons": ["because"]}), 400, field="reasons[0]")
        r = intake.post("/api/v1/applications/%d/prescreen" % second,
                        {"decision": "reject", "reasons": ["open_application"], "note": "已有申请在办"})
        self.assertEqual((r.status, r.json["status"]), (200, "rejected"), r)
        self.assertEqual(r.json["reject_reasons"][0]["code"], "open_application")

    def test_validation(self):
        intake = self.as_user("intake")
        p = self.new_person()
        cases = [
            ({"type": "second"}, "type"),
            ({"applicant_kind": "robot"}, "applicant_kind"),
            ({"agent_phone": "123"}, "agent_phone"),
            ({"agent_email": "no-at-sign"}, "agent_email"),
            ({"green_channel": True}, "green_reason"),
            ({"disability_since": "2999-01-01"}, "disability_since"),
            ({"type": "appeal"}, "appeal_of"),
            ({"self_assessment": {"eating": "sometimes"}}, "self_assessment"),
            ({"person_id": 999999}, "person_id"),
            ({"pledge_signed": "yes"}, "pledge_signed"),
        ]
        before = self.db.sql("SELECT COUNT(*) FROM applications")
        for change, field in cases:
            with self.subTest(change=change):
                self.assertError(self.apply(p, **change), 400, field=field)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM applications"), before)
        # intake (望江街道) cannot apply for someone in 海湾区
        outside = self.new_person(code="339903001001")
        self.assertError(self.apply(outside), 400, field="person_id")
        self.assertError(self.as_user("nurse").post("/api/v1/applications", {}), 403)
        # list filters are checked too, each error naming its parameter
        bureau = self.as_user("bureau")
        for path, field in (("/api/v1/applications?status=done", "status"), ("/api/v1/applications?type=x", "type"),
                            ("/api/v1/applications?person_id=abc", "person_id"),
                            ("/api/v1/certifications?status=gone", "status"),
                            ("/api/v1/certifications?expiring_within=-3", "expiring_within"),
                            ("/api/v1/assessment/stats?from=2025-13", "from"),
                            ("/api/v1/assessment/stats?to=202501", "to")):
            self.assertError(bureau.get(path), 400, field=field)

    def test_overdue_list(self):
        r = self.as_user("intake").get("/api/v1/applications?overdue=1")
        self.assertGreaterEqual(r.json["total"], 1)  # the demo's old submitted cases
        self.assertTrue(all(i["overdue"] and i["status"] == "submitted" for i in r.json["items"]))
        # an accepted case past its conclusion date is overdue too
        app = self.accepted_case()
        self.db.sql("UPDATE applications SET conclusion_due = '2000-01-03' WHERE id = %d" % app)
        r = self.as_user("bureau").get("/api/v1/applications?overdue=1&page_size=200")
        self.assertIn((app, True, "2000-01-03"), [(i["id"], i["overdue"], i["conclusion_due"]) for i in r.json["items"]])

    def test_conclusion_due_counts_working_days(self):
        # acceptance sets the conclusion date: 30 working days on the scheme's calendar, worked out here
        with open(os.path.join(os.path.dirname(__file__), "..", "..", "schemes", "zhoushan.json"), encoding="utf-8") as f:
            scheme = json.load(f)
        holidays = set(scheme["calendar"]["holidays"])
        workdays = set(scheme["calendar"]["workdays"])
        day = (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()
        left = scheme["periods"]["conclusion_working_days"]
        while left:
            day += datetime.timedelta(days=1)
            iso = day.isoformat()
            if iso in workdays or (day.weekday() < 5 and iso not in holidays):
                left -= 1
        app = self.accepted_case()
        case = self.as_user("bureau").get("/api/v1/applications/%d" % app).json
        self.assertEqual(case["conclusion_due"], day.isoformat())

    def test_list_filters_and_queue_fields(self):
        p = self.new_person(code="339902001003")
        app = self.accepted_case(person=p)
        bureau = self.as_user("bureau")
        name = self.db.sql("SELECT name, id_number FROM persons WHERE id = %d" % p)[0]
        for q in ("/api/v1/applications?q=%s" % urllib.parse.quote(name[0][:2]),
                  "/api/v1/applications?q=%s" % name[1][-6:],
                  "/api/v1/applications?q=%d" % app,
                  "/api/v1/applications?area_id=%d&page_size=200" % self.area("339902001003")):
            self.assertIn(app, [i["id"] for i in bureau.get(q).json["items"]], q)
        self.assertNotIn(app, [i["id"] for i in bureau.get("/api/v1/applications?area_id=%d&page_size=200"
                                                              % self.area("339903")).json["items"]])
        self.assertError(bureau.get("/api/v1/applications?area_id=987654"), 400, field="area_id")
        # the queues carry the flags and confirmations; the case says whether the caller is drawn
        expert, assessor = self.drawn_pair(app)
        c = self.login(self.pool_user(assessor))
        self.assertTrue(c.get("/api/v1/applications/%d" % app).json["drawn_me"])
        self.assertFalse(self.as_user("committee").get("/api/v1/applications/%d" % app).json["drawn_me"])
        c.post("/api/v1/applications/%d/assessment" % app, self.visit(minutes=5))
        item = [i for i in bureau.get("/api/v1/applications?status=in_review&page_size=200").json["items"]
                if i["id"] == app][0]
        self.assertEqual((item["flags"], item["confirmations"]), (["short_visit"], 0))


class TestQualityAndCommittee(Workflow):
    def test_flags_and_decisions(self):
        app = self.accepted_case()
        # a short visit, far from home, no video, no family: four flags
        body = self.visit(minutes=10, lat=30.2, lon=122.2, video=False, family=False)
        r = self.assess(app, body)
        self.assertEqual((r.status, r.json["status"]), (200, "in_review"), r)
        codes = {f["code"] for f in r.json["assessments"][0]["flags"]}
        self.assertEqual(codes, {"short_visit", "gps_far", "missing_video", "no_witness"})
        committee = self.as_user("committee")
        q = committee.get("/api/v1/applications?status=in_review").json
        self.assertIn(app, [i["id"] for i in q["items"]])
        self.assertError(committee.post("/api/v1/applications/%d/review" % app, {"decision": "amend", "level": 4}),
                         400, field="reason")
        self.assertError(committee.post("/api/v1/applications/%d/review" % app,
                                        {"decision": "amend", "level": 9, "reason": "x"}), 400, field="level")
        # a re-visit by a core expert: a new draw that leaves out the first pair
        first = self.as_user("bureau").get("/api/v1/applications/%d/draws" % app).json["items"][0]
        r = committee.post("/api/v1/applications/%d/review" % app, {"decision": "revisit", "reason": "定位异常，派核心专家复评"})
        self.assertEqual((r.status, r.json["status"]), (200, "assigned"), r)
        draws = self.as_user("bureau").get("/api/v1/applications/%d/draws" % app).json["items"]
        second = draws[-1]
        self.assertEqual(second["purpose"], "revisit")
        self.assertNotIn(first["expert"]["id"], second["experts"])
        self.assertNotIn(first["assessor"]["id"], second["assessors"])
        core = {int(x[0]) for x in self.db.sql("SELECT id FROM assessors WHERE core = 1")}
        self.assertTrue(set(second["experts"]) <= core)
        self.assertTrue(second["reproduced"])
        c = self.login(self.pool_user(second["assessor"]["id"]))
        r = c.post("/api/v1/applications/%d/assessment" % app, self.visit(items=MODERATE))
        self.assertEqual((r.json["status"], r.json["level"]), ("awaiting_confirmation", 1), r)
        # amend after flags: the committee sets the level, with a reason
        app2 = self.accepted_case()
        self.assess(app2, self.visit(minutes=5))
        r = committee.post("/api/v1/applications/%d/review" % app2,
                           {"decision": "amend", "level": 4, "reason": "视频显示可部分自理"})
        self.assertEqual((r.json["status"], r.json["level"]), ("awaiting_confirmation", 4), r)
        self.assertEqual(r.json["reviews"][0]["decision"], "amend")
        self.assertError(self.as_user("expert").post("/api/v1/applications/%d/review" % app2,
                                                     {"decision": "uphold"}), 403)

    def test_level_jump_flag(self):
        p = self.new_person()
        app = self.accepted_case(person=p)
        self.assess(app, self.visit(items=MODERATE))   # level 1
        self.confirm_by_two(app)
        r = self.apply(p, type="change")               # a change of condition: no interval
        app2 = r.json["id"]
        self.upload(app2)
        self.as_user("intake").post("/api/v1/applications/%d/prescreen" % app2, {"decision": "accept"})
        r = self.assess(app2, self.visit())            # level 5: four steps up
        self.assertEqual(r.json["status"], "in_review")
        self.assertIn("level_jump", {f["code"] for f in r.json["assessments"][0]["flags"]})


class TestOutlier(Workflow):
    """The assessor-outlier flag: a one-sample z-test of the member's mean level over the last year (this assessment
    included) against everyone else's, once the member has `outlier_min_assessments` (10) of them; z limit 3.00.
    Each case moves the earlier history out of the year and seeds a known one, so the figures are worked by hand."""
    scheme_overrides = None

    def seed(self, member, levels, by):
        """Past assessments by `member` (as both roles, so no one else's figures move) on an old demo case."""
        when = int(time.time()) - 86400 * 30
        app = int(self.db.sql("SELECT MIN(id) FROM applications")[0][0])
        for level in levels:
            self.db.sql("INSERT INTO assignments (application_id, purpose, seed, experts, assessors, excluded, expert_id,"
                        " assessor_id, status, drawn_by, drawn_at) VALUES (%d, 'assessment', '1', '[]', '[]', '[]',"
                        " %d, %d, 'done', 'test', %d)" % (app, member, member, when))
            asg = int(self.db.sql("SELECT MAX(id) FROM assignments")[0][0])
            self.db.sql("INSERT INTO assessments (application_id, assignment_id, form, level, visit_start, visit_end,"
                        " flags, submitted_by, submitted_at) VALUES (%d, %d, '{}', %d, 1, 2, '[]', '%s', %d)"
                        % (app, asg, level, by, when))

    def case(self, prior_levels):
        """A new case whose drawn assessor has `prior_levels` in the year and whose peers are one other member with
        ten assessments at level 2 and ten at level 4 (mean 3, standard deviation 1); returns the flags naming the
        assessor after a level-5 assessment."""
        self.db.sql("UPDATE assessments SET submitted_at = 1000")
        app = self.accepted_case()
        expert, assessor = self.drawn_pair(app)
        peer = [m for m in (int(x[0]) for x in self.db.sql("SELECT id FROM assessors ORDER BY id"))
                if m not in (expert, assessor)][0]
        self.seed(peer, [2] * 10 + [4] * 10, "peer")
        self.seed(assessor, prior_levels, "history")
        name = self.db.sql("SELECT name FROM assessors WHERE id = %d" % assessor)[0][0]
        r = self.login(self.pool_user(assessor)).post("/api/v1/applications/%d/assessment" % app, self.visit())
        self.assertEqual(r.status, 200, r)
        return r, [f["message"] for f in r.json["assessments"][0]["flags"]
                   if f["code"] == "assessor_outlier" and f["message"].startswith(name)]

    def test_below_minimum_is_not_tested(self):
        # eight before and this one: nine, below the minimum of ten, although all at level 5
        r, mine = self.case([5] * 8)
        self.assertEqual(mine, [])
        self.assertEqual(r.json["status"], "awaiting_confirmation")

    def test_far_from_peers_is_flagged(self):
        # ten at level 5: mean 5; z = (5 - 3) / (1 / sqrt(10)) = 2 * 3.1623 = 6.32 > 3.00
        r, mine = self.case([5] * 9)
        self.assertEqual(len(mine), 1, r.json["assessments"][0]["flags"])
        self.assertIn("近一年10次评估的平均等级5.00，同行平均3.00（20次），z=6.32", mine[0])
        self.assertEqual(r.json["status"], "in_review")

    def test_near_peers_is_not_flagged(self):
        # nine at level 3 and this one at 5: mean 3.2; z = 0.2 * 3.1623 = 0.63 < 3.00
        r, mine = self.case([3] * 9)
        self.assertEqual(mine, [])
        # twelve at level 4 and this one: mean (48 + 5) / 13 = 4.077; z = 1.077 * sqrt(13) = 3.88 > 3.00
        r, mine = self.case([4] * 12)
        self.assertEqual(len(mine), 1)
        self.assertIn("近一年13次评估的平均等级4.08，同行平均3.00（20次），z=3.88", mine[0])


class TestAppeal(Workflow):
    def test_appeal_excludes_first_pair_and_is_final(self):
        p = self.new_person()
        app = self.accepted_case(person=p)
        expert, assessor = self.drawn_pair(app)
        c = self.login(self.pool_user(assessor))
        c.post("/api/v1/applications/%d/assessment" % app, self.visit(items=MODERATE))
        self.confirm_by_two(app)
        r = self.apply(p, type="appeal", appeal_of=app, self_assessment=None)
        self.assertEqual(r.status, 201, r)
        appeal = r.json["id"]
        checks = {x["code"]: x["ok"] for x in r.json["checks"]}
        self.assertTrue(checks["appeal_window"])
        self.assertNotIn("materials", checks)
        r = self.as_user("intake").post("/api/v1/applications/%d/prescreen" % appeal, {"decision": "accept"})
        self.assertEqual(r.json["status"], "accepted", r)
        e2, a2 = self.drawn_pair(appeal)
        self.assertNotEqual(e2, expert)
        self.assertNotEqual(a2, assessor)
        draw = self.as_user("bureau").get("/api/v1/applications/%d/draws" % appeal).json["items"][0]
        self.assertEqual(draw["purpose"], "appeal")
        self.assertNotIn(expert, draw["experts"])
        self.assertNotIn(assessor, draw["assessors"])
        reasons = {x["id"]: x["reason"] for x in draw["excluded"]}
        self.assertIn(expert, reasons)
        r = self.login(self.pool_user(a2)).post("/api/v1/applications/%d/assessment" % appeal, self.visit())
        # four levels up from the appealed conclusion: the jump is flagged on an appeal as well
        self.assertEqual(r.json["status"], "in_review", r)
        self.assertIn("level_jump", {f["code"] for f in r.json["assessments"][0]["flags"]})
        r = self.as_user("committee").post("/api/v1/applications/%d/review" % appeal,
                                           {"decision": "uphold", "reason": "复评依据充分"})
        self.assertEqual((r.status, r.json["status"]), (200, "awaiting_confirmation"), r)
        case = self.confirm_by_two(appeal)
        self.assertTrue(case["certification"]["final"])
        first = self.db.sql("SELECT status FROM certifications WHERE application_id = %d" % app)
        self.assertEqual(first, [["superseded"]])
        body = self.db.sql("SELECT body FROM notices WHERE ref_id = '%d' AND channel = 'sms'" % appeal)[0][0]
        self.assertIn("最终结论", body)
        # no appeal of an appeal
        r = self.apply(p, type="appeal", appeal_of=appeal, self_assessment=None)
        checks = {x["code"]: x["ok"] for x in r.json["checks"]}
        self.assertFalse(checks["appeal_window"])


class TestSharingAndFollowups(Workflow):
    def test_department_token_scope_and_audit(self):
        admin = self.as_user("admin")
        tok_all = admin.post("/api/v1/tokens", {"name": "民政局", "role": "dept",
                                                "scope": {"kind": "region", "code": "339900"}}).json["token"]
        tok_hw = admin.post("/api/v1/tokens", {"name": "海湾区卫健", "role": "dept",
                                               "scope": {"kind": "district", "code": "339903"}}).json["token"]
        everyone = self.new_client(token=tok_all).get("/api/v1/shared/certifications?page_size=200&scale=civil_affairs")
        self.assertEqual(everyone.status, 200, everyone)
        self.assertGreater(everyone.json["total"], 0)
        item = everyone.json["items"][0]
        self.assertEqual(len(item["id_number"]), 18)  # the department matches persons by full ID number
        expected = {0: "能力完好", 1: "轻度失能", 2: "中度失能", 3: "重度失能", 4: "重度失能", 5: "完全失能"}
        self.assertTrue(all(i["mapped"] == expected[i["level"]] for i in everyone.json["items"]))
        hw = self.new_client(token=tok_hw).get("/api/v1/shared/certifications?page_size=200").json
        hw_ids = {i["person_id"] for i in hw["items"]}
        in_hw = {int(x[0]) for x in self.db.sql(
            "SELECT c.person_id FROM certifications c JOIN persons p ON p.id = c.person_id JOIN areas a"
            " ON a.id = p.area_id WHERE c.status = 'certified' AND a.code LIKE '339903%'")}
        self.assertTrue(hw_ids and hw_ids <= in_hw)
        self.assertLess(hw["total"], everyone.json["total"])
        row = self.audit_rows(action="shared.read")[0]
        self.assertEqual(row["username"], "token:海湾区卫健")
        self.assertEqual(sorted(json.loads(row["detail"])["persons"]), sorted(hw_ids))
        self.assertError(self.new_client(token=tok_all).get("/api/v1/shared/certifications?scale=nope"), 400,
                         field="scale")
        self.assertError(self.as_user("bureau").get("/api/v1/shared/certifications"), 403)

    def test_followup_sample_is_reproducible(self):
        bureau = self.as_user("bureau")
        a = bureau.post("/api/v1/followups/samples", {"per_street": 2, "seed": "424242"})
        self.assertEqual(a.status, 201, a)
        b = bureau.post("/api/v1/followups/samples", {"per_street": 2, "seed": "424242"})
        pa = [x["person_id"] for x in bureau.get("/api/v1/followups?sample_id=%d&page_size=200" % a.json["id"]).json["items"]]
        pb = [x["person_id"] for x in bureau.get("/api/v1/followups?sample_id=%d&page_size=200" % b.json["id"]).json["items"]]
        self.assertEqual(sorted(pa), sorted(pb))
        self.assertEqual(len(pa), a.json["drawn"])
        streets = self.db.sql("SELECT street_id, COUNT(*) FROM followups WHERE sample_id = %d GROUP BY street_id"
                              % a.json["id"])
        self.assertTrue(all(int(n) <= 2 for _, n in streets))
        coord = self.as_user("coordinator")  # 望江街道: sees and records only its street
        mine = coord.get("/api/v1/followups?sample_id=%d" % a.json["id"]).json["items"]
        self.assertTrue(mine and all(x["street"] == "望江街道" for x in mine))
        f = mine[0]["id"]
        self.assertError(coord.patch("/api/v1/followups/%d" % f, {"outcome": "inconsistent",
                                                                 "visited_on": "2026-11-01"}), 400, field="notes")
        r = coord.patch("/api/v1/followups/%d" % f, {"outcome": "consistent", "visited_on": "2026-11-01"})
        self.assertEqual(r.status, 200, r)
        self.assertError(coord.patch("/api/v1/followups/%d" % f, {"outcome": "consistent",
                                                                 "visited_on": "2026-11-01"}), 409)
        other = [x["id"] for x in bureau.get("/api/v1/followups?sample_id=%d&page_size=200" % a.json["id"]).json["items"]
                 if x["street"] != "望江街道"][0]
        self.assertError(coord.patch("/api/v1/followups/%d" % other, {"outcome": "consistent",
                                                                     "visited_on": "2026-11-01"}), 404)

    def test_stats_and_reminders(self):
        s = self.as_user("bureau").get("/api/v1/assessment/stats").json["items"]
        self.assertTrue(s)
        total = sum(r["applications"] for r in s)
        self.assertEqual(total, int(self.db.sql("SELECT COUNT(*) FROM applications")[0][0]))
        coord = self.as_user("coordinator").get("/api/v1/assessment/stats").json["items"]
        self.assertTrue(all(r["street"] == "望江街道" for r in coord))
        r = self.as_user("bureau").get("/api/v1/certifications?expiring_within=400&page_size=200").json
        self.assertTrue(all(i["status"] == "certified" for i in r["items"]))
        self.assertEqual(r["items"], sorted(r["items"], key=lambda i: (i["valid_until"], i["id"])))
        form = self.as_user("assessor").get("/api/v1/assessment/form").json
        self.assertEqual(len(form["items"]), 17)
        self.assertEqual(form["items"][0]["hints"][-1][:4], "可独立进")


if __name__ == "__main__":
    unittest.main()

"""Providers and agreements, caregivers and "qualified on day D", and care plans: lifecycle, entitlement limits named
in refusals, confirmation before a plan is in force, a provider switch from next month, a barred provider refused
for new clients while current plans run on, termination with its hand-over list, and provider staff kept to their
own provider's caregivers and plans."""
import datetime
import time
import unittest

from harness import LtciTestCase, Server
from test_assessment import MODERATE, SEVERE, Workflow
from test_registry import make_id

def today():
    # the server's "today" is the Asia/Shanghai date
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()


def first_of_next_month(d):
    return datetime.date(d.year + (d.month == 12), d.month % 12 + 1, 1)


# A home-care plan for Zhoushan: 3 visits a week of 60 minutes (15 + 20 + 15 + 10), inside 3-7 visits, <= 420 min.
HOME_ITEMS = [{"code": "QJ01", "per_week": 3, "minutes": 15}, {"code": "PX02", "per_week": 3, "minutes": 20},
              {"code": "YD01", "per_week": 3, "minutes": 15}, {"code": "YZ01", "per_week": 3, "minutes": 10}]


class Care(LtciTestCase):
    seq = 0

    def one(self, sql):
        return self.db.sql(sql)[0][0]

    def area(self, code):
        return int(self.one("SELECT id FROM areas WHERE code = '%s'" % code))

    def provider(self, code):
        return int(self.one("SELECT id FROM providers WHERE code = '%s'" % code))

    def reserved(self):
        """The demo's certified beneficiary in 望江街道 linked to the family account, without a plan."""
        return int(self.one("SELECT up.person_id FROM user_persons up JOIN users u ON u.id = up.user_id"
                            " WHERE u.username = 'applicant'"))

    def beneficiary(self, street, with_plan):
        """A certified qualifying beneficiary of the street, with or without a plan."""
        rows = self.db.sql(
            "SELECT c.person_id FROM certifications c JOIN persons p ON p.id = c.person_id JOIN areas a ON a.id = p.area_id"
            " WHERE c.status = 'certified' AND c.qualifies = 1 AND c.valid_from <= '%s' AND a.code LIKE '%s%%'"
            " AND p.death_date IS NULL AND %s EXISTS (SELECT 1 FROM care_plans cp WHERE cp.person_id = c.person_id"
            " AND cp.status IN ('active', 'draft', 'confirmed'))"
            " AND c.person_id NOT IN (SELECT person_id FROM user_persons) ORDER BY c.person_id"
            % (today().isoformat(), street, "" if with_plan else "NOT"))
        return [int(r[0]) for r in rows]

    def new_caregiver(self, client, provider=None, **extra):
        Care.seq += 1
        body = {"id_number": make_id("33990519700101%03d" % (100 + Care.seq)), "name": "测试护理员", "kind": "staff",
                "phone": "13811112222", "certificates": [{"kind": "care_worker", "number": "T%06d" % Care.seq,
                                                          "skill_level": 4, "issued_on": "2024-01-01",
                                                          "expires_on": "2027-12-31"}]}
        if provider:
            body["provider_id"] = provider
        body.update(extra)
        return client.post("/api/v1/caregivers", body)

    def plan_body(self, person, provider, mode="home", visits=3, items=None, **extra):
        body = {"person_id": person, "mode": mode, "provider_id": provider, "visits_per_week": visits,
                "items": HOME_ITEMS if items is None else items}
        body.update(extra)
        return body


class TestProviders(Care):
    def test_provider_and_agreement_lifecycle(self):
        bureau = self.as_user("bureau")
        r = bureau.post("/api/v1/providers", {"code": "P0100", "name": "东滩居家护理服务部", "kind": "home_care",
                                               "licence_no": "JH-HC-2026-100", "contact_name": "包红",
                                               "contact_phone": "13600001111", "lat": 29.93, "lon": 122.29,
                                               "area_id": self.area("339903002")})
        self.assertEqual(r.status, 201, r)
        pid = r.json["id"]
        self.assertEqual((r.json["status"], r.json["credit_label"], r.json["agreements"]), ("active", "未评级", []))
        # refusals name the field and change nothing
        before = self.one("SELECT COUNT(*) FROM providers")
        for body, field in (({"code": "P0100", "name": "重复", "kind": "home_care", "licence_no": "x"}, "code"),
                            ({"code": "P0101", "name": "床位", "kind": "home_care", "licence_no": "x", "beds": 10}, "beds"),
                            ({"code": "P0101", "name": "类型", "kind": "spa", "licence_no": "x"}, "kind"),
                            ({"code": "P 01", "name": "编码", "kind": "home_care", "licence_no": "x"}, "code"),
                            ({"code": "P0101", "name": "电话", "kind": "home_care", "licence_no": "x",
                              "contact_phone": "12345"}, "contact_phone"),
                            ({"code": "P0101", "name": "缺证", "kind": "home_care"}, "licence_no")):
            self.assertError(bureau.post("/api/v1/providers", body), 409 if field == "code" and body["code"] == "P0100"
                             else 400, field=field)
        self.assertEqual(self.one("SELECT COUNT(*) FROM providers"), before)
        self.assertError(self.as_user("nurse").post("/api/v1/providers", {}), 403)
        # an agreement for 东滩's street: in region mode 盐田街道 already has its home-care provider (P0010)
        ag = {"number": "JHLTC-2026-0100", "valid_from": "2026-01-01", "valid_until": "2028-12-31",
              "modes": ["home", "family"], "capacity": 50, "area_ids": [self.area("339903002")]}
        r = bureau.post("/api/v1/providers/%d/agreements" % pid, ag)
        self.assertError(r, 409, field="area_ids[0]")
        self.assertIn("盐田街道", r.json["error"]["message"])
        self.assertIn("盐田福缘护理站", r.json["error"]["message"])
        for change, field in (({"modes": ["spa"]}, "modes[0]"), ({"modes": ["institution"]}, "modes[0]"),
                              ({"area_ids": [self.area("339903")]}, "area_ids[0]"),
                              ({"valid_until": "2025-12-31"}, "valid_until"), ({"capacity": 0}, "capacity")):
            self.assertError(bureau.post("/api/v1/providers/%d/agreements" % pid, dict(ag, **change)), 400, field=field)
        # an institution-only agreement needs no streets; a home-care provider cannot offer it
        self.assertEqual(self.one("SELECT COUNT(*) FROM agreements WHERE provider_id = %d" % pid), "0")
        # a street nobody serves yet: a new street added to the tree
        street = self.as_user("admin").post("/api/v1/areas", {"parent_id": self.area("339903"), "code": "339903003",
                                                               "name": "东滩街道"}).json["id"]
        r = bureau.post("/api/v1/providers/%d/agreements" % pid, dict(ag, area_ids=[street]))
        self.assertEqual(r.status, 201, r)
        agreement = r.json["agreements"][0]
        self.assertEqual((agreement["modes"], agreement["mode_labels"], [a["name"] for a in agreement["areas"]]),
                         (["home", "family"], ["居家上门护理", "亲情护理"], ["东滩街道"]))
        self.assertError(bureau.post("/api/v1/providers/%d/agreements" % pid, dict(ag, area_ids=[street])), 409,
                         field="number")
        # directory filters: serving the street in a mode
        r = bureau.get("/api/v1/providers?area_id=%d&mode=home" % street)
        self.assertEqual([p["code"] for p in r.json["items"]], ["P0100"])
        r = bureau.get("/api/v1/providers?area_id=%d&mode=institution" % street)
        self.assertEqual(r.json["items"], [])
        self.assertError(bureau.get("/api/v1/providers?mode=boat"), 400, field="mode")
        # update the agreement: capacity cannot go under the clients it has
        r = bureau.patch("/api/v1/agreements/%d" % agreement["id"], {"capacity": 80, "valid_until": "2029-06-30"})
        self.assertEqual((r.status, r.json["agreements"][0]["capacity"], r.json["agreements"][0]["valid_until"]),
                         (200, 80, "2029-06-30"), r)
        # status: barred needs a date after today, then terminated for good
        self.assertError(bureau.post("/api/v1/providers/%d/status" % pid, {"status": "barred", "reason": "检查"}), 400,
                         field="until")
        until = (today() + datetime.timedelta(days=90)).isoformat()
        r = bureau.post("/api/v1/providers/%d/status" % pid, {"status": "barred", "reason": "资质检查", "until": until})
        self.assertEqual((r.status, r.json["status"], r.json["barred_until"]), (200, "barred", until), r)
        r = bureau.post("/api/v1/providers/%d/status" % pid, {"status": "terminated", "reason": "主动退出"})
        self.assertEqual((r.json["status"], r.json["agreements"][0]["status"]), ("terminated", "terminated"))
        self.assertEqual([h["status"] for h in r.json["status_history"]], ["terminated", "barred", "active"])
        self.assertError(bureau.post("/api/v1/providers/%d/status" % pid, {"status": "active", "reason": "恢复"}), 409)
        actions = {row["action"] for row in self.audit_rows(target_type="provider", target_id=str(pid))}
        self.assertTrue({"provider.create", "agreement.create", "agreement.update", "provider.status"} <= actions)


class TestCaregivers(Care):
    def test_lifecycle_and_qualification(self):
        padmin = self.as_user("provider_admin")   # P0001
        p1, p5 = self.provider("P0001"), self.provider("P0005")
        r = self.new_caregiver(padmin)
        self.assertEqual(r.status, 201, r)
        cg = r.json
        self.assertEqual((cg["provider"]["id"], cg["kind"], cg["status"], cg["qualified_today"]),
                         (p1, "staff", "active", True))
        # sex from the 17th digit (odd: male), birth from digits 7-14
        self.assertEqual((cg["sex"], cg["birth_date"]), ("M" if int(cg["id_number"][16]) % 2 else "F", "1970-01-01"))
        # provider staff register only for their own provider
        self.assertError(self.new_caregiver(padmin, provider=p5), 403, field="provider_id")
        # identity and certificates are checked; a duplicate is refused
        bad = self.new_caregiver(padmin, id_number="339905197001011000")
        self.assertError(bad, 400, field="id_number")
        self.assertError(padmin.post("/api/v1/caregivers", {"id_number": cg["id_number"], "name": "重复", "kind": "staff"}),
                         409, field="id_number")
        self.assertError(self.new_caregiver(padmin, certificates=[{"kind": "care_worker", "number": "X1", "issued_on":
                                                                   "2025-05-01", "expires_on": "2025-04-30"}]),
                         400, field="certificates[0].expires_on")
        # lists are masked; the full read is audited
        lst = padmin.get("/api/v1/caregivers?page_size=200").json
        mine = [x for x in lst["items"] if x["id"] == cg["id"]][0]
        self.assertEqual(mine["id_number"], cg["id_number"][:4] + "*" * 10 + cg["id_number"][-4:])
        self.assertEqual(mine["phone"], "138****2222")
        self.assertTrue(all(x["provider"]["id"] == p1 for x in lst["items"]))
        self.assertEqual(lst["total"], int(self.one("SELECT COUNT(*) FROM caregivers WHERE provider_id = %d" % p1)))
        full = padmin.get("/api/v1/caregivers/%d" % cg["id"]).json
        self.assertEqual(full["phone"], "13811112222")
        row = self.audit_rows(action="caregiver.read")[0]
        self.assertEqual((row["username"], row["target_id"]), ("provider_admin", str(cg["id"])))

        def qual(day, provider=None):
            q = "/api/v1/caregivers/%d/qualification?date=%s" % (cg["id"], day)
            if provider:
                q += "&provider_id=%d" % provider
            return self.as_user("bureau").get(q).json["result"]

        # the certificate runs 2024-01-01..2027-12-31; employment from today
        t = today()
        self.assertEqual(qual(t.isoformat(), p1), "ok")
        self.assertEqual(qual((t - datetime.timedelta(days=1)).isoformat(), p1), "not_employed")
        self.assertEqual(qual("2028-01-01", p1), "no_certificate")
        self.assertEqual(qual(t.isoformat(), p5), "not_employed")
        # suspension of settlement for a period, lifted early
        bureau = self.as_user("bureau")
        s_from, s_until = t + datetime.timedelta(days=10), t + datetime.timedelta(days=40)
        r = bureau.post("/api/v1/caregivers/%d/status" % cg["id"], {"status": "suspended", "reason": "签到未服务",
                                                                  "from": s_from.isoformat(),
                                                                  "until": s_until.isoformat()})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(qual((s_from - datetime.timedelta(days=1)).isoformat(), p1), "ok")
        self.assertEqual(qual(s_from.isoformat(), p1), "suspended")
        self.assertEqual(qual(s_until.isoformat(), p1), "suspended")
        self.assertEqual(qual((s_until + datetime.timedelta(days=1)).isoformat(), p1), "ok")
        self.assertError(padmin.post("/api/v1/caregivers/%d/status" % cg["id"], {"status": "active", "reason": "x"}),
                         403)
        # a move to another provider: the old one's employment ends the day before
        move = t + datetime.timedelta(days=60)
        self.assertError(padmin.post("/api/v1/caregivers/%d/employment" % cg["id"],
                                     {"provider_id": p5, "from": move.isoformat()}), 403)
        r = bureau.post("/api/v1/caregivers/%d/employment" % cg["id"], {"provider_id": p5, "from": move.isoformat()})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(qual((move - datetime.timedelta(days=1)).isoformat(), p1), "ok")
        self.assertEqual(qual(move.isoformat(), p1), "not_employed")
        self.assertEqual(qual(move.isoformat(), p5), "ok")
        # now P0005's: P0001's staff no longer see the record
        self.assertError(padmin.get("/api/v1/caregivers/%d" % cg["id"]), 404)
        self.assertError(padmin.patch("/api/v1/caregivers/%d" % cg["id"], {"phone": "13900000000"}), 404)
        # termination: not qualified from that day
        r = bureau.post("/api/v1/caregivers/%d/status" % cg["id"], {"status": "terminated", "reason": "冒用证书"})
        self.assertEqual(qual(t.isoformat()), "terminated")
        self.assertError(bureau.post("/api/v1/caregivers/%d/status" % cg["id"], {"status": "active", "reason": "复查"}), 409)

    def test_csv_import(self):
        ids = [make_id("33990519650505%03d" % n) for n in (1, 2, 3, 4)]
        rows = ["id_number,name,phone,provider_code,employed_from,training_hours,certificate_kind,"
                "certificate_number,skill_level,issued_on,expires_on",
                ids[0] + ",鲁桂芳,13700001111,P0001,2025-03-01,80,care_worker,CSV0001,4,2024-01-01,2027-01-01",
                ids[0] + ",鲁桂芳,13700001111,P0001,2025-03-01,80,care_worker,CSV0001,4,2024-01-01,2027-01-01",
                ids[1][:-1] + "0" + ",坏号码,13700001111,P0001,,,,,,,",
                ids[2] + ",无此机构,,P9999,,,,,,,",
                ids[3] + ",证书日期,,P0005,,,care_worker,CSV0002,4,2025-01-01,2024-01-01"]
        bureau = self.as_user("bureau")
        if ids[1][-1] == "0":
            rows[3] = ids[1][:-1] + "1,坏号码,13700001111,P0001,,,,,,,"
        r = bureau.request("POST", "/api/v1/imports?kind=caregivers&filename=cg.csv",
                           raw=("\n".join(rows) + "\n").encode("utf-8"), content_type="text/csv")
        self.assertEqual(r.status, 202, r)
        for _ in range(200):
            job = bureau.get("/api/v1/imports/%d" % r.json["id"]).json
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        self.assertEqual((job["status"], job["total_rows"], job["ok_rows"], job["rejected_rows"]), ("done", 5, 2, 3), job)
        text = bureau.get("/api/v1/imports/%d/rejects" % job["id"]).raw.decode("utf-8-sig")
        fields = [line.split(",")[:2] for line in text.splitlines()[1:]]
        self.assertEqual(fields, [["4", "id_number"], ["5", "provider_code"], ["6", "expires_on"]])
        # one caregiver with its certificate and employment; a repeated row changed nothing
        got = self.db.sql("SELECT c.name, p.code, m.from_date, q.number FROM caregivers c JOIN providers p ON"
                          " p.id = c.provider_id JOIN caregiver_employments m ON m.caregiver_id = c.id JOIN"
                          " caregiver_certificates q ON q.caregiver_id = c.id WHERE c.id_number = '%s'" % ids[0])
        self.assertEqual(got, [["鲁桂芳", "P0001", "2025-03-01", "CSV0001"]])
        self.assertEqual(self.one("SELECT COUNT(*) FROM caregivers WHERE id_number IN ('%s')" % "','".join(ids)), "1")

    def test_family_caregiver(self):
        person = self.reserved()
        nurse = self.as_user("nurse")
        body = {"id_number": make_id("33990619750505002"), "name": "何秀英", "kind": "family", "person_id": person,
                "relation": "女儿", "training_hours": 39,
                "certificates": [{"kind": "family_training", "number": "QQ0001", "issued_on": "2026-01-10",
                                  "expires_on": "2099-12-31"}]}
        r = nurse.post("/api/v1/caregivers", body)
        self.assertError(r, 400, field="training_hours")
        self.assertIn("40", r.json["error"]["message"])
        self.assertError(nurse.post("/api/v1/caregivers", dict(body, training_hours=40, provider_id=1)), 400,
                         field="provider_id")
        r = nurse.post("/api/v1/caregivers", dict(body, training_hours=40))
        self.assertEqual((r.status, r.json["kind"], r.json["person"]["id"], r.json["qualified_today"]),
                         (201, "family", person, True), r)
        self.assertError(nurse.post("/api/v1/caregivers", dict(body, training_hours=40,
                                                               id_number=make_id("33990619750505018"))), 409,
                         field="person_id")
        family = r.json["id"]
        # provider staff never see family caregivers
        self.assertError(self.as_user("provider_admin").get("/api/v1/caregivers/%d" % family), 404)
        # family care needs the family caregiver: 2 visits a week of 60 minutes from the provider besides
        items = [dict(i, per_week=2) for i in HOME_ITEMS]
        body = self.plan_body(person, self.provider("P0001"), mode="family", visits=2, items=items)
        self.assertError(nurse.post("/api/v1/care-plans", body), 400, field="family_caregiver_id")
        r = nurse.post("/api/v1/care-plans", dict(body, family_caregiver_id=family))
        self.assertEqual((r.status, r.json["mode"], r.json["family_caregiver"]["id"]), (201, "family", family), r)
        self.assertEqual(r.json["entitlement"]["entitlement"]["family_monthly_fen"], 50000)

    def test_workforce_statistics(self):
        st = self.as_user("bureau").get("/api/v1/caregivers/stats").json
        rows = self.db.sql("SELECT birth_date FROM caregivers WHERE kind = 'staff' AND status <> 'terminated'")
        t = today()
        ages = []
        for (b,) in rows:
            y, m, d = map(int, b.split("-"))
            ages.append(t.year - y - ((t.month, t.day) < (m, d)))
        self.assertEqual(st["caregivers"], len(ages))
        self.assertEqual(st["over_60"], sum(1 for a in ages if a >= 60))
        self.assertEqual(st["max_age"], max(ages))
        self.assertAlmostEqual(st["mean_age"], sum(ages) / len(ages), places=6)
        self.assertEqual(sum(b["count"] for b in st["age_bands"]), len(ages))
        self.assertEqual(sum(b["count"] for b in st["skill_levels"]), len(ages))
        # the demo's workforce is ageing: over a third is 60 or older
        self.assertGreater(st["over_60_share"], 0.33)
        mine = self.as_user("provider_admin").get("/api/v1/caregivers/stats").json
        self.assertEqual([p["name"] for p in mine["providers"]], ["江海市颐康居家护理服务有限公司"])


class TestPlans(Care):
    def test_entitlement_limits_and_confirmation(self):
        nurse, p1 = self.as_user("nurse"), self.provider("P0001")
        person = self.reserved()
        # over the entitlement: each refusal names the field and the limit
        for body, field, figure in (
                (self.plan_body(person, p1, visits=8, items=[dict(i, per_week=8) for i in HOME_ITEMS]),
                 "visits_per_week", "7"),
                (self.plan_body(person, p1, visits=2, items=[dict(i, per_week=2) for i in HOME_ITEMS]),
                 "visits_per_week", "3"),
                (self.plan_body(person, p1, visits=7, items=[dict(i, per_week=7, minutes=i["minutes"] * 2)
                                                             for i in HOME_ITEMS]), "minutes_per_week", "420"),
                (self.plan_body(person, p1, items=[{"code": "QJ01", "per_week": 3, "minutes": 30}]),
                 "minutes_per_visit", "60"),
                (self.plan_body(person, p1, items=[{"code": "ZZ99", "per_week": 3, "minutes": 60}]), "items[0].code",
                 "ZZ99")):
            r = nurse.post("/api/v1/care-plans", body)
            self.assertError(r, 400, field=field)
            self.assertIn(figure, r.json["error"]["message"])
        # the check endpoint shows the entitlement as the plan is filled
        c = nurse.post("/api/v1/care-plans/check", self.plan_body(person, p1, visits=8))
        self.assertEqual(c.status, 200, c)
        self.assertFalse(c.json["ok"])
        self.assertEqual(c.json["entitlement"]["max_visits_per_week"], 7)
        self.assertEqual(c.json["minutes_per_week"], 180)
        self.assertIn("visits_per_week", [p["field"] for p in c.json["problems"]])
        self.assertEqual(self.one("SELECT COUNT(*) FROM care_plans WHERE person_id = %d" % person), "0")
        # a draft is not in force
        r = nurse.post("/api/v1/care-plans", self.plan_body(person, p1))
        self.assertEqual((r.status, r.json["status"], r.json["minutes_per_week"]), (201, "draft", 180), r)
        plan = r.json["id"]
        padmin = self.as_user("provider_admin")
        active = padmin.get("/api/v1/care-plans?status=active&person_id=%d" % person).json
        self.assertEqual(active["total"], 0)
        self.assertError(nurse.post("/api/v1/care-plans", self.plan_body(person, p1)), 409, field="person_id")
        # the nurse records who confirmed and how; or the family account confirms itself
        self.assertError(nurse.post("/api/v1/care-plans/%d/confirm" % plan, {"name": "何秀英"}), 400)
        fam = self.as_user("applicant")
        mine = fam.get("/api/v1/care-plans").json
        self.assertEqual([p["id"] for p in mine["items"]], [plan])
        r = fam.post("/api/v1/care-plans/%d/confirm" % plan, {})
        self.assertEqual((r.status, r.json["status"], r.json["effective_from"]), (200, "active", today().isoformat()), r)
        self.assertEqual((r.json["confirmation"]["method"], r.json["confirmation"]["relation"]), ("online", "女儿"))
        self.assertError(fam.post("/api/v1/care-plans/%d/confirm" % plan, {}), 409, field="status")
        # the provider sees its new client
        active = padmin.get("/api/v1/care-plans?status=active&person_id=%d" % person).json
        self.assertEqual([p["id"] for p in active["items"]], [plan])
        self.assertEqual(self.audit_rows(action="care_plan.confirm")[0]["username"], "applicant")

    def test_switch_takes_effect_next_month(self):
        nurse = self.as_user("nurse")
        person = self.beneficiary("339902001", with_plan=True)[0]
        current = self.db.sql("SELECT id, provider_id, mode FROM care_plans WHERE person_id = %d AND status = 'active'"
                              % person)[0]
        # to an institution: a switch of provider
        institution = self.provider("P0003")
        r = nurse.post("/api/v1/care-plans", self.plan_body(person, institution, mode="institution", visits=0,
                                                            items=[{"code": "QJ01", "per_week": 7, "minutes": 15}]))
        self.assertEqual(r.status, 201, r)
        plan = r.json["id"]
        r = nurse.post("/api/v1/care-plans/%d/confirm" % plan, {"name": "王小明", "relation": "子女", "method": "signature"})
        nxt = first_of_next_month(today())
        self.assertEqual((r.status, r.json["status"], r.json["effective_from"]), (200, "confirmed", nxt.isoformat()), r)
        old = self.db.sql("SELECT status, ended_on, end_reason FROM care_plans WHERE id = %s" % current[0])[0]
        self.assertEqual(old, ["active", (nxt - datetime.timedelta(days=1)).isoformat(), "provider_switch"])
        # the day comes: the maintenance job starts the new plan and closes the old one
        self.db.sql("UPDATE care_plans SET effective_from = '%s' WHERE id = %d" % (today().isoformat(), plan))
        self.db.sql("UPDATE care_plans SET ended_on = '%s' WHERE id = %s"
                    % ((today() - datetime.timedelta(days=1)).isoformat(), current[0]))
        second = Server(self.db, name="second")
        try:
            deadline = time.time() + 10
            while time.time() < deadline and self.one("SELECT status FROM care_plans WHERE id = %d" % plan) != "active":
                time.sleep(0.1)
        finally:
            second.stop()
        self.assertEqual(self.one("SELECT status FROM care_plans WHERE id = %d" % plan), "active")
        self.assertEqual(self.one("SELECT status FROM care_plans WHERE id = %s" % current[0]), "superseded")

    def test_barred_provider_keeps_clients_but_takes_no_new_ones(self):
        nurse_hw = None
        p10 = self.provider("P0010")   # barred in the demo; serves 盐田街道
        running = self.one("SELECT COUNT(*) FROM care_plans WHERE provider_id = %d AND status = 'active'" % p10)
        self.assertGreater(int(running), 0)
        person = self.beneficiary("339903002", with_plan=False)[0]
        bureau = self.as_user("bureau")
        r = bureau.post("/api/v1/care-plans", self.plan_body(person, p10))
        self.assertError(r, 409, field="provider_id")
        self.assertIn("暂停接收新服务对象", r.json["error"]["message"])
        self.assertEqual(self.one("SELECT COUNT(*) FROM care_plans WHERE provider_id = %d AND status = 'active'" % p10),
                         running)
        # the options say why
        opts = bureau.get("/api/v1/persons/%d/provider-options?mode=home" % person).json
        self.assertEqual([(o["id"], o["can_accept"], o["reason"]) for o in opts["items"]],
                         [(p10, False, "暂停接收新服务对象")])
        self.assertEqual(opts["items"][0]["credit_label"], "未评级")
        # the bar lifted: the same plan goes through
        bureau.post("/api/v1/providers/%d/status" % p10, {"status": "active", "reason": "整改完成"})
        r = bureau.post("/api/v1/care-plans", self.plan_body(person, p10))
        self.assertEqual(r.status, 201, r)
        del nurse_hw

    def test_termination_ends_plans_and_lists_the_handover(self):
        bureau = self.as_user("bureau")
        p6 = self.provider("P0006")
        clients = sorted(int(r[0]) for r in self.db.sql(
            "SELECT person_id FROM care_plans WHERE provider_id = %d AND status = 'active'" % p6))
        self.assertTrue(clients)
        r = bureau.post("/api/v1/providers/%d/status" % p6, {"status": "terminated", "reason": "协议期满不再续签"})
        self.assertEqual(r.status, 200, r)
        ended = self.db.sql("SELECT DISTINCT status, ended_on, end_reason FROM care_plans WHERE provider_id = %d"
                            " AND person_id IN (%s)" % (p6, ",".join(map(str, clients))))
        self.assertEqual(ended, [["ended", today().isoformat(), "provider_terminated"]])
        h = bureau.get("/api/v1/providers/%d/handover" % p6).json
        self.assertEqual(sorted(x["person_id"] for x in h["items"]), clients)
        self.assertTrue(all(x["new_plan"] == "待重新选择机构" for x in h["items"]))
        self.assertTrue(all("*" in x["id_number"] for x in h["items"]))
        self.assertError(self.as_user("nurse").get("/api/v1/providers/%d/handover" % p6), 403)

    def test_death_ends_the_plan(self):
        person = self.beneficiary("339902", with_plan=True)[1]
        plan = self.one("SELECT id FROM care_plans WHERE person_id = %d AND status = 'active'" % person)
        day = (today() - datetime.timedelta(days=3)).isoformat()
        r = self.as_user("bureau").put("/api/v1/persons/%d/death" % person, {"death_date": day})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.db.sql("SELECT status, ended_on, end_reason FROM care_plans WHERE id = %s" % plan),
                         [["ended", day, "death"]])

    def test_provider_staff_see_only_their_own(self):
        padmin = self.as_user("provider_admin")   # P0001
        p1 = self.provider("P0001")
        other_plan = self.one("SELECT id FROM care_plans WHERE provider_id <> %d AND status = 'active' LIMIT 1" % p1)
        other_cg = self.one("SELECT id FROM caregivers WHERE provider_id <> %d LIMIT 1" % p1)
        self.assertError(padmin.get("/api/v1/care-plans/%s" % other_plan), 404)
        self.assertError(padmin.get("/api/v1/caregivers/%s" % other_cg), 404)
        self.assertError(padmin.post("/api/v1/caregivers/%s/certificates" % other_cg,
                                     {"kind": "care_worker", "number": "Z1", "issued_on": "2025-01-01",
                                      "expires_on": "2027-01-01"}), 404)
        plans = padmin.get("/api/v1/care-plans?page_size=200").json
        self.assertTrue(plans["items"])
        self.assertTrue(all(p["provider"]["id"] == p1 for p in plans["items"]))
        # asking for another provider's plans by filter gives nothing
        self.assertEqual(padmin.get("/api/v1/care-plans?provider_id=%d" % self.provider("P0005")).json["total"], 0)
        self.assertError(padmin.post("/api/v1/care-plans", {}), 403)
        # the family account sees only the persons it acts for
        fam = self.as_user("applicant")
        self.assertError(fam.get("/api/v1/care-plans/%s" % other_plan), 404)
        self.assertTrue(all(p["person"]["id"] == self.reserved() for p in fam.get("/api/v1/care-plans").json["items"]))

    def test_catalogue(self):
        c = self.as_user("caregiver").get("/api/v1/care/catalogue").json
        self.assertEqual((c["n_items"], c["choice"], len(c["categories"])), (41, "region", 6))
        self.assertEqual([m["mode"] for m in c["modes"]], ["home", "family", "institution"])


class TestNewLevel(Care, Workflow):
    """A new conclusion for a person with a plan: the same level carries the plan on; another ends it the day
    before the new level applies."""

    def conclude(self, person, items):
        r = self.apply(person, type="change")
        self.assertEqual(r.status, 201, r)
        app = r.json["id"]
        self.upload(app)
        self.as_user("intake").post("/api/v1/applications/%d/prescreen" % app, {"decision": "accept"})
        self.assess(app, self.visit(items=items))
        if self.as_user("bureau").get("/api/v1/applications/%d" % app).json["status"] == "in_review":
            self.as_user("committee").post("/api/v1/applications/%d/review" % app, {"decision": "uphold",
                                                                                   "reason": "核实无误"})
        self.confirm_by_two(app)
        self.db.sql("UPDATE certifications SET published_until = '2000-01-01' WHERE application_id = %d" % app)
        r = self.as_user("bureau").post("/api/v1/applications/%d/certify" % app)
        self.assertEqual(r.status, 200, r)
        return r.json["certification"]

    def test_new_level(self):
        # a level-5 person (SEVERE) in 望江街道 with a plan in force
        rows = self.db.sql("SELECT cp.id, cp.person_id FROM care_plans cp JOIN certifications c ON c.id = cp.certification_id"
                           " JOIN persons p ON p.id = cp.person_id JOIN areas a ON a.id = p.area_id"
                           " WHERE cp.status = 'active' AND c.level = 5 AND a.code LIKE '339902001%' ORDER BY cp.id")
        plan, person = int(rows[0][0]), int(rows[0][1])
        cert = self.conclude(person, SEVERE)            # level 5 again
        self.assertEqual(self.db.sql("SELECT status, ended_on, certification_id FROM care_plans WHERE id = %d" % plan),
                         [["active", None, str(cert["id"])]])
        cert = self.conclude(person, MODERATE)          # level 1: not entitled any more
        day_before = (datetime.date.fromisoformat(cert["valid_from"]) - datetime.timedelta(days=1)).isoformat()
        self.assertEqual(self.db.sql("SELECT ended_on, end_reason FROM care_plans WHERE id = %d" % plan),
                         [[day_before, "new_level"]])


if __name__ == "__main__":
    unittest.main()

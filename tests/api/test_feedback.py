"""Ratings, complaints and attendance: rating a visit by its public short link and from the family portal, once and
within the scheme's window, a dispute turning the visit into an exception; complaints from the portal, the hotline and
inspections with deadlines by category, the handling lifecycle and overdue flags, provider staff kept to their own
complaints and never shown who complained; family-care monthly attestations (required and done visits) and
institutional daily presence with its hospital check.

Visits are inserted with SQL (status done, check-out set, a rating token): the check-in routes are another suite's."""
import calendar
import datetime
import json
import unittest
import uuid

from harness import LtciTestCase

VR_DISPUTED = 14          # rules/verify.h: bit of the "disputed" exception reason
RATING_DAYS = 7           # schemes/zhoushan.json visits.rating_days
CATEGORY_DAYS = {"fraud": 3, "service_quality": 5, "other": 10}
PHONE = "13912345678"
# plans of persons in the demo nurse's street (望江街道)
NURSE_STREET = (" AND cp.person_id IN (SELECT p.id FROM persons p JOIN areas a ON a.id = p.area_id"
                " WHERE a.code LIKE '339902001%')")


def today():
    # the server's "today" is the Asia/Shanghai date
    return (datetime.datetime.utcnow() + datetime.timedelta(hours=8)).date()


def days_ago(n):
    return (today() - datetime.timedelta(days=n)).isoformat()


def month_of(d):
    return d.strftime("%Y-%m")


def add_months(d, n):
    m = d.month - 1 + n
    return datetime.date(d.year + m // 12, m % 12 + 1, 1)


def days_in_month(d):
    return calendar.monthrange(d.year, d.month)[1]


def masked(name):
    return name[0] + "*" * max(len(name) - 2, 1) + (name[-1] if len(name) > 2 else "")


class Feedback(LtciTestCase):
    def one(self, sql):
        return self.db.sql(sql)[0][0]

    def provider(self, code):
        return int(self.one("SELECT id FROM providers WHERE code = '%s'" % code))

    def plan(self, mode="home", provider=None, exclude_family=True, where=""):
        """An active plan of the mode (of a provider), of a person no family account acts for."""
        sql = ("SELECT cp.id FROM care_plans cp WHERE cp.status = 'active' AND cp.mode = '%s'" % mode
               + (" AND cp.provider_id = %d" % provider if provider else "")
               + (" AND cp.person_id NOT IN (SELECT person_id FROM user_persons)" if exclude_family else "")
               + where + " ORDER BY cp.id")
        return int(self.db.sql(sql)[0][0])

    def plan_row(self, plan):
        r = self.db.sql("SELECT person_id, provider_id, mode, caregiver_id FROM care_plans WHERE id = %d" % plan)[0]
        return int(r[0]), int(r[1]), r[2], r[3] and int(r[3])

    def link_applicant(self, person, relation="儿子"):
        uid = int(self.one("SELECT id FROM users WHERE username = 'applicant'"))
        self.db.sql("INSERT INTO user_persons (user_id, person_id, relation) VALUES (%d, %d, '%s')"
                    % (uid, person, relation))

    def insert_visit(self, plan, day, status="done", verify="verified", review=None, caregiver=None):
        """A visit of the plan on day (09:00-10:00 Asia/Shanghai) with a rating token; returns (id, token)."""
        person, provider, mode, cg = self.plan_row(plan)
        if caregiver is None:
            caregiver = cg or int(self.one("SELECT id FROM caregivers WHERE provider_id = %d AND kind = 'staff'"
                                           " ORDER BY id LIMIT 1" % provider))
        d = datetime.date.fromisoformat(day)
        start = calendar.timegm((d.year, d.month, d.day, 1, 0, 0))  # 09:00 in Asia/Shanghai
        end = start + 3600 if status == "done" else None
        token = uuid.uuid4().hex
        v = lambda x: "NULL" if x is None else str(x)
        self.db.sql(
            "INSERT INTO visits (plan_id, person_id, provider_id, caregiver_id, mode, visit_date, planned_start, status,"
            " checkin_key, checkin_at, checkin_device_at, checkin_received_at, checkout_at, checkout_device_at,"
            " checkout_received_at, items, minutes, verify_state, review_state, rating_token, created_by, created_at,"
            " updated_at) VALUES (%d, %d, %d, %d, '%s', '%s', '09:00', '%s', '%s', %d, %d, %d, %s, %s, %s,"
            " '[\"QJ01\", \"PX02\"]', %s, '%s', %s, '%s', 'test', %d, %d)"
            % (plan, person, provider, caregiver, mode, day, status, uuid.uuid4().hex, start, start, start, v(end),
               v(end), v(end), "60" if end else "NULL", verify, "'%s'" % review if review else "NULL", token, start,
               start))
        return int(self.one("SELECT id FROM visits WHERE rating_token = '%s'" % token)), token


class TestRatings(Feedback):
    def test_rating_by_link(self):
        plan = self.plan(provider=self.provider("P0001"))
        person, provider, _, _ = self.plan_row(plan)
        visit, token = self.insert_visit(plan, days_ago(1))
        pub = self.new_client()
        # the public page: the visit in plain words, the caregiver's name masked, no personal data
        r = pub.get("/api/v1/ratings/" + token)
        self.assertEqual(r.status, 200, r)
        cg_name = self.one("SELECT c.name FROM caregivers c JOIN visits v ON v.caregiver_id = c.id WHERE v.id = %d"
                           % visit)
        pname, pid_number = self.db.sql("SELECT name, id_number FROM persons WHERE id = %d" % person)[0]
        self.assertEqual((r.json["visit_date"], r.json["caregiver"], r.json["minutes"], r.json["start"], r.json["end"]),
                         (days_ago(1), masked(cg_name), 60, "09:00", "10:00"))
        self.assertEqual(r.json["provider"], self.one("SELECT name FROM providers WHERE id = %d" % provider))
        self.assertEqual([i["code"] for i in r.json["items"]], ["QJ01", "PX02"])
        self.assertTrue(all(i["name"] != i["code"] for i in r.json["items"]))
        self.assertTrue(r.json["can_rate"])
        self.assertEqual(r.json["rate_until"], (today() - datetime.timedelta(days=1)
                                                + datetime.timedelta(days=RATING_DAYS)).isoformat())
        self.assertIn("准时", [t["tag"] for t in r.json["tags"]])
        text = r.raw.decode("utf-8")
        for secret in (pname, pid_number, cg_name):
            self.assertNotIn(secret, text)
        self.assertNotIn("person", r.json)
        # unknown and malformed tokens
        self.assertError(pub.get("/api/v1/ratings/" + uuid.uuid4().hex), 404, field="token")
        self.assertError(pub.get("/api/v1/ratings/xyz"), 404)
        self.assertError(pub.post("/api/v1/ratings/" + uuid.uuid4().hex, {"stars": 5}), 404)
        # bad input names the field and writes nothing
        for body, field in (({"stars": 6}, "stars"), ({}, "stars"), ({"stars": 5, "tags": ["好极了"]}, "tags[0]"),
                            ({"stars": 5, "tags": ["准时", "准时"]}, "tags[1]"),
                            ({"stars": 5, "comment": "很" * 501}, "comment"),
                            ({"stars": 2, "dispute": "rude"}, "dispute"), ({"stars": 5, "who": "me"}, "who")):
            self.assertError(pub.post("/api/v1/ratings/" + token, body), 400, field=field)
        self.assertEqual(self.one("SELECT COUNT(*) FROM visit_ratings WHERE visit_id = %d" % visit), "0")
        # rated once
        r = pub.post("/api/v1/ratings/" + token, {"stars": 5, "tags": ["准时", "专业"], "comment": "很" * 500})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["can_rate"], r.json["rating"]["stars"], r.json["rating"]["tags"]),
                         (False, 5, ["准时", "专业"]))
        self.assertEqual(self.db.sql("SELECT stars, rated_by, dispute FROM visit_ratings WHERE visit_id = %d" % visit),
                         [["5", "link", None]])
        self.assertError(pub.post("/api/v1/ratings/" + token, {"stars": 1}), 409, field="visit_id")
        self.assertEqual(self.one("SELECT COUNT(*) FROM visit_ratings WHERE visit_id = %d" % visit), "1")
        row = self.audit_rows(action="rating.create", target_id=str(visit), outcome="ok")[0]
        self.assertEqual(json.loads(row["detail"])["channel"], "link")
        self.assertEqual(self.db.sql("SELECT disputed, verify_state FROM visits WHERE id = %d" % visit),
                         [["0", "verified"]])

    def test_window_and_status(self):
        plan = self.plan(provider=self.provider("P0001"))
        pub = self.new_client()
        # the last day of the window is open, the day after is not
        _, edge = self.insert_visit(plan, days_ago(RATING_DAYS))
        _, late = self.insert_visit(plan, days_ago(RATING_DAYS + 1))
        r = pub.get("/api/v1/ratings/" + late)
        self.assertEqual((r.json["can_rate"], r.json["rate_until"]), (False, days_ago(1)))
        r = pub.post("/api/v1/ratings/" + late, {"stars": 3})
        self.assertError(r, 409, field="visit_date")
        self.assertIn(str(RATING_DAYS), r.error["message"])
        self.assertEqual(pub.post("/api/v1/ratings/" + edge, {"stars": 3}).status, 201)
        # a visit not done yet
        _, running = self.insert_visit(plan, days_ago(0), status="in_progress", verify="pending")
        self.assertError(pub.post("/api/v1/ratings/" + running, {"stars": 4}), 409, field="status")
        self.assertFalse(pub.get("/api/v1/ratings/" + running).json["can_rate"])

    def test_rating_by_portal(self):
        plan = self.plan(provider=self.provider("P0001"))
        person, _, _, _ = self.plan_row(plan)
        self.link_applicant(person)
        mine, _ = self.insert_visit(plan, days_ago(2))
        other, _ = self.insert_visit(self.plan(provider=self.provider("P0001"), where=" AND cp.id <> %d" % plan),
                                     days_ago(2))
        fam = self.as_user("applicant")
        self.assertError(fam.post("/api/v1/visits/%d/rating" % other, {"stars": 4}), 404)
        self.assertError(fam.post("/api/v1/visits/%d/rating" % mine, {"stars": 0}), 400, field="stars")
        r = fam.post("/api/v1/visits/%d/rating" % mine, {"stars": 4, "tags": ["耐心", "迟到"], "comment": "稍晚到"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["visit_id"], r.json["stars"], r.json["channel"], r.json["comment"]),
                         (mine, 4, "portal", "稍晚到"))
        self.assertEqual(self.one("SELECT rated_by FROM visit_ratings WHERE visit_id = %d" % mine), "applicant")
        self.assertError(fam.post("/api/v1/visits/%d/rating" % mine, {"stars": 5}), 409, field="visit_id")
        self.assertError(self.as_user("bureau").post("/api/v1/visits/%d/rating" % mine, {"stars": 5}), 403)

    def test_dispute_turns_the_visit_into_an_exception(self):
        plan = self.plan(provider=self.provider("P0001"))
        visit, token = self.insert_visit(plan, days_ago(1))
        self.assertEqual(self.one("SELECT verify_state FROM visits WHERE id = %d" % visit), "verified")
        r = self.new_client().post("/api/v1/ratings/" + token, {"stars": 1, "dispute": "not_served",
                                                               "comment": "护理员没有来"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual((r.json["rating"]["dispute"], r.json["rating"]["dispute_label"]), ("not_served", "未提供服务"))
        state, reasons, disputed, review = self.db.sql("SELECT verify_state, reasons, disputed, review_state FROM visits"
                                                       " WHERE id = %d" % visit)[0]
        self.assertEqual((state, disputed, review), ("exception", "1", "open"))
        self.assertTrue(int(reasons) & (1 << VR_DISPUTED), reasons)
        # the portal's dispute "shorter than recorded" does the same
        person, _, _, _ = self.plan_row(plan)
        self.link_applicant(person)
        visit2, _ = self.insert_visit(plan, days_ago(3))
        r = self.as_user("applicant").post("/api/v1/visits/%d/rating" % visit2, {"stars": 2, "dispute": "shorter"})
        self.assertEqual((r.status, r.json["dispute"], r.json["verify_state"], r.json["disputed"]),
                         (201, "shorter", "exception", True), r)

    def test_lists_and_summary(self):
        p1, p5 = self.provider("P0001"), self.provider("P0005")
        pub = self.new_client()
        for provider, stars in ((p1, 5), (p1, 4), (p1, 2), (p5, 3)):
            plan = self.plan(provider=provider, where=" AND cp.id NOT IN (SELECT plan_id FROM visits"
                                                      " WHERE created_by = 'test')")
            _, token = self.insert_visit(plan, days_ago(1))
            self.assertEqual(pub.post("/api/v1/ratings/" + token, {"stars": stars}).status, 201)
        bureau = self.as_user("bureau")
        lst = bureau.get("/api/v1/ratings?page_size=200").json
        self.assertEqual(lst["total"], int(self.one("SELECT COUNT(*) FROM visit_ratings")))
        count = "SELECT COUNT(*) FROM visit_ratings r JOIN visits v ON v.id = r.visit_id WHERE v.provider_id = %d"
        r5 = bureau.get("/api/v1/ratings?provider_id=%d&page_size=200" % p5).json
        self.assertEqual(r5["total"], int(self.one(count % p5)))
        self.assertTrue(r5["items"] and all(x["provider"]["id"] == p5 for x in r5["items"]))
        padmin = self.as_user("provider_admin")   # P0001
        mine = padmin.get("/api/v1/ratings?page_size=200").json
        self.assertEqual(mine["total"], int(self.one(count % p1)))
        self.assertTrue(mine["items"] and all(x["provider"]["id"] == p1 for x in mine["items"]))
        self.assertEqual(padmin.get("/api/v1/ratings?provider_id=%d" % p5).json["total"], 0)
        self.assertTrue(all(x["stars"] == 2 for x in bureau.get("/api/v1/ratings?stars=2").json["items"]))
        self.assertEqual(bureau.get("/api/v1/ratings?from=%s&to=%s" % (days_ago(0), days_ago(0))).json["total"],
                         int(self.one("SELECT COUNT(*) FROM visit_ratings r JOIN visits v ON v.id = r.visit_id"
                                      " WHERE v.visit_date = '%s'" % days_ago(0))))
        self.assertError(bureau.get("/api/v1/ratings?stars=9"), 400, field="stars")
        self.assertError(bureau.get("/api/v1/ratings?from=2026-13-01"), 400, field="from")
        # averages per provider, from the stored ratings
        s = bureau.get("/api/v1/ratings/summary").json
        for item in s["items"]:
            rows = self.db.sql("SELECT r.stars FROM visit_ratings r JOIN visits v ON v.id = r.visit_id"
                               " WHERE v.provider_id = %d" % item["provider"]["id"])
            stars = [int(x[0]) for x in rows]
            self.assertEqual(item["ratings"], len(stars))
            self.assertAlmostEqual(item["average"], sum(stars) / len(stars), delta=0.0051)
            self.assertEqual(item["stars"], [stars.count(k) for k in range(1, 6)])
        self.assertEqual(s["overall"]["ratings"], int(self.one("SELECT COUNT(*) FROM visit_ratings")))
        self.assertEqual([i["provider"]["id"] for i in padmin.get("/api/v1/ratings/summary").json["items"]], [p1])
        self.assertError(self.as_user("nurse").get("/api/v1/ratings"), 403)

    def test_rating_on_the_visit_record(self):
        # a visit of a person in the nurse's street: the nurse reads the record but not the rating
        plan = self.plan(provider=self.provider("P0001"), where=NURSE_STREET
                         + " AND cp.id NOT IN (SELECT plan_id FROM visits WHERE created_by = 'test')")
        visit, token = self.insert_visit(plan, days_ago(1))
        other, _ = self.insert_visit(plan, days_ago(2))
        bureau = self.as_user("bureau")
        self.assertIsNone(bureau.get("/api/v1/visits/%d" % visit).json["rating"])
        r = self.new_client().post("/api/v1/ratings/" + token, {"stars": 2, "tags": ["迟到"], "comment": "晚到半小时",
                                                               "dispute": "shorter"})
        self.assertEqual(r.status, 201, r)
        for who in ("bureau", "auditor", "provider_admin"):
            v = self.as_user(who).get("/api/v1/visits/%d" % visit)
            self.assertEqual(v.status, 200, (who, v))
            got = v.json["rating"]
            self.assertEqual({k: got[k] for k in ("stars", "tags", "comment", "dispute", "dispute_label", "channel")},
                             {"stars": 2, "tags": ["迟到"], "comment": "晚到半小时", "dispute": "shorter",
                              "dispute_label": "服务时间短于记录", "channel": "link"}, who)
            self.assertIsInstance(got["rated_at"], int)
        v = self.as_user("nurse").get("/api/v1/visits/%d" % visit)
        self.assertEqual(v.status, 200, v)
        self.assertNotIn("rating", v.json)
        # the steps answer with the record too, rating included
        r = self.as_user("provider_admin").post("/api/v1/visits/%d/explain" % visit, {
            "explanation": "护理员路上堵车，已补足时长", "resolution": "staff_error"})
        self.assertEqual((r.status, r.json["rating"]["stars"]), (200, 2), r)
        # the ratings list narrowed to one visit
        got = bureau.get("/api/v1/ratings?visit_id=%d" % visit).json
        self.assertEqual((got["total"], [x["visit_id"] for x in got["items"]]), (1, [visit]))
        self.assertEqual(bureau.get("/api/v1/ratings?visit_id=%d" % other).json["total"], 0)
        self.assertEqual(self.as_user("provider_admin").get("/api/v1/ratings?visit_id=%d" % visit).json["total"], 1)
        self.assertError(bureau.get("/api/v1/ratings?visit_id=0"), 400, field="visit_id")
        self.assertError(bureau.get("/api/v1/ratings/summary?visit_id=%d" % visit), 400)


class TestComplaints(Feedback):
    def hotline(self, client=None, **extra):
        body = {"source": "hotline", "category": "fraud", "provider_id": self.provider("P0001"),
                "complainant_name": "王秀英", "complainant_phone": PHONE, "description": "护理员多次未上门却记录了服务"}
        body.update(extra)
        return (client or self.as_user("bureau")).post("/api/v1/complaints", body)

    def test_lifecycle_and_deadlines(self):
        bureau = self.as_user("bureau")
        for category, days in CATEGORY_DAYS.items():
            r = self.hotline(category=category)
            self.assertEqual(r.status, 201, r)
            self.assertEqual((r.json["status"], r.json["deadline"], r.json["days_left"], r.json["overdue"]),
                             ("open", (today() + datetime.timedelta(days=days)).isoformat(), days, False))
        c = r.json
        self.assertEqual((c["source"], c["complainant"]["phone"], c["provider"]["id"]),
                         ("hotline", PHONE, self.provider("P0001")))
        # refusals name the field and write nothing
        before = self.one("SELECT COUNT(*) FROM complaints")
        p5_caregiver = int(self.one("SELECT id FROM caregivers WHERE provider_id = %d ORDER BY id LIMIT 1"
                                    % self.provider("P0005")))
        plan5 = self.plan(provider=self.provider("P0005"))
        visit5, _ = self.insert_visit(plan5, days_ago(1))
        for extra, field in (({"complainant_phone": None}, "complainant_phone"),
                             ({"complainant_phone": "12345"}, "complainant_phone"),
                             ({"complainant_name": None}, "complainant_name"),
                             ({"category": "noise"}, "category"),
                             ({"provider_id": None}, "provider_id"),
                             ({"provider_id": 987654}, "provider_id"),
                             ({"caregiver_id": p5_caregiver}, "caregiver_id"),
                             ({"visit_id": visit5}, "provider_id"),
                             ({"description": "差"}, "description"),
                             ({"source": "portal"}, "source"),
                             ({"source": None}, "source")):
            body = {"source": "hotline", "category": "fraud", "provider_id": self.provider("P0001"),
                    "complainant_name": "王秀英", "complainant_phone": PHONE, "description": "护理员多次未上门却记录了服务"}
            body.update(extra)
            body = {k: v for k, v in body.items() if v is not None}
            self.assertError(bureau.post("/api/v1/complaints", body), 400, field=field)
        self.assertEqual(self.one("SELECT COUNT(*) FROM complaints"), before)
        # a visit fixes the provider, caregiver and person
        r = self.hotline(provider_id=None, visit_id=visit5, category="service_quality")
        self.assertEqual((r.status, r.json["provider"]["id"], r.json["visit_id"]), (201, self.provider("P0005"), visit5), r)
        self.assertEqual(r.json["person"]["id"], self.plan_row(plan5)[0])
        self.assertIsNotNone(r.json["caregiver"])
        # an inspection finding by the bureau
        r = bureau.post("/api/v1/complaints", {"source": "inspection", "category": "service_quality",
                                               "caregiver_id": p5_caregiver, "description": "抽查发现服务记录与实际不符"})
        self.assertEqual((r.status, r.json["source"], r.json["provider"]["id"]), (201, "inspection",
                                                                                 self.provider("P0005")), r)
        # open -> processing (a note, also by the provider) -> replied (reply required) -> closed
        cid = c["id"]
        self.assertError(bureau.post("/api/v1/complaints/%d/close" % cid, {}), 409, field="status")
        r = self.as_user("provider_admin").post("/api/v1/complaints/%d/notes" % cid, {"note": "已约谈护理员，正在核查排班"})
        self.assertEqual((r.status, r.json["status"]), (200, "processing"), r)
        self.assertEqual(self.as_user("provider_admin").get("/api/v1/complaints/%d" % cid).json["handling_notes"][0]
                         ["note"], "已约谈护理员，正在核查排班")
        self.assertError(bureau.post("/api/v1/complaints/%d/reply" % cid, {}), 400, field="reply")
        r = bureau.post("/api/v1/complaints/%d/reply" % cid, {"reply": "经核查属实，已扣减该机构结算费用并约谈整改。"})
        self.assertEqual((r.status, r.json["status"], r.json["reply"]), (200, "replied", "经核查属实，已扣减该机构结算费用并约谈整改。"), r)
        self.assertIsNotNone(r.json["replied_at"])
        # the caller gets the reply by SMS
        notice = self.db.sql("SELECT channel, recipient, body FROM notices WHERE ref_type = 'complaint' AND ref_id = '%d'"
                             % cid)
        self.assertEqual([n[:2] for n in notice], [["sms", PHONE]])
        self.assertIn("已扣减", notice[0][2])
        self.assertError(bureau.post("/api/v1/complaints/%d/reply" % cid, {"reply": "再次答复内容"}), 409, field="status")
        r = bureau.post("/api/v1/complaints/%d/close" % cid, {"note": "投诉人表示满意"})
        self.assertEqual((r.status, r.json["status"], r.json["overdue"]), (200, "closed", False), r)
        self.assertError(bureau.post("/api/v1/complaints/%d/notes" % cid, {"note": "补充"}), 409, field="status")
        self.assertError(self.as_user("auditor").post("/api/v1/complaints/%d/notes" % cid, {"note": "补充"}), 403)
        actions = [row["action"] for row in self.audit_rows(target_type="complaint", target_id=str(cid), outcome="ok")]
        for a in ("complaint.create", "complaint.note", "complaint.reply", "complaint.close"):
            self.assertIn(a, actions)

    def test_overdue(self):
        bureau = self.as_user("bureau")
        late = self.hotline().json["id"]
        on_time = self.hotline().json["id"]
        replied_late = self.hotline().json["id"]
        self.db.sql("UPDATE complaints SET deadline = '%s' WHERE id IN (%d, %d)" % (days_ago(1), late, replied_late))
        bureau.post("/api/v1/complaints/%d/reply" % replied_late, {"reply": "已处理完毕，谢谢监督。"})
        r = bureau.get("/api/v1/complaints?overdue=1&page_size=200").json
        ids = [x["id"] for x in r["items"]]
        self.assertIn(late, ids)
        self.assertNotIn(on_time, ids)
        self.assertNotIn(replied_late, ids)
        self.assertTrue(all(x["overdue"] for x in r["items"]))
        self.assertEqual(r["total"], int(self.one("SELECT COUNT(*) FROM complaints WHERE status IN ('open', 'processing')"
                                                  " AND deadline < '%s'" % days_ago(0))))
        self.assertEqual([x["days_left"] for x in r["items"] if x["id"] == late], [-1])
        items = {x["id"]: x for x in bureau.get("/api/v1/complaints?page_size=200").json["items"]}
        self.assertEqual((items[on_time]["overdue"], items[replied_late]["overdue"], items[replied_late]["replied_late"]),
                         (False, False, True))
        replied = bureau.get("/api/v1/complaints?status=replied&page_size=200").json
        self.assertIn(replied_late, [x["id"] for x in replied["items"]])
        self.assertEqual(replied["total"], int(self.one("SELECT COUNT(*) FROM complaints WHERE status = 'replied'")))
        self.assertError(bureau.get("/api/v1/complaints?status=lost"), 400, field="status")
        self.assertError(bureau.get("/api/v1/complaints?overdue=2"), 400, field="overdue")
        self.assertError(bureau.get("/api/v1/complaints?category=noise"), 400, field="category")

    def test_provider_staff_see_their_own_and_never_the_complainant(self):
        own = self.hotline().json["id"]
        other = self.hotline(provider_id=self.provider("P0005")).json["id"]
        padmin = self.as_user("provider_admin")   # P0001
        r = padmin.get("/api/v1/complaints?page_size=200")
        ids = [x["id"] for x in r.json["items"]]
        self.assertIn(own, ids)
        self.assertNotIn(other, ids)
        self.assertEqual(r.json["total"], int(self.one("SELECT COUNT(*) FROM complaints WHERE provider_id = %d"
                                                       % self.provider("P0001"))))
        for item in r.json["items"]:
            self.assertEqual(item["provider"]["id"], self.provider("P0001"))
            self.assertIsNone(item["complainant"])
            self.assertNotIn("created_by", item)
        for text in (PHONE, "139****5678", "王秀英", "王*英"):
            self.assertNotIn(text, r.raw.decode("utf-8"))
        self.assertError(padmin.get("/api/v1/complaints/%d" % other), 404)
        self.assertError(padmin.post("/api/v1/complaints/%d/notes" % other, {"note": "看不到"}), 404)
        d = padmin.get("/api/v1/complaints/%d" % own)
        self.assertIsNone(d.json["complainant"])
        self.assertNotIn(PHONE, d.raw.decode("utf-8"))
        self.assertEqual(self.audit_rows(action="complaint.read", username="provider_admin"), [])
        self.assertError(padmin.post("/api/v1/complaints/%d/reply" % own, {"reply": "自行答复"}), 403)
        # the bureau's list is masked; its full read is audited
        bureau = self.as_user("bureau")
        row = [x for x in bureau.get("/api/v1/complaints").json["items"] if x["id"] == own][0]
        self.assertEqual(row["complainant"], {"name": "王*英", "phone": "139****5678"})
        full = bureau.get("/api/v1/complaints/%d" % own).json
        self.assertEqual(full["complainant"], {"name": "王秀英", "phone": PHONE})
        read = self.audit_rows(action="complaint.read", target_id=str(own))[0]
        self.assertEqual(read["username"], "bureau")
        # coordinators: complaints about persons or providers in their street
        coord = self.as_user("coordinator")       # 339902001, where P0001 is
        ids = [x["id"] for x in coord.get("/api/v1/complaints?page_size=200").json["items"]]
        self.assertIn(own, ids)
        self.assertNotIn(other, ids)
        self.assertError(coord.get("/api/v1/complaints/%d" % other), 404)
        self.assertIn(other, [x["id"] for x in self.as_user("coord_hw").get("/api/v1/complaints").json["items"]])
        # a coordinator enters hotline calls about its street only, never inspections
        self.assertEqual(self.hotline(client=coord).status, 201)
        self.assertError(self.hotline(client=coord, provider_id=self.provider("P0005")), 400, field="provider_id")
        self.assertError(self.hotline(client=coord, source="inspection"), 400, field="source")

    def test_portal(self):
        plan = self.plan(provider=self.provider("P0001"))
        person, _, _, _ = self.plan_row(plan)
        self.link_applicant(person)
        visit, _ = self.insert_visit(plan, days_ago(2))
        fam = self.as_user("applicant")
        base = {"category": "attitude", "description": "护理员态度生硬，不听老人意见"}
        r = fam.post("/api/v1/complaints", dict(base, visit_id=visit))
        self.assertEqual((r.status, r.json["source"], r.json["person"]["id"], r.json["complainant"]["name"]),
                         (201, "portal", person, "何秀英（家属）"), r)
        self.assertNotIn("handling_notes", r.json)
        mine = r.json["id"]
        self.assertEqual(fam.post("/api/v1/complaints", dict(base, person_id=person,
                                                             provider_id=self.provider("P0001"))).status, 201)
        # only its persons and what served them
        self.assertError(fam.post("/api/v1/complaints", dict(base, person_id=person,
                                                             provider_id=self.provider("P0005"))), 400,
                         field="provider_id")
        other_person = self.plan_row(self.plan(provider=self.provider("P0005")))[0]
        self.assertError(fam.post("/api/v1/complaints", dict(base, person_id=other_person,
                                                             provider_id=self.provider("P0005"))), 400,
                         field="person_id")
        self.assertError(fam.post("/api/v1/complaints", dict(base, provider_id=self.provider("P0001"))), 400,
                         field="person_id")
        self.assertError(fam.post("/api/v1/complaints", dict(base, visit_id=visit, source="hotline")), 400,
                         field="source")
        # the family account sees its own complaints and the reply, not the staff's notes
        staff = self.hotline().json["id"]
        self.as_user("bureau").post("/api/v1/complaints/%d/notes" % mine, {"note": "内部：已电话联系机构"})
        self.as_user("bureau").post("/api/v1/complaints/%d/reply" % mine, {"reply": "已责成机构更换护理员。"})
        lst = fam.get("/api/v1/complaints").json
        self.assertEqual(lst["total"], 2)
        self.assertTrue(all(x["source"] == "portal" for x in lst["items"]))
        self.assertNotIn(staff, [x["id"] for x in lst["items"]])
        got = fam.get("/api/v1/complaints/%d" % mine).json
        self.assertEqual((got["status"], got["reply"]), ("replied", "已责成机构更换护理员。"))
        self.assertNotIn("handling_notes", got)
        self.assertError(fam.get("/api/v1/complaints/%d" % staff), 404)
        self.assertError(fam.post("/api/v1/complaints/%d/close" % mine, {}), 403)


class TestAttendance(Feedback):
    def test_family_attestation(self):
        t = today()
        this_month, last_month = add_months(t, 0), add_months(t, -1)
        start = add_months(t, -3) + datetime.timedelta(days=19)   # the 20th, three months back
        plan = self.plan(mode="family", where=NURSE_STREET)
        person, provider, _, _ = self.plan_row(plan)
        self.db.sql("UPDATE care_plans SET effective_from = '%s', ended_on = NULL WHERE id = %d" % (start.isoformat(), plan))
        self.db.sql("DELETE FROM family_attestations WHERE plan_id = %d" % plan)   # the demo's
        vpw = int(self.one("SELECT visits_per_week FROM care_plans WHERE id = %d" % plan))
        counted = ("SELECT COUNT(*) FROM visits WHERE plan_id = %d AND visit_date LIKE '%s-%%' AND (verify_state ="
                   " 'verified' OR review_state = 'accepted')" % (plan, month_of(last_month)))
        before = int(self.one(counted))
        # last month's visits: 3 verified, 1 exception accepted by the bureau, 1 open exception, 1 pending
        for i, (verify, review) in enumerate((("verified", None), ("verified", None), ("verified", None),
                                              ("exception", "accepted"), ("exception", "open"), ("pending", None))):
            self.insert_visit(plan, (last_month + datetime.timedelta(days=i)).isoformat(), verify=verify, review=review)
        nurse = self.as_user("nurse")
        url = "/api/v1/care-plans/%d/attestations" % plan
        body = {"month": month_of(last_month), "caregiver_days": 20, "beneficiary_name": "张桂兰",
                "beneficiary_relation": "本人", "method": "signature"}
        # refusals name the field and write nothing
        home = self.plan(mode="home", where=NURSE_STREET)
        for path, b, status, field in (
                (url, dict(body, month=month_of(add_months(t, 1))), 400, "month"),
                (url, dict(body, month="2026-1"), 400, "month"),
                (url, dict(body, month=month_of(add_months(t, -4))), 409, "month"),
                (url, dict(body, caregiver_days=days_in_month(last_month) + 1), 400, "caregiver_days"),
                (url, dict(body, method="online"), 400, "method"),
                (url, {k: v for k, v in body.items() if k != "beneficiary_name"}, 400, "beneficiary_name"),
                ("/api/v1/care-plans/%d/attestations" % home, body, 409, "mode")):
            self.assertError(nurse.post(path, b), status, field=field)
        self.assertEqual(self.one("SELECT COUNT(*) FROM family_attestations WHERE plan_id = %d" % plan), "0")
        # last month, a full month in force
        r = nurse.post(url, body)
        self.assertEqual(r.status, 201, r)
        days = days_in_month(last_month)
        self.assertEqual((r.json["month"], r.json["days_in_force"], r.json["visits_required"], r.json["visits_done"]),
                         (month_of(last_month), days, vpw * days // 7, before + 4))
        self.assertEqual(int(self.one(counted)), before + 4)
        self.assertEqual(r.json["visits_short"], before + 4 < vpw * days // 7)
        self.assertEqual(r.json["due_on"], this_month.replace(day=5).isoformat())
        self.assertError(nurse.post(url, body), 409, field="month")
        # the month it started on the 20th: required visits for the days in force only
        first = add_months(t, -3)
        r = nurse.post(url, dict(body, month=month_of(first), caregiver_days=5))
        partial = days_in_month(first) - 19
        self.assertEqual((r.status, r.json["days_in_force"], r.json["visits_required"]),
                         (201, partial, vpw * partial // 7), r)
        # the family account attests the current month online for its person
        self.link_applicant(person, relation="女儿")
        fam = self.as_user("applicant")
        self.assertError(fam.post(url, {"month": month_of(t), "caregiver_days": 1, "method": "phone"}), 400,
                         field="method")
        r = fam.post(url, {"month": month_of(t), "caregiver_days": 1})
        self.assertEqual((r.status, r.json["method"], r.json["beneficiary_relation"], r.json["days_in_force"],
                          r.json["visits_required"]), (201, "online", "女儿", t.day, vpw * t.day // 7), r)
        # the list: attested months newest first, the month still missing
        lst = self.as_user("bureau").get(url).json
        self.assertEqual([a["month"] for a in lst["items"]], [month_of(t), month_of(last_month), month_of(first)])
        two_back = add_months(t, -2)
        self.assertEqual(lst["missing"], [{"month": month_of(two_back),
                                           "due_on": add_months(two_back, 1).replace(day=5).isoformat(),
                                           "overdue": True}])
        self.assertEqual(fam.get(url).status, 200)
        # provider staff read their own plans only; audit rows for each attestation
        other = self.as_user("provider_admin")
        expected = 200 if provider == self.provider("P0001") else 404
        self.assertEqual(other.get(url).status, expected)
        self.assertEqual(len(self.audit_rows(action="attestation.create", target_id=str(plan), outcome="ok")), 3)

    def institution_admin(self, plan):
        """A provider_admin account for the plan's institution."""
        _, provider, _, _ = self.plan_row(plan)
        r = self.as_user("admin").post("/api/v1/users", {
            "username": "inst_admin", "display_name": "机构管理员", "role": "provider_admin",
            "scope": {"kind": "provider", "id": provider}, "password": "Init#2026ab", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        return self.login("inst_admin", "Init#2026ab")

    def test_presence(self):
        plan = self.plan(mode="institution", where=" AND NOT EXISTS (SELECT 1 FROM hospital_stays h"
                                                    " WHERE h.person_id = cp.person_id)")
        person, provider, _, _ = self.plan_row(plan)
        self.db.sql("UPDATE care_plans SET effective_from = '%s', ended_on = NULL WHERE id = %d" % (days_ago(20), plan))
        self.db.sql("DELETE FROM presence WHERE person_id = %d" % person)   # the demo's
        inst = self.institution_admin(plan)
        url = "/api/v1/presence"
        # refusals
        for body, status, field in (({"plan_id": plan, "day": days_ago(-1), "status": "in"}, 400, "day"),
                                    ({"plan_id": plan, "day": days_ago(21), "status": "in"}, 409, "day"),
                                    ({"plan_id": plan, "day": "2026-02-30", "status": "in"}, 400, "day"),
                                    ({"plan_id": plan, "day": days_ago(1), "status": "away"}, 400, "status"),
                                    ({"plan_id": self.plan(mode="home"), "day": days_ago(1), "status": "in"}, 400,
                                     "plan_id"),
                                    ({"day": days_ago(1), "status": "in"}, 400, "plan_id")):
            self.assertError(inst.post(url, body), status, field=field)
        self.assertError(self.as_user("provider_admin").post(url, {"plan_id": plan, "day": days_ago(1),
                                                                  "status": "in"}), 400, field="plan_id")
        self.assertError(self.as_user("nurse").post(url, {"plan_id": plan, "day": days_ago(1), "status": "in"}), 403)
        self.assertEqual(self.one("SELECT COUNT(*) FROM presence WHERE person_id = %d" % person), "0")
        # one status per day; the same day again changes it
        r = inst.post(url, {"plan_id": plan, "day": days_ago(1), "status": "in"})
        self.assertEqual((r.status, r.json["previous"], r.json["changed"], r.json["consistent"]), (201, None, True, True), r)
        r = inst.post(url, {"plan_id": plan, "day": days_ago(1), "status": "leave"})
        self.assertEqual((r.status, r.json["previous"], r.json["status"]), (200, "in", "leave"), r)
        self.assertEqual(self.db.sql("SELECT status, recorded_by FROM presence WHERE person_id = %d" % person),
                         [["leave", "inst_admin"]])
        row = self.audit_rows(action="presence.record", target_id=str(plan))[0]
        self.assertEqual(json.loads(row["detail"])["previous"], "in")
        # a hospital day is checked against the hospital stays (reported, never written)
        r = inst.post(url, {"plan_id": plan, "day": days_ago(2), "status": "hospital"})
        self.assertEqual((r.status, r.json["consistent"], r.json["hospital_stay"]), (201, False, None), r)
        self.assertIn("住院记录", r.json["warning"])
        self.assertEqual(self.one("SELECT COUNT(*) FROM hospital_stays WHERE person_id = %d" % person), "0")
        self.db.sql("INSERT INTO hospital_stays (person_id, admitted, discharged, hospital, source, recorded_at)"
                    " VALUES (%d, '%s', '%s', '舟山医院', 'manual', 0)" % (person, days_ago(6), days_ago(3)))
        r = inst.post(url, {"plan_id": plan, "day": days_ago(4), "status": "hospital"})
        self.assertEqual((r.json["consistent"], r.json["hospital_stay"]["admitted"]), (True, days_ago(6)), r)
        r = inst.post(url, {"plan_id": plan, "day": days_ago(5), "status": "in"})
        self.assertFalse(r.json["consistent"])
        r = self.as_user("bureau").post(url, {"plan_id": plan, "day": days_ago(3), "status": "hospital"})
        self.assertEqual((r.status, r.json["consistent"]), (201, True), r)
        # one resident's month: every day, counts, days without a record, disagreements
        month = days_ago(3)[:7]
        m = inst.get("%s?plan_id=%d&month=%s" % (url, plan, month)).json
        recorded = [d for d in (days_ago(1), days_ago(2), days_ago(3), days_ago(4), days_ago(5)) if d[:7] == month]
        self.assertEqual(sorted(i["day"] for i in m["items"]), sorted(recorded))
        first = max(datetime.date.fromisoformat(month + "-01"), today() - datetime.timedelta(days=20))
        last = min(add_months(datetime.date.fromisoformat(month + "-01"), 1) - datetime.timedelta(days=1), today())
        self.assertEqual(m["days_in_force"], (last - first).days + 1)
        self.assertEqual(m["missing"], m["days_in_force"] - len(recorded))
        self.assertEqual(sum(m["counts"].values()), len(recorded))
        self.assertEqual({i["day"] for i in m["inconsistent"]},
                         {d for d in (days_ago(2), days_ago(5)) if d[:7] == month})
        # the institution's month; other providers see none of it
        lst = inst.get("%s?month=%s&page_size=200" % (url, month)).json
        self.assertEqual(lst["total"], int(self.one("SELECT COUNT(*) FROM presence WHERE provider_id = %d"
                                                    " AND day LIKE '%s-%%'" % (provider, month))))
        self.assertEqual(sum(lst["counts"].values()), lst["total"])
        self.assertTrue(all(i["provider"]["id"] == provider for i in lst["items"]))
        self.assertEqual(self.as_user("provider_admin").get("%s?month=%s" % (url, month)).json["total"], 0)
        self.assertError(self.as_user("provider_admin").get("%s?plan_id=%d" % (url, plan)), 400, field="plan_id")
        self.assertError(inst.get("%s?month=2026-13" % url), 400, field="month")


if __name__ == "__main__":
    unittest.main()

"""The registry of insured persons: create, search, masking, scope, the audited full read, updates, enrolment
history, deaths and hospital stays, and validation that changes nothing."""
import json
import unittest
import urllib.parse

from harness import LtciTestCase

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def make_id(first17):
    """An 18-digit ID number: the check character by ISO 7064 MOD 11-2 (worked out independently here)."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS))
    return first17 + CHECK[total % 11]


class TestRegistry(LtciTestCase):
    def area(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def create(self, client, id17, name="测试人", code="339902001001", **extra):
        body = {"id_number": make_id(id17), "name": name, "area_id": self.area(code)}
        body.update(extra)
        return client.post("/api/v1/persons", body)

    def test_create_derives_birth_and_sex(self):
        # 17th digit 3 (odd) -> male; birth 1948-03-15
        r = self.create(self.as_user("bureau"), "33990219480315003", name="欧阳建国", phone="13812345678",
                        address="江海市人民路8号", lat=29.99, lon=122.2,
                        contacts=[{"name": "欧阳丽", "relation": "子女", "phone": "13900001111", "is_agent": True}],
                        enrolment={"category": "resident", "flags": ["assistance"], "status": "active",
                                   "effective_from": "2024-01-01"})
        self.assertEqual(r.status, 201, r)
        p = r.json
        self.assertEqual((p["birth_date"], p["sex"], p["sex_label"]), ("1948-03-15", "M", "男"))
        self.assertEqual(p["id_number"], make_id("33990219480315003"))
        self.assertEqual((p["lat"], p["lon"]), (29.99, 122.2))
        self.assertEqual(p["contacts"][0]["name"], "欧阳丽")
        self.assertTrue(p["contacts"][0]["is_agent"])
        self.assertEqual(p["enrolment"]["category"], "resident")
        self.assertEqual(p["enrolment"]["flags"], ["assistance"])
        stored = self.db.sql("SELECT lat_e6, lon_e6, id_last4 FROM persons WHERE id = %d" % p["id"])[0]
        self.assertEqual(stored, ["29990000", "122200000", make_id("33990219480315003")[-4:]])

    def test_sex_and_birth_cross_check(self):
        c = self.as_user("bureau")
        r = self.create(c, "33990219500101004", birth_date="1950-01-02")  # 17th digit 4: female
        self.assertError(r, 400, "validation", "birth_date")
        r = self.create(c, "33990219500101004", sex="M")
        self.assertError(r, 400, "validation", "sex")
        r = self.create(c, "33990219500101004", sex="F", birth_date="1950-01-01")
        self.assertEqual(r.status, 201, r)
        # writes answer with the record without a separate read in the trail
        self.assertEqual(self.audit_rows(action="person.read", target_id=str(r.json["id"])), [])

    def test_only_the_bureau_enrols(self):
        enrolment = {"category": "resident", "status": "active", "effective_from": "2024-01-01"}
        r = self.create(self.as_user("intake"), "33990219510101005", enrolment=enrolment)
        self.assertError(r, 403, "forbidden", "enrolment")
        r = self.create(self.as_user("intake"), "33990219510101005")
        self.assertEqual(r.status, 201, r)

    def test_validation_changes_nothing(self):
        c = self.as_user("bureau")
        before = self.db.sql("SELECT COUNT(*) FROM persons")
        good17 = "33990319600202005"
        bad_check = make_id(good17)[:-1] + ("0" if make_id(good17)[-1] != "0" else "1")
        street_hw = self.area("339903001")
        cases = [
            ({"id_number": bad_check}, "id_number"),
            ({"id_number": "339903600202005"}, "id_number"),             # 15-digit legacy
            ({"id_number": make_id("33990319601302005")}, "id_number"),  # month 13
            ({"id_number": make_id("33990330000101005")}, "id_number"),  # born in 3000
            ({"name": "张"}, "name"),
            ({"name": "张3"}, "name"),
            ({"phone": "12345"}, "phone"),
            ({"phone": "23812345678"}, "phone"),
            ({"lat": 29.9}, "lon"),
            ({"lat": 48.85, "lon": 2.35}, "lat"),  # Paris
            ({"lat": "29.9", "lon": "122.2"}, "lat"),
            ({"area_id": self.area("339902")}, "area_id"),       # a district, not a street
            ({"area_id": 999999}, "area_id"),
            ({"contacts": [{"name": "王五"}]}, "contacts[0].relation"),
            ({"contacts": [{"name": "王五", "relation": "子女", "phone": "x"}]}, "contacts[0].phone"),
            ({"enrolment": {"category": "farmer", "status": "active", "effective_from": "2024-01-01"}},
             "enrolment.category"),
            ({"enrolment": {"category": "resident", "flags": ["rich"], "status": "active",
                            "effective_from": "2024-01-01"}}, "enrolment.flags[0]"),
            ({"enrolment": {"category": "resident", "status": "active", "effective_from": "1950-01-01"}},
             "enrolment.effective_from"),  # before birth
            ({"hobby": "chess"}, "hobby"),
        ]
        for change, field in cases:
            body = {"id_number": make_id(good17), "name": "李四", "area_id": street_hw}
            body.update(change)
            with self.subTest(change=change):
                self.assertError(c.post("/api/v1/persons", body), 400, field=field)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM persons"), before)
        ok = c.post("/api/v1/persons", {"id_number": make_id(good17).lower(), "name": "李四", "area_id": street_hw})
        self.assertEqual(ok.status, 201, ok)
        dup = c.post("/api/v1/persons", {"id_number": make_id(good17), "name": "李四", "area_id": street_hw})
        self.assertError(dup, 409, "conflict", "id_number")

    def test_list_masks_and_full_read_is_audited(self):
        c = self.as_user("bureau")
        full = make_id("33990219551111006")
        r = self.create(c, "33990219551111006", name="掩码测试", phone="13700001234")
        pid = r.json["id"]
        r = c.get("/api/v1/persons?name=" + urllib.parse.quote("掩码测试"))
        self.assertEqual(r.json["total"], 1, r)
        item = r.json["items"][0]
        self.assertEqual(item["id_number"], full[:4] + "*" * 10 + full[-4:])
        self.assertEqual(item["phone"], "137****1234")
        self.assertNotIn(full, r.raw.decode())
        self.assertNotIn("13700001234", r.raw.decode())
        before = len(self.audit_rows(action="person.read", target_id=str(pid)))
        d = c.get("/api/v1/persons/%d" % pid)
        self.assertEqual((d.json["id_number"], d.json["phone"]), (full, "13700001234"))
        rows = self.audit_rows(action="person.read", target_id=str(pid))
        self.assertEqual(len(rows), before + 1)
        self.assertEqual((rows[0]["username"], rows[0]["outcome"]), ("bureau", "ok"))

    def test_search(self):
        c = self.as_user("bureau")
        full = make_id("33990319400909007")
        pid = self.create(c, "33990319400909007", name="诸葛孔明", phone="13688889999", code="339903002002").json["id"]
        for q in ("id=" + full, "id=" + full.lower(), "id=" + full[-4:], "id=" + full[-8:],
                  "phone=13688889999", "name=" + urllib.parse.quote("诸葛")):
            r = c.get("/api/v1/persons?" + q)
            self.assertIn(pid, [i["id"] for i in r.json["items"]], q)
        zg = urllib.parse.quote("诸葛")
        r = c.get("/api/v1/persons?area_id=%d&name=%s" % (self.area("339903002"), zg))
        self.assertEqual([i["id"] for i in r.json["items"]], [pid])
        r = c.get("/api/v1/persons?area_id=%d&name=%s" % (self.area("339902"), zg))
        self.assertEqual(r.json["items"], [])
        r = c.get("/api/v1/persons?area_id=%d" % self.area("339903002"))
        self.assertTrue(all(i["area_name"] in ("盐田社区居委会", "东滩社区居委会", "银沙社区居委会")
                            for i in r.json["items"]), r.json["items"][:3])
        r = c.get("/api/v1/persons?name=" + urllib.parse.quote("葛孔"))  # not a prefix
        self.assertNotIn(pid, [i["id"] for i in r.json["items"]])
        self.assertError(c.get("/api/v1/persons?id=12"), 400, field="id")
        self.assertError(c.get("/api/v1/persons?status=alive"), 400, field="status")
        self.assertError(c.get("/api/v1/persons?nick=x"), 400, field="nick")
        # the demo registry is there and pages
        r = c.get("/api/v1/persons?page=2&page_size=50")
        self.assertGreaterEqual(r.json["total"], 2000)
        self.assertEqual(len(r.json["items"]), 50)

    def test_scope(self):
        bureau = self.as_user("bureau")
        hw = self.create(bureau, "33990319520202008", name="海湾居民", code="339903001002").json["id"]
        lj = self.create(bureau, "33990219520202009", name="望江居民", code="339902001003").json["id"]
        coord = self.as_user("coordinator")  # 望江街道
        ids = {i["id"] for i in coord.get("/api/v1/persons?page_size=200&name=" +
                                          urllib.parse.quote("望江居民")).json["items"]}
        self.assertEqual(ids, {lj})
        self.assertEqual(coord.get("/api/v1/persons?name=" + urllib.parse.quote("海湾居民")).json["total"], 0)
        self.assertError(coord.get("/api/v1/persons/%d" % hw), 404, "not_found")
        self.assertEqual(coord.get("/api/v1/persons/%d" % lj).status, 200)
        every = coord.get("/api/v1/persons?page_size=200")
        areas = {i["area_name"] for i in every.json["items"]}
        self.assertTrue(areas <= {"望江社区居委会", "江滨社区居委会", "新桥社区居委会", "文昌社区居委会"}, areas)
        # intake (望江街道) cannot register someone in 海湾区
        r = self.create(self.as_user("intake"), "33990319530303000", code="339903001001")
        self.assertError(r, 403, "forbidden", "area_id")
        # provider staff and admins do not read the registry
        self.assertError(self.as_user("provider_admin").get("/api/v1/persons"), 403)
        self.assertError(self.as_user("admin").get("/api/v1/persons"), 403)

    def test_update(self):
        c = self.as_user("intake")
        pid = self.create(c, "33990219440404001", name="改前", phone="13500000000").json["id"]
        r = c.patch("/api/v1/persons/%d" % pid, {"name": "改后", "phone": None, "address": "新地址1号",
                                                 "contacts": [{"name": "赵六", "relation": "配偶"}]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.json["name"], r.json["phone"], r.json["address"]), ("改后", None, "新地址1号"))
        self.assertEqual([x["name"] for x in r.json["contacts"]], ["赵六"])
        row = self.audit_rows(action="person.update", target_id=str(pid))[0]
        self.assertEqual(sorted(json.loads(row["detail"])["fields"]), ["address", "contacts", "name", "phone"])
        self.assertNotIn("改后", row["detail"])  # the trail names fields, not personal values
        self.assertError(c.patch("/api/v1/persons/%d" % pid, {"id_number": "x"}), 400, field="id_number")
        self.assertError(c.patch("/api/v1/persons/%d" % pid, {"lat": 30.0}), 400, field="lon")
        self.assertError(c.patch("/api/v1/persons/999999", {"name": "某某"}), 404)
        self.assertEqual(self.db.sql("SELECT name FROM persons WHERE id = %d" % pid), [["改后"]])

    def test_enrolment_history_is_kept(self):
        bureau = self.as_user("bureau")
        pid = self.create(bureau, "33990219560606002", enrolment={
            "category": "employee", "status": "active", "effective_from": "2020-01-01"}).json["id"]
        r = bureau.post("/api/v1/persons/%d/enrolments" % pid, {"category": "resident", "flags": ["sponsored"],
                                                              "status": "active", "effective_from": "2025-01-01"})
        self.assertEqual(r.status, 200, r)
        hist = r.json["enrolments"]
        self.assertEqual([(h["category"], h["effective_from"]) for h in hist],
                         [("resident", "2025-01-01"), ("employee", "2020-01-01")])
        self.assertEqual(r.json["enrolment"]["category"], "resident")
        r = bureau.post("/api/v1/persons/%d/enrolments" % pid, {"category": "resident", "flags": ["sponsored"],
                                                              "status": "active", "effective_from": "2025-01-01"})
        self.assertError(r, 409, field="effective_from")
        self.assertError(self.as_user("intake").post("/api/v1/persons/%d/enrolments" % pid, {}), 403)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM enrolments WHERE person_id = %d" % pid), [["2"]])

    def test_death_and_hospital_stays(self):
        bureau = self.as_user("bureau")
        pid = self.create(bureau, "33990219300707005").json["id"]
        self.assertError(bureau.put("/api/v1/persons/%d/death" % pid, {"death_date": "1929-01-01"}), 400,
                         field="death_date")
        self.assertError(bureau.put("/api/v1/persons/%d/death" % pid, {"death_date": "2999-01-01"}), 400,
                         field="death_date")
        r = bureau.put("/api/v1/persons/%d/death" % pid, {"death_date": "2026-03-01"})
        self.assertEqual((r.status, r.json["death_date"]), (200, "2026-03-01"), r)
        self.assertEqual(r.json["age"], 95)  # born 1930-07-07: the age at death, not today's
        r = bureau.put("/api/v1/persons/%d/death" % pid, {"death_date": None})
        self.assertIsNone(r.json["death_date"])
        r = bureau.post("/api/v1/persons/%d/hospital-stays" % pid, {"admitted": "2026-02-01",
                                                                  "discharged": "2026-02-10", "hospital": "江海市人民医院"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.json["hospital_stays"][0]["discharged"], "2026-02-10")
        self.assertError(bureau.post("/api/v1/persons/%d/hospital-stays" % pid, {"admitted": "2026-02-05"}), 409)
        self.assertError(bureau.post("/api/v1/persons/%d/hospital-stays" % pid,
                                     {"admitted": "2026-03-05", "discharged": "2026-03-01"}), 400, field="discharged")
        actions = [row["action"] for row in self.audit_rows(target_type="person", target_id=str(pid))
                   if row["outcome"] == "ok" and row["action"] != "person.read"]
        self.assertEqual(actions, ["person.hospital_stay", "person.death", "person.death", "person.create"])


if __name__ == "__main__":
    unittest.main()

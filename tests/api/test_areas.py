"""The area tree: reading (scoped), creating, editing and deleting, with code rules and audit rows."""
import unittest
import urllib.parse

from harness import LtciTestCase


class TestAreas(LtciTestCase):
    def area_id(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def test_demo_tree_shape(self):
        r = self.as_user("admin").get("/api/v1/areas")
        self.assertEqual(r.status, 200, r)
        levels = {}
        for a in r.json["items"]:
            levels[a["level"]] = levels.get(a["level"], 0) + 1
        self.assertEqual(levels, {"region": 1, "district": 2, "street": 6, "neighbourhood": 20})
        root = [a for a in r.json["items"] if a["parent_id"] is None][0]
        self.assertEqual((root["code"], root["name"], root["level_label"]), ("339900", "江海市", "统筹区"))

    def test_filters(self):
        c = self.as_user("bureau")
        r = c.get("/api/v1/areas?level=street")
        self.assertEqual(sorted(a["code"] for a in r.json["items"]),
                         ["339902001", "339902002", "339902101", "339903001", "339903002", "339903101"])
        r = c.get("/api/v1/areas?parent_id=%d" % self.area_id("339903101"))
        self.assertEqual(len(r.json["items"]), 4)
        r = c.get("/api/v1/areas?q=" + urllib.parse.quote("望江"))
        self.assertEqual(sorted(a["code"] for a in r.json["items"]), ["339902001", "339902001001"])
        r = c.get("/api/v1/areas?q=%25")  # a literal % matches nothing, not everything
        self.assertEqual(r.json["items"], [])
        self.assertError(c.get("/api/v1/areas?level=city"), 400, "validation", "level")
        self.assertError(c.get("/api/v1/areas?parent_id=abc"), 400, "validation", "parent_id")
        self.assertError(c.get("/api/v1/areas?colour=red"), 400, "validation", "colour")

    def test_scoped_reads(self):
        # district-scoped: its subtree plus its ancestors
        r = self.as_user("bureau_lj").get("/api/v1/areas")
        codes = {a["code"] for a in r.json["items"]}
        self.assertIn("339900", codes)
        self.assertIn("339902", codes)
        self.assertIn("339902101203", codes)
        self.assertFalse(any(c.startswith("339903") for c in codes), codes)
        self.assertEqual(len(codes), 1 + 1 + 3 + 10)
        # street-scoped
        codes = {a["code"] for a in self.as_user("coord_hw").get("/api/v1/areas").json["items"]}
        self.assertEqual(codes, {"339900", "339903", "339903001", "339903001001", "339903001002", "339903001003"})
        r = self.as_user("coord_hw").get("/api/v1/areas/%d" % self.area_id("339902001"))
        self.assertError(r, 404, "not_found")
        # provider staff read the whole tree (providers serve many streets)
        self.assertEqual(self.as_user("provider_admin").get("/api/v1/areas").json["total"], 29)

    def test_create_update_delete(self):
        admin = self.as_user("admin")
        street = self.area_id("339903002")
        r = admin.post("/api/v1/areas", {"parent_id": street, "code": "339903002004", "name": "新港社区居委会"})
        self.assertEqual(r.status, 201, r)
        new = r.json
        self.assertEqual((new["level"], new["parent_id"]), ("neighbourhood", street))
        path = self.db.sql("SELECT path FROM areas WHERE id = %d" % new["id"])[0][0]
        self.assertTrue(path.endswith("/%d/%d/" % (street, new["id"])), path)
        r = admin.patch("/api/v1/areas/%d" % new["id"], {"name": "新港社区"})
        self.assertEqual((r.status, r.json["name"]), (200, "新港社区"), r)
        r = admin.patch("/api/v1/areas/%d" % new["id"], {"code": "339903002099"})
        self.assertEqual((r.status, r.json["code"]), (200, "339903002099"), r)
        r = admin.delete("/api/v1/areas/%d" % new["id"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(admin.get("/api/v1/areas/%d" % new["id"]).status, 404)
        actions = [row["action"] for row in self.audit_rows(target_type="area", target_id=str(new["id"]))]
        self.assertEqual(actions, ["area.delete", "area.update", "area.update", "area.create"])

    def test_code_rules(self):
        admin = self.as_user("admin")
        street = self.area_id("339902002")
        district = self.area_id("339902")
        root = self.area_id("339900")
        before = self.db.sql("SELECT COUNT(*) FROM areas")
        cases = [
            ({"parent_id": street, "code": "33990200200", "name": "短码"}, 400, "code"),        # 11 digits
            ({"parent_id": street, "code": "339902001009", "name": "错上级"}, 400, "code"),     # other street's prefix
            ({"parent_id": street, "code": "33990200200a", "name": "字母"}, 400, "code"),
            ({"parent_id": district, "code": "339903009", "name": "错区"}, 400, "code"),
            ({"parent_id": root, "code": "339900", "name": "同统筹区"}, 400, "code"),
            ({"parent_id": root, "code": "320102", "name": "外省"}, 400, "code"),
            ({"parent_id": street, "code": "339902002001", "name": "重复代码"}, 409, "code"),
            ({"parent_id": street, "code": "339902002009", "name": "鼓楼社区居委会"}, 409, "name"),
            ({"parent_id": 999999, "code": "339902002009", "name": "无上级"}, 400, "parent_id"),
            ({"code": "339800", "name": "第二个统筹区"}, 409, "parent_id"),
            ({"parent_id": self.area_id("339902002001"), "code": "339902002001001", "name": "太深"}, 400,
             "parent_id"),
            ({"parent_id": street, "code": "339902002009"}, 400, "name"),
            ({"parent_id": street, "code": "339902002009", "name": ""}, 400, "name"),
            ({"parent_id": street, "code": "339902002009", "name": "x" * 65}, 400, "name"),
            ({"parent_id": street, "code": "339902002009", "name": "换行\n名称"}, 400, "name"),
            ({"parent_id": "7", "code": "339902002009", "name": "类型"}, 400, "parent_id"),
        ]
        for body, status, field in cases:
            with self.subTest(body=body):
                self.assertError(admin.post("/api/v1/areas", body), status, field=field)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM areas"), before)

    def test_cannot_delete_or_recode_an_area_in_use(self):
        admin = self.as_user("admin")
        self.assertError(admin.delete("/api/v1/areas/%d" % self.area_id("339902001")), 409)  # has children + users
        self.assertError(admin.patch("/api/v1/areas/%d" % self.area_id("339902001"), {"code": "339902009"}), 409,
                         field="code")
        self.assertError(admin.delete("/api/v1/areas/999999"), 404)
        self.assertError(admin.patch("/api/v1/areas/%d" % self.area_id("339902001"), {}), 400)



class TestScopedAdmin(LtciTestCase):
    def area_id(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def test_scoped_admin_edits_only_its_subtree(self):
        admin = self.as_user("admin")
        r = admin.post("/api/v1/users", {"username": "admin_hw", "display_name": "海湾区管理员", "role": "admin",
                                         "scope": {"kind": "district", "code": "339903"},
                                         "password": "Admin#2026hw", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        hw = self.login("admin_hw", "Admin#2026hw")
        ok = hw.post("/api/v1/areas", {"parent_id": self.area_id("339903001"), "code": "339903001009",
                                       "name": "海湾新社区"})
        self.assertEqual(ok.status, 201, ok)
        denied = hw.post("/api/v1/areas", {"parent_id": self.area_id("339902001"), "code": "339902001009",
                                           "name": "越权社区"})
        self.assertError(denied, 403, "forbidden", "parent_id")
        self.assertError(hw.patch("/api/v1/areas/%d" % self.area_id("339902001"), {"name": "改名"}), 404)
        self.assertError(hw.post("/api/v1/areas", {"code": "339800", "name": "新统筹区"}), 403)
        # it sees only users inside its district
        names = {u["username"] for u in hw.get("/api/v1/users?page_size=200").json["items"]}
        self.assertEqual(names, {"admin_hw", "coord_hw"})


if __name__ == "__main__":
    unittest.main()

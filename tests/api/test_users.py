"""Account administration: create, list, filter, update role/scope/status, reset passwords, scope rules."""
import unittest
import urllib.parse

from harness import LtciTestCase


class TestUsers(LtciTestCase):
    def area_id(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def provider_id(self, code):
        return int(self.db.sql("SELECT id FROM providers WHERE code = '%s'" % code)[0][0])

    def new_user(self, username, role="bureau", scope=None, password="Init#2026ab", must_change=False):
        scope = scope or {"kind": "district", "id": self.area_id("339902")}
        return self.as_user("admin").post("/api/v1/users", {
            "username": username, "display_name": "用户" + username, "role": role, "scope": scope,
            "password": password, "must_change_password": must_change})

    def test_create_and_read(self):
        r = self.new_user("zhang_san", role="coordinator", scope={"kind": "street", "code": "339902002"})
        self.assertEqual(r.status, 201, r)
        u = r.json
        self.assertEqual((u["username"], u["role"], u["role_label"], u["status"]),
                         ("zhang_san", "coordinator", "街镇协管员", "active"))
        self.assertEqual((u["scope"]["kind"], u["scope"]["code"], u["scope"]["name"]),
                         ("street", "339902002", "北门街道"))
        self.assertNotIn("password_hash", u)
        self.assertNotIn("argon2", str(u))
        got = self.as_user("admin").get("/api/v1/users/%d" % u["id"])
        self.assertEqual(got.json, u)
        row = self.audit_rows(action="user.create", target_id=str(u["id"]))[0]
        self.assertEqual(row["outcome"], "ok")
        self.assertNotIn("Init#2026ab", row["detail"])
        self.assertEqual(self.new_client().login("zhang_san", "Init#2026ab").status, 201)

    def test_provider_roles_need_a_provider_scope(self):
        r = self.new_user("cg_one", role="caregiver", scope={"kind": "provider", "id": self.provider_id("P0002")})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.json["scope"]["kind"], "provider")
        self.assertError(self.new_user("cg_two", role="caregiver"), 400, "validation", "scope")
        self.assertError(self.new_user("bu_two", role="bureau",
                                       scope={"kind": "provider", "id": self.provider_id("P0002")}),
                         400, "validation", "scope")

    def test_create_validation_changes_nothing(self):
        before = self.db.sql("SELECT COUNT(*) FROM users")
        district = {"kind": "district", "id": self.area_id("339902")}
        cases = [
            ({"username": "ab"}, "username"),
            ({"username": "Upper"}, "username"),
            ({"username": "9lives"}, "username"),
            ({"username": "bad name"}, "username"),
            ({"username": "admin"}, "username"),  # taken -> 409
            ({"role": "king"}, "role"),
            ({"scope": {"kind": "street", "id": self.area_id("339902")}}, "scope"),  # level mismatch
            ({"scope": {"kind": "district", "id": 999999}}, "scope"),
            ({"scope": {"kind": "planet", "id": 1}}, "scope"),
            ({"scope": {"kind": "district"}}, "scope"),
            ({"password": "weak"}, "password"),
            ({"password": "nouppercase1"}, "password"),
            ({"password": "Xvalid_user1!"}, "password"),  # contains the user name
            ({"display_name": ""}, "display_name"),
            ({"nickname": "x"}, "nickname"),
        ]
        for change, field in cases:
            body = {"username": "valid_user", "display_name": "有效用户", "role": "bureau", "scope": district,
                    "password": "Good#2026pw"}
            body.update(change)
            with self.subTest(change=change):
                r = self.as_user("admin").post("/api/v1/users", body)
                self.assertError(r, 409 if change == {"username": "admin"} else 400, field=field)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM users"), before)

    def test_list_filters_and_pagination(self):
        admin = self.as_user("admin")
        r = admin.get("/api/v1/users?page_size=5&page=2")
        self.assertEqual((r.json["page"], r.json["page_size"], len(r.json["items"])), (2, 5, 5))
        total = r.json["total"]
        ids = []
        for page in range(1, total // 5 + 2):
            ids += [u["id"] for u in admin.get("/api/v1/users?page_size=5&page=%d" % page).json["items"]]
        self.assertEqual(len(ids), total)
        self.assertEqual(len(set(ids)), total)
        r = admin.get("/api/v1/users?role=coordinator")
        self.assertTrue(all(u["role"] == "coordinator" for u in r.json["items"]))
        self.assertGreaterEqual(r.json["total"], 2)
        r = admin.get("/api/v1/users?q=" + urllib.parse.quote("海燕"))
        self.assertEqual([u["username"] for u in r.json["items"]], ["coord_hw"])
        r = admin.get("/api/v1/users?q=_")  # '_' is literal, not a wildcard
        self.assertTrue(all("_" in u["username"] or "_" in u["display_name"] for u in r.json["items"]))
        self.assertError(admin.get("/api/v1/users?page=0"), 400, field="page")
        self.assertError(admin.get("/api/v1/users?page_size=201"), 400, field="page_size")
        self.assertError(admin.get("/api/v1/users?page_size=x"), 400, field="page_size")

    def test_update_role_scope_status(self):
        r = self.new_user("li_si")
        uid = r.json["id"]
        admin = self.as_user("admin")
        c = self.login("li_si", "Init#2026ab")
        r = admin.patch("/api/v1/users/%d" % uid, {"role": "auditor", "display_name": "李四"})
        self.assertEqual((r.status, r.json["role"], r.json["display_name"]), (200, "auditor", "李四"), r)
        self.assertError(c.get("/api/v1/me"), 401)  # a role change ends the sessions
        r = admin.patch("/api/v1/users/%d" % uid, {"role": "provider_admin"})
        self.assertError(r, 400, field="scope")
        r = admin.patch("/api/v1/users/%d" % uid, {"role": "provider_admin",
                                                   "scope": {"kind": "provider", "code": "P0003"}})
        self.assertEqual((r.status, r.json["scope"]["code"]), (200, "P0003"), r)
        self.assertError(admin.patch("/api/v1/users/%d" % uid, {"status": "gone"}), 400, field="status")
        r = admin.patch("/api/v1/users/%d" % uid, {"status": "disabled"})
        self.assertEqual(r.json["status"], "disabled")
        self.assertError(self.new_client().login("li_si", "Init#2026ab"), 401)
        r = admin.patch("/api/v1/users/%d" % uid, {"status": "active"})
        self.assertEqual(self.new_client().login("li_si", "Init#2026ab").status, 201)
        self.assertError(admin.patch("/api/v1/users/999999", {"status": "active"}), 404)

    def test_admin_cannot_lock_itself_out(self):
        admin = self.as_user("admin")
        me = admin.get("/api/v1/me").json["user"]["id"]
        self.assertError(admin.patch("/api/v1/users/%d" % me, {"status": "disabled"}), 409, field="status")
        self.assertError(admin.patch("/api/v1/users/%d" % me, {"role": "bureau"}), 409, field="role")
        self.assertEqual(admin.get("/api/v1/me").status, 200)

    def test_password_reset_forces_change(self):
        uid = self.new_user("wang_wu").json["id"]
        c = self.login("wang_wu", "Init#2026ab")
        admin = self.as_user("admin")
        self.assertError(admin.post("/api/v1/users/%d/password" % uid, {"password": "weak"}), 400,
                         field="password")
        r = admin.post("/api/v1/users/%d/password" % uid, {"password": "Reset#2026cd"})
        self.assertEqual(r.status, 200, r)
        self.assertError(c.get("/api/v1/me"), 401)
        c = self.login("wang_wu", "Reset#2026cd")
        self.assertTrue(c.get("/api/v1/me").json["must_change_password"])
        self.assertError(c.get("/api/v1/users"), 403)


if __name__ == "__main__":
    unittest.main()

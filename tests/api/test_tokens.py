"""API tokens for department integrations: created once-visible, stored hashed, scoped, revocable, expiring."""
import hashlib
import unittest

from harness import LtciTestCase


class TestTokens(LtciTestCase):
    def area_id(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def make(self, name, role="dept", scope=None, **extra):
        body = {"name": name, "role": role, "scope": scope or {"kind": "region", "id": self.area_id("339900")}}
        body.update(extra)
        return self.as_user("admin").post("/api/v1/tokens", body)

    def test_create_use_revoke(self):
        r = self.make("民政局对接")
        self.assertEqual(r.status, 201, r)
        token, item = r.json["token"], r.json["item"]
        self.assertTrue(token.startswith("ltci_"))
        self.assertEqual((item["role"], item["status"], item["prefix"]), ("dept", "active", token[:10]))
        stored = self.db.sql("SELECT token_hash FROM api_tokens WHERE id = %d" % item["id"])[0][0]
        self.assertEqual(stored, hashlib.sha256(token.encode()).hexdigest())
        listed = self.as_user("admin").get("/api/v1/tokens").json["items"]
        self.assertNotIn(token, str(listed))
        c = self.new_client(token=token)
        me = c.get("/api/v1/me")
        self.assertEqual((me.status, me.json["actor"], me.json["user"]["role"]), (200, "token", "dept"), me)
        self.assertEqual(c.get("/api/v1/areas").json["total"], 29)
        self.assertIsNotNone(self.as_user("admin").get("/api/v1/tokens").json["items"][0]["last_used_at"])
        r = self.as_user("admin").delete("/api/v1/tokens/%d" % item["id"])
        self.assertEqual(r.status, 200, r)
        self.assertError(c.get("/api/v1/areas"), 401, "unauthenticated")
        self.assertError(self.as_user("admin").delete("/api/v1/tokens/%d" % item["id"]), 409)
        self.assertError(self.as_user("admin").delete("/api/v1/tokens/999999"), 404)
        actions = [(row["action"], row["outcome"])
                   for row in self.audit_rows(target_type="api_token", target_id=str(item["id"]))]
        self.assertEqual(actions, [("token.revoke", "failed"), ("token.revoke", "ok"), ("token.create", "ok")])

    def test_scoped_token(self):
        r = self.make("临江区卫健局", scope={"kind": "district", "code": "339902"})
        c = self.new_client(token=r.json["token"])
        codes = {a["code"] for a in c.get("/api/v1/areas").json["items"]}
        self.assertNotIn("339903", codes)
        self.assertIn("339902001", codes)

    def test_tokens_cannot_mint_tokens_or_use_session_routes(self):
        admin_token = self.make("管理令牌", role="admin").json["token"]
        c = self.new_client(token=admin_token)
        self.assertEqual(c.get("/api/v1/users").status, 200)
        self.assertError(c.post("/api/v1/tokens", {"name": "x", "role": "dept",
                                                   "scope": {"kind": "region", "code": "339900"}}), 403)
        self.assertError(c.put("/api/v1/me/password", {"current_password": "a", "new_password": "b"}), 403)
        # a token-authenticated mutation needs no CSRF header and is audited under the token's name
        r = c.post("/api/v1/areas", {"parent_id": self.area_id("339903002"), "code": "339903002077",
                                     "name": "令牌创建社区"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(self.audit_rows(action="area.create")[0]["username"], "token:管理令牌")

    def test_expiry(self):
        r = self.make("过期测试", expires_on="2099-12-31")
        self.assertEqual(r.status, 201, r)
        c = self.new_client(token=r.json["token"])
        self.assertEqual(c.get("/api/v1/me").status, 200)
        self.db.sql("UPDATE api_tokens SET expires_at = 1000 WHERE id = %d" % r.json["item"]["id"])
        self.assertError(c.get("/api/v1/me"), 401)
        listed = {t["id"]: t["status"] for t in self.as_user("admin").get("/api/v1/tokens").json["items"]}
        self.assertEqual(listed[r.json["item"]["id"]], "expired")
        self.assertError(self.make("昨天", expires_on="2001-01-01"), 400, field="expires_on")
        self.assertError(self.make("坏日期", expires_on="2099-02-30"), 400, field="expires_on")

    def test_validation(self):
        before = self.db.sql("SELECT COUNT(*) FROM api_tokens")
        self.assertError(self.make(""), 400, field="name")
        self.assertError(self.make("x", role="root"), 400, field="role")
        self.assertError(self.make("x", role="caregiver"), 400, field="scope")
        self.assertError(self.make("x", scope={"kind": "district", "code": "000000"}), 400, field="scope")
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM api_tokens"), before)

    def test_bad_bearer_values(self):
        for value in ("Bearer ", "Bearer ltci_not-a-real-token", "Bearer xyz", "Basic YWRtaW46eA=="):
            c = self.new_client()
            r = c.get("/api/v1/me", headers={"Authorization": value})
            self.assertError(r, 401, "unauthenticated")


if __name__ == "__main__":
    unittest.main()

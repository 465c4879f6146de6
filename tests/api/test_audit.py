"""The audit trail: what is recorded, how it is queried and scoped, and that `ltci audit verify` catches an edited,
an inserted and a deleted row (after the append-only triggers are dropped, as an intruder with database access
would)."""
import hashlib
import json
import unittest

from harness import ENGINE, Client, LtciTestCase, run_cli


def drop_guards(db):
    if ENGINE == "sqlite":
        db.sql("DROP TRIGGER audit_log_no_update")
        db.sql("DROP TRIGGER audit_log_no_delete")
    else:
        db.sql("DROP TRIGGER audit_log_no_update ON audit_log")


class TestAuditRecording(LtciTestCase):
    def test_mutations_record_who_what_where_outcome(self):
        admin = self.as_user("admin")
        street = int(self.db.sql("SELECT id FROM areas WHERE code = '339902101'")[0][0])
        r = admin.post("/api/v1/areas", {"parent_id": street, "code": "339902101204", "name": "审计村村委会"})
        self.assertEqual(r.status, 201, r)
        rows = self.db.sql("SELECT at, actor_kind, user_id, username, role, scope_path, action, target_type,"
                           " target_id, source_ip, outcome FROM audit_log ORDER BY id DESC")
        at, kind, uid, username, role, scope, action, ttype, tid, ip, outcome = rows[0]
        self.assertEqual((kind, username, role, action, ttype, tid, ip, outcome),
                         ("user", "admin", "admin", "area.create", "area", str(r.json["id"]), "127.0.0.1", "ok"))
        self.assertEqual(scope, "/1/")
        self.assertEqual(uid, self.db.sql("SELECT id FROM users WHERE username = 'admin'")[0][0])

    def test_failed_and_denied_mutations_are_recorded(self):
        admin = self.as_user("admin")
        admin.post("/api/v1/areas", {"parent_id": 1, "code": "12", "name": "坏代码"})
        row = self.audit_rows(action="area.create")[0]
        self.assertEqual(row["outcome"], "failed")
        self.assertEqual(json.loads(row["detail"])["field"], "code")
        self.new_client().post("/api/v1/areas", {"parent_id": 1, "code": "339905", "name": "匿名"})
        row = self.audit_rows(action="area.create")[0]
        self.assertEqual((row["outcome"], row["username"]), ("denied", None))

    def test_reads_are_not_audited_but_logins_are(self):
        n = len(self.audit_rows())
        c = self.login("dept")
        c.get("/api/v1/areas")
        c.get("/api/v1/me")
        rows = self.audit_rows()
        self.assertEqual(len(rows), n + 1)
        self.assertEqual((rows[0]["action"], rows[0]["outcome"], rows[0]["username"]), ("session.login", "ok", "dept"))

    def test_query_filters(self):
        auditor = self.as_user("auditor")
        self.login("intake")
        r = auditor.get("/api/v1/audit?username=intake&action=session.login")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.json["items"])
        self.assertTrue(all(i["username"] == "intake" and i["action"] == "session.login" for i in r.json["items"]))
        r = auditor.get("/api/v1/audit?action=session.*")
        self.assertTrue(all(i["action"].startswith("session.") for i in r.json["items"]))
        r = auditor.get("/api/v1/audit?outcome=ok&page_size=3")
        self.assertEqual(len(r.json["items"]), 3)
        ids = [i["id"] for i in r.json["items"]]
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertError(auditor.get("/api/v1/audit?outcome=maybe"), 400, field="outcome")
        self.assertError(auditor.get("/api/v1/audit?from=2026-13-01"), 400, field="from")
        r = auditor.get("/api/v1/audit?from=2000-01-01&to=2000-12-31")
        self.assertEqual(r.json["total"], 0)
        r = auditor.get("/api/v1/audit?target_type=user&target_id=999999")
        self.assertEqual(r.json["items"], [])

    def test_scoped_auditor_sees_only_its_subtree(self):
        admin = self.as_user("admin")
        r = admin.post("/api/v1/users", {"username": "auditor_lj", "display_name": "临江区监管", "role": "auditor",
                                         "scope": {"kind": "district", "code": "339902"},
                                         "password": "Audit#2026lj", "must_change_password": False})
        self.assertEqual(r.status, 201, r)
        self.login("intake")    # street in 临江区
        self.login("coord_hw")  # street in 海湾区
        lj = self.login("auditor_lj", "Audit#2026lj")
        items = lj.get("/api/v1/audit?page_size=200").json["items"]
        names = {i["username"] for i in items}
        self.assertIn("intake", names)
        self.assertNotIn("coord_hw", names)
        self.assertNotIn("admin", names)

    def test_triggers_refuse_changes(self):
        with self.assertRaises(Exception):
            self.db.sql("UPDATE audit_log SET outcome = 'ok' WHERE id = 1")
        with self.assertRaises(Exception):
            self.db.sql("DELETE FROM audit_log WHERE id = 1")

    def test_verify_intact(self):
        out = run_cli("audit", "verify", db=self.db)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("intact", out.stdout)
        r = self.as_user("auditor").get("/api/v1/audit/verify")
        self.assertEqual((r.status, r.json["intact"], r.json["first_bad"]), (200, True, None), r)


class TamperBase(LtciTestCase):
    """Makes a handful of audit rows, then lets a test tamper with them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = Client(cls.server)
        for name in ("bureau", "auditor", "intake", "nurse", "expert"):
            assert c.login(name).status == 201
        drop_guards(cls.db)

    def verify(self):
        return run_cli("audit", "verify", db=self.db)


class TestEditedRow(TamperBase):
    def test_edited_row_is_caught(self):
        self.db.sql("UPDATE audit_log SET username = 'someone_else' WHERE id = 3")
        out = self.verify()
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("entry 3", out.stdout)
        self.assertIn("changed", out.stdout)
        r = self.as_user("auditor").get("/api/v1/audit/verify")
        self.assertEqual((r.json["intact"], r.json["first_bad"]), (False, 3))


class TestEditedRowWithRecomputedHash(TamperBase):
    def test_recomputed_hash_breaks_the_next_link(self):
        # An intruder who edits a row and recomputes its hash still breaks the chain at the next row.
        cols = ("id, at, actor_kind, user_id, username, role, scope_path, action, target_type, target_id,"
                " source_ip, outcome, detail, prev_hash")
        target = int(self.db.sql("SELECT MIN(id) FROM audit_log WHERE action = 'session.login'")[0][0])
        row = self.db.sql("SELECT %s FROM audit_log WHERE id = %d" % (cols, target))[0]
        self.assertEqual(row[7], "session.login")
        row[11] = "failed"
        fields = [int(row[0]), int(row[1]), row[2], int(row[3]) if row[3] is not None else None] + row[4:]
        text = json.dumps(fields, separators=(",", ":"), ensure_ascii=True)
        forged = hashlib.sha256(text.encode()).hexdigest()
        # the recomputation is right: the untouched row hashes the same way
        orig = self.db.sql("SELECT %s, hash FROM audit_log WHERE id = %d" % (cols, target))[0]
        ofields = [int(orig[0]), int(orig[1]), orig[2], int(orig[3]) if orig[3] is not None else None] + orig[4:14]
        self.assertEqual(hashlib.sha256(json.dumps(ofields, separators=(",", ":")).encode()).hexdigest(), orig[14])
        self.db.sql("UPDATE audit_log SET outcome = 'failed', hash = '%s' WHERE id = %d" % (forged, target))
        out = self.verify()
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("entry %d" % (target + 1), out.stdout)
        self.assertIn("previous entry", out.stdout)


class TestDeletedRow(TamperBase):
    def test_deleted_middle_row_is_caught(self):
        self.db.sql("DELETE FROM audit_log WHERE id = 4")
        out = self.verify()
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("entry 4", out.stdout)
        self.assertIn("deleted", out.stdout)


class TestDeletedLastRow(TamperBase):
    def test_deleted_last_rows_are_caught(self):
        last = int(self.db.sql("SELECT MAX(id) FROM audit_log")[0][0])
        self.db.sql("DELETE FROM audit_log WHERE id = %d" % last)
        out = self.verify()
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("entry %d" % last, out.stdout)


class TestInsertedRow(TamperBase):
    def test_inserted_row_is_caught(self):
        last = int(self.db.sql("SELECT MAX(id) FROM audit_log")[0][0])
        prev = self.db.sql("SELECT hash FROM audit_log WHERE id = %d" % last)[0][0]
        self.db.sql("INSERT INTO audit_log (id, at, actor_kind, action, outcome, prev_hash, hash) VALUES "
                    "(%d, 1700000000, 'system', 'forged', 'ok', '%s', '%s')" % (last + 1, prev, "cd" * 32))
        out = self.verify()
        self.assertEqual(out.returncode, 1, out.stdout)
        self.assertIn("entry %d" % (last + 1), out.stdout)


if __name__ == "__main__":
    unittest.main()

"""Bulk imports from CSV, on the command line and through the web API: good rows kept, bad rows reported with
line and reason, re-imports idempotent, encodings, headers in any order, late rejects (unknown persons)."""
import csv
import io
import os
import time
import unittest

from harness import LtciTestCase, run_cli
from test_registry import make_id


def write(path, text, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write(text)
    return path


def rejects(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [(int(r["line"]), r["field"], r["reason"]) for r in csv.DictReader(f)]


A = make_id("33990219410101001")  # male, 1941-01-01
B = make_id("33990219420202002")  # female
C = make_id("33990319430303003")
D = make_id("33990319440404004")


class TestCliImport(LtciTestCase):
    def path(self, name):
        return os.path.join(self.db.tmp, name)

    def test_persons_good_and_bad_rows(self):
        bad_check = A[:-1] + ("0" if A[-1] != "0" else "1")
        text = ("\ufeffname,area_code,id_number,phone,address,lon,lat\n"    # columns in another order, with BOM
                "导入甲,339902001001,%s,13800000001,\"江海市人民路1号,2楼\",122.2,29.99\n"
                "导入乙,339902001002,%s,,,,\n"
                "导入丙,339902001002,%s,,,,\n"          # bad check digit
                "导入丁,339999999999,%s,,,,\n"          # unknown area code
                "导入戊,339902,%s,,,,\n"                # a district, not a street
                "导入己,339902001001,%s,12345,,,\n"     # bad phone
                "导入庚,339902001001,%s,,,122.2,\n"     # latitude missing
                "\n"                                      # blank line: skipped
                "导入辛,339903001001,%s,,,,\n"
                "\"未闭合,339903001001,%s,,,,\n") % (A, B, bad_check, C, C, C, C, C, D)
        src = write(self.path("persons.csv"), text)
        out = run_cli("import", "persons", src, db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("9 rows read", out.stdout)
        self.assertIn("3 imported, 6 rejected", out.stdout)
        got = rejects(self.path("persons.rejects.csv"))
        self.assertEqual([(line, field) for line, field, _ in got],
                         [(4, "id_number"), (5, "area_code"), (6, "area_code"), (7, "phone"), (8, "lat"), (11, "")])
        self.assertIn("校验位", got[0][2])
        rows = self.db.sql("SELECT id_number, name, address, lat_e6 FROM persons WHERE name LIKE '导入%' ORDER BY name")
        self.assertEqual(rows, [[B, "导入乙", None, None], [A, "导入甲", "江海市人民路1号,2楼", "29990000"],
                                [C, "导入辛", None, None]])  # code point order: 乙 U+4E59 < 甲 U+7532 < 辛 U+8F9B
        # re-import: nothing changes
        stamp = self.db.sql("SELECT MAX(updated_at), COUNT(*) FROM persons")
        time.sleep(1.1)
        out = run_cli("import", "persons", src, db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.db.sql("SELECT MAX(updated_at), COUNT(*) FROM persons"), stamp)
        # a correction of one person updates only that person
        write(self.path("fix.csv"), "id_number,name,area_code\n%s,导入乙改,339902001002\n" % B)
        out = run_cli("import", "persons", self.path("fix.csv"), db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.db.sql("SELECT name FROM persons WHERE id_number = '%s'" % B), [["导入乙改"]])
        # phone and address were not in that file: A keeps them
        write(self.path("fix2.csv"), "id_number,name,area_code\n%s,导入甲,339902001001\n" % A)
        run_cli("import", "persons", self.path("fix2.csv"), db=self.db)
        self.assertEqual(self.db.sql("SELECT phone FROM persons WHERE id_number = '%s'" % A), [["13800000001"]])

    def test_duplicates_in_one_file_last_wins(self):
        text = "id_number,name,area_code\n%s,先写,339903002001\n%s,后写,339903002001\n" % (D, D)
        out = run_cli("import", "persons", write(self.path("dup.csv"), text), db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(self.db.sql("SELECT name FROM persons WHERE id_number = '%s'" % D), [["后写"]])

    def test_gb18030_is_converted(self):
        e = make_id("33990219450505005")
        text = "id_number,name,area_code,address\n%s,国标编码,339902002001,江海市学府路9号\n" % e
        out = run_cli("import", "persons", write(self.path("gb.csv"), text, encoding="gb18030"), db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("GB18030", out.stdout)
        self.assertEqual(self.db.sql("SELECT name, address FROM persons WHERE id_number = '%s'" % e),
                         [["国标编码", "江海市学府路9号"]])

    def test_file_level_problems_change_nothing(self):
        before = self.db.sql("SELECT COUNT(*) FROM persons")
        out = run_cli("import", "persons", write(self.path("nohdr.csv"), "id_number,name\n%s,缺列\n" % A),
                      db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("area_code", out.stderr)
        with open(self.path("latin1.csv"), "wb") as f:
            f.write(b"id_number,name,area_code\n" + A.encode() + b",\xff\xfe\xfd\xfc\xff,339902001001\n")
        out = run_cli("import", "persons", self.path("latin1.csv"), db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("UTF-8", out.stderr)
        out = run_cli("import", "persons", self.path("missing.csv"), db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertEqual(run_cli("import", "cats", self.path("x.csv"), db=self.db).returncode, 2)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM persons"), before)

    def test_enrolments_deaths_stays(self):
        e1, e2 = make_id("33990219460606006"), make_id("33990219470707007")
        write(self.path("p.csv"), "id_number,name,area_code\n%s,参保甲,339902001001\n%s,参保乙,339902001001\n"
              % (e1, e2))
        run_cli("import", "persons", self.path("p.csv"), db=self.db)
        unknown = make_id("33990219480808008")
        text = ("id_number,category,flags,status,effective_from\n"
                "%s,resident,assistance;sponsored,active,2024-01-01\n"
                "%s,employee,,active,2023-01-01\n"
                "%s,resident,,active,2024-01-01\n"           # nobody: late reject
                "%s,farmer,,active,2024-01-01\n"              # bad category
                "%s,resident,rich,active,2024-01-01\n"        # bad flag
                "%s,resident,,sleeping,2024-01-01\n"          # bad status
                "%s,resident,,active,1940-01-01\n"            # before birth: late reject
                "%s,employee,,active,2024/01/01\n") % (e1, e2, unknown, e1, e1, e1, e1, e2)
        out = run_cli("import", "enrolments", write(self.path("e.csv"), text), db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("2 imported, 6 rejected", out.stdout)
        self.assertEqual(sorted((l, f) for l, f, _ in rejects(self.path("e.rejects.csv"))),
                         [(4, "id_number"), (5, "category"), (6, "flags"), (7, "status"), (8, "id_number"),
                          (9, "effective_from")])
        out = run_cli("import", "enrolments", self.path("e.csv"), db=self.db)
        self.assertEqual(self.db.sql("SELECT COUNT(*) FROM enrolments e JOIN persons p ON p.id = e.person_id"
                                     " WHERE p.id_number IN ('%s', '%s')" % (e1, e2)), [["2"]])
        self.assertEqual(self.db.sql("SELECT assistance, sponsored FROM enrolments e JOIN persons p"
                                     " ON p.id = e.person_id WHERE p.id_number = '%s'" % e1), [["1", "1"]])
        text = "id_number,death_date\n%s,2026-02-03\n%s,2999-01-01\n%s,2026-01-01\n" % (e1, e2, unknown)
        out = run_cli("import", "deaths", write(self.path("d.csv"), text), db=self.db)
        self.assertIn("1 imported, 2 rejected", out.stdout)
        self.assertEqual(self.db.sql("SELECT death_date FROM persons WHERE id_number = '%s'" % e1),
                         [["2026-02-03"]])
        text = ("id_number,admitted,discharged,hospital\n%s,2026-01-05,2026-01-20,江海市人民医院\n"
                "%s,2026-03-01,,江海市中医院\n%s,2026-03-05,2026-03-01,\n") % (e2, e2, e2)
        out = run_cli("import", "hospital-stays", write(self.path("h.csv"), text), db=self.db)
        self.assertIn("2 imported, 1 rejected", out.stdout)
        self.assertEqual(self.db.sql("SELECT admitted, discharged FROM hospital_stays h JOIN persons p"
                                     " ON p.id = h.person_id WHERE p.id_number = '%s' ORDER BY admitted" % e2),
                         [["2026-01-05", "2026-01-20"], ["2026-03-01", None]])
        # the discharge arrives later: the same stay is updated, not duplicated
        write(self.path("h2.csv"), "id_number,admitted,discharged\n%s,2026-03-01,2026-03-09\n" % e2)
        run_cli("import", "hospital-stays", self.path("h2.csv"), db=self.db)
        self.assertEqual(self.db.sql("SELECT discharged FROM hospital_stays h JOIN persons p ON p.id = h.person_id"
                                     " WHERE p.id_number = '%s' AND admitted = '2026-03-01'" % e2), [["2026-03-09"]])
        actions = [r[0] for r in self.db.sql("SELECT action FROM audit_log WHERE action LIKE 'import.%' ORDER BY id")]
        self.assertIn("import.hospital_stays", actions)


class TestWebImport(LtciTestCase):
    def upload(self, client, text, kind="persons", ctype="text/csv"):
        return client.request("POST", "/api/v1/imports?kind=%s&filename=test.csv" % kind, raw=text.encode("utf-8"),
                              content_type=ctype)

    def wait(self, client, job_id):
        for _ in range(200):
            r = client.get("/api/v1/imports/%d" % job_id)
            if r.json["status"] in ("done", "failed"):
                return r.json
            time.sleep(0.05)
        self.fail("import did not finish")

    def test_upload_progress_rejects(self):
        c = self.as_user("bureau")
        good = make_id("33990319490909009")
        text = "id_number,name,area_code\n%s,网页导入,339903001003\n%s,坏行,339903001003\n" % (good, good[:-1] + "Z")
        r = self.upload(c, text)
        self.assertEqual(r.status, 202, r)
        job = self.wait(c, r.json["id"])
        self.assertEqual((job["status"], job["total_rows"], job["ok_rows"], job["rejected_rows"], job["has_rejects"]),
                         ("done", 2, 1, 1, True), job)
        d = c.get("/api/v1/imports/%d/rejects" % job["id"])
        self.assertEqual(d.status, 200)
        self.assertTrue(d.header("Content-Type").startswith("text/csv"))
        self.assertIn("attachment", d.header("Content-Disposition"))
        rows = list(csv.DictReader(io.StringIO(d.raw.decode("utf-8-sig"))))
        self.assertEqual((rows[0]["line"], rows[0]["field"]), ("3", "id_number"))
        self.assertEqual(self.db.sql("SELECT name FROM persons WHERE id_number = '%s'" % good), [["网页导入"]])
        listed = c.get("/api/v1/imports").json["items"]
        self.assertEqual(listed[0]["id"], job["id"])
        self.assertEqual(self.as_user("auditor").get("/api/v1/imports/%d" % job["id"]).status, 200)
        # the uploaded file is not kept once imported
        self.assertFalse(os.path.exists(os.path.join(self.db.tmp, "data", "imports", "%d.csv" % job["id"])))
        self.assertEqual(os.listdir(os.path.join(self.db.tmp, "data", "uploads")), [])

    def test_refusals(self):
        c = self.as_user("bureau")
        self.assertError(self.upload(c, "id_number\n", ctype="application/json"), 415, field="Content-Type")
        self.assertError(self.upload(c, "x\n", kind="cats"), 400, field="kind")
        self.assertError(self.upload(c, ""), 400, field="body")
        self.assertError(self.upload(self.as_user("intake"), "id_number\n"), 403)
        self.assertError(self.upload(self.new_client(), "id_number\n"), 401)
        r = c.request("POST", "/api/v1/imports?kind=persons", raw=b"x", content_type="text/csv", csrf=False)
        self.assertError(r, 403, field="X-CSRF-Token")
        r = self.upload(c, "name,phone\n张三,1\n")  # missing columns: the job fails, nothing changes
        job = self.wait(c, r.json["id"])
        self.assertEqual(job["status"], "failed")
        self.assertIn("id_number", job["message"])
        self.assertError(c.get("/api/v1/imports/%d/rejects" % job["id"]), 404)
        self.assertError(c.get("/api/v1/imports/999999"), 404)
        self.assertEqual(os.listdir(os.path.join(self.db.tmp, "data", "uploads")), [])


if __name__ == "__main__":
    unittest.main()

"""Contributions and the fund: the yearly run against hand-computed amounts (Zhoushan: 90 yuan a year; employees
45 personal account + 45 pooled fund; residents 30 individual + 60 finance; assisted or sponsored residents'
30 paid by finance), idempotence, corrections as deltas, the ledger's running balance, the summary."""
import json
import unittest

from harness import SOURCE_DIR, LtciTestCase, run_cli
from test_registry import make_id

YEAR = 2026


class TestContributions(LtciTestCase):
    def area(self, code):
        return int(self.db.sql("SELECT id FROM areas WHERE code = '%s'" % code)[0][0])

    def person(self, id17, enrolments, name="筹资测试", death=None):
        c = self.as_user("bureau")
        r = c.post("/api/v1/persons", {"id_number": make_id(id17), "name": name,
                                       "area_id": self.area("339903101201")})
        self.assertEqual(r.status, 201, r)
        pid = r.json["id"]
        for e in enrolments:
            category, flags, status, start = e
            r = c.post("/api/v1/persons/%d/enrolments" % pid, {"category": category, "flags": flags,
                                                             "status": status, "effective_from": start})
            self.assertEqual(r.status, 200, r)
        if death:
            self.assertEqual(c.put("/api/v1/persons/%d/death" % pid, {"death_date": death}).status, 200)
        return pid

    def run_year(self):
        r = self.as_user("bureau").post("/api/v1/contributions/runs", {"year": YEAR, "entry_date": "%d-11-01" % YEAR})
        self.assertEqual(r.status, 200, r)
        return r.json

    def rows(self, pid):
        return dict((p, int(a)) for p, a in self.db.sql(
            "SELECT payer, amount_fen FROM contributions WHERE person_id = %d AND year = %d" % (pid, YEAR)))

    def ledger_consistent(self):
        total = self.db.sql("SELECT COALESCE(SUM(amount_fen), 0) FROM fund_ledger")[0][0]
        head = self.db.sql("SELECT balance_fen FROM fund_head")[0][0]
        last = self.db.sql("SELECT balance_fen FROM fund_ledger ORDER BY id DESC LIMIT 1")
        self.assertEqual(total, head)
        self.assertEqual(last[0][0], head)
        out = run_cli("fund", "check", db=self.db)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)

    def test_yearly_run(self):
        self.run_year()  # the demo's contributions are already there: this run changes nothing for them
        self.assertEqual(self.run_year()["posted"], 0)
        p1 = self.person("33990219500101001", [("employee", [], "active", "2020-01-01")])
        p2 = self.person("33990219500101002", [("resident", [], "active", "2020-01-01")])
        p3 = self.person("33990219500101003", [("resident", ["assistance"], "active", "2020-01-01")])
        p4 = self.person("33990219500101004", [("resident", ["sponsored"], "active", "2026-07-01")])
        p5 = self.person("33990219500101005", [("employee", [], "active", "2020-01-01")], death="2025-12-31")
        p6 = self.person("33990219500101006", [("resident", [], "active", "2020-01-01"),
                                               ("resident", [], "suspended", "2025-06-01"),
                                               ("resident", [], "active", "2026-10-01")])
        p7 = self.person("33990219500101007", [("employee", [], "active", "2020-01-01"),
                                               ("resident", [], "active", "2026-03-01")])
        p8 = self.person("33990219500101008", [("resident", [], "ended", "2020-01-01")])
        r = self.run_year()
        # due: p1, p2, p3, p4 (from July), p6 (active again in October), p7 (employee on 1 January)
        self.assertEqual(r["posted_fen"], {"personal_account": 9000, "pooled_fund": 9000, "individual": 6000,
                                           "finance": 30000})
        self.assertEqual(r["posted"], 54000)
        self.assertEqual(r["rows_inserted"], 10)
        self.assertEqual(self.rows(p1), {"personal_account": 4500, "pooled_fund": 4500})
        self.assertEqual(self.rows(p2), {"individual": 3000, "finance": 6000})
        self.assertEqual(self.rows(p3), {"finance": 9000})
        self.assertEqual(self.rows(p4), {"finance": 9000})
        self.assertEqual(self.rows(p5), {})
        self.assertEqual(self.rows(p6), {"individual": 3000, "finance": 6000})
        self.assertEqual(self.rows(p7), {"personal_account": 4500, "pooled_fund": 4500})
        self.assertEqual(self.rows(p8), {})
        # idempotent
        again = self.run_year()
        self.assertEqual((again["posted"], again["rows_inserted"], again["rows_updated"], again["rows_deleted"]),
                         (0, 0, 0, 0))
        self.assertEqual(again["total_fen"], r["total_fen"])
        # a correction: p2 turns out to be an assistance recipient all year -> its 30 yuan move to finance
        c = self.as_user("bureau")
        c.post("/api/v1/persons/%d/enrolments" % p2, {"category": "resident", "flags": ["assistance"],
                                                     "status": "active", "effective_from": "2020-01-01"})
        fix = self.run_year()
        self.assertEqual(fix["posted_fen"], {"personal_account": 0, "pooled_fund": 0, "individual": -3000,
                                             "finance": 3000})
        self.assertEqual((fix["rows_updated"], fix["rows_deleted"]), (1, 1))
        self.assertEqual(self.rows(p2), {"finance": 9000})
        # p1 died before the year: no longer due
        c.put("/api/v1/persons/%d/death" % p1, {"death_date": "2025-06-01"})
        gone = self.run_year()
        self.assertEqual(gone["posted_fen"]["personal_account"], -4500)
        self.assertEqual(gone["posted_fen"]["pooled_fund"], -4500)
        self.assertEqual(self.rows(p1), {})
        self.ledger_consistent()
        # the year's income in the summary is the year's contributions, payer by payer (the registry's, and the
        # demo's transfer for the insured outside it, svc/demo_settle.c)
        s = self.as_user("auditor").get("/api/v1/fund/summary?year=%d" % YEAR).json
        transfer = dict((p, int(a)) for p, a in self.db.sql(
            "SELECT source, SUM(amount_fen) FROM fund_ledger WHERE ref_type = 'contribution_transfer'"
            " AND entry_date LIKE '%d-%%' GROUP BY source" % YEAR))
        for payer, amount in self.db.sql("SELECT payer, SUM(amount_fen) FROM contributions WHERE year = %d"
                                          " GROUP BY payer" % YEAR):
            self.assertEqual(s["income"]["by_source"][payer], int(amount) + transfer.get(payer, 0), payer)
        self.assertEqual(s["income"]["total"], sum(s["income"]["by_source"].values()))
        self.assertEqual(s["income"]["contributions"],
                         sum(v for k, v in s["income"]["by_source"].items() if k not in ("supplementary", "assistance")))
        rows = self.audit_rows(action="contributions.run")
        self.assertEqual(rows[0]["outcome"], "ok")
        self.assertEqual(json.loads(rows[0]["detail"])["year"], YEAR)

    def test_summary_and_ledger(self):
        c = self.as_user("bureau")
        s = c.get("/api/v1/fund/summary").json
        ledger_total = int(self.db.sql("SELECT SUM(amount_fen) FROM fund_ledger")[0][0])
        self.assertEqual(s["balance"], ledger_total)
        # the demo's settled month: income less spending plus recoveries is the balance
        self.assertEqual(s["income"]["total"] - s["spending"]["total"] + s["recoveries"] + s["adjustments"],
                         ledger_total)
        spent = int(self.db.sql("SELECT -SUM(amount_fen) FROM fund_ledger WHERE kind = 'spending'")[0][0])
        self.assertEqual(s["spending"]["total"], spent)
        # usage: the fund's own spending against the contributions, in hundredths of a percent
        bp = (s["spending"]["fund"] * 10000 * 2 + s["income"]["contributions"]) // (2 * s["income"]["contributions"])
        self.assertEqual(s["usage_rate_bp"], bp)
        self.assertEqual(s["usage_rate"], "%d.%02d" % divmod(bp, 100))
        months = {m["month"]: m["income"] for m in s["monthly"]}
        self.assertEqual(sum(months.values()), s["income"]["total"])
        l = c.get("/api/v1/fund/ledger?kind=income&page_size=5").json
        self.assertTrue(l["items"])
        self.assertTrue(all(i["kind"] == "income" and i["amount_fen"] > 0 for i in l["items"]))
        self.assertEqual(l["items"][0]["balance_fen"], ledger_total)  # newest first: its balance is the head's
        self.assertError(c.get("/api/v1/fund/ledger?kind=gift"), 400, field="kind")
        self.assertError(c.get("/api/v1/fund/summary?year=20260"), 400, field="year")
        out = run_cli("fund", "summary", "--json", db=self.db)
        self.assertEqual(out.returncode, 0, out.stderr)
        j = json.loads(out.stdout)
        self.assertEqual((j["balance"], j["income"]["total"]), (ledger_total, s["income"]["total"]))
        self.assertTrue(set(j["income"]["by_source"]) <= {"personal_account", "pooled_fund", "individual", "finance",
                                                          "supplementary", "assistance"})

    def test_validation_and_roles(self):
        c = self.as_user("bureau")
        self.assertError(c.post("/api/v1/contributions/runs", {"year": 1800}), 400, field="year")
        self.assertError(c.post("/api/v1/contributions/runs", {"year": 2026, "entry_date": "2026-13-01"}), 400,
                         field="entry_date")
        # income is booked inside the year it pays for
        self.assertError(c.post("/api/v1/contributions/runs", {"year": 2027, "entry_date": "2026-12-01"}), 400,
                         field="entry_date")
        self.assertError(self.as_user("auditor").post("/api/v1/contributions/runs", {"year": 2026}), 403)
        self.assertError(self.as_user("intake").get("/api/v1/fund/summary"), 403)
        out = run_cli("contributions", "run", "--year", "2026", "--scheme",
                      SOURCE_DIR + "/schemes/shanghai.json", db=self.db)
        self.assertEqual(out.returncode, 1)
        self.assertIn("未规定筹资标准", out.stderr)
        self.assertEqual(run_cli("contributions", "run", db=self.db).returncode, 2)
        self.assertError(c.post("/api/v1/contributions/runs", {}), 400, field="year")

    def test_ledger_is_append_only(self):
        with self.assertRaises(Exception):
            self.db.sql("UPDATE fund_ledger SET amount_fen = 1 WHERE id = 1")
        with self.assertRaises(Exception):
            self.db.sql("DELETE FROM fund_ledger WHERE id = 1")


if __name__ == "__main__":
    unittest.main()

"""End-to-end: `pj-ats audit` (issue 23, item 10) against the strict fakes, read-only.

After clean sends both ATSs agree with the ledger (exit 0). Then the ATS and the ledger are
made to disagree the ways the issue names — an opportunity tagged Purpose Jobs created
behind pj-ats's back for a person already sent (unknown to the ledger, and a duplicate), a
`sent` row whose record is gone, a row waiting for review — and audit names each one and
exits 3, without writing to either ATS."""
import base64
import json
import os
import sqlite3
import tempfile
import unittest

from harness import SandboxTestCase

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
LEVER_KEY = "lever_sandbox_6a1f0c"
EMAIL = "recruiter@acme.example"
RECRUITER_ID = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61"
IDS = ["a100", "a101", "a102"]


class AuditCli(SandboxTestCase):

    def setUp(self):
        super().setUp()
        self.source = tempfile.mkdtemp(prefix="pjats-audit-")
        os.makedirs(os.path.join(self.source, "candidates"))
        for cid in IDS:
            with open(os.path.join(self.source, "candidates", cid + ".json"), "w") as f:
                json.dump({"basics": {"name": "Audit Person%s" % cid,
                                      "email": "%s@example.com" % cid},
                           "meta": {"purposeJobs": {"id": cid}}}, f)
        for args, key in ((("configure", "source", "--dir", self.source), None),
                          (("configure", "greenhouse", "--email", EMAIL, "--api-key-stdin",
                            "--base-url", self.sandbox.url), GH_KEY),
                          (("configure", "lever", "--api-key-stdin", "--base-url",
                            self.sandbox.url, "--perform-as-email", EMAIL), LEVER_KEY)):
            code, _, err = self.pj(*args, input=key)
            self.assertEqual(code, 0, err)
        self.db = os.path.join(self.home, "state", "pj-ats", "default.db")

    def audit(self, *extra):
        code, out, err = self.pj("--json", "audit", *extra)
        reports = {r["target"]: r for r in map(json.loads, out.splitlines())}
        return code, reports, err

    def writes(self):
        state = self.sandbox.state()
        return (len(state["greenhouse"]["candidates"]), len(state["lever"]["opportunities"]))

    def test_clean_sends_agree_and_each_disagreement_is_named(self):
        for to in ("greenhouse", "lever"):
            code, _, err = self.pj("send", "--to", to, *IDS)
            self.assertEqual(code, 0, err)
        code, reports, err = self.audit()
        self.assertEqual(code, 0, err)
        self.assertEqual(sorted(reports), ["greenhouse", "lever"])
        self.assertEqual(reports["lever"]["findings"], [])
        self.assertEqual(reports["lever"]["records"], 3)
        self.assertEqual(reports["greenhouse"]["records"], 3)

        # Someone creates a tagged opportunity for a101 by hand.
        auth = "Basic " + base64.b64encode((LEVER_KEY + ":").encode()).decode()
        res = self.sandbox.request(
            "POST", "/v1/opportunities?perform_as=" + RECRUITER_ID,
            body=json.dumps({"name": "Audit Person a101", "emails": ["a101@example.com"],
                             "tags": ["Purpose Jobs"]}),
            headers={"Authorization": auth, "Content-Type": "application/json"})
        self.assertEqual(res.status, 201, res)
        extra = res.json()["data"]["id"]
        # The ledger says a100 went to Greenhouse as a record that does not exist, and a102
        # waits for review.
        conn = sqlite3.connect(self.db)
        conn.execute("UPDATE sends SET remote_id = '999999999' WHERE target = 'greenhouse' "
                     "AND candidate_id = 'a100'")
        conn.execute("UPDATE sends SET state = 'review' WHERE target = 'greenhouse' "
                     "AND candidate_id = 'a102'")
        conn.commit()
        conn.close()
        before = self.writes()

        code, reports, err = self.audit()
        self.assertEqual(code, 3, err)
        lever = {(f["kind"], f["candidate_id"]) for f in reports["lever"]["findings"]}
        self.assertEqual(lever, {("unknown", ""), ("duplicate", "a101")})
        unknown = [f for f in reports["lever"]["findings"] if f["kind"] == "unknown"]
        self.assertEqual(unknown[0]["remote_id"], extra)
        greenhouse = {(f["kind"], f["candidate_id"], f["remote_id"])
                      for f in reports["greenhouse"]["findings"]}
        self.assertIn(("missing", "a100", "999999999"), greenhouse)
        self.assertIn("review", {k for k, _, _ in greenhouse})
        self.assertEqual(self.writes(), before, "audit wrote to an ATS")

        # --to narrows it; text output names what is off.
        code, out, err = self.pj("audit", "--to", "greenhouse")
        self.assertEqual(code, 3, err)
        self.assertIn("missing: candidate a100", out)
        self.assertNotIn("lever", out)

    def test_a_lever_opportunity_gone_is_missing(self):
        code, _, err = self.pj("send", "--to", "lever", *IDS)
        self.assertEqual(code, 0, err)
        conn = sqlite3.connect(self.db)
        conn.execute("UPDATE sends SET remote_id = 'no-such-opportunity' WHERE target = 'lever' "
                     "AND candidate_id = 'a100'")
        conn.commit()
        conn.close()
        code, reports, err = self.audit("--to", "lever")
        self.assertEqual(code, 3, err)
        kinds = {(f["kind"], f["candidate_id"]) for f in reports["lever"]["findings"]}
        self.assertIn(("missing", "a100"), kinds)
        self.assertIn(("unknown", ""), kinds)  # the real one is now unknown to the ledger


if __name__ == "__main__":
    unittest.main()

"""End-to-end: who a send is credited to (send --on-behalf-of, meta.purposeJobs.exportedBy,
the profile's user) and Greenhouse placement options (--pool, --pool-stage,
--prospect-owner), against the strict fakes (issue 15, items 4 and 5)."""
import base64
import json
import os
import shutil
import tempfile
import unittest

from harness import SandboxTestCase

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER = "recruiter@acme.example"
ALAN = "alan.turing@acme.example"    # active Basic user: may create, may not read candidates
GRACE = "grace.hopper@acme.example"  # active site admin
LEVER_RECRUITER_ID = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61"
LEVER_ADMIN = "admin@acme.example"
LEVER_ADMIN_ID = "2b8e4f6a-9c1d-4e3f-8a7b-6c5d4e3f2a10"
LEVER_PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"


def record(cid, exported_by=None):
    with open(os.path.join(SOURCE, "candidates", "1043.json")) as f:
        doc = json.load(f)
    meta = doc["meta"]["purposeJobs"]
    meta["id"] = cid
    for key in ("resumeFile", "resumeUrl"):
        meta.pop(key, None)
    doc["basics"]["email"] = "c%s@example.com" % cid
    if exported_by is not None:
        meta["exportedBy"] = exported_by
    return doc


class CreditCli(SandboxTestCase):

    def setUp(self):
        super().setUp()
        self.export = tempfile.mkdtemp(prefix="pjats-credit-")
        self.addCleanup(shutil.rmtree, self.export, True)
        os.makedirs(os.path.join(self.export, "candidates"))
        self.write(record("1001"))
        self.write(record("1002", exported_by=GRACE))
        self.write(record("1003", exported_by=GRACE))
        self.write(record("1004", exported_by="disabled@acme.example"))
        self.write(record("1005"))
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)

    def write(self, doc):
        cid = doc["meta"]["purposeJobs"]["id"]
        with open(os.path.join(self.export, "candidates", cid + ".json"), "w") as f:
            json.dump(doc, f)

    def configure_greenhouse(self):
        code, _, err = self.pj("configure", "greenhouse", "--email", RECRUITER, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)

    def configure_lever(self):
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", "recruiter@acme.example",
                               input=LEVER_KEY)
        self.assertEqual(code, 0, err)

    def gh_candidates(self):
        return self.sandbox.state()["greenhouse"]["candidates"]

    def requests(self, route):
        return self.sandbox.state()["counters"]["requests"].get(route, 0)

    def credited(self):
        code, out, err = self.pj("ledger", "list", "--json")
        self.assertEqual(code, 0, err)
        rows = [json.loads(line) for line in out.splitlines() if line.strip()]
        return {row["candidate_id"]: row["credited_to"] for row in rows}

    # Greenhouse ------------------------------------------------------------------------

    def test_on_behalf_of_credits_the_named_user(self):
        # The checker's scenario: the candidate is created on behalf of that user.
        self.configure_greenhouse()
        code, out, err = self.pj("send", "1001", "--to", "greenhouse", "--on-behalf-of", ALAN)
        self.assertEqual(code, 0, err)
        [created] = self.gh_candidates()
        self.assertEqual(created["external_id"], "1001")
        self.assertEqual(created["on_behalf_of"], ALAN)
        self.assertEqual(self.credited(), {"1001": ALAN})
        self.assertNotIn(GH_KEY, out + err)
        # Alan is a Basic user: nothing was read as him (a read would have been a 403).
        self.assertEqual(self.sandbox.state()["counters"]["statuses"].get("403", 0), 0)
        # Re-running adds nothing.
        code, _, err = self.pj("send", "1001", "--to", "greenhouse", "--on-behalf-of", ALAN)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.gh_candidates()), 1)

    def test_flag_wins_over_record_which_wins_over_profile(self):
        self.configure_greenhouse()
        self.assertEqual(self.pj("send", "1001", "--to", "greenhouse")[0], 0)
        self.assertEqual(self.pj("send", "1002", "--to", "greenhouse")[0], 0)
        code, _, err = self.pj("send", "1003", "--to", "greenhouse", "--on-behalf-of", ALAN)
        self.assertEqual(code, 0, err)
        by_id = {c["external_id"]: c["on_behalf_of"] for c in self.gh_candidates()}
        self.assertEqual(by_id, {"1001": RECRUITER, "1002": GRACE, "1003": ALAN})
        self.assertEqual(self.credited(), by_id)

    def test_each_user_is_verified_once_per_run(self):
        self.configure_greenhouse()
        before = self.requests("GET /v1/partner/current_user")
        code, _, err = self.pj("send", "1001", "1005", "1002", "1003", "--to", "greenhouse",
                               "--on-behalf-of", ALAN)
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.gh_candidates()), 4)
        # Alan once (the flag wins over Grace's records); the profile's user is known.
        self.assertEqual(self.requests("GET /v1/partner/current_user") - before, 1)

    def test_each_exporter_is_verified_once_in_a_concurrent_run(self):
        self.configure_greenhouse()
        for cid in range(1010, 1022):
            self.write(record(str(cid), exported_by=GRACE if cid % 2 else None))
        before = self.requests("GET /v1/partner/current_user")
        code, _, err = self.pj("send", "1001", *[str(c) for c in range(1010, 1022)],
                               "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        by_id = {c["external_id"]: c["on_behalf_of"] for c in self.gh_candidates()}
        self.assertEqual(len(by_id), 13)
        self.assertEqual({i for i, who in by_id.items() if who == GRACE},
                         {str(c) for c in range(1011, 1022, 2)})
        self.assertEqual(self.requests("GET /v1/partner/current_user") - before, 1)

    def test_unknown_or_disabled_user_on_the_flag_is_a_usage_error_before_sending(self):
        self.configure_greenhouse()
        for email in ("nobody@acme.example", "disabled@acme.example"):
            code, out, err = self.pj("send", "1001", "--to", "greenhouse", "--on-behalf-of", email)
            self.assertEqual(code, 2, err)
            self.assertIn(email, err)
            self.assertNotIn(GH_KEY, out + err)
        code, _, err = self.pj("send", "1001", "--to", "greenhouse", "--on-behalf-of", "not-mail")
        self.assertEqual(code, 2, err)
        self.assertEqual(self.gh_candidates(), [])
        self.assertEqual(self.requests("POST /v1/partner/candidates"), 0)

    def test_a_record_naming_a_disabled_user_fails_alone(self):
        self.configure_greenhouse()
        code, out, err = self.pj("send", "1004", "1001", "--to", "greenhouse")
        self.assertEqual(code, 3, out + err)  # one sent, one failed
        self.assertEqual([c["external_id"] for c in self.gh_candidates()], ["1001"])
        self.assertIn("disabled@acme.example", out + err)
        code, out, _ = self.pj("ledger", "list", "--json")
        states = {json.loads(l)["candidate_id"]: json.loads(l)["state"] for l in out.splitlines()}
        self.assertEqual(states, {"1001": "sent", "1004": "failed"})

    def test_malformed_exported_by_is_a_validation_error(self):
        self.configure_greenhouse()
        self.write(record("1006", exported_by="grace at acme"))
        code, out, err = self.pj("send", "1006", "--to", "greenhouse")
        self.assertEqual(code, 6, out + err)
        self.assertIn("exportedBy", out + err)
        self.assertEqual(self.gh_candidates(), [])

    def test_ledger_export_carries_the_credit(self):
        self.configure_greenhouse()
        self.assertEqual(self.pj("send", "1002", "--to", "greenhouse")[0], 0)
        code, out, err = self.pj("ledger", "export")
        self.assertEqual(code, 0, err)
        sends = [json.loads(l) for l in out.splitlines() if '"candidate_id"' in l]
        self.assertEqual([s["credited_to"] for s in sends], [GRACE])
        code, out, _ = self.pj("ledger", "list")
        self.assertIn("CREDITED TO", out)
        self.assertIn(GRACE, out)

    # Greenhouse placement --------------------------------------------------------------

    def test_pool_stage_and_owner_by_name(self):
        self.configure_greenhouse()
        code, _, err = self.pj("send", "1001", "--to", "greenhouse", "--pool",
                               "Cold Outreach: Sourced", "--pool-stage", "contacted",
                               "--prospect-owner", GRACE)
        self.assertEqual(code, 0, err)
        [created] = self.gh_candidates()
        body = created["body"]
        self.assertIs(body["prospect"], True)
        self.assertEqual(body["prospect_pool_id"], 456)
        self.assertEqual(body["prospect_pool_stage_id"], 1963)
        self.assertEqual(body["prospect_owner_email"], GRACE)

    def test_unknown_pool_or_stage_is_a_usage_error_before_sending(self):
        self.configure_greenhouse()
        code, _, err = self.pj("send", "1001", "--to", "greenhouse", "--pool", "Nope")
        self.assertEqual(code, 2, err)
        self.assertIn("Cold Outreach: Referred", err)  # the choices are named
        code, _, err = self.pj("send", "1001", "--to", "greenhouse", "--pool",
                               "Cold Outreach: Sourced", "--pool-stage", "Hired")
        self.assertEqual(code, 2, err)
        self.assertIn("Not Contacted", err)
        code, _, err = self.pj("send", "1001", "--to", "greenhouse", "--prospect-owner",
                               "nobody@acme.example")
        self.assertEqual(code, 2, err)
        for flags in (("--pool", "Cold Outreach: Sourced", "--job", "4690"),
                      ("--pool-stage", "Contacted"),
                      ("--to", "lever", "--pool", "Cold Outreach: Sourced")):
            args = ["send", "1001", "--to", "greenhouse", *flags]
            code, _, err = self.pj(*args)
            self.assertEqual(code, 2, (flags, err))
        self.assertEqual(self.requests("POST /v1/partner/candidates"), 0)

    # Lever -----------------------------------------------------------------------------

    def test_lever_perform_as_is_resolved_from_the_email(self):
        self.configure_lever()
        code, out, err = self.pj("send", "1001", "--to", "lever", "--on-behalf-of", LEVER_ADMIN)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.pj("send", "1005", "--to", "lever")[0], 0)
        opps = {o["body"]["emails"][0]: o["perform_as"]
                for o in self.sandbox.state()["lever"]["opportunities"]}
        self.assertEqual(opps, {"c1001@example.com": LEVER_ADMIN_ID,
                                "c1005@example.com": LEVER_RECRUITER_ID})
        self.assertEqual(self.credited(), {"1001": LEVER_ADMIN, "1005": RECRUITER})
        self.assertNotIn(LEVER_KEY, out + err)

    def test_sync_credits_each_application_to_its_exporter(self):
        self.configure_lever()
        self.assertEqual(self.pj("link-job", "pj-job-77", LEVER_PUBLISHED)[0], 0)
        folder = os.path.join(self.export, "applications", "pj-job-77")
        os.makedirs(folder)
        for stem, doc in (("001", record("a1", exported_by=LEVER_ADMIN)), ("002", record("a2")),
                          ("003", record("a3", exported_by="former@acme.example"))):
            with open(os.path.join(folder, stem + ".json"), "w") as f:
                json.dump(doc, f)
        code, out, err = self.pj("sync")
        self.assertEqual(code, 3, out + err)  # a3's exporter is deactivated: it alone fails
        opps = {o["body"]["emails"][0]: o["perform_as"]
                for o in self.sandbox.state()["lever"]["opportunities"]}
        self.assertEqual(opps, {"ca1@example.com": LEVER_ADMIN_ID,
                                "ca2@example.com": LEVER_RECRUITER_ID})
        self.assertIn("former@acme.example", out + err)

    def test_lever_unknown_or_deactivated_user_is_a_usage_error(self):
        self.configure_lever()
        for email in ("former@acme.example", "nobody@acme.example"):
            code, _, err = self.pj("send", "1001", "--to", "lever", "--on-behalf-of", email)
            self.assertEqual(code, 2, err)
            self.assertIn(email, err)
        self.assertEqual(self.sandbox.state()["lever"]["opportunities"], [])


class GreenhouseFakeUsers(SandboxTestCase):
    """The fake's users, as greenhouse-ingestion-api.md §1.3/§1.6 describe them."""

    def gh(self, method, path, email, body=None):
        headers = {"Authorization": "Basic " + base64.b64encode((GH_KEY + ":").encode()).decode(),
                   "On-Behalf-Of": email}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        return self.sandbox.request(method, path, body=body, headers=headers)

    def test_a_basic_user_creates_prospects_but_may_not_read_candidates(self):
        res = self.gh("GET", "/v1/partner/current_user", ALAN)
        self.assertEqual(res.status, 200, res)
        self.assertEqual(res.json()["email"], ALAN)
        self.assertEqual(self.gh("GET", "/v1/partner/jobs", ALAN).status, 200)
        res = self.gh("POST", "/v1/partner/candidates", ALAN,
                      {"first_name": "A", "last_name": "B", "external_id": "1", "prospect": True})
        self.assertEqual(res.status, 200, res)
        created = res.json()["id"]
        path = "/v1/partner/candidates?candidate_ids=%d" % created
        self.assertEqual(self.gh("GET", path, ALAN).status, 403)
        self.assertEqual(self.gh("GET", path, RECRUITER).status, 200)
        [stored] = self.sandbox.state()["greenhouse"]["candidates"]
        self.assertEqual(stored["on_behalf_of"], ALAN)

    def test_a_disabled_or_unknown_user_gets_401_everywhere(self):
        for email in ("disabled@acme.example", "nobody@acme.example"):
            self.assertEqual(self.gh("GET", "/v1/partner/current_user", email).status, 401)
            res = self.gh("POST", "/v1/partner/candidates", email,
                          {"first_name": "A", "last_name": "B", "external_id": "1"})
            self.assertEqual(res.status, 401)
        self.assertEqual(self.sandbox.state()["greenhouse"]["candidates"], [])


if __name__ == "__main__":
    unittest.main()

"""End-to-end: `pj-ats sync` (linked Purpose Jobs jobs -> Lever postings) against the fakes."""
import fcntl
import json
import os
import signal
import subprocess
import time
import unittest

from harness import (Sandbox, run_pjats, make_home, pjats_env, pjats_command, scaled,
                     SandboxTestCase)

LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"
# A record refused before anything is sent: it has no name at all.
NAMELESS = '{"basics": {"email": "applicant%s@example.com"}, "meta": {"purposeJobs": {"id": "%s"}}}'


def record(cid, name=None):
    return {"basics": {"name": name or ("Applicant Number%s" % cid),
                       "email": "applicant%s@example.com" % cid},
            "meta": {"purposeJobs": {"id": cid}}}


def write_application(root, stem, cid, name=None, raw=None):
    folder = os.path.join(root, "applications", JOB)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, stem + ".json"), "w") as f:
        if raw is not None:
            f.write(raw)
        else:
            json.dump(record(cid, name), f)


class SyncCli(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.export = make_home()

    def configure(self, sandbox=None, link=True):
        sandbox = sandbox or self.sandbox
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url", sandbox.url,
                               "--perform-as-email", RECRUITER_EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        if link:
            code, _, err = self.pj("link-job", JOB, PUBLISHED)
            self.assertEqual(code, 0, err)

    def opportunities(self, sandbox=None):
        return (sandbox or self.sandbox).state()["lever"]["opportunities"]

    def emails(self, sandbox=None):
        return sorted(o["body"]["emails"][0] for o in self.opportunities(sandbox))

    def test_sends_each_application_once_then_only_new_ones(self):
        for i in (1, 2, 3):
            write_application(self.export, "00%d" % i, "a%d" % i)
        self.configure()
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertEqual(out.count("sent "), 3, out)
        opportunities = self.opportunities()
        self.assertEqual(len(opportunities), 3)
        for opportunity in opportunities:
            body = opportunity["body"]
            self.assertEqual(body["origin"], "applied")
            self.assertIn("Purpose Jobs", body["tags"])
            self.assertEqual(body["postings"], [PUBLISHED])

        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertNotIn("sent ", out)
        self.assertEqual(len(self.opportunities()), 3)

        write_application(self.export, "004", "a4")
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, err)
        lines = [json.loads(line) for line in out.splitlines()]
        items = [line for line in lines if "status" in line]
        self.assertEqual([(i["application_id"], i["status"]) for i in items], [("004", "sent")])
        self.assertEqual(lines[-1]["summary"]["counts"]["sent"], 1)
        self.assertEqual(self.emails(), ["applicant%s@example.com" % c
                                         for c in ("a1", "a2", "a3", "a4")])

    def test_no_links_is_ok(self):
        self.configure(link=False)
        code, _, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertIn("no linked jobs", err)

    def test_no_lever_config_exits_5(self):
        write_application(self.export, "001", "a1")
        self.pj("configure", "source", "--dir", self.export)
        self.pj("link-job", JOB, PUBLISHED, "--no-verify")
        code, _, err = self.pj("sync")
        self.assertEqual(code, 5, err)

    def test_one_503_is_retried_within_the_run(self):
        write_application(self.export, "001", "a1")
        self.configure()
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities", "action": "status",
                              "status": 503, "retry_after": "0", "times": 1}])
        code, _, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.emails(), ["applicanta1@example.com"])

    def test_exhausted_503_holds_the_cursor_for_the_next_run(self):
        for i in (1, 2):
            write_application(self.export, "00%d" % i, "a%d" % i)
        self.configure()
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities", "action": "status",
                              "status": 503, "retry_after": "0", "times": 6}])
        code, out, err = self.pj("sync")
        self.assertEqual(code, 3, out + err)  # a2 went through, a1 did not
        self.assertIn("will be retried", err)
        self.assertEqual(self.emails(), ["applicanta2@example.com"])
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, err)
        statuses = {json.loads(l).get("application_id"): json.loads(l).get("status")
                    for l in out.splitlines()}
        self.assertEqual(statuses.get("001"), "sent")
        self.assertEqual(statuses.get("002"), "skipped")
        self.assertEqual(self.emails(), ["applicanta1@example.com", "applicanta2@example.com"])
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(out.splitlines()), 1, out)  # only the summary

    def test_invalid_records_are_reported_once_and_passed(self):
        write_application(self.export, "001", "a1")
        write_application(self.export, "002", "a2", raw=NAMELESS % ("a2", "a2"))  # no name
        write_application(self.export, "003", "a3", raw="{not json")
        write_application(self.export, "004", "a4")
        self.configure()
        code, out, err = self.pj("sync")
        self.assertEqual(code, 3, out + err)
        self.assertIn("002", err)
        self.assertIn("003.json", err)
        self.assertEqual(self.emails(), ["applicanta1@example.com", "applicanta4@example.com"])
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertNotIn("002", err)
        self.assertNotIn("003.json", err)
        self.assertIn(" 0 failed", err)
        self.assertEqual(len(self.opportunities()), 2)

    def creates(self):
        """POST /v1/opportunities requests the Lever fake has received so far."""
        return self.sandbox.state()["counters"]["requests"].get("POST /v1/opportunities", 0)

    def assert_each_sent_once(self):
        emails = self.emails()
        self.assertEqual(len(emails), len(set(emails)), emails)

    def test_a_late_application_that_sorts_first_is_sent_on_the_next_run(self):
        write_application(self.export, "2026-06-02T10-00-00Z-a2", "a2")
        write_application(self.export, "2026-06-03T10-00-00Z-a3", "a3")
        self.configure()
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(len(self.opportunities()), 2)
        # Arrives late with an earlier timestamp: it sorts before both files already synced.
        write_application(self.export, "2026-06-01T10-00-00Z-a1", "a1")
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, out + err)
        items = [json.loads(l) for l in out.splitlines() if '"application_id"' in l]
        self.assertEqual([(i["application_id"], i["status"]) for i in items],
                         [("2026-06-01T10-00-00Z-a1", "sent")])
        self.assertEqual(self.emails(), ["applicanta1@example.com", "applicanta2@example.com",
                                         "applicanta3@example.com"])
        before = self.creates()
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(len(out.splitlines()), 1, out)  # only the summary
        self.assertEqual(self.creates(), before)
        self.assert_each_sent_once()

    def test_a_rejected_record_is_retried_only_once_changed(self):
        write_application(self.export, "001", "a1")
        write_application(self.export, "002", "a2", raw=NAMELESS % ("a2", "a2"))  # no name
        write_application(self.export, "003", "a3")
        self.configure()
        code, out, err = self.pj("sync")
        self.assertEqual(code, 3, out + err)
        self.assertEqual(len(self.opportunities()), 2)
        code, out, err = self.pj("ledger", "list", "--state", "failed", "--json")
        self.assertEqual(code, 0, out + err)
        self.assertIn('"a2"', out)

        # Unchanged: not tried again (no request, nothing reported), exit 0.
        before = self.creates()
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(len(out.splitlines()), 1, out)
        self.assertEqual(self.creates(), before)

        # Fixed: the next plain sync sends it, as applied to the posting, once.
        write_application(self.export, "002", "a2", name="Cher")  # one word is enough
        code, out, err = self.pj("sync", "--json")
        self.assertEqual(code, 0, out + err)
        items = [json.loads(l) for l in out.splitlines() if '"application_id"' in l]
        self.assertEqual([(i["application_id"], i["status"]) for i in items], [("002", "sent")])
        self.assertEqual(self.creates(), before + 1)
        sent = [o for o in self.opportunities()
                if o["body"]["emails"][0] == "applicanta2@example.com"]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["body"]["origin"], "applied")
        self.assertEqual(sent[0]["body"]["postings"], [PUBLISHED])
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(len(self.opportunities()), 3)
        self.assert_each_sent_once()

    def test_a_record_lever_rejected_is_not_resent_until_it_changes(self):
        write_application(self.export, "001", "a1")
        self.configure()
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities", "action": "status",
                              "status": 422, "times": 1}])
        code, out, err = self.pj("sync")
        self.assertEqual(code, 6, out + err)
        self.assertEqual(self.opportunities(), [])
        self.assertEqual(self.creates(), 1)
        # Lever would accept it now, but the record is unchanged: no request.
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.creates(), 1)
        self.assertEqual(self.opportunities(), [])
        with open(os.path.join(self.export, "applications", JOB, "001.json")) as f:
            fixed = json.load(f)
        fixed["basics"]["phone"] = "+1 555 0100"
        write_application(self.export, "001", "a1", raw=json.dumps(fixed))
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.creates(), 2)
        self.assertEqual(self.emails(), ["applicanta1@example.com"])

    def test_a_fixed_malformed_file_is_sent_on_the_next_run(self):
        write_application(self.export, "001", "a1", raw="{not json")
        write_application(self.export, "002", "a2")
        self.configure()
        code, out, err = self.pj("sync")
        self.assertEqual(code, 3, out + err)
        self.assertIn("001.json", err)
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertNotIn("001.json", err)  # reported once
        write_application(self.export, "001", "a1")
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.emails(), ["applicanta1@example.com", "applicanta2@example.com"])

    def test_retry_failed_sends_rejected_applications_again(self):
        write_application(self.export, "001", "a1")
        write_application(self.export, "002", "a2")
        self.configure()
        self.pj("sync", "--limit", "1")  # a1 alone, so the one fault below is a1's
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities", "action": "status",
                              "status": 422, "times": 1}])
        code, out, err = self.pj("sync")
        self.assertEqual(code, 6, out + err)
        self.assertEqual(self.emails(), ["applicanta1@example.com"])
        before = self.creates()
        code, out, err = self.pj("sync", "--retry-failed", "--json")
        self.assertEqual(code, 0, out + err)
        items = [json.loads(l) for l in out.splitlines() if '"application_id"' in l]
        self.assertEqual([(i["application_id"], i["status"]) for i in items], [("002", "sent")])
        self.assertEqual(self.creates(), before + 1)
        self.assertEqual(self.emails(), ["applicanta1@example.com", "applicanta2@example.com"])
        # Sent now: --retry-failed never sends anything twice.
        code, out, err = self.pj("sync", "--retry-failed")
        self.assertEqual(code, 0, out + err)
        self.assertEqual(self.creates(), before + 1)
        self.assert_each_sent_once()

    def test_limit_caps_one_run(self):
        for i in range(1, 6):
            write_application(self.export, "00%d" % i, "a%d" % i)
        self.configure()
        code, out, err = self.pj("sync", "--limit", "2")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 2)
        code, out, err = self.pj("sync", "--limit", "2")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 4)
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.emails()), 5)
        self.assertEqual(len(set(self.emails())), 5)

    def test_dry_run_sends_and_writes_nothing(self):
        for i in (1, 2):
            write_application(self.export, "00%d" % i, "a%d" % i)
        self.configure()
        code, out, err = self.pj("sync", "--dry-run")
        self.assertEqual(code, 0, err)
        self.assertIn(PUBLISHED, out)
        self.assertEqual(out.count("would send"), 2, out)
        self.assertEqual(self.opportunities(), [])
        code, out, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 2)

    def test_a_linked_posting_that_closed_is_reported(self):
        write_application(self.export, "001", "c1")
        self.configure()
        self.sandbox.control("POST", "lever/postings", {"id": PUBLISHED, "state": "closed"})
        code, out, err = self.pj("sync")
        self.assertIn("job %s is linked to a Lever posting that is not open" % JOB, err)
        self.assertIn("pj-ats link-job %s POSTING_ID" % JOB, err)
        code, out, err = self.pj("sync", "--json")
        closed = [json.loads(l) for l in out.splitlines() if '"posting_closed"' in l]
        self.assertEqual([(c["job_id"], c["posting_id"]) for c in closed], [(JOB, PUBLISHED)])

    def test_a_held_lock_exits_8(self):
        write_application(self.export, "001", "a1")
        self.configure()
        lock_dir = os.path.join(self.home, "state", "pj-ats")
        os.makedirs(lock_dir, exist_ok=True)
        path = os.path.join(lock_dir, "default.sync.lock")
        with open(path, "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            code, _, err = self.pj("sync")
            self.assertEqual(code, 8, err)
            self.assertIn("another pj-ats sync is running", err)
            self.assertIn(path, err)
            self.assertEqual(self.opportunities(), [])
        code, _, err = self.pj("sync")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 1)

    def test_sigint_stops_cleanly_and_a_rerun_completes(self):
        # More applications than the 32 sent at once and Lever's burst of 20, so some are
        # still waiting when the signal comes.
        count = 60
        for i in range(count):
            write_application(self.export, "%03d" % i, "s%d" % i)
        with Sandbox("--latency-ms", "200") as slow:
            self.configure(sandbox=slow)
            proc = subprocess.Popen(pjats_command(["sync"]), env=pjats_env(self.home),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            deadline = time.time() + scaled(60)
            while time.time() < deadline and not self.opportunities(slow):
                time.sleep(0.05)
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=scaled(60))
            self.assertEqual(proc.returncode, 130, out + err)
            sent_first = len(self.opportunities(slow))
            self.assertLess(sent_first, count)
            code, out, err = self.pj("sync")
            self.assertEqual(code, 0, err)
            emails = self.emails(slow)
            self.assertEqual(emails, sorted("applicants%d@example.com" % i for i in range(count)))

    def test_two_syncs_started_together_send_each_application_once(self):
        count = 10
        for i in range(count):
            write_application(self.export, "%03d" % i, "t%d" % i)
        with Sandbox("--latency-ms", "200") as slow:
            self.configure(sandbox=slow)
            procs = [subprocess.Popen(pjats_command(["sync"]), env=pjats_env(self.home),
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for _ in range(2)]
            results = [(p.returncode, out + err) for p in procs
                       for out, err in [p.communicate(timeout=scaled(120))]]
            codes = sorted(code for code, _ in results)
            # One run holds the lock; the other exits 8 at once (or, had the first already
            # finished, finds nothing new and exits 0). Never both sending.
            self.assertIn(codes, ([0, 8], [0, 0]), results)
            for code, text in results:
                if code == 8:
                    self.assertIn("another pj-ats sync is running", text)
            expected = sorted("applicantt%d@example.com" % i for i in range(count))
            self.assertEqual(self.emails(slow), expected)
            code, _, err = self.pj("sync")
            self.assertEqual(code, 0, err)
            self.assertEqual(self.emails(slow), expected)


class SyncUrlSource(unittest.TestCase):
    """The url source end to end, against the sandbox's fake Purpose Jobs under /pj."""

    def test_url_source_end_to_end(self):
        with Sandbox() as sandbox:
            entries = [{"id": "app-%d" % i, "cursor": "c%02d" % i, "candidate": record("u%d" % i)}
                       for i in range(5)]
            entries.insert(2, {"id": "broken", "cursor": "c01x"})
            sandbox.control("POST", "pj/applications", {"job_id": JOB, "applications": entries})
            home = make_home()
            url = sandbox.url + "/pj"
            code, _, err = run_pjats(["configure", "source", "--url", url, "--token-stdin"],
                                     home=home, input="wrong_token")
            self.assertEqual(code, 0, err)
            code, _, err = run_pjats(["configure", "lever", "--api-key-stdin", "--base-url",
                                      sandbox.url, "--perform-as-email", RECRUITER_EMAIL],
                                     home=home, input=LEVER_KEY)
            self.assertEqual(code, 0, err)
            self.assertEqual(run_pjats(["link-job", JOB, PUBLISHED], home=home)[0], 0)
            self.assertEqual(run_pjats(["configure", "organization", "Acme Climate Inc."],
                                       home=home)[0], 0)
            code, _, err = run_pjats(["sync"], home=home)
            self.assertEqual(code, 4, err)
            self.assertNotIn("wrong_token", err)
            self.assertEqual(sandbox.state()["lever"]["opportunities"], [])

            env = {"PJ_ATS_SOURCE_TOKEN": "pj_sandbox_token"}
            code, out, err = run_pjats(["sync"], home=home, env=env)
            self.assertEqual(code, 3, out + err)  # the broken entry is reported
            self.assertIn("broken", err)
            opportunities = sandbox.state()["lever"]["opportunities"]
            emails = sorted(o["body"]["emails"][0] for o in opportunities)
            self.assertEqual(emails, sorted("applicantu%d@example.com" % i for i in range(5)))
            self.assertTrue(all(o["body"]["origin"] == "applied" for o in opportunities))
            # the listing was paged: the fake returns two applications per page
            log = [e for e in sandbox.state()["log"]
                   if e["route"] == "GET /pj/jobs/:id/applications"]
            self.assertGreaterEqual(len(log), 3)
            # Lever's published postings went to the source as schema.org JobPosting JSON-LD
            jobs = sandbox.state()["purpose_jobs"]["jobs"]
            self.assertTrue(jobs)
            self.assertTrue(all(j["@type"] == "JobPosting" for j in jobs))
            self.assertEqual({j["hiringOrganization"]["name"] for j in jobs}, {"Acme Climate Inc."})
            self.assertIn(PUBLISHED, [j["identifier"]["value"] for j in jobs])
            published_count = len(jobs)

            sandbox.control("POST", "pj/applications", {"job_id": JOB, "applications": [
                {"id": "app-9", "cursor": "c09", "candidate": record("u9")}]})
            code, out, err = run_pjats(["sync", "--json"], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            items = [json.loads(l) for l in out.splitlines() if '"status"' in l]
            self.assertEqual([(i["application_id"], i["status"]) for i in items],
                             [("app-9", "sent")])
            self.assertEqual(len(sandbox.state()["lever"]["opportunities"]), 6)
            # unchanged postings are not published again
            self.assertEqual(len(sandbox.state()["purpose_jobs"]["jobs"]), published_count)

            # `send` reads the candidate endpoint; the ledger key is the record's candidate id
            code, out, err = run_pjats(["send", "u3", "--to", "lever", "--posting", PUBLISHED],
                                       home=home, env=env)
            self.assertEqual(code, 0, out + err)
            self.assertIn("skipped", out + err)
            self.assertEqual(len(sandbox.state()["lever"]["opportunities"]), 6)

    def test_closed_postings_are_retracted_from_the_source_once(self):
        with Sandbox() as sandbox:
            home = make_home()
            env = {"PJ_ATS_SOURCE_TOKEN": "pj_sandbox_token"}
            code, _, err = run_pjats(["configure", "source", "--url", sandbox.url + "/pj",
                                      "--token-stdin"], home=home, input="pj_sandbox_token")
            self.assertEqual(code, 0, err)
            code, _, err = run_pjats(["configure", "lever", "--api-key-stdin", "--base-url",
                                      sandbox.url, "--perform-as-email", RECRUITER_EMAIL],
                                     home=home, input=LEVER_KEY)
            self.assertEqual(code, 0, err)
            self.assertEqual(run_pjats(["link-job", JOB, PUBLISHED], home=home)[0], 0)
            code, out, err = run_pjats(["sync", "--organization", "Acme"], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            listed = sandbox.state()["purpose_jobs"]["listed"]
            closing = sorted(p for p in listed if p != PUBLISHED)[0]
            sandbox.control("POST", "lever/postings", {"id": closing, "state": "closed"})

            self.assertEqual(run_pjats(["configure", "organization", "Acme"], home=home)[0], 0)
            code, out, err = run_pjats(["sync", "--dry-run"], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            self.assertIn("would retract Lever posting " + closing, out)
            self.assertEqual(sandbox.state()["purpose_jobs"]["retracted"], [])

            code, out, err = run_pjats(["sync", "--json"], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            lines = [json.loads(l) for l in out.splitlines()]
            self.assertIn({"posting_id": closing, "status": "retracted"}, lines)
            pj = sandbox.state()["purpose_jobs"]
            self.assertEqual(pj["retracted"], [closing])
            self.assertNotIn(closing, pj["listed"])
            self.assertEqual(sorted(pj["listed"]), sorted(p for p in listed if p != closing))

            # Once: the next runs retract nothing more.
            for _ in range(2):
                code, out, err = run_pjats(["sync"], home=home, env=env)
                self.assertEqual(code, 0, out + err)
                self.assertNotIn("retract", out)
            deletes = [e for e in sandbox.state()["log"] if e["route"] == "DELETE /pj/jobs/:id"]
            self.assertEqual(len(deletes), 1)
            self.assertEqual(sandbox.state()["purpose_jobs"]["retracted"], [closing])

            # Re-opened: published again.
            sandbox.control("POST", "lever/postings", {"id": closing, "state": "published"})
            code, out, err = run_pjats(["sync"], home=home, env=env)
            self.assertEqual(code, 0, out + err)
            self.assertIn(closing, sandbox.state()["purpose_jobs"]["listed"])

    def test_another_lever_account_retracts_none_of_the_first_accounts_postings(self):
        with Sandbox() as first, Sandbox() as second:
            home = make_home()
            env = {"PJ_ATS_SOURCE_TOKEN": "pj_sandbox_token"}
            code, _, err = run_pjats(["configure", "source", "--url", first.url + "/pj",
                                      "--token-stdin"], home=home, input="pj_sandbox_token")
            self.assertEqual(code, 0, err)
            self.assertEqual(run_pjats(["configure", "organization", "Acme"], home=home)[0], 0)
            for sandbox in (first, second):
                code, _, err = run_pjats(["configure", "lever", "--api-key-stdin", "--base-url",
                                          sandbox.url, "--perform-as-email", RECRUITER_EMAIL],
                                         home=home, input=LEVER_KEY)
                self.assertEqual(code, 0, err)
                if sandbox is first:
                    self.assertEqual(run_pjats(["link-job", JOB, PUBLISHED], home=home)[0], 0)
                    code, out, err = run_pjats(["sync"], home=home, env=env)
                    self.assertEqual(code, 0, out + err)
                    published = sorted(first.state()["purpose_jobs"]["listed"])
                    self.assertTrue(published)
            # The second account (another Lever) publishes fewer postings: one of the same
            # ids is closed there. Its sync retracts nothing the first account published.
            closing = [p for p in published if p != PUBLISHED][0]
            second.control("POST", "lever/postings", {"id": closing, "state": "closed"})
            code, out, err = run_pjats(["sync", "--organization", "Second Org"], home=home,
                                       env=env)
            self.assertEqual(code, 0, out + err)
            self.assertNotIn("retract", out)
            pj = first.state()["purpose_jobs"]
            self.assertEqual(pj["retracted"], [])
            self.assertEqual(sorted(pj["listed"]), published)
            names = {j["hiringOrganization"]["name"] for j in pj["jobs"]}
            self.assertIn("Second Org", names)


if __name__ == "__main__":
    unittest.main()

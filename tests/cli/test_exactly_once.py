"""End-to-end: nothing sent twice, nothing lost (issue 11), counted in the fakes' stores.

Concurrent runs of the same send, a POST whose reused keep-alive connection is dropped
after the record was created, a failed --force, a switch of account through the
environment, a copy of the ledger file alone, a missing ledger, and SIGHUP."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
import unittest

from harness import (Sandbox, SandboxTestCase, pjats_command, pjats_env, scaled,
                     short_http_timeout)

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
LEVER_KEY = "lever_sandbox_6a1f0c"
EMAIL = "recruiter@acme.example"
COUNT = 40


def write_candidates(root, count):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    ids = []
    for i in range(count):
        cid = "x%04d" % i
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Once Person%d" % i, "email": "once%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
        ids.append(cid)
    return ids


class ExactlyOnce(SandboxTestCase):
    sandbox_args = ("--latency-ms", "20")

    def setUp(self):
        super().setUp()
        self.export = os.path.join(self.home, "export")
        self.ids = write_candidates(self.export, COUNT)
        self.ids_file = os.path.join(self.home, "ids.txt")
        with open(self.ids_file, "w") as f:
            f.write("\n".join(self.ids) + "\n")
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()

    # helpers ---------------------------------------------------------------------------

    def ledger_path(self):
        return os.path.join(self.home, "state", "pj-ats", "default.db")

    def ledger_rows(self):
        with sqlite3.connect(self.ledger_path()) as db:
            db.row_factory = sqlite3.Row
            return [dict(r) for r in db.execute("SELECT * FROM sends")]

    def lever_emails(self, sandbox=None):
        state = (sandbox or self.sandbox).state()
        return sorted(o["body"]["emails"][0] for o in state["lever"]["opportunities"])

    def greenhouse_ids(self, sandbox=None):
        state = (sandbox or self.sandbox).state()
        return sorted(c["external_id"] for c in state["greenhouse"]["candidates"])

    def start(self, *args, env=None):
        return subprocess.Popen(pjats_command(list(args)), env=pjats_env(self.home, env),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)

    def settle(self, target):
        """Re-runs the plain send until nothing is left in flight or temporary."""
        for _ in range(4):
            code, out, err = self.pj("send", "--to", target, "--ids-from", self.ids_file,
                                     env=short_http_timeout())
            if code in (0, 1):
                return code, out, err
        return code, out, err

    # two runs at once --------------------------------------------------------------------

    def run_two_at_once(self, target):
        # Each run paces itself to half the fake's rate limit: two runs at full rate share
        # one account's 10 requests/s, and a 429 past the retries is not what this tests.
        procs = [self.start("send", "--to", target, "--ids-from", self.ids_file, "--rate", "4")
                 for _ in range(2)]
        results = [p.communicate(timeout=scaled(120)) for p in procs]
        for proc, (_, err) in zip(procs, results):
            # Candidates in flight in the other run are that run's to report.
            self.assertEqual(proc.returncode, 0, err[-2000:])
        return results

    def test_two_lever_sends_at_once_create_each_opportunity_once(self):
        results = self.run_two_at_once("lever")
        expected = sorted("once%d@example.com" % i for i in range(COUNT))
        self.assertEqual(self.lever_emails(), expected)
        # Every candidate was sent by one run and skipped or left in flight by the other.
        sent = sum(out.count("sent x") for out, _ in results)
        self.assertEqual(sent, COUNT, results)
        code, _, err = self.settle("lever")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.lever_emails(), expected)
        self.assertEqual({r["state"] for r in self.ledger_rows()}, {"sent"})

    def test_two_greenhouse_sends_at_once_create_each_candidate_once(self):
        self.run_two_at_once("greenhouse")
        self.assertEqual(self.greenhouse_ids(), sorted(self.ids))
        rows = self.ledger_rows()
        self.assertEqual(len(rows), COUNT)
        self.assertEqual({r["state"] for r in rows}, {"sent"}, "no review without a fault")

    def test_send_and_sync_style_single_sends_meet_a_live_claim(self):
        # A bulk run and single sends of the same ids at the same time. Each Lever send is
        # two requests (the opportunity and its note), and both processes use one key: the
        # bulk run leaves half of Lever's 10 requests/s to the single sends.
        bulk = self.start("send", "--to", "lever", "--ids-from", self.ids_file, "--rate", "5")
        singles = [self.pj("send", cid, "--to", "lever") for cid in self.ids[:10]]
        bulk.communicate(timeout=scaled(120))
        for code, out, err in singles:
            self.assertEqual(code, 0, err)
        self.settle("lever")
        self.assertEqual(len(self.lever_emails()), COUNT)
        self.assertEqual(len(set(self.lever_emails())), COUNT)

    # faults on the wire ------------------------------------------------------------------

    def test_reused_connection_dropped_after_create_is_not_resent_by_libcurl(self):
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "drop_after_silent", "reused_only": True,
                              "probability": 0.3, "times": -1}])
        self.pj("send", "--to", "lever", "--ids-from", self.ids_file,
                env=short_http_timeout())
        self.sandbox.faults([])
        self.settle("lever")
        fired = self.sandbox.state()["counters"]["faults_fired"]
        self.assertGreater(fired, 0, "the fault never fired: the test proves nothing")
        expected = sorted("once%d@example.com" % i for i in range(COUNT))
        self.assertEqual(self.lever_emails(), expected)

    def test_greenhouse_drop_after_create_is_review_never_twice(self):
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "drop_after_silent", "reused_only": True,
                              "probability": 0.3, "times": -1}])
        self.pj("send", "--to", "greenhouse", "--ids-from", self.ids_file)
        self.sandbox.faults([])
        code, out, err = self.settle("greenhouse")
        upstream = self.greenhouse_ids()
        self.assertEqual(len(upstream), len(set(upstream)), "a candidate was created twice")
        rows = {r["candidate_id"]: r["state"] for r in self.ledger_rows()}
        self.assertEqual(len(rows), COUNT)
        for cid in self.ids:
            if cid not in upstream:
                self.assertEqual(rows[cid], "review", cid)
        self.assertGreater(self.sandbox.state()["counters"]["faults_fired"], 0)
        if "review" in rows.values():
            self.assertEqual(code, 3, err)  # partial: the others were sent or skipped
            self.assertIn("review", err)

    # --force, accounts, the ledger file --------------------------------------------------

    def test_failed_force_keeps_the_success(self):
        code, _, err = self.pj("send", self.ids[0], "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("send", self.ids[0], "--to", "greenhouse", "--force",
                               env={"PJ_ATS_GREENHOUSE_API_KEY": "not-the-key"})
        self.assertEqual(code, 4, err)
        code, out, err = self.pj("send", self.ids[0], "--to", "greenhouse")
        self.assertEqual(code, 0, err)
        self.assertIn("skipped", out + err)
        self.assertEqual(self.greenhouse_ids(), [self.ids[0]])
        [row] = self.ledger_rows()
        self.assertEqual(row["state"], "sent")

    def test_switching_account_through_the_environment_sends_to_each(self):
        with Sandbox() as other:
            code, _, err = self.pj("send", self.ids[0], "--to", "greenhouse",
                                   env={"PJ_ATS_GREENHOUSE_URL": other.url})
            self.assertEqual(code, 0, err)
            code, out, err = self.pj("send", self.ids[0], "--to", "greenhouse")
            self.assertEqual(code, 0, err)
            self.assertNotIn("skipped", out + err)
            self.assertEqual(self.greenhouse_ids(other), [self.ids[0]])
            self.assertEqual(self.greenhouse_ids(), [self.ids[0]])
            # Each account remembers its own send.
            code, out, err = self.pj("send", self.ids[0], "--to", "greenhouse",
                                     env={"PJ_ATS_GREENHOUSE_URL": other.url})
            self.assertIn("skipped", out + err)
            self.assertEqual(len(self.greenhouse_ids(other)), 1)
            accounts = {r["account"] for r in self.ledger_rows()}
            self.assertEqual(len(accounts), 2, accounts)
            for account in accounts:
                self.assertNotIn(GH_KEY, account)

    def test_a_copy_of_the_db_file_alone_carries_every_row(self):
        code, _, err = self.pj("send", "--to", "lever", *self.ids[:5])
        self.assertEqual(code, 0, err)
        path = self.ledger_path()
        backup = os.path.join(self.home, "backup.db")
        shutil.copyfile(path, backup)
        for name in os.listdir(os.path.dirname(path)):
            if name.startswith("default.db"):
                os.remove(os.path.join(os.path.dirname(path), name))
        shutil.copyfile(backup, path)
        os.remove(backup)
        code, out, err = self.pj("send", "--to", "lever", *self.ids[:5])
        self.assertEqual(code, 0, err)
        self.assertEqual(out.count("skipped"), 5, out + err)
        self.assertEqual(len(self.lever_emails()), 5)

    def test_a_missing_or_empty_ledger_is_refused_not_started_anew(self):
        code, _, err = self.pj("send", self.ids[0], "--to", "lever")
        self.assertEqual(code, 0, err)
        with open(self.ledger_path(), "w"):
            pass  # truncated
        code, out, err = self.pj("send", self.ids[0], "--to", "lever")
        self.assertEqual(code, 5, err)
        self.assertIn("configure ledger --new", err)
        for name in os.listdir(os.path.dirname(self.ledger_path())):
            path = os.path.join(os.path.dirname(self.ledger_path()), name)
            if os.path.isfile(path):  # the ledger and its -wal/-shm; pace/ is not a ledger
                os.remove(path)
        code, out, err = self.pj("send", self.ids[0], "--to", "lever")
        self.assertEqual(code, 5, err)
        self.assertIn("missing", err)
        self.assertEqual(len(self.lever_emails()), 1)
        code, out, err = self.pj("configure", "ledger", "--new")
        self.assertEqual(code, 0, err)
        code, out, err = self.pj("send", self.ids[1], "--to", "lever")
        self.assertEqual(code, 0, err)

    # authentication and signals ------------------------------------------------------------

    def test_a_wrong_key_stops_a_bulk_run_at_the_first_401(self):
        code, out, err = self.pj("send", "--to", "lever", "--ids-from", self.ids_file,
                                 env={"PJ_ATS_LEVER_API_KEY": "not-the-key"})
        self.assertEqual(code, 4, err[-2000:])
        # Until one candidate has gone through, candidates go out one at a time.
        self.assertEqual(self.sandbox.state()["counters"]["unauthorized"], 1)
        self.assertEqual(self.lever_emails(), [])
        self.assertIn("stopped", err)

    def test_sighup_is_handled_like_sigterm(self):
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "delay", "ms": 200, "times": -1}])
        proc = self.start("send", "--to", "lever", "--ids-from", self.ids_file)
        deadline = time.monotonic() + scaled(30)
        while time.monotonic() < deadline and not self.lever_emails():
            time.sleep(0.05)
        proc.send_signal(signal.SIGHUP)
        _, err = proc.communicate(timeout=scaled(60))
        self.assertNotEqual(proc.returncode, -signal.SIGHUP, "killed by SIGHUP")
        self.assertIn("interrupted", err)
        self.assertNotIn("pending", {r["state"] for r in self.ledger_rows()})
        self.sandbox.faults([])
        code, _, err = self.pj("send", "--to", "lever", "--ids-from", self.ids_file)
        self.assertEqual(code, 0, err[-2000:])
        self.assertEqual(len(self.lever_emails()), COUNT)
        self.assertEqual(len(set(self.lever_emails())), COUNT)


if __name__ == "__main__":
    unittest.main()

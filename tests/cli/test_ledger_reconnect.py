"""End-to-end: a PostgreSQL ledger restarted, or down for 8 s, in the middle of a run
(issue 23): the run reconnects with backoff, records every outcome it knows (a Greenhouse
candidate whose id came back never ends in review), ends its run, and nothing is sent
twice — counted in the fakes' stores and in the database.

Each test starts a cluster of its own (tests/support/pg_cluster.sh), since it restarts it;
without PostgreSQL they print PJATS_PG_SKIPPED and are skipped. PJATS_TEST_PG_DOWN_SECONDS
(default 8) sets the Greenhouse case's outage, e.g. 60 for the longest one promised."""
import collections
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest

from harness import psql, SandboxTestCase, make_home, pjats_command, pjats_env, scaled

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTER = os.path.join(os.path.dirname(HERE), "support", "pg_cluster.sh")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
LEVER_KEY = "lever_sandbox_6a1f0c"
EMAIL = "recruiter@acme.example"
COUNT = 30
DOWN_SECONDS = int(os.environ.get("PJATS_TEST_PG_DOWN_SECONDS", "8"))


class LedgerReconnect(SandboxTestCase):
    sandbox_args = ("--latency-ms", "50")

    def setUp(self):
        super().setUp()
        if shutil.which("psql") is None or not os.path.exists("/usr/lib/postgresql"):
            print("PJATS_PG_SKIPPED: PostgreSQL is not installed")
            self.skipTest("no PostgreSQL")
        self.state = tempfile.mkdtemp(prefix="pjats-pg-reconnect-")
        subprocess.run([CLUSTER, "start", self.state], check=True, capture_output=True,
                       timeout=120)
        self.addCleanup(shutil.rmtree, self.state, True)
        self.addCleanup(subprocess.run, [CLUSTER, "stop", self.state], capture_output=True,
                        timeout=120)
        with open(os.path.join(self.state, "url")) as f:
            self.url = f.read().strip() + "postgres"
        self.export = make_home()
        os.makedirs(os.path.join(self.export, "candidates"))
        for i in range(COUNT):
            with open(os.path.join(self.export, "candidates", "pg%03d.json" % i), "w") as f:
                json.dump({"basics": {"name": "Restart Person%d" % i,
                                      "email": "restart%d@example.com" % i},
                           "meta": {"purposeJobs": {"id": "pg%03d" % i}}}, f)
        self.ids = ["pg%03d" % i for i in range(COUNT)]
        self.ok("configure", "source", "--dir", self.export)
        self.ok("configure", "ledger", "--url", self.url)

    def ok(self, *args, stdin=None):
        code, out, err = self.pj(*args, input=stdin)
        self.assertEqual(code, 0, err)
        return out

    def sql(self, query):
        return psql(self.url, query)

    def restart_during(self, args, down_seconds):
        """Runs pj-ats `args`; once 3 rows are sent, restarts the cluster (down for
        `down_seconds`). Returns (exit code, output)."""
        proc = subprocess.Popen(pjats_command(args), env=pjats_env(self.home),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True)
        output = []
        reader = threading.Thread(target=lambda: output.append(proc.stdout.read()))
        reader.start()
        deadline = time.monotonic() + scaled(60)
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if int(self.sql("SELECT count(*) FROM pjats.sends WHERE state = 'sent'")) >= 3:
                    break
            except RuntimeError:
                pass  # the schema is not there yet
            time.sleep(0.05)
        self.assertIsNone(proc.poll(), "the run ended before the restart: " + "".join(output))
        subprocess.run([CLUSTER, "restart", self.state, str(down_seconds)], check=True,
                       capture_output=True, timeout=120)
        try:
            code = proc.wait(timeout=scaled(180))
        finally:
            if proc.poll() is None:
                proc.kill()
        reader.join()
        proc.stdout.close()
        return code, "".join(output)

    def assert_ledger_clean(self):
        self.assertEqual(self.sql("SELECT count(*) FROM pjats.sends WHERE state <> 'sent'"), "0")
        self.assertEqual(self.sql("SELECT count(*) FROM pjats.sends"), str(COUNT))
        self.assertEqual(self.sql("SELECT count(*) FROM pjats.runs WHERE ended = 0"), "0")

    def test_greenhouse_run_survives_an_outage_and_no_known_id_ends_in_review(self):
        self.ok("configure", "greenhouse", "--email", EMAIL, "--api-key-stdin", "--base-url",
                self.sandbox.url, stdin=GH_KEY)
        code, text = self.restart_during(
            ["send", *self.ids, "--to", "greenhouse", "--rate", "3"], down_seconds=DOWN_SECONDS)
        self.assertEqual(code, 0, text[-4000:])
        candidates = self.sandbox.state()["greenhouse"]["candidates"]
        per_id = collections.Counter(c["external_id"] for c in candidates)
        self.assertEqual(sorted(per_id), self.ids)
        self.assertEqual([i for i, n in per_id.items() if n > 1], [])
        self.assert_ledger_clean()
        self.assertEqual(self.sql("SELECT count(*) FROM pjats.sends WHERE remote_id = ''"), "0")

    def test_lever_run_survives_a_restart(self):
        self.ok("configure", "lever", "--api-key-stdin", "--base-url", self.sandbox.url,
                "--perform-as-email", EMAIL, stdin=LEVER_KEY)
        code, text = self.restart_during(["send", *self.ids, "--to", "lever", "--rate", "4"],
                                         down_seconds=0)
        self.assertEqual(code, 0, text[-4000:])
        lever = self.sandbox.state()["lever"]
        per_email = collections.Counter(o["body"]["emails"][0] for o in lever["opportunities"])
        self.assertEqual(len(per_email), COUNT)
        self.assertEqual([e for e, n in per_email.items() if n > 1], [])
        notes = collections.Counter(n["opportunity"] for n in lever["notes"])
        self.assertEqual([o for o, n in notes.items() if n > 1], [])
        self.assert_ledger_clean()

    def test_sync_takes_its_advisory_lock_again_after_a_restart(self):
        job, posting = "pj-job-restart", "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
        folder = os.path.join(self.export, "applications", job)
        os.makedirs(folder)
        for i in range(COUNT):
            with open(os.path.join(folder, "%03d.json" % i), "w") as f:
                json.dump({"basics": {"name": "Applicant Number%d" % i,
                                      "email": "applicant%d@example.com" % i},
                           "meta": {"purposeJobs": {"id": "a%03d" % i}}}, f)
        self.ok("configure", "lever", "--api-key-stdin", "--base-url", self.sandbox.url,
                "--perform-as-email", EMAIL, stdin=LEVER_KEY)
        self.ok("link-job", job, posting)
        locks = []

        def watch_lock():  # after the restart: the lock is held again while sync runs
            deadline = time.monotonic() + scaled(60)
            while time.monotonic() < deadline and not locks:
                try:
                    if int(self.sql("SELECT count(*) FROM pg_locks WHERE locktype = "
                                    "'advisory' AND granted")) > 0:
                        locks.append(True)
                except RuntimeError:
                    pass  # still down
                time.sleep(0.1)

        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "delay", "ms": 400, "times": -1}])
        watcher = threading.Thread(target=watch_lock)
        original = subprocess.run

        def restart_then_watch(args, **kw):
            done = original(args, **kw)
            if args[:2] == [CLUSTER, "restart"]:
                watcher.start()
            return done

        subprocess.run = restart_then_watch
        try:
            code, text = self.restart_during(["sync"], down_seconds=1)
        finally:
            subprocess.run = original
        watcher.join()
        self.assertEqual(code, 0, text[-4000:])
        self.assertEqual(locks, [True])
        per_email = collections.Counter(
            o["body"]["emails"][0] for o in self.sandbox.state()["lever"]["opportunities"])
        self.assertEqual(len(per_email), COUNT)
        self.assertEqual([e for e, n in per_email.items() if n > 1], [])
        self.assert_ledger_clean()


if __name__ == "__main__":
    unittest.main()

"""End-to-end: a team ledger on PostgreSQL (issue 17), counted in the Lever fake's store.

Three "hosts" (separate HOMEs, profiles and processes) share one PostgreSQL ledger on the
throwaway cluster of tests/support/pg_cluster.sh: they send the same ids at the same moment
through drops after the commit and every candidate exists once in the fake; two hosts
running `sync` for the same account exclude each other (exit 8) through the ledger-wide
lock, which dies with its holder; a local SQLite ledger moved into PostgreSQL with
`ledger export`/`ledger import` sends nothing again.

Without a cluster (PJATS_TEST_PG_URL_FILE empty) every test prints PJATS_PG_SKIPPED and
is skipped (CTest reports it skipped)."""
import json
import os
import shutil
import signal
import subprocess
import time
import unittest
import uuid

from harness import (pg_base_url, psql, SandboxTestCase, make_home, pjats_command, pjats_env, run_pjats, scaled,
                     short_http_timeout)

LEVER_KEY = "lever_sandbox_6a1f0c"
EMAIL = "recruiter@acme.example"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
JOB = "pj-job-77"
COUNT = int(os.environ.get("PJATS_TEAM_LEDGER_IDS", "40"))


def write_candidates(root, count, prefix="t"):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    ids = []
    for i in range(count):
        cid = "%s%04d" % (prefix, i)
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Team Person%d" % i,
                                  "email": "team%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
        ids.append(cid)
    return ids


def skipped(text):
    """How many candidates pj-ats reported skipped (one line each)."""
    return sum(1 for line in text.splitlines() if line.startswith("skipped "))


def write_application(root, stem, cid):
    folder = os.path.join(root, "applications", JOB)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, stem + ".json"), "w") as f:
        json.dump({"basics": {"name": "Applicant Number%s" % cid,
                              "email": "applicant%s@example.com" % cid},
                   "meta": {"purposeJobs": {"id": cid}}}, f)


class Host:
    """One machine: its own HOME (config, state) and profile."""

    def __init__(self, test, export, profile="default"):
        self.test = test
        self.home = make_home()
        self.export = export
        self.env = {"PJ_ATS_PROFILE": profile}

    def pj(self, *args, env=None, **kw):
        merged = dict(self.env)
        merged.update(env or {})
        return run_pjats(list(args), home=self.home, env=merged, **kw)

    def ok(self, *args, **kw):
        code, out, err = self.pj(*args, **kw)
        self.test.assertEqual(code, 0, err[-3000:])
        return out, err

    def start(self, *args, env=None):
        merged = dict(self.env)
        merged.update(env or {})
        return subprocess.Popen(pjats_command(list(args)), env=pjats_env(self.home, merged),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)

    def configure(self, sandbox_url, ledger_url=None):
        self.ok("configure", "source", "--dir", self.export)
        self.ok("configure", "lever", "--api-key-stdin", "--base-url", sandbox_url,
                "--perform-as-email", EMAIL, input=LEVER_KEY)
        if ledger_url:
            self.ok("configure", "ledger", "--url", ledger_url)


class TeamLedger(SandboxTestCase):
    sandbox_args = ("--latency-ms", "20")

    def setUp(self):
        super().setUp()
        base = pg_base_url()
        if not base or shutil.which("psql") is None:
            print("PJATS_PG_SKIPPED: no PostgreSQL test cluster (tests/support/pg_cluster.sh)")
            self.skipTest("no PostgreSQL test cluster")
        self.database = "pjats_e2e_%d_%s" % (os.getpid(), uuid.uuid4().hex[:8])
        self.admin = base + "postgres"
        psql(self.admin, "CREATE DATABASE " + self.database)
        self.addCleanup(psql, self.admin,
                        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.database)
        self.url = base + self.database
        self.export = make_home()

    def emails(self):
        state = self.sandbox.state()
        return sorted(o["body"]["emails"][0] for o in state["lever"]["opportunities"])

    def rows(self, where=""):
        return int(psql(self.url, "SELECT count(*) FROM pjats.sends " + where))

    def settle(self, host, ids_file):
        """Re-runs the plain send until nothing is left in flight or temporary."""
        for _ in range(5):
            code, out, err = host.pj("send", "--to", "lever", "--ids-from", ids_file,
                                     env=short_http_timeout())
            if code == 0 and self.rows("WHERE state <> 'sent'") == 0:
                break
        return code, out, err

    def test_three_hosts_send_the_same_ids_at_once_through_drops(self):
        ids = write_candidates(self.export, COUNT)
        ids_file = os.path.join(self.export, "ids.txt")
        with open(ids_file, "w") as f:
            f.write("\n".join(ids) + "\n")
        hosts = [Host(self, self.export, profile) for profile in ("default", "laptop", "cron")]
        for host in hosts:
            host.configure(self.sandbox.url, self.url)
        # Every host sees the same ledger, whose lineage each profile now remembers.
        lineages = {psql(self.url, "SELECT value FROM pjats.meta WHERE name = 'lineage'")}
        self.assertEqual(len(lineages), 1)
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "drop_after_silent", "reused_only": True,
                              "probability": 0.05, "times": -1}])
        env = short_http_timeout()
        procs = [host.start("send", "--to", "lever", "--ids-from", ids_file, env=env)
                 for host in hosts]
        results = [p.communicate(timeout=scaled(240)) for p in procs]
        for proc, (_, err) in zip(procs, results):
            self.assertNotIn(proc.returncode, (2, 4, 5), err[-3000:])
        fired = self.sandbox.state()["counters"]["faults_fired"]
        print("drops after commit: %d" % fired)
        self.sandbox.faults([])
        for host in hosts:
            code, _, err = self.settle(host, ids_file)
            self.assertEqual(code, 0, err[-3000:])
        expected = sorted("team%d@example.com" % i for i in range(COUNT))
        self.assertEqual(self.emails(), expected, "a candidate is missing or duplicated")
        self.assertEqual(self.rows(), COUNT, "one ledger row per candidate, shared")
        self.assertEqual(self.rows("WHERE state = 'sent'"), COUNT)
        # Nothing is sent again by any host.
        for host in hosts:
            out, err = host.ok("send", "--to", "lever", "--ids-from", ids_file)
            self.assertEqual(skipped(out + err), COUNT, out + err)
        self.assertEqual(self.emails(), expected)
        # status names the backend and checks it live.
        out, err = hosts[0].ok("--json", "status")
        ledger = json.loads(out)["ledger"]
        self.assertEqual(ledger["backend"], "postgresql")
        self.assertEqual(ledger["path"], self.url)
        self.assertEqual(ledger["counts"]["sent"], COUNT)

    def sync_hosts(self, count):
        for i in range(count):
            write_application(self.export, "%03d" % i, "s%d" % i)
        hosts = [Host(self, self.export, profile) for profile in ("default", "cron")]
        for host in hosts:
            host.configure(self.sandbox.url, self.url)
            host.ok("link-job", JOB, PUBLISHED)
        return hosts

    def test_two_hosts_sync_the_same_job_at_once_one_exits_8(self):
        count = 12
        hosts = self.sync_hosts(count)
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "delay", "ms": 300, "times": -1}])
        procs = [host.start("sync") for host in hosts]
        results = [(p.returncode, out + err) for p in procs
                   for out, err in [p.communicate(timeout=scaled(120))]]
        self.assertEqual(sorted(code for code, _ in results), [0, 8], results)
        for code, text in results:
            if code == 8:
                self.assertIn("another pj-ats sync is running", text)
        self.sandbox.faults([])
        expected = sorted("applicants%d@example.com" % i for i in range(count))
        self.assertEqual(self.emails(), expected)
        # The lock went with the first run: the other host syncs now, sending nothing new.
        out, err = hosts[1].ok("sync")
        self.assertEqual(self.emails(), expected)

    def test_the_sync_lock_dies_with_a_killed_holder(self):
        count = 8
        hosts = self.sync_hosts(count)
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "delay", "ms": 500, "times": -1}])
        holder = hosts[0].start("sync")
        deadline = time.monotonic() + scaled(60)
        while time.monotonic() < deadline and not self.emails():
            time.sleep(0.05)
        code, _, err = hosts[1].pj("sync")
        self.assertEqual(code, 8, err[-2000:])
        holder.send_signal(signal.SIGKILL)
        holder.communicate(timeout=scaled(30))
        self.sandbox.faults([])
        env = short_http_timeout()
        deadline = time.monotonic() + scaled(30)
        while True:  # the server notices the dead session at once (its socket closed)
            code, _, err = hosts[1].pj("sync", env=env)
            if code != 8 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(code, 0, err[-2000:])
        emails = self.emails()
        self.assertEqual(emails, sorted("applicants%d@example.com" % i for i in range(count)))

    def test_a_local_ledger_moved_into_postgresql_sends_nothing_again(self):
        ids = write_candidates(self.export, 6, prefix="m")
        host = Host(self, self.export)
        host.configure(self.sandbox.url)
        host.ok("send", "--to", "lever", *ids[:5])
        self.assertEqual(len(self.emails()), 5)
        dump = os.path.join(host.home, "ledger.jsonl")
        host.ok("ledger", "export", "--output", dump)
        with open(dump) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual(lines[0]["kind"], "pj-ats-ledger")
        self.assertEqual(sum(1 for line in lines if line["kind"] == "send"), 5)
        # The database does not hold this profile's history yet: refused without --import.
        code, out, err = host.pj("configure", "ledger", "--url", self.url)
        self.assertEqual(code, 5, out + err)
        host.ok("configure", "ledger", "--url", self.url, "--import", dump)
        self.assertEqual(self.rows("WHERE state = 'sent'"), 5)
        # Importing again keeps what is there.
        out, err = host.ok("ledger", "import", dump)
        self.assertIn("Imported 0 rows", out)
        self.assertIn("5 already there", out)
        # A dry run reads the shared ledger as a real run would.
        out, err = host.ok("send", "--to", "lever", "--dry-run", *ids)
        self.assertEqual(out.count("/v1/opportunities?"), 1, out + err)  # one create
        out, err = host.ok("send", "--to", "lever", *ids)
        self.assertEqual(skipped(out + err), 5, out + err)
        self.assertEqual(len(self.emails()), 6, "only the new candidate was sent")
        # Back to the local file, which lacks what was sent through PostgreSQL: refused
        # (an older copy of this history) unless accepted on purpose.
        code, out, err = host.pj("configure", "ledger", "--sqlite")
        self.assertEqual(code, 5, out + err)
        host.ok("configure", "ledger", "--sqlite", "--new")
        out, err = host.ok("--json", "status")
        self.assertEqual(json.loads(out)["ledger"]["backend"], "sqlite")

    def test_a_url_with_a_password_is_refused_and_never_stored(self):
        host = Host(self, self.export)
        host.configure(self.sandbox.url)
        secret = "hunter2-" + uuid.uuid4().hex[:6]
        code, out, err = host.pj("configure", "ledger", "--url",
                                 "postgresql://postgres:%s@127.0.0.1/db" % secret)
        self.assertEqual(code, 5, err)
        self.assertIn(".pgpass", err)
        self.assertNotIn(secret, out + err)
        config = os.path.join(host.home, "config", "pj-ats", "config.toml")
        with open(config) as f:
            self.assertNotIn("ledger_url", f.read())
        code, out, err = host.pj("ledger", "export", env={
            "PJ_ATS_LEDGER_URL": "postgresql://postgres@127.0.0.1/db?password=" + secret})
        self.assertEqual(code, 5, err)
        self.assertNotIn(secret, out + err)


if __name__ == "__main__":
    unittest.main()

"""End-to-end: stale or switched ledgers are refused (issue 23, item 5; docs/ledger.md
"Stale ledgers"), counted in the Lever fake's store.

A ledger restored from an older copy of its own history (same lineage, lower serial) is
refused with exit 5 before anything is sent — on SQLite (the file copied back) and on
PostgreSQL (its serial set back, as a restored dump would have it); a SQLite file that
vanishes or is replaced while a run sends ends the run with exit 5 saying its outcomes were
not recorded; `configure ledger --url/--sqlite` onto a ledger without this profile's
history is refused unless `--import FILE` or `--new`.

Without a cluster (PJATS_TEST_PG_URL_FILE empty) the PostgreSQL cases print
PJATS_PG_SKIPPED and are skipped."""
import json
import os
import shutil
import subprocess
import time
import unittest
import uuid

from harness import pg_base_url, psql, SandboxTestCase, make_home, pjats_command, pjats_env, run_pjats

LEVER_KEY = "lever_sandbox_6a1f0c"
EMAIL = "recruiter@acme.example"


def write_candidates(root, count):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    ids = []
    for i in range(count):
        cid = "s%03d" % i
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Stale Person%d" % i,
                                  "email": "stale%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
        ids.append(cid)
    return ids


class StaleBase(SandboxTestCase):
    sandbox_args = ("--latency-ms", "150")

    def setUp(self):
        super().setUp()
        self.export = make_home()
        self.ids = write_candidates(self.export, 8)
        self.ok("configure", "source", "--dir", self.export)
        self.ok("configure", "lever", "--api-key-stdin", "--base-url", self.sandbox.url,
                "--perform-as-email", EMAIL, input=LEVER_KEY)
        self.db = os.path.join(self.home, "state", "pj-ats", "default.db")

    def ok(self, *args, **kw):
        code, out, err = self.pj(*args, **kw)
        self.assertEqual(code, 0, (out + err)[-3000:])
        return out, err

    def created(self):
        return len(self.sandbox.state()["lever"]["opportunities"])


class StaleSqlite(StaleBase):

    def test_a_file_restored_from_an_older_copy_is_refused(self):
        self.ok("send", "--to", "lever", *self.ids[:2])
        backup = self.db + ".backup"
        shutil.copy(self.db, backup)
        self.ok("send", "--to", "lever", *self.ids[2:4])
        self.assertEqual(self.created(), 4)
        shutil.copy(backup, self.db)  # the older copy comes back
        code, out, err = self.pj("send", "--to", "lever", *self.ids[:4])
        self.assertEqual(code, 5, out + err)
        self.assertIn("older copy", err)
        self.assertEqual(self.created(), 4, "nothing sent again")
        # Accepting it on purpose works (and the rows it lacks would be sent again).
        self.ok("configure", "ledger", "--sqlite", "--new")
        self.ok("send", "--to", "lever", *self.ids[:2])
        self.assertEqual(self.created(), 4)

    def test_a_file_removed_during_a_run_says_outcomes_were_not_recorded(self):
        self.ok("send", "--to", "lever", self.ids[0])
        run = subprocess.Popen(pjats_command(["send", "--to", "lever", *self.ids[1:]]),
                               env=pjats_env(self.home), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while self.created() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.rename(self.db, self.db + ".gone")
        out, err = run.communicate(timeout=120)
        self.assertEqual(run.returncode, 5, out + err)
        self.assertIn("vanished during this run", err)
        self.assertIn("not recorded", err)

    def test_switching_onto_a_ledger_without_this_profiles_history_is_refused(self):
        self.ok("send", "--to", "lever", *self.ids[:3])
        other = make_home()
        # Another profile's (empty) SQLite ledger is no place for this profile's history:
        # simulate by pointing this profile at a new file through --new, then back.
        dump = os.path.join(other, "mine.jsonl")
        self.ok("ledger", "export", "--output", dump)
        shutil.move(self.db, self.db + ".elsewhere")
        code, out, err = self.pj("configure", "ledger", "--sqlite")
        self.assertEqual(code, 5, out + err)
        self.assertIn("does not hold this profile's history", err)
        self.ok("configure", "ledger", "--sqlite", "--import", dump)
        self.ok("send", "--to", "lever", *self.ids[:4])
        self.assertEqual(self.created(), 4, "the three sent before were not sent again")


class StalePostgres(StaleBase):

    def setUp(self):
        base = pg_base_url()
        if not base or shutil.which("psql") is None:
            print("PJATS_PG_SKIPPED: no PostgreSQL test cluster (tests/support/pg_cluster.sh)")
            self.skipTest("no PostgreSQL test cluster")
        super().setUp()
        self.database = "pjats_stale_%d_%s" % (os.getpid(), uuid.uuid4().hex[:8])
        self.admin = base + "postgres"
        psql(self.admin, "CREATE DATABASE " + self.database)
        self.addCleanup(psql, self.admin,
                        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.database)
        self.url = base + self.database

    def test_a_database_restored_from_an_older_dump_is_refused(self):
        self.ok("send", "--to", "lever", *self.ids[:2])  # a local history first
        dump = os.path.join(self.home, "local.jsonl")
        self.ok("ledger", "export", "--output", dump)
        code, out, err = self.pj("configure", "ledger", "--url", self.url)
        self.assertEqual(code, 5, out + err)
        self.assertIn("does not hold this profile's history", err)
        self.ok("configure", "ledger", "--url", self.url, "--import", dump)
        self.ok("send", "--to", "lever", *self.ids[:4])
        self.assertEqual(self.created(), 4)
        serial = int(psql(self.url, "SELECT value FROM pjats.meta WHERE name = 'serial'"))
        # What restoring an older dump of the same database does: an earlier serial.
        psql(self.url, "UPDATE pjats.meta SET value = '%d' WHERE name = 'serial'" % (serial - 2))
        code, out, err = self.pj("send", "--to", "lever", *self.ids)
        self.assertEqual(code, 5, out + err)
        self.assertIn("older copy", err)
        self.assertEqual(self.created(), 4)
        # Going back to the local file, which lacks what was sent through PostgreSQL.
        code, out, err = self.pj("configure", "ledger", "--sqlite")
        self.assertEqual(code, 5, out + err)


if __name__ == "__main__":
    unittest.main()

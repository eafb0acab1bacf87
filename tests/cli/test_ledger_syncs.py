"""End-to-end: group commit. On an existing SQLite ledger a single send makes at most 3
fsync/fdatasync calls (the claim, and the checkpoint that keeps the .db file
self-contained: WAL and database file), and a bulk send at most one per candidate; every
candidate still reaches the fake exactly once and the .db alone holds every row afterwards
(the -wal is left empty). Counted with `strace -f -c` (skipped where strace is missing)."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import unittest

from harness import SandboxTestCase, pjats_command, pjats_env, scaled

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
BULK = 40


def write_candidates(root, count):
    folder = os.path.join(root, "candidates")
    os.makedirs(folder, exist_ok=True)
    ids = []
    for i in range(count):
        cid = "s%03d" % i
        with open(os.path.join(folder, cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Sync Person%d" % i, "email": "sync%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
        ids.append(cid)
    return ids


@unittest.skipUnless(shutil.which("strace"), "strace is not installed")
@unittest.skipIf(os.environ.get("PJATS_WRAPPER"), "counts syscalls of pj-ats itself")
class LedgerSyncs(SandboxTestCase):
    sandbox_args = ("--latency-ms", "20")

    def setUp(self):
        super().setUp()
        self.export = os.path.join(self.home, "export")
        self.ids = write_candidates(self.export, BULK + 3)
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        # The ledger exists before the runs counted.
        code, _, err = self.pj("send", "--to", "greenhouse", self.ids[0])
        self.assertEqual(code, 0, err)
        self.db = os.path.join(self.home, "state", "pj-ats", "default.db")
        self.assertTrue(os.path.exists(self.db))

    def traced_env(self):
        """LeakSanitizer cannot run under ptrace: an ASan build is traced without it."""
        env = pjats_env(self.home)
        if os.environ.get("PJATS_SANITIZED", "").lower() in ("1", "true", "on"):
            env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
        return env

    def syncs(self, *args):
        """Runs pj-ats under strace; returns (exit code, stderr, fsync + fdatasync calls)."""
        trace = os.path.join(self.home, "strace.txt")
        proc = subprocess.run([*(os.environ.get("PJATS_STRACE_ARGS", "strace -f -c").split()), "-o", trace, "-e",
                               "trace=fsync,fdatasync"] + pjats_command(args),
                              capture_output=True, text=True, env=self.traced_env(),
                              timeout=scaled(120))
        with open(trace) as f:
            text = f.read()
        calls = 0
        for line in text.splitlines():
            m = re.match(r"\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(fsync|fdatasync)$", line)
            if m:
                calls += int(m.group(1))
        return proc.returncode, proc.stderr, calls, text

    def sent_rows(self):
        db = sqlite3.connect(self.db)
        try:
            return db.execute("SELECT candidate_id FROM sends WHERE state = 'sent'").fetchall()
        finally:
            db.close()

    def assert_self_contained(self):
        wal = self.db + "-wal"
        self.assertTrue(not os.path.exists(wal) or os.path.getsize(wal) == 0)

    def test_single_send_syncs_at_most_three_times(self):
        code, err, calls, text = self.syncs("send", "--to", "greenhouse", self.ids[1])
        self.assertEqual(code, 0, err)
        self.assertGreaterEqual(calls, 1, text)  # the claim is synced before the request
        self.assertLessEqual(calls, 3, text)
        self.assert_self_contained()
        self.assertEqual(len(self.sent_rows()), 2)

    def test_bulk_send_syncs_at_most_once_per_candidate(self):
        ids_file = os.path.join(self.home, "ids.txt")
        with open(ids_file, "w") as f:
            f.write("\n".join(self.ids[3:3 + BULK]) + "\n")
        code, err, calls, text = self.syncs("send", "--to", "greenhouse", "--ids-from", ids_file)
        self.assertEqual(code, 0, err)
        self.assertLessEqual(calls, BULK, text)
        self.assert_self_contained()
        external = sorted(c["external_id"] for c in self.sandbox.state()["greenhouse"]["candidates"])
        self.assertEqual(external, sorted([self.ids[0]] + self.ids[3:3 + BULK]))
        self.assertEqual(len(self.sent_rows()), BULK + 1)


if __name__ == "__main__":
    unittest.main()

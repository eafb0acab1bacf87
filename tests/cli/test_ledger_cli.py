"""End-to-end: `pj-ats ledger list|resolve` against the sandbox: an unknown Greenhouse
outcome is listed, resolved by hand, and the fake then holds each candidate exactly once."""
import json
import os
import subprocess
import time
import unittest

from harness import SandboxTestCase, pjats_command, pjats_env, scaled

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"


class LedgerCli(SandboxTestCase):
    def setUp(self):
        super().setUp()
        code, _, err = self.pj("configure", "source", "--dir", SOURCE)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                               "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)

    def candidates(self, external_id):
        return [c for c in self.sandbox.state()["greenhouse"]["candidates"]
                if c["external_id"] == external_id]

    def rows(self, *args):
        code, out, err = self.pj("--json", "ledger", "list", *args)
        self.assertEqual(code, 0, err)
        return [json.loads(line) for line in out.splitlines()]

    def send_with_lost_answer(self, candidate, action):
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": action, "times": 1}])
        self.pj("send", candidate, "--to", "greenhouse", "--job", "4690")
        [row] = self.rows("--state", "review")
        self.assertEqual((row["candidate_id"], row["destination"]), (candidate, "job:4690"))

    def test_list_on_a_profile_without_a_ledger_is_empty_and_creates_none(self):
        code, out, err = self.pj("ledger", "list")
        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        self.assertIn("No sends", err)
        self.assertFalse(os.path.exists(os.path.join(self.home, "state", "pj-ats",
                                                     "default.db")))

    def test_list_shows_rows_as_a_table_and_json_lines(self):
        self.assertEqual(self.pj("send", "1043", "--to", "greenhouse")[0], 0)
        self.send_with_lost_answer("1042", "drop_after")
        code, out, err = self.pj("ledger", "list")
        self.assertEqual(code, 0, err)
        lines = out.splitlines()
        self.assertEqual(lines[0].split()[:4], ["CANDIDATE", "TARGET", "DESTINATION", "STATE"])
        # Oldest update first; rows of the same second by candidate id.
        self.assertEqual(sorted(line.split()[:4] for line in lines[1:]),
                         [["1042", "greenhouse", "job:4690", "review"],
                          ["1043", "greenhouse", "-", "sent"]])
        rows = sorted(self.rows(), key=lambda r: r["candidate_id"])
        self.assertEqual([(r["candidate_id"], r["state"]) for r in rows],
                         [("1042", "review"), ("1043", "sent")])
        self.assertEqual(rows[1]["remote_id"], str(self.candidates("1043")[0]["id"]))
        self.assertEqual(lines[1 + [l.split()[0] for l in lines[1:]].index("1043")].split()[4],
                         rows[1]["remote_id"])
        self.assertTrue(rows[0]["error"])
        # The organization the key reaches, named by its first user (docs/ledger.md).
        self.assertEqual(rows[0]["account"], self.sandbox.url + "#org:1234")
        self.assertIn("ACCOUNT", lines[0].split())
        self.assertIn(self.sandbox.url + "#org:1234", out)
        self.assertEqual(self.rows("--state", "sent", "--to", "lever"), [])
        self.assertEqual([r["candidate_id"] for r in self.rows("--to", "greenhouse",
                                                               "--state", "sent")], ["1043"])
        code, _, err = self.pj("ledger", "list", "--state", "lost")
        self.assertEqual(code, 2, err)
        for text in (out, err):
            self.assertNotIn(GH_KEY, text)

    def test_found_closes_the_review_and_nothing_is_sent_twice(self):
        self.send_with_lost_answer("1042", "drop_after")
        [created] = self.candidates("1042")  # the server did create it
        code, out, err = self.pj("ledger", "resolve", "1042", "--to", "greenhouse",
                                 "--job", "4690", "--found", str(created["id"]))
        self.assertEqual(code, 0, err)
        self.assertIn("sent as %s" % created["id"], out)
        [row] = self.rows()
        self.assertEqual((row["state"], row["remote_id"]), ("sent", str(created["id"])))
        code, out, err = self.pj("send", "1042", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.candidates("1042")), 1)
        # Resolved once: doing it again is refused, and the row stays.
        code, _, err = self.pj("ledger", "resolve", "1042", "--to", "greenhouse", "--job", "4690",
                               "--not-sent")
        self.assertEqual(code, 1, err)
        self.assertIn("already sent", err)
        self.assertEqual(self.rows()[0]["state"], "sent")

    def test_not_sent_lets_the_next_send_send_it_once(self):
        self.send_with_lost_answer("1044", "drop_before")
        self.assertEqual(self.candidates("1044"), [])  # nothing reached the fake
        # A plain send does not send blindly while the row is for review.
        self.pj("send", "1044", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(self.candidates("1044"), [])
        code, out, err = self.pj("--json", "ledger", "resolve", "1044", "--to", "greenhouse",
                                 "--job", "4690", "--not-sent")
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["was"], "review")
        self.assertEqual(json.loads(out)["state"], "removed")
        self.assertEqual(self.rows(), [])
        code, _, err = self.pj("send", "1044", "--to", "greenhouse", "--job", "4690")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.candidates("1044")), 1)
        self.assertEqual(self.rows()[0]["state"], "sent")

    def test_a_send_in_flight_is_not_resolved(self):
        # A send held by a live run (its create request is slow) is left to that run.
        self.sandbox.faults([{"method": "POST", "path": "/v1/partner/candidates",
                              "action": "delay", "ms": int(scaled(4000)), "times": 1}])
        proc = subprocess.Popen(pjats_command(["send", "1043", "--to", "greenhouse"]),
                                env=pjats_env(self.home), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + scaled(20)
            while not self.rows("--state", "pending") and time.monotonic() < deadline:
                time.sleep(0.05)
            code, _, err = self.pj("ledger", "resolve", "1043", "--to", "greenhouse",
                                   "--not-sent")
            self.assertEqual(code, 8, err)
            self.assertIn("in flight", err)
        finally:
            out, err = proc.communicate(timeout=scaled(60))
        self.assertEqual(proc.returncode, 0, out + err)
        self.assertEqual(self.rows()[0]["state"], "sent")
        self.assertEqual(len(self.candidates("1043")), 1)

    def test_bad_requests_are_refused_with_the_spec_codes(self):
        self.send_with_lost_answer("1042", "drop_after")
        cases = [
            (["1042", "--to", "greenhouse", "--job", "4690"], 2, "--found REMOTE_ID or --not-sent"),
            (["1042", "--to", "greenhouse", "--job", "4690", "--found", "1", "--not-sent"], 2,
             "--found REMOTE_ID or --not-sent"),
            (["1042", "--to", "greenhouse", "--posting", "p1", "--not-sent"], 2, "--posting"),
            (["1042", "--to", "greenhouse", "--job", "4690", "--found", "abc"], 2, "digits"),
            (["1042", "--to", "greenhouse", "--job", "x", "--not-sent"], 2, "--job"),
            (["../x", "--to", "greenhouse", "--not-sent"], 2, ""),
            # Not the destination it was sent to: the ledger has no such send.
            (["1042", "--to", "greenhouse", "--not-sent"], 1, "no send of 1042 -> greenhouse"),
            (["9999", "--to", "greenhouse", "--job", "4690", "--found", "5"], 1, "no send"),
        ]
        for args, expected, message in cases:
            with self.subTest(args=args):
                code, _, err = self.pj("ledger", "resolve", *args)
                self.assertEqual(code, expected, err)
                self.assertIn(message, err)
        self.assertEqual(self.rows()[0]["state"], "review")


if __name__ == "__main__":
    unittest.main()

"""End-to-end: `pj-ats track` and `pj-ats hires` (issue 14) against the strict fakes: six
candidates sent to a Greenhouse job and six to a Lever posting, then changed upstream
through the sandbox's control API, exactly as the issue's checker does."""
import base64
import csv
import io
import json
import os
import tempfile
import time
import unittest

from harness import SandboxTestCase, make_home, run_pjats

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
GH_JOB = "4690"
LEVER_KEY = "lever_sandbox_6a1f0c"
POSTING = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
HIRED = "63dd55b2-a99f-4e7b-985f-22c7bf80ab42"      # archive reason of type hired
WITHDREW = "7e1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d"    # non-hired
ON_SITE = "5c2e8d3f-1a4b-4c9d-8e7f-6a5b4c3d2e10"     # "On-site interview"
IDS = [str(i) for i in range(1000, 1006)]
LEVER_BASIC = "Basic " + base64.b64encode((LEVER_KEY + ":").encode()).decode()


def write_candidates(root):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    for cid in IDS:
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Person %s, Jr." % cid,
                                  "email": "p%s@example.com" % cid},
                       "meta": {"purposeJobs": {"id": cid}}}, f)


class TrackCli(SandboxTestCase):

    maxDiff = None

    def setUp(self):
        super().setUp()
        self.source = tempfile.mkdtemp(prefix="pjats-track-")
        write_candidates(self.source)
        for args, key in ((("configure", "source", "--dir", self.source), None),
                          (("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                            "--base-url", self.sandbox.url), GH_KEY),
                          (("configure", "lever", "--api-key-stdin", "--base-url",
                            self.sandbox.url, "--perform-as-email", GH_EMAIL), LEVER_KEY)):
            code, _, err = self.pj(*args, input=key)
            self.assertEqual(code, 0, err)

    def send_all(self):
        code, _, err = self.pj("send", *IDS, "--to", "greenhouse", "--job", GH_JOB)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("send", *IDS, "--to", "lever", "--posting", POSTING)
        self.assertEqual(code, 0, err)
        state = self.sandbox.state()
        gh = {c["external_id"]: c["id"] for c in state["greenhouse"]["candidates"]}
        lv = {}
        for o in state["lever"]["opportunities"]:
            lv[o["body"]["emails"][0].split("@")[0][1:]] = o["id"]
        self.assertEqual(sorted(gh), IDS)
        self.assertEqual(sorted(lv), IDS)
        return gh, lv

    def change_upstream(self, gh, lv):
        for cid in ("1000", "1001"):
            self.sandbox.control("POST", "greenhouse/candidates",
                                 {"id": gh[cid], "status": "hired", "stage": "Offer"})
        self.sandbox.control("POST", "greenhouse/candidates", {"id": gh["1002"], "status": "rejected"})
        self.sandbox.control("POST", "greenhouse/candidates", {"id": gh["1003"], "merge": True})
        self.sandbox.control("POST", "greenhouse/candidates", {"id": gh["1004"], "stage": "Phone Screen"})
        for cid in ("1003", "1004"):
            self.sandbox.control("POST", "lever/opportunities",
                                 {"id": lv[cid], "stage": "offer", "archive_reason": HIRED})
        self.sandbox.control("POST", "lever/opportunities", {"id": lv["1005"], "archive_reason": WITHDREW})
        self.sandbox.control("POST", "lever/opportunities", {"id": lv["1000"], "stage": ON_SITE})

    def track_json(self, *extra):
        code, out, err = self.pj("--json", "track", *extra)
        self.assertEqual(code, 0, err)
        return [json.loads(line) for line in out.splitlines()]

    def test_checker_scenario_track_and_hires(self):
        gh, lv = self.send_all()
        self.change_upstream(gh, lv)
        lines = self.track_json()
        got = {(l["candidate_id"], l["target"]): (l["state"], l["stage"]) for l in lines}
        self.assertEqual(len(lines), 12, lines)
        self.assertEqual(got, {
            ("1000", "greenhouse"): ("hired", "Offer"),
            ("1001", "greenhouse"): ("hired", "Offer"),
            ("1002", "greenhouse"): ("rejected", "Application Review"),
            ("1003", "greenhouse"): ("lost", ""),  # never seen before the merge
            ("1004", "greenhouse"): ("active", "Phone Screen"),
            ("1005", "greenhouse"): ("active", "Application Review"),
            ("1000", "lever"): ("active", "On-site interview"),
            ("1001", "lever"): ("active", "New lead"),
            ("1002", "lever"): ("active", "New lead"),
            ("1003", "lever"): ("hired", "Offer"),
            ("1004", "lever"): ("hired", "Offer"),
            ("1005", "lever"): ("archived", "New lead"),
        })
        by = {(l["candidate_id"], l["target"]): l for l in lines}
        self.assertEqual(by[("1000", "greenhouse")]["job"], "Senior Engineer")
        self.assertTrue(by[("1000", "greenhouse")]["link"].startswith("https://app.greenhouse.io/people/"))
        self.assertEqual(by[("1003", "lever")]["job"], POSTING)
        self.assertEqual(by[("1003", "lever")]["hire_date_source"], "ats")
        self.assertEqual(by[("1000", "greenhouse")]["hire_date_source"], "first_seen")

        status = json.loads(self.pj("--json", "status", "--offline")[1])
        self.assertEqual(status["unreported_hires"], 4)
        self.assertIn("ledger.hires", [c["name"] for c in status["checks"]])

        code, out, err = self.pj("hires", "--since", "2020-01-01", "--format", "csv")
        self.assertEqual(code, 0, err)
        status = json.loads(self.pj("--json", "status", "--offline")[1])
        self.assertEqual(status["unreported_hires"], 0)
        self.assertTrue(out.startswith("candidate_id,target,name,"), out)
        rows = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual(sorted((r["candidate_id"], r["target"]) for r in rows),
                         [("1000", "greenhouse"), ("1001", "greenhouse"),
                          ("1003", "lever"), ("1004", "lever")])
        names = {r["candidate_id"] + r["target"]: r["name"] for r in rows}
        self.assertEqual(names["1003lever"], "Person 1003, Jr.")  # quoted: holds a comma
        self.assertIn('"Person 1000, Jr."', out)
        # PII stays out of the ledger and of stderr.
        self.assertNotIn("Person", err)

        # -v traces every lookup, never the names or e-mails the answers carry.
        code, out, err = self.pj("-v", "track")
        self.assertEqual(code, 0, err)
        self.assertIn("/v1/partner/candidates?candidate_ids=", err)
        self.assertIn("/v1/opportunities/", err)
        for cid in IDS:
            self.assertNotIn("Person %s" % cid, out + err)
            self.assertNotIn("p%s@example.com" % cid, out + err)

        # Nothing moved since: --changed prints nothing; then one move shows alone.
        self.assertEqual(self.track_json("--changed"), [])
        self.sandbox.control("POST", "greenhouse/candidates", {"id": gh["1005"], "status": "hired"})
        moved = self.track_json("--changed")
        self.assertEqual([(l["candidate_id"], l["target"], l["state"]) for l in moved],
                         [("1005", "greenhouse", "hired")])

    def test_export_import_export_keeps_tracking_steps_and_first_seen_dates(self):
        gh, lv = self.send_all()
        self.change_upstream(gh, lv)
        self.track_json()
        code, hires_before, err = self.pj("hires", "--since", "2020-01-01", "--offline",
                                          "--format", "json")
        self.assertEqual(code, 0, err)
        self.assertTrue(hires_before.strip(), "no hires tracked")
        time.sleep(1.1)  # an import that re-dated the hires would show another second
        first = os.path.join(self.home, "first.jsonl")
        with open(first, "w") as f:
            f.write("old")
        os.chmod(first, 0o644)  # an existing file is tightened too
        code, _, err = self.pj("ledger", "export", "--output", first)
        self.assertEqual(code, 0, err)
        self.assertEqual(os.stat(first).st_mode & 0o777, 0o600)
        with open(first) as f:
            kinds = [json.loads(line)["kind"] for line in f]
        self.assertIn("step", kinds)       # the Lever notes
        self.assertIn("tracking", kinds)
        # Another machine imports it into its new ledger and exports it again.
        other = make_home()
        code, _, err = run_pjats(["configure", "source", "--dir", self.source], home=other)
        self.assertEqual(code, 0, err)  # names come from the records
        code, _, err = run_pjats(["ledger", "import", first], home=other)
        self.assertEqual(code, 0, err)
        second = os.path.join(other, "second.jsonl")
        code, _, err = run_pjats(["ledger", "export", "--output", second], home=other)
        self.assertEqual(code, 0, err)
        with open(first) as a, open(second) as b:
            self.assertEqual(a.read(), b.read())
        code, hires_after, err = run_pjats(["hires", "--since", "2020-01-01", "--offline",
                                            "--format", "json"], home=other)
        self.assertEqual(code, 0, err)
        self.assertEqual(hires_after, hires_before)

    def test_hires_offline_window_and_json(self):
        gh, lv = self.send_all()
        self.change_upstream(gh, lv)
        code, out, err = self.pj("hires", "--since", "2020-01-01", "--offline")
        self.assertEqual(code, 0, err)
        self.assertEqual(out.strip().splitlines(), ["candidate_id,target,name,job,hire_date,"
                                                     "hire_date_source,link"])  # never tracked
        self.assertEqual(self.track_json("--to", "lever", "1003")[0]["state"], "hired")
        code, out, err = self.pj("hires", "--since", "2020-01-01", "--offline", "--format", "json")
        self.assertEqual(code, 0, err)
        self.assertEqual([json.loads(l)["candidate_id"] for l in out.splitlines()], ["1003"])
        code, out, err = self.pj("hires", "--since", "2020-01-01", "--until", "2020-12-31",
                                 "--offline")
        self.assertEqual(out.strip().count("\n"), 0, out)  # header only
        code, _, err = self.pj("hires", "--since", "yesterday")
        self.assertEqual(code, 2, err)

    def test_lever_key_without_archive_reason_access_is_auth_4(self):
        self.send_all()
        self.sandbox.faults([{"method": "GET", "path": "/v1/archive_reasons",
                              "action": "status", "status": 403, "times": 1}])
        code, _, err = self.pj("track", "--to", "lever")
        self.assertEqual(code, 4, err)
        self.assertIn("archive_reasons:read:admin", err)


    def test_greenhouse_user_without_permission_is_auth_4(self):
        code, _, err = self.pj("configure", "greenhouse", "--email", "interviewer@acme.example",
                               "--api-key-stdin", "--base-url", self.sandbox.url, input=GH_KEY)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("send", "1000", "--to", "greenhouse", "--job", GH_JOB)
        self.assertEqual(code, 0, err)
        code, out, err = self.pj("track", "--to", "greenhouse")
        self.assertEqual(code, 4, err)
        self.assertIn("permission", err)
        self.assertEqual(out, "")

    def lever_get(self, path):
        """GET on the Lever fake as a client that honours its rate limit (429 Retry-After)."""
        for _ in range(20):
            answer = self.sandbox.request("GET", path, headers={"Authorization": LEVER_BASIC})
            if answer.status != 429:
                return answer
            time.sleep(float(answer.headers.get("retry-after") or 1))
        self.fail("the Lever fake kept answering 429 to " + path)

    def test_fake_lever_serves_the_tracking_filters_as_documented(self):
        _, lv = self.send_all()
        self.sandbox.control("POST", "lever/opportunities",
                             {"id": lv["1003"], "stage": "offer", "archive_reason": HIRED})
        self.sandbox.control("POST", "lever/opportunities", {"id": lv["1005"], "archive_reason": WITHDREW})
        count = lambda path: len(self.lever_get(path).json()["data"])
        self.assertEqual(count("/v1/opportunities?tag=Purpose%20Jobs"), 6)
        self.assertEqual(count("/v1/opportunities?tag=purpose%20jobs"), 0)  # case-sensitive
        self.assertEqual(count("/v1/opportunities?archived=true"), 2)
        self.assertEqual(count("/v1/opportunities?archive_reason_id=" + HIRED), 1)
        self.assertEqual(count("/v1/opportunities?archived_at_start=0&archived_at_end=1"), 0)
        self.assertEqual(count("/v1/opportunities?archived_at_start=1000000000000"), 2)
        self.assertEqual(self.lever_get("/v1/opportunities?archived_at_start=2020-01-01").status, 400)
        one = self.lever_get("/v1/opportunities?archive_reason_id=%s&expand=applications"
                             "&expand=stage" % HIRED).json()["data"][0]
        self.assertEqual(one["stage"], {"id": "offer", "text": "Offer"})
        self.assertEqual(one["archived"]["reason"], HIRED)
        self.assertIsInstance(one["archived"]["archivedAt"], int)
        self.assertEqual([c["toStageId"] for c in one["stageChanges"]], ["lead-new", "offer"])
        self.assertEqual(self.lever_get("/v1/opportunities?expand=applications,stage").status, 400)
        hired = self.lever_get("/v1/archive_reasons?type=hired").json()["data"]
        self.assertEqual({r["type"] for r in hired}, {"hired"})
        self.assertEqual(len(self.lever_get("/v1/archive_reasons").json()["data"]), 4)
        self.assertEqual(self.lever_get("/v1/archive_reasons?type=Hired").status, 400)
        self.assertEqual(self.lever_get("/v1/opportunities/nope").status, 404)


if __name__ == "__main__":
    unittest.main()

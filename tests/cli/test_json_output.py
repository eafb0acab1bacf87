"""End-to-end: every command's --json output (docs/json-output.md) against the sandbox.

stdout must be JSON (JSON lines for send), every key snake_case (except inside schema.org
JSON-LD documents), and stderr must never carry JSON.
"""
import json
import os
import re
import unittest

from harness import Sandbox, run_pjats, make_home, SandboxTestCase

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def bad_keys(value, path="$"):
    """Every key (with its path) that is not snake_case, recursively."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if not SNAKE.match(key):
                found.append("%s.%s" % (path, key))
            found += bad_keys(item, "%s.%s" % (path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += bad_keys(item, "%s[%d]" % (path, i))
    return found


class JsonOutput(SandboxTestCase):
    def pj(self, *args, **kw):
        return super().pj("--json", *args, **kw)

    def assert_clean_stderr(self, err):
        for line in err.splitlines():
            text = line.strip()
            if text[:1] in ("{", "["):
                try:
                    json.loads(text)
                except ValueError:
                    continue
                self.fail("JSON on stderr: %r" % line)

    def json_doc(self, args, code=0, snake=True, **kw):
        """Runs a command; asserts one JSON document on stdout; returns it."""
        rc, out, err = self.pj(*args, **kw)
        self.assertEqual(rc, code, (args, out, err))
        self.assert_clean_stderr(err)
        doc = json.loads(out)
        self.assertEqual(out.count("\n"), 1, "one document on one line: %r" % out)
        if snake:
            self.assertEqual(bad_keys(doc), [], args)
        return doc

    def json_lines(self, args, code=0, **kw):
        """Runs a command; asserts JSON lines on stdout; returns them."""
        rc, out, err = self.pj(*args, **kw)
        self.assertEqual(rc, code, (args, out, err))
        self.assert_clean_stderr(err)
        docs = [json.loads(line) for line in out.splitlines()]
        self.assertTrue(docs, "no output")
        for doc in docs:
            self.assertIsInstance(doc, dict)
            self.assertEqual(bad_keys(doc), [], args)
        return docs

    def configure_all(self):
        source = self.json_doc(["configure", "source", "--dir", SOURCE])
        self.assertEqual(source["kind"], "dir")
        greenhouse = self.json_doc(["configure", "greenhouse", "--email", GH_EMAIL,
                                    "--api-key-stdin", "--base-url", self.sandbox.url],
                                   input=GH_KEY)
        self.assertEqual(greenhouse["target"], "greenhouse")
        self.assertIs(greenhouse["verified"], True)
        self.assertEqual(greenhouse["user"]["email"], GH_EMAIL)
        lever = self.json_doc(["configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", GH_EMAIL], input=LEVER_KEY)
        self.assertEqual((lever["target"], lever["auth"]), ("lever", "api_key"))
        self.assertTrue(lever["perform_as"])

    def test_configure_outputs(self):
        self.configure_all()

    def test_send_prints_one_line_per_candidate_and_a_summary(self):
        self.configure_all()
        docs = self.json_lines(["send", "1042", "1043", "--to", "greenhouse"])
        # Many ids are sent concurrently: lines come in completion order.
        self.assertEqual(sorted(d.get("candidate_id") for d in docs[:-1]), ["1042", "1043"])
        self.assertEqual({d["status"] for d in docs[:-1]}, {"sent"})
        self.assertTrue(all(d["remote_id"] for d in docs[:-1]))
        summary = docs[-1]["summary"]
        self.assertEqual((summary["total"], summary["sent"], summary["failed"]), (2, 2, 0))
        again = self.json_lines(["send", "1042", "--to", "greenhouse"])
        self.assertEqual(again[0]["status"], "skipped")

    def test_send_dry_run_and_failures(self):
        self.configure_all()
        docs = self.json_lines(["send", "1043", "--to", "lever", "--dry-run"])
        self.assertEqual(docs[0]["status"], "dry_run")
        self.assertIn("/v1/opportunities", docs[0]["request"])
        self.assertEqual(docs[-1]["summary"]["dry_run"], 1)
        docs = self.json_lines(["send", "no-such-id", "--to", "greenhouse"], code=1)
        self.assertEqual(docs[0]["status"], "failed")
        self.assertEqual(docs[0]["error"]["exit_code"], 1)
        self.assertEqual(docs[-1]["summary"]["failed"], 1)

    def test_jobs(self):
        self.configure_all()
        jobs = self.json_doc(["jobs"])
        self.assertIsInstance(jobs, list)
        self.assertEqual({j["id"] for j in jobs} >= {4690, 4691}, True, jobs)

    def test_link_job_and_list(self):
        self.configure_all()
        link = self.json_doc(["link-job", "77", PUBLISHED])
        self.assertEqual((link["job_id"], link["posting_id"]), ("77", PUBLISHED))
        self.assertTrue(link["posting_title"])
        self.assertEqual(self.json_doc(["link-job", "--list"]),
                         [{"job_id": "77", "posting_id": PUBLISHED}])

    def test_postings_json_and_jsonld(self):
        self.configure_all()
        for args in (["postings"], ["postings", "--format", "json"]):
            postings = self.json_doc(args)
            self.assertTrue(postings)
            self.assertEqual({p["state"] for p in postings}, {"published"})
        # No organization name: no document can be valid for Google, so none is printed.
        self.assertEqual(self.json_doc(["postings", "--format", "jsonld"], snake=False), [])
        self.assertEqual(self.json_doc(["configure", "organization", "Acme Climate Inc."]),
                         {"organization": "Acme Climate Inc."})
        jsonld = self.json_doc(["postings", "--format", "jsonld"], snake=False)
        self.assertIsInstance(jsonld, list)
        self.assertEqual(jsonld[0]["@type"], "JobPosting")
        self.assertEqual({d["hiringOrganization"]["name"] for d in jsonld}, {"Acme Climate Inc."})
        checks = {c["name"]: c for c in self.json_doc(["status", "--offline"])["checks"]}
        self.assertIn("Acme Climate Inc.", checks["organization"]["detail"])

    def test_revoke(self):
        self.configure_all()
        self.json_doc(["link-job", "77", PUBLISHED])
        doc = self.json_doc(["revoke", "lever"])
        self.assertEqual((doc["target"], doc["removed"], doc["links_removed"]), ("lever", True, 1))
        self.assertIs(doc["upstream_revoked"], False)
        self.assertIn("Integrations and API", doc["next_step"])
        doc = self.json_doc(["revoke", "greenhouse"])
        self.assertIn("API Credential Management", doc["next_step"])

    def test_status(self):
        self.configure_all()
        doc = self.json_doc(["status"])
        self.assertIs(doc["ok"], True)
        doc = self.json_doc(["status", "--offline"])
        self.assertIs(doc["greenhouse"]["live"]["checked"], False)

    def test_errors_stay_off_stdout(self):
        rc, out, err = self.pj("jobs")
        self.assertEqual(rc, 5, err)
        self.assertEqual(out, "")
        self.assertIn("pj-ats: error:", err)
        self.assert_clean_stderr(err)


if __name__ == "__main__":
    unittest.main()

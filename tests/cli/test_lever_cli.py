"""End-to-end: the real pj-ats binary against the strict Lever fake (issue: Lever)."""
import json
import os
import re
import subprocess
import threading
import time
import unittest
import urllib.request

from harness import (Sandbox, run_pjats, make_home, pjats_env, pjats_command, scaled,
                     short_http_timeout, SandboxTestCase)

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
LEVER_KEY = "lever_sandbox_6a1f0c"
RECRUITER_EMAIL = "recruiter@acme.example"
RECRUITER_ID = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61"
PUBLISHED = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
CLOSED = "closed00-1a2b-4c3d-9e8f-abcdef123456"
CLIENT_ID = "pjats-sandbox-client"
CLIENT_SECRET = "pjats-sandbox-secret"


def write_candidates(root, count):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    for i in range(count):
        cid = "c%04d" % i
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Test Person%d" % i, "email": "person%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
    return ["c%04d" % i for i in range(count)]


class LeverCli(SandboxTestCase):

    def configure(self, source=SOURCE, extra=("--perform-as-email", RECRUITER_EMAIL)):
        code, _, err = self.pj("configure", "source", "--dir", source)
        self.assertEqual(code, 0, err)
        code, out, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                                 self.sandbox.url, *extra, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        return out

    def opportunities(self):
        return self.sandbox.state()["lever"]["opportunities"]

    def config_text(self):
        with open(os.path.join(self.home, "config", "pj-ats", "config.toml")) as f:
            return f.read()

    # configure -------------------------------------------------------------------------

    def test_configure_resolves_perform_as_from_email(self):
        out = self.configure()
        self.assertIn(RECRUITER_ID, out)
        self.assertIn(RECRUITER_ID, self.config_text())

    def test_wrong_api_key_exits_4_and_keeps_the_working_key(self):
        self.configure()
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                               input="wrong")
        self.assertEqual(code, 4, err)
        self.assertNotIn("wrong", self.config_text())
        self.assertIn(LEVER_KEY, self.config_text())

    def test_a_new_key_replaces_a_stored_key_command(self):
        self.pj("configure", "source", "--dir", SOURCE)
        code, _, err = self.pj("configure", "lever", "--api-key-command", "printf wrong",
                               "--base-url", self.sandbox.url, "--no-verify")
        self.assertEqual(code, 0, err)
        self.configure()
        self.assertNotIn("api_key_command", self.config_text())
        self.assertEqual(self.pj("send", "1043", "--to", "lever")[0], 0)

    # send ------------------------------------------------------------------------------

    def test_send_creates_a_tagged_sourced_opportunity_with_the_resume(self):
        self.configure()
        code, out, err = self.pj("send", "1042", "--to", "lever")
        self.assertEqual(code, 0, err)
        [opp] = self.opportunities()
        self.assertEqual(opp["perform_as"], RECRUITER_ID)
        self.assertTrue(opp["multipart"], "1042 has a resume file: multipart expected")
        self.assertEqual(opp["resume"]["filename"], "1042.pdf")
        body = opp["body"]
        self.assertEqual(body["name"], "Maya Okonkwo")
        self.assertIn("Purpose Jobs", body["tags"])
        self.assertIn("Purpose Jobs", body["sources"])
        self.assertEqual(body["origin"], "sourced")
        self.assertEqual(body["emails"], ["maya.okonkwo@example.com"])
        self.assertNotIn("stage", body)
        self.assertEqual(opp["opportunity"]["stage"], "lead-new")
        self.assertIn(opp["id"], out)

    def test_send_without_resume_is_json_and_posting_is_applied(self):
        self.configure()
        code, _, err = self.pj("send", "1043", "--to", "lever", "--posting", PUBLISHED)
        self.assertEqual(code, 0, err)
        [opp] = self.opportunities()
        self.assertFalse(opp["multipart"])
        self.assertEqual(opp["body"]["postings"], [PUBLISHED])

    def test_send_refuses_a_closed_or_unknown_posting_like_link_job(self):
        self.configure()
        code, _, err = self.pj("send", "1043", "--to", "lever", "--posting", CLOSED)
        self.assertEqual(code, 6, err)
        self.assertIn("closed", err)
        code, _, err = self.pj("send", "1043", "--to", "lever", "--posting", "no-such-posting")
        self.assertEqual(code, 1, err)
        self.assertEqual(self.opportunities(), [])

    def test_deduped_contact_is_reported(self):
        self.configure()
        self.assertEqual(self.pj("send", "1043", "--to", "lever")[0], 0)
        code, out, err = self.pj("send", "1043", "--to", "lever", "--force")
        self.assertEqual(code, 0, err)
        self.assertIn("existing contact", out)
        code, out, _ = self.pj("send", "1043", "--to", "lever", "--force", "--json")
        self.assertIs(json.loads(out.splitlines()[0])["deduped"], True)

    def test_send_twice_is_skipped(self):
        self.configure()
        self.assertEqual(self.pj("send", "1043", "--to", "lever")[0], 0)
        code, out, _ = self.pj("send", "1043", "--to", "lever")
        self.assertEqual(code, 0)
        self.assertIn("skipped", out)
        self.assertEqual(len(self.opportunities()), 1)

    def test_send_without_perform_as_is_a_config_error(self):
        self.configure(extra=("--no-verify",))
        code, _, err = self.pj("send", "1043", "--to", "lever")
        self.assertEqual(code, 5, err)
        self.assertIn("perform-as", err)

    def test_dry_run_sends_nothing(self):
        self.configure()
        code, out, err = self.pj("send", "1043", "--to", "lever", "--dry-run")
        self.assertEqual(code, 0, err)
        self.assertIn("/v1/opportunities?perform_as=" + RECRUITER_ID, out)
        self.assertIn("Purpose Jobs", out)
        self.assertNotIn(LEVER_KEY, out + err)
        self.assertEqual(self.opportunities(), [])

    def test_dropped_connection_after_create_is_found_not_duplicated(self):
        self.configure()
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "drop_after"}])
        code, out, err = self.pj("send", "1043", "--to", "lever")
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 1)
        self.assertIn("found", out)
        code, out, _ = self.pj("send", "1043", "--to", "lever")
        self.assertIn("skipped", out)
        self.assertEqual(len(self.opportunities()), 1)

    def test_dropped_connection_before_processing_is_resent_once_by_a_later_run(self):
        self.configure()
        self.sandbox.faults([{"method": "POST", "path": "/v1/opportunities",
                              "action": "drop_before"}])
        # The outcome is unknown: looked up, not found, and not sent again by this run.
        code, _, err = self.pj("send", "1043", "--to", "lever", env=short_http_timeout(1))
        self.assertNotEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 0)
        self.assertEqual(
            self.sandbox.state()["counters"]["requests"].get("POST /v1/opportunities", 0), 1)
        # The next run looks again once the quiet time has passed, then sends it once.
        code, _, err = self.pj("send", "1043", "--to", "lever", env=short_http_timeout(1))
        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.opportunities()), 1)

    def test_bulk_send_stays_under_the_rate_limit(self):
        root = make_home()
        ids = write_candidates(root, 45)
        self.configure(source=root)
        code, out, err = self.pj("send", *ids, "--to", "lever", "--json")
        self.assertEqual(code, 0, err)
        state = self.sandbox.state()
        self.assertEqual(state["counters"]["rate_limited"], 0)
        emails = sorted(o["body"]["emails"][0] for o in state["lever"]["opportunities"])
        self.assertEqual(emails, sorted("person%d@example.com" % i for i in range(45)))

    # link-job, postings, revoke --------------------------------------------------------

    def test_link_job_checks_the_posting(self):
        self.configure()
        code, out, err = self.pj("link-job", "pj-job-77", PUBLISHED)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("link-job", "pj-job-78", CLOSED)
        self.assertEqual(code, 6, err)
        self.assertIn("closed", err)
        code, _, err = self.pj("link-job", "pj-job-79", "no-such-posting")
        self.assertEqual(code, 1, err)
        code, out, _ = self.pj("link-job", "--list", "--json")
        self.assertEqual(json.loads(out), [{"job_id": "pj-job-77", "posting_id": PUBLISHED}])
        self.assertEqual(self.pj("link-job", "--remove", "pj-job-77")[0], 0)
        code, out, _ = self.pj("link-job", "--list", "--json")
        self.assertEqual(json.loads(out), [])
        self.assertEqual(self.pj("link-job", "--remove", "pj-job-77")[0], 1)

    def test_link_job_names_what_it_checked_and_replaced(self):
        self.configure()
        # The export has applications for pj-job-77: no warning.
        code, out, err = self.pj("link-job", "pj-job-77", PUBLISHED)
        self.assertEqual(code, 0, err)
        self.assertNotIn("warning", err)
        self.assertNotIn("was posting", out)
        # A typo: linked (a new job has no applications yet), with a warning naming it.
        code, out, err = self.pj("link-job", "pj-jbo-77", PUBLISHED)
        self.assertEqual(code, 0, err)
        self.assertIn("Linked", out)
        self.assertIn("warning: Purpose Jobs job pj-jbo-77 has no applications at dir ", err)
        self.assertIn("examples/export", err)
        # Re-linking names the link it replaced.
        other = self.sandbox_published_posting(exclude=PUBLISHED)
        code, out, err = self.pj("link-job", "pj-job-77", other)
        self.assertEqual(code, 0, err)
        self.assertIn("; was posting " + PUBLISHED, out)
        code, out, err = self.pj("--json", "link-job", "pj-job-77", PUBLISHED)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["replaced_posting_id"], other)
        code, out, err = self.pj("--json", "link-job", "pj-job-77", PUBLISHED)
        self.assertIsNone(json.loads(out)["replaced_posting_id"])
        # --no-verify checks nothing, so it warns about nothing.
        code, out, err = self.pj("link-job", "pj-jbo-78", CLOSED, "--no-verify")
        self.assertEqual(code, 0, err)
        self.assertNotIn("warning", err)

    def sandbox_published_posting(self, exclude):
        code, out, err = self.pj("postings", "--state", "published", "--format", "json")
        self.assertEqual(code, 0, err)
        return sorted(p["id"] for p in json.loads(out) if p["id"] != exclude)[0]

    def test_postings_walks_every_page(self):
        self.configure()
        code, out, err = self.pj("postings", "--format", "json")
        self.assertEqual(code, 0, err)
        postings = json.loads(out)
        ids = [p["id"] for p in postings]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertIn(PUBLISHED, ids)
        self.assertNotIn(CLOSED, ids)
        self.assertTrue(all(p["state"] == "published" for p in postings))
        pages = self.sandbox.state()["counters"]["requests"].get("GET /v1/postings", 0)
        self.assertGreaterEqual(pages, 1)

    def test_postings_jsonld_has_googles_required_fields(self):
        self.configure()
        code, out, err = self.pj("postings", "--format", "jsonld", "--organization", "Acme")
        self.assertEqual(code, 0, err)
        docs = json.loads(out)
        self.assertGreater(len(docs), 0)
        for doc in docs:
            self.assertEqual(doc["@context"], "https://schema.org/")
            self.assertEqual(doc["@type"], "JobPosting")
            for field in ("title", "description", "datePosted", "hiringOrganization"):
                self.assertTrue(doc.get(field), (field, doc.get("identifier")))
            self.assertEqual(doc["hiringOrganization"]["name"], "Acme")
            self.assertTrue("jobLocation" in doc or "applicantLocationRequirements" in doc)
            self.assertRegex(doc["datePosted"], r"^\d{4}-\d{2}-\d{2}")

    def test_revoke_removes_keys_and_links(self):
        self.configure()
        self.assertEqual(self.pj("link-job", "pj-job-77", PUBLISHED)[0], 0)
        code, out, err = self.pj("revoke", "lever")
        self.assertEqual(code, 0, err)
        self.assertIn("Integrations and API", out)
        text = self.config_text()
        self.assertNotIn(LEVER_KEY, text)
        self.assertNotIn(PUBLISHED, text)


class LeverOAuth(unittest.TestCase):
    def authorize(self, sandbox, home, extra=()):
        """Runs `configure lever --oauth`, opens the printed URL like a browser would."""
        args = pjats_command(["configure", "lever", "--oauth", "--client-id", CLIENT_ID,
                              "--client-secret-stdin", "--no-browser", "--auth-url", sandbox.url,
                              "--base-url", sandbox.url, "--perform-as-email", RECRUITER_EMAIL,
                              *extra])
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=pjats_env(home))
        proc.stdin.write(CLIENT_SECRET)
        proc.stdin.close()
        url = None
        seen = []
        while url is None:
            line = proc.stderr.readline()
            if not line:
                break
            seen.append(line)
            match = re.search(r"(https?://\S+/authorize\?\S+)", line)
            if match:
                url = match.group(1)
        self.assertIsNotNone(url, "no authorize URL printed: " + "".join(seen))
        self.assertIn("offline_access", url)
        self.assertIn("state=", url)
        self.assertIn("redirect_uri=http%3A%2F%2F127.0.0.1%3A", url)
        threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=scaled(10)).read(),
                         daemon=True).start()
        proc.wait(timeout=scaled(60))
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        return proc.returncode, out, "".join(seen) + err

    def test_oauth_flow_refresh_rotation_and_dead_token(self):
        with Sandbox("--token-ttl", "3600") as sandbox:
            home = make_home()
            run_pjats(["configure", "source", "--dir", SOURCE], home=home)
            code, out, err = self.authorize(sandbox, home)
            self.assertEqual(code, 0, err)
            self.assertNotIn(CLIENT_SECRET, out + err)
            cfg = os.path.join(home, "config", "pj-ats", "config.toml")
            with open(cfg) as f:
                first = f.read()
            self.assertIn("refresh_token", first)
            self.assertIn(RECRUITER_ID, first)

            code, _, err = run_pjats(["send", "1043", "--to", "lever"], home=home)
            self.assertEqual(code, 0, err)
            self.assertEqual(sandbox.state()["lever"]["opportunities"][0]["credential"], "oauth")

            # Expired access token: the next run refreshes, and the rotated refresh token
            # is on disk afterwards.
            sandbox.expire_tokens()
            code, _, err = run_pjats(["send", "1044", "--to", "lever"], home=home)
            self.assertEqual(code, 0, err)
            with open(cfg) as f:
                second = f.read()
            old_refresh = re.search(r'refresh_token = "([^"]+)"', first).group(1)
            new_refresh = re.search(r'refresh_token = "([^"]+)"', second).group(1)
            self.assertNotEqual(old_refresh, new_refresh)
            self.assertEqual(sandbox.state()["oauth"]["refreshes"], 1)

            # Two processes after expiry: only one refresh, no refresh-token reuse.
            sandbox.expire_tokens()
            results = []
            def send(cid):
                results.append(run_pjats(["send", cid, "--to", "lever", "--force"], home=home))
            threads = [threading.Thread(target=send, args=(c,)) for c in ("1043", "1044")]
            [t.start() for t in threads]
            [t.join() for t in threads]
            self.assertEqual([r[0] for r in results], [0, 0], results)
            oauth = sandbox.state()["oauth"]
            self.assertEqual(oauth["reuse_detected"], 0)
            self.assertEqual(oauth["refreshes"], 2)

            # A dead refresh token: exit 4 and the way out.
            with open(cfg) as f:
                text = f.read()
            text = re.sub(r'refresh_token = "[^"]+"', 'refresh_token = "dead"', text)
            with open(cfg, "w") as f:
                f.write(text)
            sandbox.expire_tokens()
            code, _, err = run_pjats(["send", "1042", "--to", "lever"], home=home)
            self.assertEqual(code, 4, err)
            self.assertIn("configure lever --oauth", err)

    def test_denied_consent_exits_4(self):
        with Sandbox() as sandbox:
            sandbox.oauth_deny(True)
            home = make_home()
            code, _, err = self.authorize(sandbox, home)
            self.assertEqual(code, 4, err)
            self.assertIn("access_denied", err)


if __name__ == "__main__":
    unittest.main()

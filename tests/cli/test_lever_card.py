"""End-to-end: the whole candidate card reaches Lever (issue 15): one note with what Lever
has no field for, the résumé downloaded from meta.purposeJobs.resumeUrl and attached, and
create, note and file each done exactly once across dropped connections and re-runs —
counted in the fake's store, not from pj-ats's output."""
import base64
import http.server
import json
import os
import threading
import unittest
import urllib.parse

from harness import SandboxTestCase, encode_multipart, short_http_timeout

LEVER_KEY = "lever_sandbox_6a1f0c"
EMAIL = "recruiter@acme.example"
ADMIN = "admin@acme.example"  # another active user of the fake Lever
ADMIN_ID = "2b8e4f6a-9c1d-4e3f-8a7b-6c5d4e3f2a10"
RESUME = b"%PDF-1.4\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


class ResumeServer:
    """A real HTTP server on 127.0.0.1 serving the résumé (or failing on demand)."""

    def __init__(self):
        outer = self
        self.status = 200
        self.content_type = "application/pdf"
        self.hits = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hits += 1
                if self.path.startswith("/moved"):
                    self.send_response(302)
                    self.send_header("Location", "/resume.pdf")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = RESUME if outer.status == 200 else b"nope"
                self.send_response(outer.status)
                self.send_header("Content-Type", outer.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class LeverCard(SandboxTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resumes = ResumeServer()

    @classmethod
    def tearDownClass(cls):
        cls.resumes.close()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.resumes.status = 200
        self.resumes.content_type = "application/pdf"
        self.export = os.path.join(self.home, "export")
        self.write_record("1000", self.resumes.url + "/resume.pdf")
        code, _, err = self.pj("configure", "source", "--dir", self.export)
        self.assertEqual(code, 0, err)
        code, _, err = self.pj("configure", "lever", "--api-key-stdin", "--base-url",
                               self.sandbox.url, "--perform-as-email", EMAIL, input=LEVER_KEY)
        self.assertEqual(code, 0, err)
        self.sandbox.reset()

    def write_record(self, cid, resume_url):
        os.makedirs(os.path.join(self.export, "candidates"), exist_ok=True)
        record = {
            "basics": {"name": "Ada Card", "email": "ada.card@example.com",
                       "summary": "Builds climate data tools.\nMentors new engineers.",
                       "url": "https://ada.example.com",
                       "profiles": [{"network": "GitHub", "url": "https://github.com/adacard"}]},
            "skills": [{"name": "Python"}, {"name": "SQL"}],
            "meta": {"purposeJobs": {
                "id": cid, "values": ["Climate action", "Open source"],
                "interests": ["Renewables", "Mentoring"],
                "salary": {"min": 120000, "max": 150000, "currency": "USD", "period": "year"},
                "resumeUrl": resume_url}},
        }
        with open(os.path.join(self.export, "candidates", cid + ".json"), "w") as f:
            json.dump(record, f)

    def lever(self):
        return self.sandbox.state()["lever"]

    def assert_one_of_each(self):
        state = self.lever()
        self.assertEqual(len(state["opportunities"]), 1, state["opportunities"])
        opp = state["opportunities"][0]["id"]
        self.assertEqual(len(state["notes"]), 1, state["notes"])
        note = state["notes"][0]
        self.assertEqual(note["opportunity"], opp)
        value = note["fields"][0]["value"]
        for text in ("Builds climate data tools.\nMentors new engineers.", "Climate action",
                     "Open source", "Renewables", "Mentoring", "Python", "SQL",
                     "120000-150000 USD per year", "https://github.com/adacard",
                     "Purpose Jobs profile: 1000"):
            self.assertIn(text, value)
        self.assertEqual(len(state["files"]), 1, state["files"])
        upload = state["files"][0]
        self.assertEqual(upload["opportunity"], opp)
        self.assertEqual(base64.b64decode(upload["content_base64"]), RESUME)
        self.assertEqual(upload["name"], "purpose-jobs-1000-resume.pdf")
        self.assertEqual(upload["content_type"], "application/pdf")
        self.assertTrue(upload["perform_as"])

    def test_one_opportunity_one_note_one_file_and_a_rerun_adds_nothing(self):
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 0, err)
        self.assertIn("sent 1000", out)
        self.assert_one_of_each()
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 0, err)
        self.assertIn("skipped 1000", out)
        self.assert_one_of_each()
        self.assertNotIn(LEVER_KEY, out + err)

    def test_note_and_file_are_written_as_the_credited_user(self):
        code, out, err = self.pj("send", "1000", "--to", "lever", "--on-behalf-of", ADMIN)
        self.assertEqual(code, 0, out + err)
        state = self.lever()
        self.assertEqual([o["perform_as"] for o in state["opportunities"]], [ADMIN_ID])
        self.assertEqual([n["user"] for n in state["notes"]], [ADMIN_ID])
        self.assertEqual([f["perform_as"] for f in state["files"]], [ADMIN_ID])

    def test_the_record_exporter_writes_the_note_too(self):
        path = os.path.join(self.export, "candidates", "1000.json")
        with open(path) as f:
            record = json.load(f)
        record["meta"]["purposeJobs"]["exportedBy"] = ADMIN
        with open(path, "w") as f:
            json.dump(record, f)
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 0, out + err)
        state = self.lever()
        self.assertEqual([o["perform_as"] for o in state["opportunities"]], [ADMIN_ID])
        self.assertEqual([n["user"] for n in state["notes"]], [ADMIN_ID])
        self.assertEqual([f["perform_as"] for f in state["files"]], [ADMIN_ID])

    def test_the_verbose_trace_shows_no_card_and_no_secret(self):
        code, out, err = self.pj("-v", "send", "1000", "--to", "lever")
        self.assertEqual(code, 0, err)
        self.assertIn("/notes", err)  # the trace is there...
        for private in ("Builds climate data tools", "Climate action", "Renewables",
                        "120000-150000", LEVER_KEY, "%PDF-1.4"):
            self.assertNotIn(private, out + err)  # ...without the card, key or résumé
        self.assert_one_of_each()

    def test_a_redirect_on_the_same_host_is_followed(self):
        self.write_record("1000", self.resumes.url + "/moved")
        code, _, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 0, err)
        self.assert_one_of_each()

    def settle(self):
        for _ in range(3):
            code, out, err = self.pj("send", "1000", "--to", "lever", env=short_http_timeout())
            if code == 0:
                return code, out, err
        return code, out, err

    def drop_once(self, method, path):
        self.sandbox.faults([{"method": method, "path": path, "action": "drop_after_silent"}])

    def test_create_dropped_after_commit_is_found_and_finished(self):
        self.drop_once("POST", "/v1/opportunities")
        self.pj("send", "1000", "--to", "lever", env=short_http_timeout())
        code, _, err = self.settle()
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sandbox.state()["counters"]["faults_fired"], 1)
        self.assert_one_of_each()

    def test_note_dropped_after_commit_is_never_added_twice(self):
        self.drop_once("POST", "/v1/opportunities/*/notes")
        self.pj("send", "1000", "--to", "lever", env=short_http_timeout())
        code, _, err = self.settle()
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sandbox.state()["counters"]["faults_fired"], 1)
        self.assert_one_of_each()

    def test_file_dropped_after_commit_is_never_uploaded_twice(self):
        self.drop_once("POST", "/v1/opportunities/*/files")
        self.pj("send", "1000", "--to", "lever", env=short_http_timeout())
        code, _, err = self.settle()
        self.assertEqual(code, 0, err)
        self.assertEqual(self.sandbox.state()["counters"]["faults_fired"], 1)
        self.assert_one_of_each()

    def test_a_note_left_unknown_is_looked_up_by_the_next_run(self):
        # The note is created but its answer lost, and the lookup fails too: the run ends
        # with the step unknown; the next run finds the note instead of adding another.
        self.sandbox.faults([
            {"method": "POST", "path": "/v1/opportunities/*/notes",
             "action": "drop_after_silent"},
            {"method": "GET", "path": "/v1/opportunities/*/notes", "action": "status",
             "status": 400}])
        code, _, err = self.pj("send", "1000", "--to", "lever", env=short_http_timeout())
        self.assertNotEqual(code, 0)
        self.assertIn("the note could not be added", err)
        self.assertEqual(len(self.lever()["notes"]), 1)
        self.assertEqual(len(self.lever()["files"]), 0)
        self.sandbox.faults([])
        code, out, err = self.pj("send", "1000", "--to", "lever", env=short_http_timeout())
        self.assertEqual(code, 0, err)
        self.assertIn("sent 1000", out)
        self.assert_one_of_each()

    def test_a_failed_download_sends_without_the_file_then_a_rerun_attaches_it(self):
        self.resumes.status = 404
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertNotEqual(code, 0)
        self.assertIn("the résumé file could not be added", err)
        self.assertIn("HTTP 404", err)
        state = self.lever()
        self.assertEqual((len(state["opportunities"]), len(state["notes"]), len(state["files"])),
                         (1, 1, 0))
        code, out, err = self.pj("ledger", "list")
        self.assertIn("file", out + err)
        self.resumes.status = 200
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 0, err)
        self.assert_one_of_each()

    def test_a_file_that_never_downloads_is_given_up_and_status_names_it_until_then(self):
        self.resumes.status = 404
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 1, out + err)  # sent, but the file failed
        code, out, err = self.pj("status", "--offline", "--json")
        checks = [c for c in json.loads(out)["checks"] if c["name"] == "ledger.steps"]
        self.assertEqual(len(checks), 1, out)
        self.assertIn("1000 -> lever", checks[0]["detail"])
        self.assertIn("file failed", checks[0]["detail"])
        self.assertIn("--skip-file", checks[0]["fix"])
        code, out, err = self.pj("ledger", "resolve", "1000", "--to", "lever", "--skip-file")
        self.assertEqual(code, 0, out + err)
        self.assertIn("given up", out)
        code, out, err = self.pj("status", "--offline", "--json")
        self.assertNotIn("ledger.steps", [c["name"] for c in json.loads(out)["checks"]])
        # Later runs leave the step: no download, no upload, nothing to re-run.
        self.resumes.status = 200
        code, out, err = self.pj("send", "1000", "--to", "lever")
        self.assertEqual(code, 0, out + err)
        self.assertIn("skipped 1000", out)
        state = self.lever()
        self.assertEqual((len(state["opportunities"]), len(state["notes"]), len(state["files"])),
                         (1, 1, 0))
        # Again: already done, nothing changes; Greenhouse has no file step.
        code, out, err = self.pj("ledger", "resolve", "1000", "--to", "lever", "--skip-file")
        self.assertEqual(code, 0, out + err)
        code, _, err = self.pj("ledger", "resolve", "1000", "--to", "greenhouse", "--skip-file")
        self.assertEqual(code, 2, err)

    def test_dry_run_shows_create_note_and_file_redacted(self):
        hits = self.resumes.hits
        code, out, err = self.pj("send", "1000", "--to", "lever", "--dry-run")
        self.assertEqual(code, 0, out + err)
        self.assertIn("POST " + self.sandbox.url + "/v1/opportunities?", out)
        self.assertIn(self.sandbox.url + "/v1/opportunities/{opportunity id}/notes?perform_as=", out)
        self.assertIn("/opportunities/{opportunity id}/files?perform_as=", out)
        self.assertIn("purpose-jobs-1000-resume", out)
        for secret in ("Ada Card", "ada.card@example.com", "Builds climate data tools"):
            self.assertNotIn(secret, out + err)
        state = self.lever()
        self.assertEqual((len(state["opportunities"]), len(state["notes"]), len(state["files"])),
                         (0, 0, 0))
        self.assertEqual(self.resumes.hits, hits)

    def test_a_refused_content_type_is_reported_and_nothing_uploaded(self):
        self.resumes.content_type = "text/html"
        code, _, err = self.pj("send", "1000", "--to", "lever")
        self.assertNotEqual(code, 0)
        self.assertIn("content type 'text/html'", err)
        self.assertEqual(len(self.lever()["files"]), 0)
        self.assertEqual(len(self.lever()["opportunities"]), 1)

    def test_plain_http_to_another_host_is_refused(self):
        self.write_record("1000", "http://resumes.example.com/ada.pdf")
        code, _, err = self.pj("send", "1000", "--to", "lever")
        self.assertNotEqual(code, 0)
        self.assertIn("is not https://", err)
        self.assertNotIn("ada.pdf", err)
        self.assertEqual(len(self.lever()["files"]), 0)


RECRUITER = "7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61"
DEACTIVATED = "9d1e2f3a-4b5c-4d6e-8f7a-0b1c2d3e4f5a"
BASIC = "Basic " + base64.b64encode((LEVER_KEY + ":").encode()).decode()
REDIRECT = "http://127.0.0.1:53682/callback"


class FakeCardContract(SandboxTestCase):
    """The fake's notes and files endpoints refuse what Lever refuses (lever-api.md 2.7)."""

    def lever(self, method, path, body=None, auth=BASIC, content_type="application/json"):
        headers = {"Authorization": auth}
        if body is not None:
            headers["Content-Type"] = content_type
        return self.sandbox.request(method, path, body=body, headers=headers)

    def opportunity(self):
        res = self.lever("POST", "/v1/opportunities?perform_as=" + RECRUITER,
                         json.dumps({"name": "Card Fake", "emails": ["card@example.com"]}))
        self.assertEqual(res.status, 201, res)
        return res.json()["data"]["id"]

    def test_notes_need_a_value_and_an_active_perform_as_when_given(self):
        opp = self.opportunity()
        path = "/v1/opportunities/%s/notes" % opp
        self.assertEqual(self.lever("POST", path, json.dumps({})).status, 400)
        self.assertEqual(self.lever("POST", path, json.dumps({"value": ""})).status, 400)
        self.assertEqual(self.lever("POST", path, json.dumps({"value": "x", "score": 5})).status,
                         400)
        self.assertEqual(self.lever("POST", path, json.dumps({"value": "x", "bogus": 1})).status,
                         400)
        self.assertEqual(self.lever("POST", path + "?perform_as=" + DEACTIVATED,
                                    json.dumps({"value": "x"})).status, 400)
        self.assertEqual(self.lever("POST", path, "value=x",
                                    content_type="application/x-www-form-urlencoded").status, 400)
        self.assertEqual(self.lever("POST", "/v1/opportunities/nope/notes",
                                    json.dumps({"value": "x"})).status, 404)
        res = self.lever("POST", path, json.dumps({"value": "hello"}))  # perform_as optional
        self.assertEqual(res.status, 201, res)
        self.assertEqual(res.json()["data"]["noteId"], res.json()["data"]["id"])
        listed = self.lever("GET", path).json()
        self.assertEqual([n["fields"][0]["value"] for n in listed["data"]], ["hello"])
        self.assertFalse(listed["hasNext"])

    def test_files_need_perform_as_one_file_part_named_file_and_at_most_30_mb(self):
        opp = self.opportunity()
        path = "/v1/opportunities/%s/files" % opp
        body, ctype = encode_multipart([("file", ("cv.pdf", b"%PDF-1", "application/pdf"))])
        self.assertEqual(self.lever("POST", path, body, content_type=ctype).status, 400)
        with_user = path + "?perform_as=" + RECRUITER
        wrong, wtype = encode_multipart([("resumeFile", ("cv.pdf", b"%PDF", "application/pdf"))])
        self.assertEqual(self.lever("POST", with_user, wrong, content_type=wtype).status, 400)
        extra, etype = encode_multipart([("file", ("cv.pdf", b"%PDF", "application/pdf")),
                                         ("name", "x")])
        self.assertEqual(self.lever("POST", with_user, extra, content_type=etype).status, 400)
        plain, ptype = encode_multipart([("file", "not a file part")])
        self.assertEqual(self.lever("POST", with_user, plain, content_type=ptype).status, 400)
        big, btype = encode_multipart([("file", ("cv.pdf", b"x" * (30 * 1024 * 1024 + 1),
                                                 "application/pdf"))])
        self.assertEqual(self.lever("POST", with_user, big, content_type=btype).status, 413)
        res = self.lever("POST", with_user, body, content_type=ctype)
        self.assertEqual(res.status, 201, res)
        self.assertEqual(res.json()["data"]["name"], "cv.pdf")
        self.assertEqual(res.json()["data"]["size"], 6)
        [stored] = self.sandbox.state()["lever"]["files"]
        self.assertEqual(base64.b64decode(stored["content_base64"]), b"%PDF-1")
        self.assertEqual([f["name"] for f in self.lever("GET", path).json()["data"]], ["cv.pdf"])

    def test_oauth_tokens_need_the_notes_and_files_scopes(self):
        opp = self.opportunity()
        params = {"client_id": "pjats-sandbox-client", "redirect_uri": REDIRECT,
                  "response_type": "code", "state": "s", "audience": "https://api.lever.co/v1/",
                  "scope": "offline_access opportunities:write:admin notes:read:admin"}
        res = self.sandbox.request("GET", "/authorize?" + urllib.parse.urlencode(params))
        query = urllib.parse.urlsplit(res.headers["location"]).query
        code = dict(urllib.parse.parse_qsl(query))["code"]
        token = self.sandbox.request("POST", "/oauth/token", body=urllib.parse.urlencode({
            "grant_type": "authorization_code", "client_id": "pjats-sandbox-client",
            "client_secret": "pjats-sandbox-secret", "code": code, "redirect_uri": REDIRECT}),
            headers={"Content-Type": "application/x-www-form-urlencoded"}).json()
        bearer = "Bearer " + token["access_token"]
        notes = "/v1/opportunities/%s/notes" % opp
        self.assertEqual(self.lever("GET", notes, auth=bearer).status, 200)
        refused = self.lever("POST", notes, json.dumps({"value": "x"}), auth=bearer)
        self.assertEqual(refused.status, 403)
        self.assertIn("notes:write:admin", refused.body.decode())
        files = self.lever("GET", "/v1/opportunities/%s/files" % opp, auth=bearer)
        self.assertEqual(files.status, 403)


if __name__ == "__main__":
    unittest.main()

"""End-to-end: a hostile server that echoes the credential back never gets it printed or stored.

A tiny http.server on 127.0.0.1 answers every API request with 401 or 500 (a GET in 500
mode gets an empty page, so that lookups are not retried for seconds) and a body (and a
header) quoting the Authorization header it received, the key decoded from it and that
key's base64, in the error shapes Greenhouse ({"errors":[…]}) and Lever ({"code",
"message"}) use; its OAuth token endpoint answers invalid_grant quoting the refresh token
and client secret it was sent. pj-ats runs `send`, `send --json`, `-v send`, `status` and
`status --json` against it with the key stored in the profile or given in the
environment. No form of any secret (raw, Basic header, base64 with or without padding,
URL-encoded) may appear on stdout or stderr, in the ledger's last_error column, or in the
bytes of any file pj-ats wrote (the ledger database and its WAL).

It also checks that a dead OAuth grant costs one token request per run, not one per
candidate.
"""
import base64
import http.server
import json
import os
import shutil
import sqlite3
import threading
import unittest
import urllib.parse

from harness import make_home, run_pjats, scaled

SOURCE = os.path.join(os.environ.get("PJATS_SOURCE_DIR", "../.."), "examples", "export")
CANDIDATES = ("1042", "1043", "1044")

GH_KEY = "SENTINEL-GH-ECHO-KEY-5b7a0c"
GH_ENV_KEY = "SENTINEL-GH-ENV-KEY-0e44d1"
LEVER_KEY = "SENTINEL-LEVER-ECHO-KEY-93f2"
LEVER_ENV_KEY = "SENTINEL-LEVER-ENV-KEY-c81e"
CLIENT_SECRET = "SENTINEL-CLIENT-SECRET-ECHO-77aa"
ACCESS_TOKEN = "SENTINEL-ACCESS-TOKEN-ECHO-4d21"
REFRESH_TOKEN = "SENTINEL-REFRESH-TOKEN-ECHO-e3b9"
SOURCE_TOKEN = "SENTINEL-SOURCE-TOKEN-ECHO-11fe"
ALL_SECRETS = (GH_KEY, GH_ENV_KEY, LEVER_KEY, LEVER_ENV_KEY, CLIENT_SECRET, ACCESS_TOKEN,
               REFRESH_TOKEN, SOURCE_TOKEN)


def b64(text):
    return base64.b64encode(text.encode()).decode()


def secret_forms(secret):
    """The raw secret and every way a transport or an echoing server carries it."""
    forms = {secret, b64(secret + ":"), b64(":" + secret), b64(secret),
             urllib.parse.quote(secret, safe="")}
    forms |= {form.rstrip("=") for form in list(forms)}
    return sorted(forms)


class EchoServer:
    """Answers every request with `status` (a GET in 5xx mode: an empty Lever page) and an
    echo of the credentials it was sent."""

    def __init__(self):
        self.status = 401
        self.token_requests = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.answer(self)

            do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8", "replace") if length else ""
        authorization = handler.headers.get("Authorization", "")
        scheme, _, credential = authorization.partition(" ")
        decoded = ""
        if scheme.lower() == "basic":
            decoded = base64.b64decode(credential + "===").decode("utf-8", "replace")
        key = decoded.split(":")[0] if decoded else credential
        echo = "you sent Authorization '%s' (decoded '%s', key %s, base64 %s)" % (
            authorization, decoded, key, b64(key) if key else "")
        if handler.path.split("?")[0].endswith("/oauth/token"):
            with self.lock:
                self.token_requests += 1
            form = dict(urllib.parse.parse_qsl(body))
            status = 400
            payload = {"error": "invalid_grant",
                       "error_description": "refresh token %s with client secret %s is "
                                            "revoked; %s" % (form.get("refresh_token"),
                                                             form.get("client_secret"), echo)}
        elif self.status >= 500 and handler.command == "GET":
            # Lookups after an unknown outcome find nothing (a 5xx would be retried for
            # seconds); the POSTs themselves fail.
            status = 200
            payload = {"data": [], "hasNext": False}
        else:
            status = self.status
            payload = {"code": "Echo " + key, "message": echo,
                       "errors": [{"message": echo, "field": key}]}
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("X-Echo", "%s %s" % (key, authorization))
        handler.end_headers()
        handler.wfile.write(data)


def toml_string(value):
    return json.dumps(value)


class SecretEcho(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = EchoServer()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def setUp(self):
        self.server.status = 401
        self.home = make_home()
        self.source = os.path.join(self.home, "export")
        shutil.copytree(SOURCE, self.source)
        self.runs = 0

    # setup -------------------------------------------------------------------------------

    def write_config(self, service_toml, source_toml=None):
        """Writes the profile directly: the hostile server cannot pass `configure`'s check."""
        directory = os.path.join(self.home, "config", "pj-ats")
        os.makedirs(directory, mode=0o700, exist_ok=True)
        os.chmod(directory, 0o700)
        source = source_toml or 'kind = "dir"\ndir = %s\n' % toml_string(self.source)
        text = ('default_profile = "default"\n\n[profiles.default]\n\n'
                "[profiles.default.source]\n%s\n%s" % (source, service_toml))
        path = os.path.join(directory, "config.toml")
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
        self.config = path

    def greenhouse_config(self):
        self.write_config("[profiles.default.greenhouse]\nemail = \"recruiter@acme.example\"\n"
                          "api_key = %s\nbase_url = %s\n"
                          % (toml_string(GH_KEY), toml_string(self.server.url)))

    def lever_config(self, oauth=False):
        lines = ["[profiles.default.lever]",
                 "base_url = %s" % toml_string(self.server.url),
                 "perform_as = \"7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61\"",
                 "perform_as_email = \"recruiter@acme.example\""]
        if oauth:
            lines += ["auth = \"oauth\"",
                      "auth_url = %s" % toml_string(self.server.url),
                      "client_id = \"pjats-echo-client\"",
                      "client_secret = %s" % toml_string(CLIENT_SECRET),
                      "access_token = %s" % toml_string(ACCESS_TOKEN),
                      "refresh_token = %s" % toml_string(REFRESH_TOKEN),
                      "expires_at = 0"]
        else:
            lines += ["auth = \"api_key\"", "api_key = %s" % toml_string(LEVER_KEY)]
        self.write_config("\n".join(lines) + "\n")

    # running and checking ------------------------------------------------------------------

    def pj(self, *args, env=None):
        # A short request timeout keeps the wait before re-sending an unknown outcome short.
        env = dict(env or {}, PJ_ATS_HTTP_TIMEOUT=str(scaled(1)))
        code, out, err = run_pjats(list(args), home=self.home, env=env)
        label = " ".join(args)
        self.assertNotIn(code, (134, 139), "%s: exit %d\n%s" % (label, code, err))
        self.assert_clean(label + " (stdout)", out)
        self.assert_clean(label + " (stderr)", err)
        self.runs += 1
        return code, out, err

    def assert_clean(self, where, text):
        for secret in ALL_SECRETS:
            for form in secret_forms(secret):
                self.assertNotIn(form, text, "%s: a form of %s leaked:\n%s"
                                 % (where, secret[:14], text[:3000]))

    def assert_files_clean(self):
        """The ledger's last_error column and the bytes of every file pj-ats wrote."""
        ledgers = []
        scanned = 0
        for root, _, files in os.walk(os.path.join(self.home, "state")):
            for name in files:
                path = os.path.join(root, name)
                if name.endswith(".db"):
                    ledgers.append(path)
                with open(path, "rb") as f:
                    data = f.read()
                scanned += 1
                for secret in ALL_SECRETS:
                    for form in secret_forms(secret):
                        self.assertNotIn(form.encode(), data, "%s in %s" % (secret[:14], path))
        self.assertTrue(ledgers, "no ledger was written")
        errors = []
        for path in ledgers:
            db = sqlite3.connect(path)
            try:
                errors += [row[0] for row in db.execute("SELECT last_error FROM sends")]
            finally:
                db.close()
        self.assertTrue(any(errors), "no last_error was recorded")
        for error in errors:
            self.assert_clean("ledger last_error", error)
        return errors

    def run_sends(self, target, env=None):
        # 500 first: the ledger then ends with the 401 failures' last_error.
        for status in (500, 401):
            self.server.status = status
            self.pj("send", CANDIDATES[0], "--to", target, "--force", env=env)
            self.pj("--json", "send", CANDIDATES[1], "--to", target, "--force", env=env)
            self.pj("-v", "send", *CANDIDATES, "--to", target, "--force", env=env)
            self.pj("-v", "--json", "send", CANDIDATES[2], "--to", target, "--force", env=env)
        self.pj("status", env=env)
        self.pj("--json", "status", env=env)
        self.pj("-v", "status", env=env)

    # tests ------------------------------------------------------------------------------

    def test_greenhouse_key_in_profile_and_environment(self):
        self.greenhouse_config()
        self.run_sends("greenhouse")
        self.run_sends("greenhouse", env={"PJ_ATS_GREENHOUSE_API_KEY": GH_ENV_KEY})
        errors = self.assert_files_clean()
        self.assertTrue(any("[REDACTED]" in error for error in errors), errors)

    def test_greenhouse_url_from_environment(self):
        self.write_config("[profiles.default.greenhouse]\nemail = \"recruiter@acme.example\"\n"
                          "api_key = %s\nbase_url = \"http://127.0.0.1:9\"\n"
                          % toml_string(GH_KEY))
        self.run_sends("greenhouse", env={"PJ_ATS_GREENHOUSE_URL": self.server.url})
        self.assert_files_clean()

    def test_lever_api_key_in_profile_and_environment(self):
        self.lever_config()
        self.run_sends("lever")
        self.run_sends("lever", env={"PJ_ATS_LEVER_API_KEY": LEVER_ENV_KEY,
                                     "PJ_ATS_LEVER_URL": self.server.url})
        self.assert_files_clean()

    def test_lever_oauth_tokens_and_client_secret(self):
        self.lever_config(oauth=True)
        self.run_sends("lever")
        self.assert_files_clean()

    def test_lever_dead_grant_is_one_token_request_per_run(self):
        self.lever_config(oauth=True)
        before = self.server.token_requests
        code, out, err = self.pj("--json", "send", *CANDIDATES, "--to", "lever", "--force")
        self.assertEqual(self.server.token_requests - before, 1, err)
        self.assertEqual(code, 4, err)
        self.assertIn("configure lever --oauth", out + err)

    def test_url_source_token(self):
        self.write_config(
            "[profiles.default.greenhouse]\nemail = \"recruiter@acme.example\"\n"
            "api_key = %s\nbase_url = %s\n" % (toml_string(GH_KEY), toml_string(self.server.url)),
            source_toml='kind = "url"\nurl = %s\ntoken = %s\n'
                        % (toml_string(self.server.url), toml_string(SOURCE_TOKEN)))
        for status in (500, 401):
            self.server.status = status
            self.pj("send", CANDIDATES[0], "--to", "greenhouse")
            self.pj("-v", "--json", "send", CANDIDATES[0], "--to", "greenhouse")
        self.pj("-v", "status")
        self.pj("--json", "status")


if __name__ == "__main__":
    unittest.main()

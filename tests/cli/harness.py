"""Shared helpers for the end-to-end tests (Python 3 standard library only).

Sandbox      runs $PJATS_SANDBOX_BIN (strict Greenhouse and Lever fakes) on 127.0.0.1 and
             talks to its control API and its API routes.
run_pjats    runs $PJATS_BIN with a throwaway HOME/XDG dirs, CI=1, no inherited PJ_ATS_* vars.
pjats_command  the argv that starts pj-ats: $PJATS_WRAPPER (shell words, e.g. a valgrind
             command line; empty by default) followed by $PJATS_BIN and the arguments. Every
             test starts pj-ats through it (run_pjats does).
scaled       a timeout in seconds times $PJATS_TIMEOUT_SCALE (default 1, or 10 when a wrapper
             is set): every wait on pj-ats uses it, so slow wrappers do not cause timeouts.
make_home    a throwaway home directory (removed when the test process exits).
make_tls_ca  a throwaway CA and a server certificate for 127.0.0.1 (openssl CLI).
"""
import atexit
import http.client
import json
import os
import queue
import shlex
import shutil
import signal
import ssl
import subprocess
import tempfile
import threading
import unittest
import urllib.parse
import uuid

SANDBOX_BIN = os.environ.get("PJATS_SANDBOX_BIN", "pj-ats-sandbox")
PJATS_BIN = os.environ.get("PJATS_BIN", "pj-ats")
PJATS_WRAPPER = shlex.split(os.environ.get("PJATS_WRAPPER", ""))
TIMEOUT_SCALE = float(os.environ.get("PJATS_TIMEOUT_SCALE") or (10 if PJATS_WRAPPER else 1))
# Third-party payloads copied into the repository, each folder with its origin and licence.
FIXTURES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")

_temp_dirs = []


def _temp_dir(prefix):
    path = tempfile.mkdtemp(prefix=prefix)
    _temp_dirs.append(path)
    return path


@atexit.register
def _remove_temp_dirs():
    for path in _temp_dirs:
        shutil.rmtree(path, ignore_errors=True)


class Response:
    """An HTTP response: status, headers (lower-case names), raw body."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "Response(%d, %r)" % (self.status, self.body[:300])


def encode_multipart(parts):
    """multipart/form-data body for [(name, "text") | (name, (filename, bytes, type))]."""
    boundary = "pjats-" + uuid.uuid4().hex
    body = b""
    for name, value in parts:
        if isinstance(value, tuple):
            filename, data, ctype = value
            head = ('Content-Disposition: form-data; name="%s"; filename="%s"\r\n'
                    "Content-Type: %s\r\n\r\n" % (name, filename, ctype))
        else:
            head = 'Content-Disposition: form-data; name="%s"\r\n\r\n' % name
            data = value.encode("utf-8")
        body += b"--" + boundary.encode() + b"\r\n" + head.encode() + data + b"\r\n"
    body += b"--" + boundary.encode() + b"--\r\n"
    return body, "multipart/form-data; boundary=" + boundary


class Sandbox:
    """Runs pj-ats-sandbox on an ephemeral port for the duration of a `with` block.

    `args` are extra flags; `tls` is a make_tls_ca() result to serve HTTPS. After start,
    `url` is the base URL and `info` holds the `name=value` lines it printed.
    """

    def __init__(self, *args, tls=None, timeout=10):
        self.args = list(args)
        self.tls = tls
        self.timeout = timeout
        self.proc = None
        self.url = None
        self.info = {}

    def __enter__(self):
        cmd = [SANDBOX_BIN, "--port", "0"] + self.args
        if self.tls:
            cmd += ["--tls-cert", self.tls["cert"], "--tls-key", self.tls["key"]]
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self._stderr,
                                     stdin=subprocess.DEVNULL, text=True)
        lines = queue.Queue()
        self._reader = threading.Thread(target=self._drain, args=(lines,), daemon=True)
        self._reader.start()
        try:
            while True:
                line = lines.get(timeout=self.timeout)
                if line is None or (line == "" and self.url):
                    break
                name, sep, value = line.partition("=")
                if sep:
                    self.info[name] = value
                    if name == "PJATS_SANDBOX_URL":
                        self.url = value
        except queue.Empty:
            pass
        if not self.url:
            self._stop()
            message = self.stderr()
            self._stderr.close()
            raise RuntimeError("pj-ats-sandbox did not start: " + message)
        return self

    def _drain(self, lines):
        for line in self.proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    def __exit__(self, *exc):
        self._stop()
        self._stderr.close()
        return False

    def _stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self._reader.join(timeout=5)
            self.proc.stdout.close()
            self.exit_code = self.proc.returncode

    def stderr(self):
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    # HTTP ---------------------------------------------------------------------------

    def ssl_context(self, ca=True):
        """A client context trusting the sandbox's CA (or nothing extra when ca=False)."""
        ctx = ssl.create_default_context()
        if ca and self.tls:
            ctx.load_verify_locations(self.tls["ca"])
        return ctx

    def request(self, method, path, body=None, headers=None, ca=True, timeout=30):
        """Sends one request on a fresh connection; never follows redirects."""
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                               context=self.ssl_context(ca))
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode("utf-8")
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            data = res.read()
            return Response(res.status, {k.lower(): v for k, v in res.getheaders()}, data)
        finally:
            conn.close()

    def control(self, method, path, payload=None):
        body = None if payload is None else json.dumps(payload)
        res = self.request(method, "/_sandbox/" + path, body=body,
                           headers={"Content-Type": "application/json"} if body else {})
        if res.status != 200:
            raise RuntimeError("sandbox control %s failed: %r" % (path, res))
        return res.json()

    def state(self):
        return self.control("GET", "state")

    def reset(self):
        return self.control("POST", "reset")

    def faults(self, rules):
        return self.control("POST", "faults", rules)

    def oauth_deny(self, deny=True):
        return self.control("POST", "oauth", {"deny": deny})

    def expire_tokens(self):
        return self.control("POST", "expire_tokens")


def pjats_command(args):
    """The argv that runs pj-ats with `args`, under $PJATS_WRAPPER when that is set."""
    return PJATS_WRAPPER + [PJATS_BIN] + list(args)


def scaled(seconds):
    """`seconds` stretched by TIMEOUT_SCALE: use for every wait on a pj-ats process."""
    return seconds * TIMEOUT_SCALE


def short_http_timeout(seconds=2):
    """Environment giving pj-ats a short request timeout (scaled). The timeout is also the
    window a run waits out after an unknown outcome before it sends again (docs/ledger.md),
    so tests that re-send after a drop, a kill or a broken answer use it to stay quick."""
    return {"PJ_ATS_HTTP_TIMEOUT": str(scaled(seconds))}


def make_home():
    """A throwaway directory used as HOME (config in ./config, state in ./state)."""
    return _temp_dir("pjats-home-")


def pjats_env(home, env=None):
    """The environment run_pjats uses: the caller's minus PJ_ATS_*/CA/proxy variables."""
    dropped = ("CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "https_proxy",
               "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy")
    e = {k: v for k, v in os.environ.items()
         if not k.startswith("PJ_ATS_") and k not in dropped}
    e.update({
        "HOME": home,
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_STATE_HOME": os.path.join(home, "state"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "CI": "1",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    })
    if env:
        e.update(env)
    return e


def run_pjats(args, env=None, input=None, home=None, timeout=120):
    """Runs pj-ats; returns (exit code, stdout, stderr). `timeout` is scaled()."""
    if home is None:
        home = make_home()
    proc = subprocess.run(pjats_command(args), input=input, capture_output=True, text=True,
                          env=pjats_env(home, env), timeout=scaled(timeout))
    return proc.returncode, proc.stdout, proc.stderr


_tls_cache = {}


def make_tls_ca():
    """A throwaway CA plus a certificate for 127.0.0.1/localhost signed by it.

    Returns {"dir", "ca", "cert", "key"} (PEM paths). Made once per test process.
    """
    if _tls_cache:
        return dict(_tls_cache)
    d = _temp_dir("pjats-tls-")
    p = lambda name: os.path.join(d, name)  # noqa: E731

    def openssl(*args):
        subprocess.run(["openssl"] + list(args), check=True, capture_output=True, cwd=d)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2",
            "-subj", "/CN=pj-ats test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("req", *ec, "-keyout", p("server.key"), "-out", p("server.csr"),
            "-subj", "/CN=127.0.0.1")
    with open(p("server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                "basicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"),
            "-CAcreateserial", "-out", p("server.pem"), "-days", "2",
            "-extfile", p("server.ext"))
    _tls_cache.update({"dir": d, "ca": p("ca.pem"), "cert": p("server.pem"),
                       "key": p("server.key")})
    return dict(_tls_cache)



def pg_base_url():
    """The throwaway PostgreSQL cluster's base URL (tests/support/pg_cluster.sh): from
    PJATS_TEST_PG_URL, else the file PJATS_TEST_PG_URL_FILE names; "" without one."""
    url = os.environ.get("PJATS_TEST_PG_URL", "")
    path = os.environ.get("PJATS_TEST_PG_URL_FILE", "")
    if not url and path and os.path.exists(path):
        with open(path) as f:
            url = f.read().strip()
    return url


def psql(url, sql):
    """Runs one SQL statement with psql against `url`; its unaligned output, stripped."""
    proc = subprocess.run(["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", url,
                           "-c", sql], capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        raise RuntimeError("psql failed: " + proc.stderr)
    return proc.stdout.strip()

def reference_json(*parts):
    """Loads a third-party JSON fixture from tests/fixtures (path relative to it)."""
    with open(os.path.join(FIXTURES_DIR, *parts), encoding="utf-8") as f:
        return json.load(f)


class SandboxTestCase(unittest.TestCase):
    """One sandbox per test class (extra flags in `sandbox_args`), reset before each test,
    and a fresh throwaway HOME per test; `pj(...)` runs pj-ats in that HOME."""

    sandbox_args = ()

    @classmethod
    def setUpClass(cls):
        cls.sandbox = Sandbox(*cls.sandbox_args)
        cls.sandbox.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sandbox.__exit__(None, None, None)

    def setUp(self):
        self.sandbox.reset()
        self.home = make_home()

    def pj(self, *args, **kw):
        return run_pjats(list(args), home=self.home, **kw)

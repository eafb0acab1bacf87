"""pj-ats-sandbox as a user runs it: quiet unless --verbose, a port in use is an error
(exit 1) rather than a second listener, and control calls work without a body."""
import socket
import subprocess
import time
import unittest

from harness import SANDBOX_BIN, PJATS_BIN, Sandbox, pjats_command, scaled

GREENHOUSE_JOBS = "/v1/partner/jobs"


def raw_request(url, text):
    """Sends `text` as is on a fresh connection; returns the status code."""
    host, port = url.rsplit("/", 1)[-1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(text.encode("ascii"))
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    return int(data.split(b" ", 2)[1])


class SandboxLogging(unittest.TestCase):
    def test_quiet_by_default(self):
        with Sandbox() as sandbox:
            self.assertEqual(sandbox.request("GET", GREENHOUSE_JOBS).status, 401)
            sandbox.state()
            time.sleep(0.2)
            self.assertEqual(sandbox.stderr(), "")

    def test_verbose_logs_requests(self):
        with Sandbox("--verbose") as sandbox:
            sandbox.request("GET", GREENHOUSE_JOBS + "?secret=1")
            for _ in range(50):
                if "pj-ats-sandbox: 401 GET " + GREENHOUSE_JOBS in sandbox.stderr():
                    break
                time.sleep(0.1)
            self.assertIn("pj-ats-sandbox: 401 GET %s\n" % GREENHOUSE_JOBS, sandbox.stderr())
            self.assertNotIn("secret", sandbox.stderr())


class SandboxPortInUse(unittest.TestCase):
    def test_second_sandbox_on_the_same_port_exits_1(self):
        with Sandbox() as first:
            port = first.url.rsplit(":", 1)[1]
            result = subprocess.run([SANDBOX_BIN, "--port", port], capture_output=True,
                                    text=True, timeout=scaled(20), stdin=subprocess.DEVNULL)
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertEqual(result.stdout, "")
            self.assertIn("port %s on 127.0.0.1 is already in use" % port, result.stderr)
            # the first one still answers
            self.assertEqual(first.request("GET", "/_sandbox/state").status, 200)

    @unittest.skipUnless(PJATS_BIN, "PJATS_BIN is not set")
    def test_pj_ats_sandbox_subcommand_too(self):
        with Sandbox() as first:
            port = first.url.rsplit(":", 1)[1]
            result = subprocess.run(pjats_command(["sandbox", "--port", port]),
                                    capture_output=True, text=True, timeout=scaled(20),
                                    stdin=subprocess.DEVNULL)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn("already in use", result.stderr)


class SandboxControlWithoutBody(unittest.TestCase):
    def test_expire_tokens_without_a_body(self):
        with Sandbox() as sandbox:
            for request in ("POST /_sandbox/expire_tokens HTTP/1.1\r\nHost: x\r\n"
                            "Connection: close\r\n\r\n",
                            "POST /_sandbox/expire_tokens HTTP/1.1\r\nHost: x\r\n"
                            "Content-Length: 0\r\nConnection: close\r\n\r\n"):
                self.assertEqual(raw_request(sandbox.url, request), 200, request)
            result = subprocess.run(["curl", "-fsS", "-X", "POST",
                                     sandbox.url + "/_sandbox/expire_tokens"],
                                    capture_output=True, text=True, timeout=20)
            self.assertEqual(result.returncode, 0, result.stderr)


if __name__ == "__main__":
    unittest.main()

"""End-to-end: `configure greenhouse` prompts for the key with echo off on a terminal."""
import os
import pty
import select
import subprocess
import time
import unittest

from harness import Sandbox, make_home, pjats_env, pjats_command, scaled

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"


def read_until(fd, needle, timeout=15):
    out = b""
    deadline = time.time() + scaled(timeout)
    while needle not in out and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
    return out


class PromptCli(unittest.TestCase):
    def test_key_prompt_hides_input(self):
        with Sandbox() as sandbox:
            home = make_home()
            env = pjats_env(home, {"CI": ""})
            master, slave = pty.openpty()
            proc = subprocess.Popen(
                pjats_command(["configure", "greenhouse", "--email", "recruiter@acme.example",
                               "--base-url", sandbox.url]),
                stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True)
            os.close(slave)
            try:
                prompt = read_until(master, b"(input hidden):")
                self.assertIn(b"API key (input hidden):", prompt)
                os.write(master, (GH_KEY + "\n").encode())
                rest = read_until(master, b"acting as")
                proc.wait(timeout=scaled(30))
                rest += read_until(master, b"\x00", timeout=0.5)
            finally:
                os.close(master)
            self.assertEqual(proc.returncode, 0, rest)
            self.assertIn(b"acting as", rest)
            self.assertNotIn(GH_KEY.encode(), prompt + rest, "the key was echoed")

    def test_no_input_never_prompts(self):
        with Sandbox() as sandbox:
            home = make_home()
            master, slave = pty.openpty()
            proc = subprocess.Popen(
                pjats_command(["configure", "greenhouse", "--email", "recruiter@acme.example",
                               "--base-url", sandbox.url, "--no-input"]),
                stdin=slave, stdout=slave, stderr=slave, env=pjats_env(home, {"CI": ""}),
                close_fds=True)
            os.close(slave)
            try:
                out = read_until(master, b"--api-key-stdin")
                proc.wait(timeout=scaled(30))
            finally:
                os.close(master)
            self.assertEqual(proc.returncode, 2, out)
            self.assertNotIn(b"input hidden", out)


if __name__ == "__main__":
    unittest.main()

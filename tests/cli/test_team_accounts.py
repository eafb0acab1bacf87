"""End-to-end: one organization, one history (issue 23, item 1; docs/ledger.md "Accounts").

The sandbox knows two organizations on one URL (tests/fakes/fake_data.hpp): "acme" (two
keys: the sample one and a rotated one; several users) and "globex". Sends are keyed by the
organization the credential reaches, never by the URL as typed, the acting user or the key:
hosts of acme with their own e-mails and URL spellings send each candidate once (counted in
the fakes' stores); globex on the same URL has a history of its own. Run on the local SQLite
ledger (one profile reconfigured) and on the PostgreSQL cluster (separate hosts at once).

Without a cluster (PJATS_TEST_PG_URL_FILE empty) the PostgreSQL cases print
PJATS_PG_SKIPPED and are skipped (CTest reports the file skipped)."""
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import unittest
import uuid

from harness import pg_base_url, psql, SandboxTestCase, make_home, pjats_command, pjats_env, run_pjats

GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_ROTATED = "gh_sandbox_rotated_41be92c7"
GH_GLOBEX = "gh_sandbox_globex_9c07d3aa"
LV_KEY = "lever_sandbox_6a1f0c"
LV_ROTATED = "lever_sandbox_rotated_b71e"
LV_GLOBEX = "lever_sandbox_globex_3f9a"
GLOBEX = "recruiter@globex.example"
COUNT = 6


def write_candidates(root, count):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    ids = []
    for i in range(count):
        cid = "org%04d" % i
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Org Person%d" % i,
                                  "email": "org%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
        ids.append(cid)
    return ids


class Host:
    """One machine: its own HOME and profile, configured as one user of one organization."""

    def __init__(self, test, export, home=None):
        self.test = test
        self.home = home or make_home()
        self.export = export

    def pj(self, *args, **kw):
        return run_pjats(list(args), home=self.home, **kw)

    def ok(self, *args, **kw):
        code, out, err = self.pj(*args, **kw)
        self.test.assertEqual(code, 0, (out + err)[-3000:])
        return out, err

    def start(self, *args):
        return subprocess.Popen(pjats_command(list(args)), env=pjats_env(self.home),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)

    def configure(self, gh_url, gh_key, gh_email, lv_url, lv_key, lv_email, ledger_url=None):
        self.ok("configure", "source", "--dir", self.export)
        self.ok("configure", "greenhouse", "--email", gh_email, "--api-key-stdin",
                "--base-url", gh_url, input=gh_key)
        self.ok("configure", "lever", "--api-key-stdin", "--base-url", lv_url,
                "--perform-as-email", lv_email, input=lv_key)
        if ledger_url:
            self.ok("configure", "ledger", "--url", ledger_url)


class Counting:
    def greenhouse_by_org(self):
        count = collections.Counter()
        for c in self.sandbox.state()["greenhouse"]["candidates"]:
            count[(c["organization"], c["external_id"])] += 1
        return count

    def lever_by_org(self):
        users = {"5e0c7a21-3d4b-4c5d-8e6f-7a8b9c0d1e2f": "globex"}
        count = collections.Counter()
        for o in self.sandbox.state()["lever"]["opportunities"]:
            count[(users.get(o["perform_as"], "acme"), o["body"]["emails"][0])] += 1
        return count

    def assert_once_each(self, org, ids):
        gh = self.greenhouse_by_org()
        lv = self.lever_by_org()
        for i, cid in enumerate(ids):
            self.assertEqual(gh[(org, cid)], 1, (org, cid, gh))
            self.assertEqual(lv[(org, "org%d@example.com" % i)], 1, (org, cid, lv))

    def send_both(self, host, ids):
        for to in ("greenhouse", "lever"):
            host.ok("send", "--to", to, *ids)


class OneOrganizationSqlite(Counting, SandboxTestCase):
    """One profile on its local SQLite ledger, reconfigured as the team would change it."""

    def test_users_spellings_and_rotated_keys_of_one_org_share_a_history(self):
        export = make_home()
        ids = write_candidates(export, COUNT)
        url = self.sandbox.url
        host = Host(self, export, home=self.home)
        host.configure(url, GH_KEY, "recruiter@acme.example", url, LV_KEY,
                       "recruiter@acme.example")
        self.send_both(host, ids)
        self.assert_once_each("acme", ids)
        # Another recruiter of acme, a rotated key, the URL spelled differently.
        spelled = url.replace("http://", "HTTP://")
        host.configure(spelled + "/v1/partner/", GH_ROTATED, "grace.hopper@acme.example",
                       spelled + "/v1/", LV_ROTATED, "admin@acme.example")
        self.send_both(host, ids)
        self.assert_once_each("acme", ids)
        out, _ = host.ok("ledger", "list", "--json")
        rows = [json.loads(line) for line in out.splitlines()]
        accounts = {(r["target"], r["account"]) for r in rows}
        self.assertEqual(len(accounts), 2, accounts)  # one per target
        for _, account in accounts:
            self.assertIn("#org:", account)
            self.assertTrue(account.startswith(url + "#"), account)
        text, _ = host.ok("ledger", "list")
        self.assertIn("ACCOUNT", text.splitlines()[0])
        self.assertIn(rows[0]["account"], text)
        # Globex on the same URL: a history of its own, every candidate sent to it.
        host.configure(url, GH_GLOBEX, GLOBEX, url, LV_GLOBEX, GLOBEX)
        self.send_both(host, ids)
        self.assert_once_each("globex", ids)
        self.assert_once_each("acme", ids)
        # And back to acme: still nothing to send.
        host.configure(url + "/", GH_KEY, "alan.turing@acme.example", url, LV_KEY,
                       "recruiter@acme.example")
        out, _ = host.ok("send", "--to", "greenhouse", *ids)
        self.assert_once_each("acme", ids)
        self.assertEqual(sum(self.greenhouse_by_org().values()), 2 * COUNT)

    def test_rows_keyed_by_user_before_are_moved_to_the_organization(self):
        export = make_home()
        ids = write_candidates(export, 2)
        host = Host(self, export, home=self.home)
        url = self.sandbox.url
        host.configure(url, GH_KEY, "recruiter@acme.example", url, LV_KEY,
                       "recruiter@acme.example")
        self.send_both(host, ids[:1])
        db = os.path.join(self.home, "state", "pj-ats", "default.db")
        # What an older pj-ats wrote: the URL as typed and the acting user.
        conn = sqlite3.connect(db)
        conn.execute("UPDATE sends SET account = ? WHERE target = 'lever'",
                     (url + "/#user:7f3c2a10-5b1e-4d2f-9a8c-1e2d3c4b5a61",))
        conn.execute("DELETE FROM meta WHERE name LIKE 'org%'")
        conn.commit()
        conn.close()
        # The first command after the upgrade (here: track) sees the moved rows.
        out, _ = host.ok("--json", "track", "--to", "lever")
        self.assertEqual([json.loads(line)["candidate_id"] for line in out.splitlines()],
                         ids[:1])
        self.send_both(host, ids)
        self.assert_once_each("acme", ids)


class OneOrganizationPostgres(Counting, SandboxTestCase):
    sandbox_args = ("--latency-ms", "20")

    def setUp(self):
        super().setUp()
        base = pg_base_url()
        if not base or shutil.which("psql") is None:
            print("PJATS_PG_SKIPPED: no PostgreSQL test cluster (tests/support/pg_cluster.sh)")
            self.skipTest("no PostgreSQL test cluster")
        self.database = "pjats_org_%d_%s" % (os.getpid(), uuid.uuid4().hex[:8])
        self.admin = base + "postgres"
        psql(self.admin, "CREATE DATABASE " + self.database)
        self.addCleanup(psql, self.admin,
                        "DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.database)
        self.url = base + self.database

    def test_three_hosts_of_one_org_and_another_org_on_one_url(self):
        export = make_home()
        ids = write_candidates(export, COUNT)
        url = self.sandbox.url
        spelled = url.replace("http://", "HTTP://")
        hosts = []
        for gh_url, gh_key, gh_email, lv_url, lv_key, lv_email in (
                (url, GH_KEY, "recruiter@acme.example", url, LV_KEY, "recruiter@acme.example"),
                (spelled + "/v1/partner", GH_ROTATED, "alan.turing@acme.example",
                 spelled + "/v1", LV_ROTATED, "admin@acme.example"),
                (url + "/", GH_KEY, "grace.hopper@acme.example", url + "/", LV_KEY,
                 "admin@acme.example")):
            host = Host(self, export)
            host.configure(gh_url, gh_key, gh_email, lv_url, lv_key, lv_email, self.url)
            hosts.append(host)
        for to in ("greenhouse", "lever"):
            runs = [h.start("send", "--to", to, *ids) for h in hosts]
            for run in runs:
                out, err = run.communicate(timeout=120)
                self.assertEqual(run.returncode, 0, (out + err)[-3000:])
        self.assert_once_each("acme", ids)
        accounts = psql(self.url, "SELECT DISTINCT target || ' ' || account FROM pjats.sends "
                                  "ORDER BY 1").splitlines()
        self.assertEqual(len(accounts), 2, accounts)
        # Globex on the same URL and ledger: its own history.
        globex = Host(self, export)
        globex.configure(url, GH_GLOBEX, GLOBEX, url, LV_GLOBEX, GLOBEX, self.url)
        self.send_both(globex, ids)
        self.assert_once_each("globex", ids)
        self.assert_once_each("acme", ids)
        accounts = psql(self.url, "SELECT DISTINCT target || ' ' || account FROM pjats.sends "
                                  "ORDER BY 1").splitlines()
        self.assertEqual(len(accounts), 4, accounts)


if __name__ == "__main__":
    unittest.main()

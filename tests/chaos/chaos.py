#!/usr/bin/env python3
"""Chaos suite for pj-ats's "exactly once" promise (Python 3 standard library only).

Each scenario starts its own sandbox (tests/fakes, `pj-ats-sandbox`), a throwaway profile
and a generated export, then:

  1. storm:  runs 2-4 concurrent `pj-ats send` (and, for `lever-sync`, `pj-ats sync`)
             processes over the same candidate ids while a seeded chaos loop injects
             faults through POST /_sandbox/faults (503, 429 with each Retry-After form,
             drop_before, drop_after, delay longer than the client timeout,
             drop_after_silent when the sandbox knows it), expires OAuth tokens and
             SIGKILLs processes at random moments, relaunching replacements;
  2. drain:  uses up the fault rules still queued (unauthenticated requests that can
             never create a record), so the next phase runs without faults;
  3. settle: re-runs the same commands, one at a time, until they all exit 0 (at most
             --rounds rounds);
  4. count:  reads GET /_sandbox/state -- what the fake actually stored, never pj-ats's
             own output -- and the ledger (SQLite, rows in state 'review').

Verdicts: Lever -- every candidate exactly once upstream per destination (plain
opportunity, or the linked posting). Greenhouse -- never twice, and every candidate
missing upstream must be reported for review (ledger state 'review').

Usage:
  python3 tests/chaos/chaos.py --build build [--quick] [--seed N] [--scenario NAME]...
Exit status: 0 no violation, 1 violations found, 2 the suite itself could not run.
See RELIABILITY.md.
"""
import argparse
import email.utils
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import http.client
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))

RECRUITER_EMAIL = "recruiter@acme.example"
PUBLISHED_POSTING = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"
PJ_JOB = "pj-job-chaos"
LEVER_POST = ("POST", "/v1/opportunities")
LEVER_LOOKUP = ("GET", "/v1/opportunities")
GREENHOUSE_POST = ("POST", "/v1/partner/candidates")


# --- options ---------------------------------------------------------------------------

class Profile:
    """Sizes of one run; --quick is the bounded run registered with ctest."""

    def __init__(self, quick):
        self.candidates = 40 if quick else 60
        self.storm_seconds = 10 if quick else 25
        self.launches_per_slot = 2 if quick else 4  # processes started per concurrent slot
        self.settle_rounds = 4 if quick else 6
        self.silent_times = 20 if quick else 60     # drop_after_silent firings (finite: drainable)
        self.command_timeout = 60                   # seconds, any single pj-ats process


def parse_args(argv):
    p = argparse.ArgumentParser(description="pj-ats exactly-once chaos suite")
    p.add_argument("--build", default=os.environ.get("PJATS_BUILD_DIR", "build"),
                   help="build directory holding bin/pj-ats and bin/pj-ats-sandbox "
                        "(ignored when PJATS_BIN and PJATS_SANDBOX_BIN are set)")
    p.add_argument("--quick", action="store_true", help="small, bounded run (ctest)")
    p.add_argument("--seed", type=int, default=1, help="seed of every random choice")
    p.add_argument("--scenario", action="append", choices=sorted(SCENARIOS),
                   help="run only this scenario (repeatable); default: all")
    p.add_argument("--repeat", type=int, default=1, help="runs per scenario (seed, seed+1, …)")
    p.add_argument("--solo", action="store_true",
                   help="one pj-ats process at a time (faults and kills only, no concurrency)")
    p.add_argument("--http-timeout", type=float, default=2.0,
                   help="PJ_ATS_HTTP_TIMEOUT given to pj-ats, in seconds")
    p.add_argument("--budget", type=float, default=0,
                   help="stop starting runs after this many seconds (0: no limit)")
    p.add_argument("--keep", action="store_true", help="keep the throwaway homes and logs")
    p.add_argument("-v", "--verbose", action="store_true", help="narrate the chaos loop")
    return p.parse_args(argv)


def locate_binaries(build):
    """Sets PJATS_BIN/PJATS_SANDBOX_BIN from --build unless the environment has them."""
    build = os.path.abspath(build)
    for var, name in (("PJATS_BIN", "pj-ats"), ("PJATS_SANDBOX_BIN", "pj-ats-sandbox")):
        if not os.environ.get(var):
            os.environ[var] = os.path.join(build, "bin", name)
        if not os.access(os.environ[var], os.X_OK):
            sys.exit("chaos: %s is not an executable (%s); build first or pass --build"
                     % (os.environ[var], var))


def import_harness():
    """tests/cli/harness.py (Sandbox, pjats_env, …), imported after the binaries are set."""
    sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "cli"))
    import harness  # noqa: E402
    return harness


# --- scenarios -------------------------------------------------------------------------

class Scenario:
    """What a scenario runs. `commands`: the concurrent pj-ats argv lists (one per slot;
    "IDS" is replaced by the ids file); `expect`: the destination every candidate must
    reach ("" = plain opportunity / prospect, else a Lever posting id)."""

    def __init__(self, name, target, commands, menu, expect="", oauth=False, silent=False):
        self.name, self.target, self.commands, self.menu = name, target, commands, menu
        self.expect, self.oauth, self.silent = expect, oauth, silent
        self.calm = not menu  # no faults, no kills: the suite's own control run


SEND_LEVER = ["send", "--ids-from", "IDS", "--to", "lever"]
SEND_LEVER_POSTING = SEND_LEVER + ["--posting", PUBLISHED_POSTING]
SEND_GREENHOUSE = ["send", "--ids-from", "IDS", "--to", "greenhouse"]
SYNC = ["sync"]

# Fault menus: (kind, (method, path)) the chaos loop draws from.
ALL_KINDS = ("503", "429-delta", "429-date", "429-epoch", "drop_before", "drop_after", "delay")
LEVER_MENU = [(k, LEVER_POST) for k in ALL_KINDS] + [("503", LEVER_LOOKUP),
                                                     ("drop_before", LEVER_LOOKUP)]
LOOKUP_MENU = [("503", LEVER_LOOKUP), ("drop_before", LEVER_LOOKUP)]
GREENHOUSE_MENU = [(k, GREENHOUSE_POST) for k in ALL_KINDS]

SCENARIOS = {s.name: s for s in (
    # Control: one process, no chaos. Must always pass; if not, the counting is wrong.
    Scenario("lever-control", "lever", [SEND_LEVER], []),
    Scenario("lever-send", "lever", [SEND_LEVER] * 3, LEVER_MENU),
    Scenario("lever-sync", "lever", [SEND_LEVER_POSTING, SYNC, SEND_LEVER_POSTING, SYNC],
             LEVER_MENU, expect=PUBLISHED_POSTING),
    Scenario("lever-silent-drop", "lever", [SEND_LEVER] * 3, LOOKUP_MENU, silent=True),
    Scenario("lever-oauth", "lever", [SEND_LEVER] * 3, LEVER_MENU, oauth=True),
    Scenario("greenhouse-send", "greenhouse", [SEND_GREENHOUSE] * 3, GREENHOUSE_MENU),
)}


# --- export and profile ----------------------------------------------------------------

def candidate_ids(count):
    return ["c%03d" % i for i in range(count)]


def candidate_email(cid, run_tag):
    return "chaos.%s.%s@example.com" % (run_tag, cid)


def write_export(root, ids, run_tag):
    """candidates/<id>.json, plus applications/<PJ_JOB>/<n>.json for sync (same people)."""
    for sub in ("candidates", os.path.join("applications", PJ_JOB)):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    for n, cid in enumerate(ids):
        record = {"basics": {"name": "Chaos Person%s" % cid[1:],
                             "email": candidate_email(cid, run_tag)},
                  "meta": {"purposeJobs": {"id": cid}}}
        for path in (os.path.join(root, "candidates", cid + ".json"),
                     os.path.join(root, "applications", PJ_JOB, "%04d.json" % n)):
            with open(path, "w") as f:
                json.dump(record, f)


def write_ids_file(path, ids):
    with open(path, "w") as f:
        f.write("# chaos suite\n" + "\n".join(ids) + "\n")


def pj(h, home, args, stdin=None, timeout=60):
    """Runs one pj-ats command to completion; raises on a non-zero exit."""
    code, out, err = h.run_pjats(args, home=home, input=stdin, timeout=timeout)
    if code != 0:
        raise RuntimeError("pj-ats %s exited %d: %s" % (" ".join(args), code, err[-800:]))
    return out


def configure_profile(h, sandbox, home, export, scenario):
    """Source dir, the target's credentials (as the sandbox banner prints them), link-job."""
    pj(h, home, ["configure", "source", "--dir", export])
    url = sandbox.url
    if scenario.target == "greenhouse":
        pj(h, home, ["configure", "greenhouse", "--email", sandbox.info["greenhouse_on_behalf_of"],
                     "--api-key-stdin", "--base-url", url],
           stdin=sandbox.info["greenhouse_api_key"])
        return
    if scenario.oauth:
        authorize_oauth(h, sandbox, home)
    else:
        pj(h, home, ["configure", "lever", "--api-key-stdin", "--base-url", url,
                     "--perform-as-email", RECRUITER_EMAIL], stdin=sandbox.info["lever_api_key"])
    pj(h, home, ["link-job", PJ_JOB, PUBLISHED_POSTING])


def authorize_oauth(h, sandbox, home):
    """`configure lever --oauth --no-browser`, opening the printed URL like a browser."""
    args = h.pjats_command(["configure", "lever", "--oauth", "--client-id",
                            sandbox.info["lever_oauth_client_id"], "--client-secret-stdin",
                            "--no-browser", "--auth-url", sandbox.url, "--base-url", sandbox.url,
                            "--perform-as-email", RECRUITER_EMAIL])
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=h.pjats_env(home))
    proc.stdin.write(sandbox.info["lever_oauth_client_secret"])
    proc.stdin.close()
    seen = []
    for line in proc.stderr:
        seen.append(line)
        match = re.search(r"(https?://\S+/authorize\?\S+)", line)
        if match:
            threading.Thread(target=lambda u=match.group(1): urllib.request.urlopen(
                u, timeout=10).read(), daemon=True).start()
            break
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        code = proc.wait()
    seen.append(proc.stderr.read())
    proc.stderr.close()
    if code != 0:
        raise RuntimeError("configure lever --oauth exited %d: %s" % (code, "".join(seen)[-800:]))


# --- faults ----------------------------------------------------------------------------

def fault_rules(kind, method_path, rng, http_timeout):
    """The sandbox fault rules of one injection of `kind` on (method, path)."""
    method, path = method_path
    base = {"method": method, "path": path}
    ahead = time.time() + rng.randint(1, 2)
    if kind == "503":
        return [dict(base, action="status", status=503, times=rng.randint(1, 3))]
    if kind.startswith("429-"):
        retry_after = {"429-delta": "1",
                       "429-date": email.utils.formatdate(ahead, usegmt=True),
                       "429-epoch": str(int(ahead))}[kind]
        return [dict(base, action="status", status=429, retry_after=retry_after,
                     times=rng.randint(2, 4))]
    if kind == "delay":  # the record is created after the client has given up
        return [dict(base, action="delay", ms=int(http_timeout * 1000) + 1500, times=1)]
    return [dict(base, action=kind, times=1)]  # drop_before / drop_after


def silent_drop_rule(times):
    """The drop_after_silent contract (the record is created, then the reused keep-alive
    connection is dropped with zero response bytes). `times` is finite so it can be
    drained before settling."""
    return {"action": "drop_after_silent", "reused_only": True, "probability": 0.1,
            "times": times, "method": "POST", "path": "/v1/opportunities"}


def post_faults(sandbox, rules):
    """POST /_sandbox/faults; returns False when the sandbox refuses the rules (400)."""
    res = sandbox.request("POST", "/_sandbox/faults", body=json.dumps(rules),
                          headers={"Content-Type": "application/json"})
    if res.status == 400:
        return False
    if res.status != 200:
        raise RuntimeError("POST /_sandbox/faults: %r" % res)
    return True


def drain_faults(sandbox, paths, deadline_s=30):
    """Uses up queued fault rules with unauthenticated requests (which fail with 401 and
    never create a record), on keep-alive connections so reused_only rules fire too.
    Returns the number of rules still pending."""
    def pending():
        return sandbox.state()["faults_pending"]

    workers = [threading.Thread(target=_drain_worker, args=(sandbox, paths, pending,
                                                            time.monotonic() + deadline_s))
               for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return pending()


def _drain_worker(sandbox, paths, pending, deadline):
    parts = urllib.parse.urlsplit(sandbox.url)
    conn = None
    while time.monotonic() < deadline and pending() > 0:
        for method, path in paths:
            try:
                conn = conn or http.client.HTTPConnection(parts.hostname, parts.port, timeout=15)
                conn.request(method, path, body=b"{}" if method == "POST" else None,
                             headers={"Content-Type": "application/json"})
                conn.getresponse().read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = None
    if conn:
        conn.close()


# --- processes -------------------------------------------------------------------------

class Fleet:
    """The pj-ats processes of a storm: launched with their output in files, killed by pid."""

    def __init__(self, h, home, env, logdir):
        self.h, self.home, self.env, self.logdir = h, home, env, logdir
        self.procs = []     # [(Popen, argv, [killed by us?])]
        self.killed = 0

    def launch(self, args):
        n = len(self.procs)
        out = open(os.path.join(self.logdir, "proc%02d.out" % n), "w")
        err = open(os.path.join(self.logdir, "proc%02d.err" % n), "w")
        proc = subprocess.Popen(self.h.pjats_command(args), env=self.env, stdout=out,
                                stderr=err, stdin=subprocess.DEVNULL)
        out.close()
        err.close()
        self.procs.append((proc, args, [False]))

    def live(self):
        return [p for p, _, _ in self.procs if p.poll() is None]

    def kill(self, proc):
        """SIGKILL one of our own processes, by its pid."""
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            for p, _, flag in self.procs:
                if p is proc:
                    flag[0] = True
            self.killed += 1

    def kill_all(self):
        for proc in self.live():
            self.kill(proc)

    def exit_codes(self):
        return [p.returncode for p, _, killed in self.procs if not killed[0]]


# --- one run ---------------------------------------------------------------------------

class Run:
    """One scenario run: its sandbox, home, RNG and tallies."""

    def __init__(self, h, scenario, seed, opts, profile):
        self.h, self.scenario, self.seed = h, scenario, seed
        self.opts, self.profile = opts, profile
        self.rng = random.Random("%d:%s" % (seed, scenario.name))
        self.home = h.make_home()
        self.export = os.path.join(self.home, "export")
        self.ids = candidate_ids(profile.candidates)
        self.ids_file = os.path.join(self.home, "ids.txt")
        self.env = h.pjats_env(self.home, {"PJ_ATS_HTTP_TIMEOUT": "%g" % opts.http_timeout})
        self.injected = 0
        self.faults_fired = 0
        self.notes = []

    def say(self, text):
        if self.opts.verbose:
            print("  [%s seed %d] %s" % (self.scenario.name, self.seed, text), flush=True)

    def argv(self, command):
        return [self.ids_file if a == "IDS" else a for a in command]

    # phases ------------------------------------------------------------------------

    def execute(self):
        s = self.scenario
        sandbox_args = ("--quiet", "--latency-ms", "5", "--seed", str(self.seed))
        with self.h.Sandbox(*sandbox_args) as sandbox:
            write_export(self.export, self.ids, "s%d" % self.seed)
            write_ids_file(self.ids_file, self.ids)
            configure_profile(self.h, sandbox, self.home, self.export, s)
            # No reset here: configuring creates no records, and a reset would also forget
            # the OAuth grant the profile now holds.
            if s.silent and not post_faults(sandbox, [silent_drop_rule(self.profile.silent_times)]):
                return self.skipped("sandbox has no drop_after_silent fault yet (400)")
            fleet = self.storm(sandbox)
            self.faults_fired = sandbox.state()["counters"]["faults_fired"]
            left = drain_faults(sandbox, [LEVER_POST, LEVER_LOOKUP, GREENHOUSE_POST])
            if left:
                self.notes.append("%d fault rules still pending while settling" % left)
            rounds, last = self.settle(sandbox)
            return self.count(sandbox.state(), fleet, rounds, last)

    def storm(self, sandbox):
        """Concurrent processes + seeded faults, token expiry and SIGKILLs."""
        logdir = os.path.join(self.home, "storm")
        os.makedirs(logdir)
        fleet = Fleet(self.h, self.home, self.env, logdir)
        queue = [c for _ in range(self.profile.launches_per_slot) for c in self.scenario.commands]
        slots = 1 if self.opts.solo else len(self.scenario.commands)
        deadline = time.monotonic() + self.profile.storm_seconds
        while time.monotonic() < deadline:
            while len(fleet.live()) < slots and queue:
                fleet.launch(self.argv(queue.pop(0)))
            if not fleet.live() and not queue:
                break
            time.sleep(self.rng.uniform(0.1, 0.6))
            self.chaos_step(sandbox, fleet)
        fleet.kill_all()  # the storm is over: whatever still runs dies mid-flight
        return fleet

    def chaos_step(self, sandbox, fleet):
        """One seeded chaos action: inject a fault, kill a process, or expire tokens."""
        if self.scenario.calm:
            return
        roll = self.rng.random()
        live = fleet.live()
        if roll < 0.55:
            kind, where = self.rng.choice(self.scenario.menu)
            post_faults(sandbox, fault_rules(kind, where, self.rng, self.opts.http_timeout))
            self.injected += 1
            self.say("fault %s on %s %s" % (kind, *where))
        elif roll < 0.75 and live:
            victim = self.rng.choice(live)
            fleet.kill(victim)
            self.say("SIGKILL pid %d" % victim.pid)
        elif roll < 0.85 and self.scenario.oauth:
            sandbox.control("POST", "expire_tokens")
            self.say("expire_tokens")

    def settle(self, sandbox):
        """Re-runs each distinct command until all exit 0, or a round changed nothing
        upstream and ended in no temporary failure or interruption (e.g. Greenhouse rows
        left for review keep exiting 3); at most settle_rounds rounds."""
        commands = []
        for c in self.scenario.commands:
            if c not in commands:
                commands.append(c)
        last = {}
        for round_no in range(1, self.profile.settle_rounds + 1):
            before = record_total(sandbox.state())
            for c in commands:
                code = self.run_once(c)
                last[" ".join(c).replace("IDS", "ids.txt")] = code
                self.say("settle round %s: %s -> %s" % (round_no, " ".join(c), code))
            if all(code == 0 for code in last.values()):
                return round_no, last
            stable = record_total(sandbox.state()) == before
            if stable and not any(code in (7, 130, "timeout") for code in last.values()):
                return round_no, last
        return self.profile.settle_rounds, last

    def run_once(self, command):
        """Runs one command to its end; its exit code, or "timeout" (it was killed)."""
        try:
            code, _, _ = self.h.run_pjats(self.argv(command), home=self.home,
                                          env={"PJ_ATS_HTTP_TIMEOUT":
                                               "%g" % self.opts.http_timeout},
                                          timeout=self.profile.command_timeout)
        except subprocess.TimeoutExpired:
            return "timeout"
        return code

    def skipped(self, why):
        return {"scenario": self.scenario.name, "seed": self.seed, "skipped": why}

    # counting ----------------------------------------------------------------------

    def count(self, state, fleet, rounds, last):
        upstream = upstream_counts(state, self.scenario.target)
        reviews = ledger_reviews(self.home, self.scenario.target)
        status_reviews = status_review_ids(self.h, self.home, self.scenario.target)
        key_of = self.key_function()
        result = {"scenario": self.scenario.name, "seed": self.seed,
                  "launched": len(fleet.procs), "killed": fleet.killed,
                  "storm_exits": fleet.exit_codes(), "injected": self.injected,
                  "faults_fired": self.faults_fired, "settle_rounds": rounds,
                  "settle_exits": last, "once": 0, "duplicated": [], "missing": [],
                  "missing_review": [], "notes": self.notes}
        for cid in self.ids:
            n = upstream.pop(key_of(cid), 0)
            if n == 1:
                result["once"] += 1
            elif n > 1:
                result["duplicated"].append("%s x%d" % (cid, n))
            elif cid in reviews:
                result["missing_review"].append(cid)
            else:
                result["missing"].append(cid)
        result["stray"] = sorted("%s x%d" % (k, n) for k, n in upstream.items())
        if status_reviews is not None and status_reviews != reviews:
            self.notes.append("status --json lists %d reviews, the ledger %d"
                              % (len(status_reviews), len(reviews)))
        result["violations"] = self.violations(result)
        return result

    def key_function(self):
        """Candidate id -> the key upstream_counts() files that candidate's records under."""
        if self.scenario.target == "greenhouse":
            return lambda cid: cid
        tag = "s%d" % self.seed
        return lambda cid: (candidate_email(cid, tag), self.scenario.expect)

    def violations(self, r):
        v = len(r["duplicated"]) + len(r["missing"]) + len(r["stray"])
        if self.scenario.target == "lever":
            v += len(r["missing_review"])  # Lever can be searched: nothing may stay missing
        return v


def record_total(state):
    return len(state["greenhouse"]["candidates"]) + len(state["lever"]["opportunities"])


def upstream_counts(state, target):
    """Records in the fake's store: Greenhouse per external_id, Lever per (e-mail,
    posting or "")."""
    counts = {}
    if target == "greenhouse":
        keys = [c["body"].get("external_id") for c in state["greenhouse"]["candidates"]]
    else:
        keys = [((o["body"].get("emails") or [""])[0].lower(),
                 (o["body"].get("postings") or [""])[0])
                for o in state["lever"]["opportunities"]]
    for k in keys:
        counts[k] = counts.get(k, 0) + 1
    return counts


def ledger_reviews(home, target):
    """Candidate ids whose ledger row for `target` is in state 'review'."""
    path = os.path.join(home, "state", "pj-ats", "default.db")
    if not os.path.exists(path):
        return set()
    with sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=10) as db:
        rows = db.execute("SELECT candidate_id FROM sends WHERE target = ? AND state = 'review'",
                          (target,)).fetchall()
    return {r[0] for r in rows}


def status_review_ids(h, home, target):
    """Candidate ids `pj-ats status --json --offline` reports for review (None if it fails)."""
    code, out, _ = h.run_pjats(["--json", "status", "--offline"], home=home, timeout=60)
    try:
        ledger = json.loads(out)["ledger"] or {}
    except (ValueError, KeyError, TypeError):
        return None
    return {r["candidate_id"] for r in ledger.get("review", []) if r.get("target") == target}


# --- report ----------------------------------------------------------------------------

COLUMNS = ("scenario", "seed", "runs", "killed", "faults", "once", "dup", "missing",
           "miss+review", "settle", "verdict")


def table_row(r):
    if "skipped" in r:
        return [r["scenario"], str(r["seed"])] + ["-"] * 8 + ["SKIP"]
    return [r["scenario"], str(r["seed"]), str(r["launched"]), str(r["killed"]),
            "%d/%d" % (r["faults_fired"], r["injected"]), str(r["once"]),
            str(len(r["duplicated"])), str(len(r["missing"])), str(len(r["missing_review"])),
            str(r["settle_rounds"]), "FAIL" if r["violations"] else "ok"]


def print_table(results):
    rows = [list(COLUMNS)] + [table_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for n, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print("faults = requests of pj-ats that hit a fault / fault injections queued; "
          "settle = rounds of re-runs")


def print_details(results):
    for r in results:
        if "skipped" in r:
            print("%s seed %d: skipped: %s" % (r["scenario"], r["seed"], r["skipped"]))
            continue
        for label in ("duplicated", "missing", "stray"):
            if r[label]:
                print("%s seed %d %s: %s" % (r["scenario"], r["seed"], label,
                                             ", ".join(r[label][:12])
                                             + (" …" if len(r[label]) > 12 else "")))
        if r["missing_review"]:
            print("%s seed %d missing upstream, reported for review: %d"
                  % (r["scenario"], r["seed"], len(r["missing_review"])))
        print("%s seed %d: storm exits %s; last settle exits %s%s"
              % (r["scenario"], r["seed"], sorted(r["storm_exits"]), r["settle_exits"],
                 "".join("; " + n for n in r["notes"])))


# --- main ------------------------------------------------------------------------------

def main(argv):
    opts = parse_args(argv)
    locate_binaries(opts.build)
    h = import_harness()
    profile = Profile(opts.quick)
    names = opts.scenario or list(SCENARIOS)
    started = time.monotonic()
    results = []
    for repeat in range(opts.repeat):
        for name in names:
            if opts.budget and time.monotonic() - started > opts.budget:
                print("chaos: budget of %gs used up; skipping the rest" % opts.budget)
                break
            seed = opts.seed + repeat
            print("chaos: %s (seed %d)…" % (name, seed), flush=True)
            try:
                results.append(Run(h, SCENARIOS[name], seed, opts, profile).execute())
            except Exception as e:  # the suite itself failed: say so, do not hide it
                print("chaos: %s seed %d could not run: %s" % (name, seed, e), file=sys.stderr)
                return 2
    print()
    print_table(results)
    print()
    print_details(results)
    if opts.keep:  # the harness removes its temp dirs at exit unless the list is empty
        print("chaos: kept %s" % " ".join(h._temp_dirs))
        h._temp_dirs.clear()
    bad = sum(r.get("violations", 0) for r in results)
    print("\nchaos: %s (%d runs, %.0f s)" % ("VIOLATIONS: %d candidates" % bad if bad else "ok",
                                              len(results), time.monotonic() - started))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

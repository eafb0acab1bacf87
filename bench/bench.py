#!/usr/bin/env python3
"""pj-ats benchmark: throughput against the rate-limit ideal, tool overhead against a bare
request, start-up time and peak memory at scale. Runs everything against the sandbox
fakes on 127.0.0.1 (same strict servers as the tests) with injected latency and rate
limits. Prints a Markdown report on stdout; see BENCHMARKS.md for recorded results.

    python3 bench/bench.py [--quick] [--bin build/bin/pj-ats] [--sandbox build/bin/pj-ats-sandbox]

Ratios: wall ÷ ideal, where ideal = max(0, W - burst) / rate + one latency: the time a
perfect client needs to make the W requests a send needs at least (Greenhouse: one POST per
candidate; Lever: the opportunity and the card's note, plus the résumé file when a record
has one — the bench records have none) through the server's token bucket.

Peak RSS is the pj-ats process's own (GNU time's %M of the exec'd binary), not the forked
Python's. `--only syncs` counts fsync/fdatasync calls with `strace -f -c`.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GH_KEY = "gh_sandbox_0d031d8227eafa61dc37"
GH_EMAIL = "recruiter@acme.example"
LEVER_KEY = "lever_sandbox_6a1f0c"
LEVER_EMAIL = "recruiter@acme.example"


TIME = "/usr/bin/time"


def measure(cmd, env=None, stdin=None, stdout=subprocess.DEVNULL):
    """Runs cmd; returns (exit code, wall s, cpu s, peak RSS MiB) for that process alone.
    Under GNU time when installed: os.wait4 on a child forked from Python reports the
    larger of Python's pre-exec peak and the program's, time's own fork is tiny."""
    start = time.monotonic()
    stats = None
    if os.path.exists(TIME):
        fd, stats = tempfile.mkstemp(prefix="pjats-bench-time-")
        os.close(fd)
        cmd = [TIME, "-o", stats, "-f", "%M %U %S"] + list(cmd)
    proc = subprocess.Popen(cmd, env=env, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    rss, cpu = usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime
    if stats:
        with open(stats) as f:
            fields = f.read().split()
        os.unlink(stats)
        if len(fields) >= 3 and fields[-3].isdigit():
            rss = int(fields[-3]) / 1024.0
            cpu = float(fields[-2]) + float(fields[-1])
    if code not in (0,):
        sys.stderr.write("command failed (%d): %s\n%s\n" % (code, " ".join(cmd[:6]), err[-2000:]))
    return code, wall, cpu, rss


def thread_pool(sandbox, bodies, target, user, workers=32):
    """The usual hand-written alternative: a pool of threads POSTing the same bodies, each
    sleeping out Retry-After (or 1 s) on a 429 and trying again. Returns (wall s, requests)."""
    import base64
    import concurrent.futures
    import urllib.error
    files = sorted(os.path.join(bodies, f) for f in os.listdir(bodies))
    if target == "lever":
        url = sandbox.url + "/v1/opportunities?perform_as=" + user
        auth = base64.b64encode((LEVER_KEY + ":").encode()).decode()
        extra = {}
    else:
        url = sandbox.url + "/v1/partner/candidates"
        auth = base64.b64encode((GH_KEY + ":").encode()).decode()
        extra = {"On-Behalf-Of": GH_EMAIL}
    sent = [0]
    lock = __import__("threading").Lock()

    def post(path):
        with open(path, "rb") as f:
            body = f.read()
        while True:
            req = urllib.request.Request(url, data=body, method="POST", headers=dict(
                {"Authorization": "Basic " + auth, "Content-Type": "application/json"}, **extra))
            with lock:
                sent[0] += 1
            try:
                urllib.request.urlopen(req, timeout=60).read()
                return
            except urllib.error.HTTPError as e:
                if e.code != 429:
                    return
                time.sleep(float(e.headers.get("Retry-After", "1") or 1))

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(post, files))
    return time.monotonic() - start, sent[0]


class Sandbox:
    def __init__(self, binary, *args):
        self.proc = subprocess.Popen([binary, "--port", "0", "--quiet", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = None
        for line in self.proc.stdout:
            if line.startswith("PJATS_SANDBOX_URL="):
                self.url = line.strip().split("=", 1)[1]
                break
        if not self.url:
            raise RuntimeError("sandbox did not start")

    def state(self):
        with urllib.request.urlopen(self.url + "/_sandbox/state", timeout=60) as r:
            return json.load(r)

    def reset(self):
        req = urllib.request.Request(self.url + "/_sandbox/reset", data=b"", method="POST")
        urllib.request.urlopen(req, timeout=30).read()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def write_records(root, count):
    os.makedirs(os.path.join(root, "candidates"), exist_ok=True)
    ids = []
    for i in range(count):
        cid = "b%06d" % i
        ids.append(cid)
        with open(os.path.join(root, "candidates", cid + ".json"), "w") as f:
            json.dump({"basics": {"name": "Bench Person%d" % i, "email": "bench%d@example.com" % i,
                                  "label": "Engineer", "location": {"city": "Denver",
                                                                    "countryCode": "US"}},
                       "meta": {"purposeJobs": {"id": cid}}}, f)
    with open(os.path.join(root, "ids.txt"), "w") as f:
        f.write("\n".join(ids) + "\n")
    return ids


class Home:
    """A throwaway HOME with a profile pointing at the sandbox."""

    def __init__(self, pjats, sandbox, source):
        self.pjats = pjats
        self.dir = tempfile.mkdtemp(prefix="pjats-bench-")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PJ_ATS_")}
        self.env.update({"HOME": self.dir, "XDG_CONFIG_HOME": self.dir + "/config",
                         "XDG_STATE_HOME": self.dir + "/state", "CI": "1"})
        self.run("configure", "source", "--dir", source)
        self.run("configure", "greenhouse", "--email", GH_EMAIL, "--api-key-stdin",
                 "--base-url", sandbox.url, input=GH_KEY)
        self.run("configure", "lever", "--api-key-stdin", "--base-url", sandbox.url,
                 "--perform-as-email", LEVER_EMAIL, input=LEVER_KEY)

    def run(self, *args, input=None):
        r = subprocess.run([self.pjats, *args], input=input, text=True, env=self.env,
                           capture_output=True)
        if r.returncode != 0:
            raise RuntimeError("pj-ats %s failed: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def reset_ledger(self):
        # The profile remembers its ledger: a removed one must be replaced on purpose.
        shutil.rmtree(self.dir + "/state", ignore_errors=True)
        self.run("configure", "ledger", "--new")

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def summary(values, fmt="%.2f"):
    return (fmt + " (" + fmt + "–" + fmt + ")") % (statistics.median(values), min(values),
                                                  max(values))


def duplicates(state, target):
    if target == "lever":
        keys = [o["body"]["emails"][0] for o in state["lever"]["opportunities"]]
    else:
        keys = [c["body"]["external_id"] for c in state["greenhouse"]["candidates"]]
    return len(keys) - len(set(keys)), len(set(keys))


def curl_loop(path, sandbox, ids, target, home):
    """The simplest alternative: a shell loop of sequential curl POSTs, same bodies."""
    bodies = os.path.join(path, "bodies-" + target)
    os.makedirs(bodies, exist_ok=True)
    out = home.run("send", "--ids-from", os.path.join(path, "ids.txt"), "--to", target,
                   "--dry-run", "--json")
    lines = [json.loads(l) for l in out.splitlines() if l.strip()]
    for item in lines:
        if "request" in item:
            body = item["request"].split("\n\n", 1)[1] if "\n\n" in item["request"] else \
                item["request"].split("\n", 1)[1]
            with open(os.path.join(bodies, item["candidate_id"] + ".json"), "w") as f:
                f.write(body.strip() + "\n")
    script = os.path.join(path, "loop-%s.sh" % target)
    if target == "lever":
        url = sandbox.url + "/v1/opportunities?perform_as=" + lever_user(home)
        auth = "-u %s:" % LEVER_KEY
        extra = ""
    else:
        url = sandbox.url + "/v1/partner/candidates"
        auth = "-u %s:" % GH_KEY
        extra = "-H 'On-Behalf-Of: %s'" % GH_EMAIL
    with open(script, "w") as f:
        f.write("#!/bin/sh\nfor f in %s/*.json; do\n"
                "  curl -sS -o /dev/null %s %s -H 'Content-Type: application/json' "
                "--data-binary @\"$f\" '%s'\ndone\n" % (bodies, auth, extra, url))
    return ["sh", script]


def lever_user(home):
    with open(home.dir + "/config/pj-ats/config.toml") as f:
        for line in f:
            if line.strip().startswith("perform_as ="):
                return line.split("=", 1)[1].strip().strip('"')
    return ""


def gh_burst(args):
    """The Greenhouse fake's burst, and what pj-ats is told with --burst."""
    return args.gh_burst if args.gh_burst else args.gh_rate


def throughput(args, report):
    report.append("## 1–2. Bulk send throughput\n")
    report.append("Lever limit 10 req/s, burst 20 (sandbox token bucket, 429 above it); a "
                  "send is 2 writes (opportunity + the card's note), so ideal = (2N − 20) / 10 "
                  "+ latency. Greenhouse limit %d req/s, burst %d, which Greenhouse does not "
                  "publish: pj-ats runs **without flags** (adaptive pacing, first run with no "
                  "learnt rate), and once more pinned with `--rate %d --burst %d`; ideal = "
                  "(N − %d) / %d + latency. The curl loop and the thread pool send the "
                  "opportunity (or candidate) only, so for Lever they do half the writes.\n"
                  % (args.gh_rate, gh_burst(args), args.gh_rate, gh_burst(args), gh_burst(args),
                     args.gh_rate))
    report.append("| target | latency | N | tool | wall s median (min–max) | ideal s | wall ÷ ideal "
                  "| requests | 429s | duplicates | lost | CPU s |")
    report.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    sizes = args.sizes or ([200] if args.quick else [200, 2000])
    latencies = args.latencies or ([50] if args.quick else [50, 300])
    work = tempfile.mkdtemp(prefix="pjats-bench-records-")
    try:
        for n in sizes:
            path = os.path.join(work, str(n))
            ids = write_records(path, n)
            for latency in latencies:
                sandbox = Sandbox(args.sandbox, "--latency-ms", str(latency),
                                  "--greenhouse-rate", str(args.gh_rate),
                                  "--greenhouse-burst", str(gh_burst(args)))
                home = Home(args.bin, sandbox, path)
                try:
                    runs = (("lever", 10, 20, 2, [], "pj-ats"),
                            ("greenhouse", args.gh_rate, gh_burst(args), 1, [], "pj-ats (no flags)"),
                            ("greenhouse", args.gh_rate, gh_burst(args), 1,
                             ["--rate", str(args.gh_rate), "--burst", str(gh_burst(args))],
                             "pj-ats --rate --burst"))
                    for target, rate, burst, writes, flags, tool in runs:
                        ideal = max(0, writes * n - burst) / rate + latency / 1000.0
                        repeats = args.repeats if n <= 200 else 1
                        walls, cpus, r429, dups, lost, total = [], [], 0, 0, 0, 0
                        for _ in range(repeats):
                            sandbox.reset()
                            home.reset_ledger()  # also forgets the learnt rate (state dir)
                            time.sleep(1.5)  # the fake's buckets refill
                            cmd = [args.bin, "send", "--ids-from", os.path.join(path, "ids.txt"),
                                   "--to", target, "--quiet"] + flags
                            code, wall, cpu, _ = measure(cmd, env=home.env)
                            state = sandbox.state()
                            d, distinct = duplicates(state, target)
                            if code != 0 or distinct != n:
                                report.append("<!-- run failed: exit %d, %d of %d created -->"
                                              % (code, distinct, n))
                            walls.append(wall)
                            cpus.append(cpu)
                            r429 += state["counters"]["rate_limited"]
                            total += state["counters"]["total"]
                            dups += d
                            lost += n - distinct
                        report.append("| %s | %d ms | %d | %s | %s | %.1f | %.2f | %d | %d | %d | %d | %.2f |"
                                      % (target, latency, n, tool, summary(walls), ideal,
                                         statistics.median(walls) / ideal, total // repeats,
                                         r429, dups, lost, statistics.median(cpus)))
                        if n <= 200 and not flags:
                            sandbox.reset()
                            home.reset_ledger()  # a dry run reports sent ones as skipped
                            loop = curl_loop(path, sandbox, ids, target, home)
                            sandbox.reset()
                            time.sleep(1.5)
                            code, wall, cpu, _ = measure(loop)
                            state = sandbox.state()
                            d, distinct = duplicates(state, target)
                            report.append("| %s | %d ms | %d | curl loop | %.2f | %.1f | %.2f | %d | %d | %d | %d | %.2f |"
                                          % (target, latency, n, wall, ideal, wall / ideal,
                                             state["counters"]["total"],
                                             state["counters"]["rate_limited"], d,
                                             n - distinct, cpu))
                            sandbox.reset()
                            time.sleep(1.5)
                            wall, requests = thread_pool(sandbox, os.path.join(path, "bodies-" + target),
                                                         target, lever_user(home))
                            state = sandbox.state()
                            d, distinct = duplicates(state, target)
                            report.append("| %s | %d ms | %d | thread pool (32, sleeps on 429) | %.2f | %.1f | %.2f | %d | %d | %d | %d | – |"
                                          % (target, latency, n, wall, ideal, wall / ideal,
                                             requests, state["counters"]["rate_limited"], d,
                                             n - distinct))
                        sys.stderr.write("done: %s %s %d ms N=%d\n" % (target, tool, latency, n))
                finally:
                    home.close()
                    sandbox.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report.append("")


SYNC_JOB = "pj-bench-job"
SYNC_POSTING = "0c6b2f4e-1a2b-4c3d-9e8f-abcdef123456"  # a published posting of the fake


def write_applications(root, count):
    folder = os.path.join(root, "applications", SYNC_JOB)
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        with open(os.path.join(folder, "%06d.json" % i), "w") as f:
            json.dump({"basics": {"name": "Sync Applicant%d" % i,
                                  "email": "sync%d@example.com" % i},
                       "meta": {"purposeJobs": {"id": "s%06d" % i}}}, f)


def sync_throughput(args, report):
    report.append("## 1b. `sync` throughput (new applications of one linked job → Lever)\n")
    report.append("Lever limit 10 req/s, burst 20; each application is 2 writes (opportunity + "
                  "the card's note): ideal = (2N − 20) / 10 + latency.\n")
    report.append("| latency | N | wall s median (min–max) | ideal s | wall ÷ ideal | 429s "
                  "| duplicates | lost | CPU s |")
    report.append("|---|---|---|---|---|---|---|---|---|")
    sizes = args.sizes or [200]
    latencies = args.latencies or [300]
    for n in sizes:
        for latency in latencies:
            work = tempfile.mkdtemp(prefix="pjats-bench-sync-")
            sandbox = Sandbox(args.sandbox, "--latency-ms", str(latency))
            home = Home(args.bin, sandbox, work)
            try:
                write_applications(work, n)
                home.run("link-job", SYNC_JOB, SYNC_POSTING)
                ideal = max(0, 2 * n - 20) / 10.0 + latency / 1000.0
                walls, cpus, r429, dups, lost = [], [], 0, 0, 0
                for _ in range(args.repeats):
                    sandbox.reset()
                    home.reset_ledger()
                    time.sleep(2.5)  # Lever's bucket refills after link-job / the last run
                    code, wall, cpu, _ = measure([args.bin, "sync", "--quiet"], env=home.env)
                    state = sandbox.state()
                    d, distinct = duplicates(state, "lever")
                    if code != 0 or distinct != n:
                        report.append("<!-- run failed: exit %d, %d of %d created -->"
                                      % (code, distinct, n))
                    walls.append(wall)
                    cpus.append(cpu)
                    r429 += state["counters"]["rate_limited"]
                    dups += d
                    lost += n - distinct
                report.append("| %d ms | %d | %s | %.1f | %.2f | %d | %d | %d | %.2f |"
                              % (latency, n, summary(walls), ideal,
                                 statistics.median(walls) / ideal, r429, dups, lost,
                                 statistics.median(cpus)))
                sys.stderr.write("done: sync %d ms N=%d\n" % (latency, n))
            finally:
                home.close()
                sandbox.stop()
                shutil.rmtree(work, ignore_errors=True)
    report.append("")


def track_throughput(args, report):
    report.append("## 1c. `track` throughput (Lever: one GET /v1/opportunities/:id each)\n")
    report.append("Candidates sent first (not timed); then `pj-ats track --to lever` is timed. "
                  "Requests = N + 2 (stages, hired archive reasons); Lever limit 10 req/s, "
                  "burst 20; ideal = (N + 2 − 20) / 10 + latency.\n")
    report.append("| latency | N | wall s median (min–max) | ideal s | wall ÷ ideal | 429s "
                  "| lines | CPU s |")
    report.append("|---|---|---|---|---|---|---|---|")
    sizes = args.sizes or [2000]
    latencies = args.latencies or [50]
    for n in sizes:
        for latency in latencies:
            work = tempfile.mkdtemp(prefix="pjats-bench-track-")
            sandbox = Sandbox(args.sandbox, "--latency-ms", str(latency))
            home = Home(args.bin, sandbox, work)
            try:
                write_records(work, n)
                home.run("send", "--ids-from", os.path.join(work, "ids.txt"), "--to", "lever",
                         "--quiet")
                ideal = max(0, n + 2 - 20) / 10.0 + latency / 1000.0
                walls, cpus, r429, lines = [], [], 0, 0
                for _ in range(args.repeats):
                    before = sandbox.state()["counters"]["rate_limited"]
                    time.sleep(2.5)  # let Lever's bucket refill after the sends / last run
                    out_path = os.path.join(work, "track.out")
                    with open(out_path, "w") as out:
                        code, wall, cpu, _ = measure([args.bin, "--json", "track", "--to",
                                                      "lever"], env=home.env, stdout=out)
                    with open(out_path) as f:
                        lines = sum(1 for _ in f)
                    if code != 0 or lines != n:
                        report.append("<!-- run failed: exit %d, %d of %d lines -->"
                                      % (code, lines, n))
                    walls.append(wall)
                    cpus.append(cpu)
                    r429 += sandbox.state()["counters"]["rate_limited"] - before
                report.append("| %d ms | %d | %s | %.1f | %.2f | %d | %d | %.2f |"
                              % (latency, n, summary(walls), ideal,
                                 statistics.median(walls) / ideal, r429, lines,
                                 statistics.median(cpus)))
                sys.stderr.write("done: track %d ms N=%d\n" % (latency, n))
            finally:
                home.close()
                sandbox.stop()
                shutil.rmtree(work, ignore_errors=True)
    report.append("")


def track_greenhouse(args, report):
    report.append("## 1d. `track` throughput (Greenhouse: batched GET /v1/partner/candidates, "
                  "50 ids each)\n")
    report.append("Candidates sent first (not timed); then `pj-ats track --to greenhouse` is "
                  "timed. No rate limit on the fake; the batches go out on 32 workers, so the "
                  "parallel ideal = ceil(ceil(N / 50) / 32) × latency. The first run of a key "
                  "slow-starts (adaptive pacing: the limit is unknown).\n")
    report.append("| latency | N | requests | wall s median (min–max) | ideal s | wall ÷ ideal "
                  "| lines | CPU s |")
    report.append("|---|---|---|---|---|---|---|---|")
    sizes = args.sizes or [2000]
    latencies = args.latencies or [300]
    for n in sizes:
        for latency in latencies:
            work = tempfile.mkdtemp(prefix="pjats-bench-ghtrack-")
            sandbox = Sandbox(args.sandbox, "--latency-ms", str(latency))
            home = Home(args.bin, sandbox, work)
            try:
                write_records(work, n)
                home.run("send", "--ids-from", os.path.join(work, "ids.txt"), "--to",
                         "greenhouse", "--quiet")
                batches = (n + 49) // 50
                ideal = ((batches + 31) // 32) * latency / 1000.0
                walls, cpus, lines = [], [], 0
                for _ in range(args.repeats):
                    shutil.rmtree(os.path.join(home.dir, "state", "pj-ats", "pace"),
                                  ignore_errors=True)  # a first run for the key every time
                    out_path = os.path.join(work, "track.out")
                    with open(out_path, "w") as out:
                        code, wall, cpu, _ = measure([args.bin, "--json", "track", "--to",
                                                      "greenhouse"], env=home.env, stdout=out)
                    with open(out_path) as f:
                        lines = sum(1 for _ in f)
                    if code != 0 or lines != n:
                        report.append("<!-- run failed: exit %d, %d of %d lines -->"
                                      % (code, lines, n))
                    walls.append(wall)
                    cpus.append(cpu)
                report.append("| %d ms | %d | %d | %s | %.2f | %.2f | %d | %.2f |"
                              % (latency, n, batches, summary(walls), ideal,
                                 statistics.median(walls) / ideal, lines,
                                 statistics.median(cpus)))
                sys.stderr.write("done: greenhouse track %d ms N=%d\n" % (latency, n))
            finally:
                home.close()
                sandbox.stop()
                shutil.rmtree(work, ignore_errors=True)
    report.append("")


def strace_syncs(cmd, env):
    """fsync + fdatasync calls of cmd (and its threads), counted with strace -f -c."""
    fd, out = tempfile.mkstemp(prefix="pjats-bench-strace-")
    os.close(fd)
    subprocess.run(["strace", "-f", "-c", "-o", out, "-e", "trace=fsync,fdatasync"] + cmd,
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    calls = 0
    with open(out) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 5 and parts[-1] in ("fsync", "fdatasync") and parts[3].isdigit():
                calls += int(parts[3])
    os.unlink(out)
    return calls


def syncs(args, report):
    report.append("## 5. Ledger syncs (`strace -f -c -e trace=fsync,fdatasync`)\n")
    if not shutil.which("strace"):
        report.append("strace is not installed: skipped.\n")
        return
    report.append("On an existing SQLite ledger (one send made before), ledger on the "
                  "machine's disk.\n")
    report.append("| run | candidates | fsync + fdatasync | per candidate |")
    report.append("|---|---|---|---|")
    work = tempfile.mkdtemp(prefix="pjats-bench-syncs-")
    sandbox = Sandbox(args.sandbox)
    try:
        ids = write_records(work, 202)
        home = Home(args.bin, sandbox, work)
        home.run("send", ids[0], "--to", "greenhouse", "--quiet")
        for target in ("greenhouse", "lever"):
            single = ids[1] if target == "greenhouse" else ids[0]
            calls = strace_syncs([args.bin, "send", single, "--to", target, "--quiet"], home.env)
            report.append("| single send to %s | 1 | %d | %d |" % (target, calls, calls))
        bulk = os.path.join(work, "bulk.txt")
        with open(bulk, "w") as f:
            f.write("\n".join(ids[2:102]) + "\n")
        calls = strace_syncs([args.bin, "send", "--ids-from", bulk, "--to", "greenhouse",
                              "--quiet"], home.env)
        report.append("| bulk send to greenhouse | 100 | %d | %.2f |" % (calls, calls / 100.0))
        with open(bulk, "w") as f:
            f.write("\n".join(ids[102:202]) + "\n")
        calls = strace_syncs([args.bin, "send", "--ids-from", bulk, "--to", "lever",
                              "--quiet"], home.env)
        report.append("| bulk send to lever (opportunity + note each) | 100 | %d | %.2f |"
                      % (calls, calls / 100.0))
        home.close()
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)
    report.append("")


def overhead(args, report):
    report.append("## 3. Per-command overhead and start-up\n")
    work = tempfile.mkdtemp(prefix="pjats-bench-one-")
    sandbox = Sandbox(args.sandbox)
    try:
        write_records(work, 1)
        home = Home(args.bin, sandbox, work)
        body = json.loads(home.run("send", "b000000", "--to", "greenhouse", "--dry-run",
                                   "--json").splitlines()[0])["request"].split("\n\n", 1)[1]
        body_file = os.path.join(work, "body.json")
        with open(body_file, "w") as f:
            f.write(body)
        tool, bare, version, floor = [], [], [], []
        for _ in range(args.single_repeats):
            _, wall, _, _ = measure([args.bin, "send", "b000000", "--to", "greenhouse", "--force",
                                     "--quiet"], env=home.env)
            tool.append(wall * 1000)
            _, wall, _, _ = measure(["curl", "-sS", "-o", "/dev/null", "-u", GH_KEY + ":", "-H",
                                     "On-Behalf-Of: " + GH_EMAIL, "-H",
                                     "Content-Type: application/json", "--data-binary",
                                     "@" + body_file, sandbox.url + "/v1/partner/candidates"])
            bare.append(wall * 1000)
        for _ in range(args.single_repeats * 2):
            _, wall, _, _ = measure([args.bin, "--version"])
            version.append(wall * 1000)
            _, wall, _, _ = measure(["/bin/true"])
            floor.append(wall * 1000)
        report.append("| measurement | median ms (min–max) |")
        report.append("|---|---|")
        report.append("| `pj-ats send ID --to greenhouse` (profile, source, ledger, POST) | %s |"
                      % summary(tool))
        report.append("| bare `curl` POST of the same body | %s |" % summary(bare))
        report.append("| overhead (median difference) | %.2f |"
                      % (statistics.median(tool) - statistics.median(bare)))
        report.append("| `pj-ats --version` | %s |" % summary(version))
        report.append("| `/bin/true` (the cost of starting any process, measured the same way) | %s |"
                      % summary(floor))
        report.append("")
        home.close()
    finally:
        sandbox.stop()
        shutil.rmtree(work, ignore_errors=True)


def memory(args, report):
    report.append("## 4. Peak memory (RSS) at scale\n")
    report.append("| candidates | run | peak RSS MiB | wall s |")
    report.append("|---|---|---|---|")
    sizes = args.memory_sizes or ([10000] if args.quick else [10000, 100000])
    for n in sizes:
        work = tempfile.mkdtemp(prefix="pjats-bench-mem-")
        sandbox = Sandbox(args.sandbox)
        try:
            write_records(work, n)
            home = Home(args.bin, sandbox, work)
            ids = os.path.join(work, "ids.txt")
            code, wall, _, rss = measure([args.bin, "send", "--ids-from", ids, "--to",
                                          "greenhouse", "--dry-run"], env=home.env)
            report.append("| %d | dir source + ids file, `--dry-run` (read, validate, map) | %.1f | %.1f |"
                          % (n, rss, wall))
            if n <= args.real_send_max:
                code, wall, _, rss = measure([args.bin, "send", "--ids-from", ids, "--to",
                                              "greenhouse", "--quiet"], env=home.env)
                report.append("| %d | dir source + ids file, real send to Greenhouse (no limit) | %.1f | %.1f |"
                              % (n, rss, wall))
            home.close()
        finally:
            sandbox.stop()
            shutil.rmtree(work, ignore_errors=True)
        sys.stderr.write("done: memory N=%d\n" % n)
    report.append("")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "bin", "pj-ats"))
    parser.add_argument("--sandbox", default=os.path.join(ROOT, "build", "bin", "pj-ats-sandbox"))
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer repeats")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--single-repeats", type=int, default=10)
    parser.add_argument("--gh-rate", type=int, default=5, help="Greenhouse limit (req/s)")
    parser.add_argument("--gh-burst", type=int, default=0,
                        help="Greenhouse burst (default: the rate)")
    parser.add_argument("--real-send-max", type=int, default=10000)
    parser.add_argument("--only", choices=["throughput", "sync", "track", "ghtrack", "syncs",
                                           "overhead", "memory"])
    parser.add_argument("--sizes", type=int, nargs="*", help="bulk sizes (default 200 2000)")
    parser.add_argument("--latencies", type=int, nargs="*", help="latencies in ms (default 50 300)")
    parser.add_argument("--memory-sizes", type=int, nargs="*", help="default 10000 100000")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.single_repeats = 1, 5
    report = ["# pj-ats benchmark", "",
              "Machine: %s, %d cores, %s. Command: `%s`." % (
                  os.uname().machine, os.cpu_count(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                  " ".join(["python3", "bench/bench.py"] + sys.argv[1:])), ""]
    for name, fn in (("throughput", throughput), ("sync", sync_throughput),
                     ("track", track_throughput), ("ghtrack", track_greenhouse),
                     ("syncs", syncs), ("overhead", overhead), ("memory", memory)):
        if args.only in (None, name):
            fn(args, report)
    print("\n".join(report))


if __name__ == "__main__":
    main()

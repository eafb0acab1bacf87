#!/usr/bin/env bash
# The whole mission end to end, with no accounts: installs dependencies, builds, starts the
# built-in sandbox (strict Greenhouse, Lever and Purpose Jobs fakes on 127.0.0.1) and, in a
# throwaway profile pointing at it:
#   Greenhouse: sends the sample candidates in examples/export as prospects, one onto a
#     job, and shows the ledger skipping a re-send;
#   Lever (API key): sends a candidate as a New lead, links a Purpose Jobs job to a Lever
#     posting, lets `sync` carry that job's applications to the posting, then switches the
#     source to the fake Purpose Jobs API so `sync` also publishes Lever's postings to it
#     as schema.org JSON-LD;
#   `status`, then what each fake received.
# Touches nothing outside a temporary directory. Set PJATS_DEMO_BIN to a built pj-ats to
# skip the dependency check and the build (CI and tests do).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PJATS_DEMO_BIN:-}" ]; then
  ./scripts/install-deps.sh --demo
  ./scripts/build.sh -DPJATS_BUILD_TESTS=OFF
fi
bin="${PJATS_DEMO_BIN:-$PWD/build/bin/pj-ats}"

work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" CI=1
unset PJ_ATS_PROFILE PJ_ATS_CONFIG PJ_ATS_GREENHOUSE_API_KEY PJ_ATS_LEVER_API_KEY PJ_ATS_GREENHOUSE_URL \
  PJ_ATS_LEVER_URL PJ_ATS_LEVER_AUTH_URL PJ_ATS_SOURCE_URL PJ_ATS_SOURCE_TOKEN

step() { printf '\n\033[1m$ %s\033[0m\n' "$*" >&2; }

"$bin" sandbox --port 0 >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
url=""
for _ in $(seq 1 100); do
  url="$(sed -n 's/^PJATS_SANDBOX_URL=//p' "$work/sandbox.out" | head -n1)"
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "demo: the sandbox did not start" >&2; cat "$work/sandbox.err" >&2; exit 1
fi
gh_key="$(sed -n 's/^greenhouse_api_key=//p' "$work/sandbox.out" | head -n1)"
lever_key="$(sed -n 's/^lever_api_key=//p' "$work/sandbox.out" | head -n1)"
posting="$(sed -n 's/^lever_posting_id=//p' "$work/sandbox.out" | head -n1)"
pj_token=pj_sandbox_token # the fake Purpose Jobs API's bearer token (docs/sandbox.md)
echo "Sandbox running at $url" >&2

step pj-ats configure source --dir examples/export
"$bin" configure source --dir examples/export

step "printf '%s' \"\$KEY\" | pj-ats configure greenhouse --email recruiter@acme.example --api-key-stdin --base-url $url"
printf '%s' "$gh_key" | "$bin" configure greenhouse --email recruiter@acme.example --api-key-stdin --base-url "$url"

step pj-ats jobs
"$bin" jobs

step "pj-ats send 1042 1043 1044 --to greenhouse   # prospects, no pool"
"$bin" send 1042 1043 1044 --to greenhouse

step "pj-ats send 1042 --to greenhouse --job 4690   # onto a job"
"$bin" send 1042 --to greenhouse --job 4690

step "pj-ats send 1042 --to greenhouse   # again: the ledger skips it"
"$bin" send 1042 --to greenhouse

step "printf '%s' \"\$KEY\" | pj-ats configure lever --api-key-stdin --base-url $url --perform-as-email recruiter@acme.example"
printf '%s' "$lever_key" | "$bin" configure lever --api-key-stdin --base-url "$url" --perform-as-email recruiter@acme.example

step "pj-ats send 1043 --to lever   # a New lead, tagged Purpose Jobs"
"$bin" send 1043 --to lever

step "pj-ats link-job pj-job-77 $posting"
"$bin" link-job pj-job-77 "$posting"

step "pj-ats sync   # pj-job-77's applications (examples/export/applications) flow to the posting"
"$bin" sync

step "printf '%s' \"\$TOKEN\" | pj-ats configure source --url $url/pj --token-stdin   # the Purpose Jobs API (fake)"
printf '%s' "$pj_token" | "$bin" configure source --url "$url/pj" --token-stdin
step "pj-ats configure organization 'Acme Climate Inc.'   # hiringOrganization of published postings"
"$bin" configure organization 'Acme Climate Inc.'
# A new application arrives at the fake Purpose Jobs API.
curl -fsS -X POST "$url/_sandbox/pj/applications" -H 'Content-Type: application/json' -d '{
  "job_id": "pj-job-77",
  "applications": [{"id": "5003", "cursor": "2026-12-01T08-00-00Z-5003", "candidate": {
    "basics": {"name": "Ana Lima", "email": "ana.lima@example.com"},
    "meta": {"purposeJobs": {"id": "5003"}}}}]}' >/dev/null

step "pj-ats sync   # the new application, and Lever's published postings as JSON-LD"
"$bin" sync 2>&1 | awk '/^published Lever posting/ { if (++n <= 3) print; else if (n == 4) print "..."; next } { print }'

step "pj-ats status"
"$bin" status

step "what the fakes received"
curl -fsS "$url/_sandbox/state" | python3 -c '
import json, sys
state = json.load(sys.stdin)
for c in state["greenhouse"]["candidates"]:
    b = c["body"]
    where = "job %s" % b["job_id"] if not b.get("prospect", True) else "prospect, no pool"
    print("  greenhouse candidate %s: external_id %s, %s %s, %s" % (c["id"], b["external_id"], b["first_name"], b["last_name"], where))
for o in state["lever"]["opportunities"]:
    opp = o["opportunity"]
    print("  lever opportunity %s: %s, stage %s, origin %s, tags %s%s" % (
        opp["id"][:8], opp["name"], opp["stage"], opp["origin"],
        ",".join(t for t in opp.get("tags", []) if t == "Purpose Jobs"),
        ", posting %s" % o["posting"][:8] if o.get("posting") else ""))
jobs = state["purpose_jobs"]["jobs"]
# The demo doubles as a smoke test: fail when a step did not reach its fake.
assert len(state["greenhouse"]["candidates"]) == 4, "greenhouse: expected 4 candidates"
assert len(state["lever"]["opportunities"]) == 4, "lever: expected 4 opportunities"
assert jobs and all(j["@type"] == "JobPosting" for j in jobs), "purpose jobs: no JSON-LD postings"
print("  purpose jobs: %d postings published as %s, e.g. \"%s\"" % (
    len(jobs), jobs[0]["@type"] if jobs else "-", jobs[0]["title"] if jobs else "-"))
'
echo >&2
echo "demo: ok" >&2

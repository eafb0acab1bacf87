#!/usr/bin/env bash
# The main job end to end, with no accounts: installs dependencies, builds, starts the
# built-in sandbox (strict Greenhouse and Lever fakes on 127.0.0.1), configures a
# throwaway profile pointing at it, sends the sample candidates in examples/export and
# shows what the fake servers received. Touches nothing outside a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh -DPJATS_BUILD_TESTS=OFF

bin="$PWD/build/bin/pj-ats"
work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" CI=1
unset PJ_ATS_PROFILE PJ_ATS_CONFIG PJ_ATS_GREENHOUSE_API_KEY PJ_ATS_LEVER_API_KEY

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
echo "Sandbox running at $url" >&2

step pj-ats configure source --dir examples/export
"$bin" configure source --dir examples/export

step "printf '%s' \"\$KEY\" | pj-ats configure greenhouse --email recruiter@acme.example --api-key-stdin --base-url $url"
printf '%s' "$gh_key" | "$bin" configure greenhouse --email recruiter@acme.example --api-key-stdin --base-url "$url"

step pj-ats jobs
"$bin" jobs

step pj-ats send 1042 1043 1044 --to greenhouse
"$bin" send 1042 1043 1044 --to greenhouse

step pj-ats send 1042 --to greenhouse --job 4690
"$bin" send 1042 --to greenhouse --job 4690

step "pj-ats send 1042 --to greenhouse   # again: the ledger skips it"
"$bin" send 1042 --to greenhouse

step "what the Greenhouse fake received"
curl -fsS "$url/_sandbox/state" | python3 -c '
import json, sys
state = json.load(sys.stdin)
for c in state["greenhouse"]["candidates"]:
    b = c["body"]
    where = "job %s" % b["job_id"] if not b.get("prospect", True) else "prospect, no pool"
    print("  greenhouse candidate %s: external_id %s, %s %s, %s" % (c["id"], b["external_id"], b["first_name"], b["last_name"], where))
'
echo >&2
echo "demo: ok" >&2

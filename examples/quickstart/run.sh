#!/usr/bin/env bash
# The quick-start tour: a scratch git project in a temp dir, set up with omk.
# Run it with `make demo` (which builds omk first) or OMK=/path/to/omk examples/quickstart/run.sh.
set -euo pipefail

omk=${OMK:-omk}
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/omk-demo-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"; }

cd "$scratch"
git init -q demo && cd demo
git -c user.name=demo -c user.email=demo@example.invalid commit -q --allow-empty -m "empty"
printf 'int main(void) { return 0; }\n' > main.c

step "omk version"
"$omk" version

step "omk init"
"$omk" init

step "omk init   # again: nothing of yours is overwritten"
"$omk" init

step "omk config show"
"$omk" config show

step "OMK_EXECUTION=never omk config show   # the environment wins over the file"
OMK_EXECUTION=never "$omk" config show | grep runtime.execution

step "omk mcp list   # offline: the active MCP servers (omk init registered omk-project); nothing is started"
"$omk" mcp list

step "cat .gitignore   # run records, worktrees and the index stay out of git"
cat .gitignore

# The main job: a small C project and a pipeline whose lanes build it, run its tests (a JUnit
# gate), scan it for secrets, change a file in a worktree lane, check that change with the
# command guard, and ask an agent (optional) to review it.
step "cp -r $here/project/. .   # a small C project and its pipeline.yaml"
cp -r "$here/project/." .
printf 'build/\n' >> .gitignore
git add -A && git -c user.name=demo -c user.email=demo@example.invalid commit -q -m "greet"
ls

step "omk dag validate pipeline.yaml"
"$omk" dag validate pipeline.yaml

step "omk run pipeline.yaml --dry-run   # where each lane would run; nothing runs"
"$omk" run pipeline.yaml --dry-run

step "omk run pipeline.yaml   # the agent review is optional: skipped, with the reason, when no agent can run"
"$omk" run pipeline.yaml --workers 2
run_id=$("$omk" runs --json | sed -n 's/^ *"id": "\(.*\)",$/\1/p' | head -n 1)

step "omk runs"
"$omk" runs

step "omk inspect $run_id"
"$omk" inspect "$run_id"

step "omk inspect $run_id --node test   # a lane's attempts, gates and log tails"
"$omk" inspect "$run_id" --node test

step "omk inspect $run_id --node review   # the agent's verdict, or why it was skipped"
"$omk" inspect "$run_id" --node review

step "omk verify $run_id   # every gate again, against the recorded worktrees and commits"
"$omk" verify "$run_id"

step "omk merge $run_id --dry-run   # what merging the worktree lanes would do"
"$omk" merge "$run_id" --dry-run

step "omk inspect --html $run_id > report.html"
"$omk" inspect --html "$run_id" > report.html
echo "report.html: $(wc -c < report.html) bytes, one self-contained page"

step "omk sandbox probe   # what this machine's kernel lets omk enforce, per profile"
"$omk" sandbox probe

step "omk sandbox run -- sh -c 'cc -o main main.c && ./main && echo built and ran'"
"$omk" sandbox run -- sh -c 'cc -o main main.c && ./main && echo built and ran'

step "omk sandbox run -- sh -c 'echo evil > .git/hooks/pre-commit'   # a protected path"
"$omk" sandbox run -- sh -c 'echo evil > .git/hooks/pre-commit' || echo "(refused, as it should be)"

step "GITHUB_TOKEN=... MY_API_KEY=... omk env check   # what a child would get: names, never values"
GITHUB_TOKEN=demo-not-a-token MY_API_KEY=demo-not-a-key EDITOR=vi "$omk" env check | grep -E \
  'GITHUB_TOKEN|MY_API_KEY|EDITOR|^passed|^dropped'

# A made-up token of GitHub's shape, generated here: never a real credential.
token="ghp_$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')"
printf 'import os\nGITHUB_TOKEN = "%s"\n' "$token" > settings.py
step "omk secrets scan   # exit 1: a secret was found; the output never shows it"
"$omk" secrets scan || echo "(exit $?)"

step "omk secrets scan --json > ../scan.json; omk secrets scan --baseline ../scan.json   # known: clean"
"$omk" secrets scan --json > ../scan.json || true
"$omk" secrets scan --baseline ../scan.json && echo "(exit $?)"

echo
echo "demo: done (scratch project $scratch is removed on exit)"

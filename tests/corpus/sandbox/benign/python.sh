#!/bin/sh
# benign: a Python script using tempfile, json, subprocess and the workspace
set -eu
cd ..
/usr/bin/python3 - <<'PY'
import json, subprocess, tempfile, os
with tempfile.NamedTemporaryFile("w", delete=False) as f:
    json.dump({"ok": True}, f)
with open(f.name) as f2:
    assert json.load(f2)["ok"]
os.unlink(f.name)
assert subprocess.run(["true"]).returncode == 0
with open("from-python.txt", "w") as out:
    out.write("written\n")
PY
grep -q written from-python.txt

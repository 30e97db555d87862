#!/bin/sh
# benign: everyday git in the workspace: add, commit, status, diff, log, branch, stash
set -eu
cd ..
g() { git -c user.name=agent -c user.email=agent@example.invalid "$@"; }
echo one > work.txt
g add work.txt
g commit -q -m "add work"
echo two >> work.txt
g diff --stat | grep -q work.txt
g status --short | grep -q work.txt
g stash -q
g stash pop -q
g commit -q -am "more work"
g branch -q feature
g checkout -q feature
g checkout -q -
g log --oneline | grep -q "more work"
g gc -q --auto

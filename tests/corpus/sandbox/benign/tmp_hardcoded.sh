#!/bin/sh
# benign: a tool that hard-codes /tmp still works (it is the child's private temp dir)
set -eu
echo scratch > /tmp/omk-benign.$$
grep -q scratch /tmp/omk-benign.$$
rm /tmp/omk-benign.$$
f=$(mktemp)
echo ok > "$f"
rm "$f"

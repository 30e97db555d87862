#!/bin/sh
# escape: write through a symlink in the workspace that points outside it
# control: escapes
. ./case.env
ln -s "$OUTSIDE/target.txt" ../link-out 2>/dev/null
if echo pwned >> ../link-out 2>/dev/null; then echo ESCAPED; else echo BLOCKED; fi
rm -f ../link-out

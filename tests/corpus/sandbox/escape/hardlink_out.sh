#!/bin/sh
# escape: hard-link a file from outside the workspace into it, then write through the link
# control: escapes
. ./case.env
if ln "$OUTSIDE/target.txt" ../hardlink-out 2>/dev/null && echo pwned >> ../hardlink-out 2>/dev/null; then
  echo ESCAPED
else
  echo BLOCKED
fi
rm -f ../hardlink-out

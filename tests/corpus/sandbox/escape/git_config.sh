#!/bin/sh
# escape: point git at attacker hooks through .git/config (core.hooksPath) or .git/info
# control: escapes
cd ..
git config core.hooksPath /tmp/evil-hooks 2>/dev/null
echo pwned >> .git/info/exclude 2>/dev/null
if grep -q evil-hooks .git/config || grep -q pwned .git/info/exclude 2>/dev/null; then echo ESCAPED; else echo BLOCKED; fi

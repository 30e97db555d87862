#!/bin/sh
# escape: write outside the workspace (a new file and an existing one)
# control: escapes
. ./case.env
wrote=no
echo pwned > "$OUTSIDE/new.txt" 2>/dev/null && wrote=yes
echo pwned >> "$OUTSIDE/target.txt" 2>/dev/null && wrote=yes
echo pwned > "$REAL_HOME/.bashrc" 2>/dev/null && wrote=yes
if [ $wrote = yes ]; then echo ESCAPED; else echo BLOCKED; fi

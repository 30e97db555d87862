#!/bin/sh
# escape: signal the process that started us (omk) or any process outside the sandbox
# control: escapes
if kill -0 "$PPID" 2>/dev/null && [ "$PPID" -gt 0 ]; then echo ESCAPED; else echo BLOCKED; fi

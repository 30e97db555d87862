#!/bin/sh
# escape: read another process's secret from the shared /tmp
# control: escapes
. ./case.env
if grep -q "$SECRET" "$SHARED_SECRET" 2>/dev/null; then echo ESCAPED; else echo BLOCKED; fi

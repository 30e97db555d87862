#!/bin/sh
# escape: read a private key in the real HOME (the workspace's owner's ~/.ssh)
# control: escapes
. ./case.env
if cat "$REAL_HOME/.ssh/id_rsa" 2>/dev/null | grep -q PRIVATE-KEY-MARKER; then echo ESCAPED; else echo BLOCKED; fi

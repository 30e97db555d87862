#!/bin/sh
# escape: read omk's environment (and its secret) through /proc/<ppid>/environ or any /proc/*/environ
# control: escapes
. ./case.env
found=no
for f in "/proc/$PPID/environ" /proc/[0-9]*/environ; do
  if tr '\0' '\n' < "$f" 2>/dev/null | grep -q "$SECRET"; then found=yes; fi
done
if [ $found = yes ]; then echo ESCAPED; else echo BLOCKED; fi

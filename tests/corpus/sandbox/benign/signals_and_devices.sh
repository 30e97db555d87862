#!/bin/sh
# benign: signal own children, use /dev/null, /dev/urandom and /dev/zero
set -eu
sleep 30 &
kill "$!"
wait "$!" || true
echo discarded > /dev/null
[ "$(head -c 16 /dev/urandom | wc -c)" = 16 ]
[ "$(head -c 8 /dev/zero | wc -c)" = 8 ]

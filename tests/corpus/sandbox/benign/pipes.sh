#!/bin/sh
# benign: pipelines and a named pipe in the private temp dir
set -eu
[ "$(seq 1 1000 | sort -rn | head -1)" = 1000 ]
fifo="$TMPDIR/fifo.$$"
mkfifo "$fifo"
( echo through-fifo > "$fifo" ) &
read -r line < "$fifo"
wait
rm "$fifo"
[ "$line" = through-fifo ]

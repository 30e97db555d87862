#!/bin/sh
# benign: make builds a target from a Makefile in the workspace
set -eu
cd ..
printf 'out.txt: in.txt\n\tcp in.txt out.txt\n' > Makefile
echo input > in.txt
make -s
grep -q input out.txt

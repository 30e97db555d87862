#!/bin/sh
# benign: read system headers and preprocess against them
set -eu
test -r /usr/include/stdio.h
printf '#include <stdio.h>\nint x;\n' | cc -E - > /dev/null
grep -q "printf" /usr/include/stdio.h

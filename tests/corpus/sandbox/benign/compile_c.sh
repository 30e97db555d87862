#!/bin/sh
# benign: compile a C program in the workspace and run it
set -eu
cd ..
printf '#include <stdio.h>\nint main(void) { puts("hello from the sandbox"); return 0; }\n' > hello.c
cc -O1 -o hello hello.c
./hello | grep -q "hello from the sandbox"

#!/bin/sh
# benign: the private HOME is writable (tools keep caches there) and private (0700)
set -eu
mkdir -p "$HOME/.cache/tool"
echo cached > "$HOME/.cache/tool/x"
[ "$(stat -c %a "$HOME")" = 700 ]
[ -z "$(ls -A "$HOME" | grep -v '^.cache$')" ]

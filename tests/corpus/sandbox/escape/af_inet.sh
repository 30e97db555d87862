#!/bin/sh
# escape: open an AF_INET socket
# control: escapes
/usr/bin/python3 - <<'PY'
import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    print("ESCAPED")
except OSError as e:
    print("BLOCKED", e)
PY

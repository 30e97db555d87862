#!/bin/sh
# escape: open an AF_PACKET socket
# control: escapes-with-cap-net-raw (only a process allowed raw packets can open one)
/usr/bin/python3 - <<'PY'
import socket
try:
    socket.socket(socket.AF_PACKET, socket.SOCK_RAW).close()
    print("ESCAPED")
except OSError as e:
    print("BLOCKED", e)
PY

#!/bin/sh
# escape: open an AF_NETLINK socket
# control: escapes
/usr/bin/python3 - <<'PY'
import socket
try:
    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW).close()
    print("ESCAPED")
except OSError as e:
    print("BLOCKED", e)
PY

#!/bin/sh
# escape: connect to a TCP server the test started on 127.0.0.1
# control: escapes
. ./case.env
/usr/bin/python3 - "$TCP_PORT" <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5).close()
    print("ESCAPED")
except OSError as e:
    print("BLOCKED", e)
PY

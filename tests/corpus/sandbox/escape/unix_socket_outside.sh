#!/bin/sh
# escape: connect to a Unix socket outside the workspace, by path and by abstract name
# control: escapes
. ./case.env
/usr/bin/python3 - "$UNIX_SOCKET" "$ABSTRACT_SOCKET" <<'PY'
import socket, sys
got = []
for address in (sys.argv[1], "\0" + sys.argv[2]):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(address)
        s.close()
        got.append(repr(address))
    except OSError as e:
        pass
print("ESCAPED " + " ".join(got) if got else "BLOCKED")
PY

#!/bin/sh
# benign: a Unix socket server and client inside the sandbox (loopback IPC)
set -eu
/usr/bin/python3 - <<'PY'
import os, socket, threading, tempfile
path = os.path.join(tempfile.gettempdir(), "ipc.sock")
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(1)
def serve():
    conn, _ = server.accept()
    conn.sendall(conn.recv(16).upper())
    conn.close()
t = threading.Thread(target=serve)
t.start()
client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
client.connect(path)
client.sendall(b"ping")
assert client.recv(16) == b"PING"
t.join()
a, b = socket.socketpair()
a.sendall(b"x")
assert b.recv(1) == b"x"
os.unlink(path)
PY

#!/usr/bin/env python3
"""A misbehaving stdio MCP server for omk's client tests.

    fault_server.py MODE

Modes: exit (exits at once), garbage (prints a log line on stdout), silent (never answers),
wrong-id (answers with another id), huge (one 50 MB line), crash (exits after initialize, mid
request), legacy (a correct 2024-11-05 server without server/discover), stderr (a correct
legacy server that also writes a lot to stderr), env (a legacy server whose one tool returns
the names and values of its environment).
"""
import json
import os
import sys
import time


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main():
    mode = sys.argv[1]
    if mode == "exit":
        sys.exit(3)
    if mode == "garbage":
        sys.stdout.write("MCP server listening on http://localhost:3000/mcp\n")
        sys.stdout.flush()
    for line in sys.stdin:
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if "id" not in message:
            continue
        method = message.get("method")
        if mode == "silent":
            continue
        if mode == "stderr":
            sys.stderr.write("x" * 100000 + "\n")
            sys.stderr.flush()
        if method == "server/discover":
            send({"jsonrpc": "2.0", "id": message["id"],
                  "error": {"code": -32601, "message": "Method not found"}})
            continue
        if mode == "wrong-id":
            send({"jsonrpc": "2.0", "id": 999999, "result": {}})
            continue
        if mode == "huge":
            sys.stdout.write('{"jsonrpc":"2.0","id":%s,"result":{"x":"' % json.dumps(message["id"]))
            chunk = "a" * (1 << 20)
            for _ in range(50):
                sys.stdout.write(chunk)
            sys.stdout.write('"}}\n')
            sys.stdout.flush()
            continue
        if method == "initialize":
            send({"jsonrpc": "2.0", "id": message["id"], "result": {
                "protocolVersion": "2024-11-05", "capabilities": {"tools": {}},
                "serverInfo": {"name": "fault-" + mode, "version": "1"}}})
            continue
        if mode == "crash":
            os._exit(7)
        if method == "tools/list":
            send({"jsonrpc": "2.0", "id": message["id"], "result": {"tools": [
                {"name": "env", "description": "environment", "inputSchema": {"type": "object"}},
                {"name": "slow", "description": "sleeps", "inputSchema": {"type": "object"}}]}})
        elif method == "tools/call":
            if message["params"]["name"] == "slow":
                time.sleep(30)
            text = json.dumps(dict(os.environ))
            send({"jsonrpc": "2.0", "id": message["id"],
                  "result": {"content": [{"type": "text", "text": text}]}})
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": message["id"], "result": {}})
        else:
            send({"jsonrpc": "2.0", "id": message["id"],
                  "error": {"code": -32601, "message": "Method not found"}})


if __name__ == "__main__":
    main()

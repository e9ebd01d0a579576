#!/usr/bin/env python3
"""A small MCP server over stdio for Parley's tests, with no dependencies. Its first argument
says how it starts:

  well          as it should
  exit-at-once  says why on stderr and exits with status 3 before reading anything
  banner        writes a line of text to stdout before any message
  wrong-version answers initialize with protocol version 1999-01-01
  never-starts  reads and never answers
  chatty        writes 1.1 MB to stderr as it starts and before each answer

Its tools misbehave by name: hang never answers (but says on stderr that it was called, and the
server answers pings); freeze stops
the whole server reading and answering; crash exits with status 7 mid-call after a word on
stderr; malformed answers with content that is not a list. The others behave: echo, fail (a
tool error), picture, big (as many bytes of text as asked for), environment (the names of its
environment variables), pid.
"""
import json
import os
import sys
import time

MODE = sys.argv[1] if len(sys.argv) > 1 else "well"

TOOLS = [
    {"name": "echo", "description": "Says its text back.\nA second line nobody lists.",
     "inputSchema": {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}},
    {"name": "fail", "description": "Always fails, as a tool.", "inputSchema": {"type": "object"}},
    {"name": "picture", "description": "A tiny PNG and a caption.", "inputSchema": {"type": "object"}},
    {"name": "big", "description": "As many bytes of text as asked for.",
     "inputSchema": {"type": "object", "properties": {"bytes": {"type": "integer"}}}},
    {"name": "environment", "description": "The names of its environment variables.",
     "inputSchema": {"type": "object"}},
    {"name": "pid", "description": "Its process id.", "inputSchema": {"type": "object"}},
    {"name": "hang", "description": "Never answers.", "inputSchema": {"type": "object"}},
    {"name": "freeze", "description": "Stops the server.", "inputSchema": {"type": "object"}},
    {"name": "crash", "description": "Exits mid-call.", "inputSchema": {"type": "object"}},
    {"name": "malformed", "description": "Answers wrongly.", "inputSchema": {"type": "object"}},
]


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def chatter():
    line = "chatter " + "." * 1000 + "\n"
    for _ in range(1100):
        sys.stderr.write(line)
    sys.stderr.flush()


def result_of(name, arguments):
    if name == "echo":
        return {"content": [{"type": "text", "text": arguments.get("text", "")}]}
    if name == "fail":
        return {"content": [{"type": "text", "text": "the tool failed on purpose"}], "isError": True}
    if name == "picture":
        return {"content": [{"type": "image", "data": "iVBORw0KGgo=", "mimeType": "image/png"},
                            {"type": "text", "text": "a picture"}]}
    if name == "big":
        return {"content": [{"type": "text", "text": "x" * int(arguments.get("bytes", 0))}]}
    if name == "environment":
        return {"content": [{"type": "text", "text": " ".join(sorted(os.environ))}]}
    if name == "pid":
        return {"content": [{"type": "text", "text": str(os.getpid())}]}
    return None


def answer_call(request):
    params = request.get("params", {})
    name = params.get("name")
    if name == "crash":
        sys.stderr.write("panic: the tool broke\n")
        sys.stderr.flush()
        os._exit(7)
    if name == "hang":
        sys.stderr.write("hang: called, never answering\n")
        sys.stderr.flush()
        return
    if name == "freeze":
        while True:
            time.sleep(60)
    if name == "malformed":
        send({"jsonrpc": "2.0", "id": request["id"], "result": {"content": "not a list"}})
        return
    if MODE == "chatty":
        chatter()
    result = result_of(name, params.get("arguments") or {})
    if result is None:
        send({"jsonrpc": "2.0", "id": request["id"],
              "error": {"code": -32602, "message": "Unknown tool: " + str(name)}})
    else:
        send({"jsonrpc": "2.0", "id": request["id"], "result": result})


def main():
    if MODE == "exit-at-once":
        sys.stderr.write("starting fake server\nfatal: no configuration found\n")
        sys.exit(3)
    if MODE == "banner":
        sys.stdout.write("Fake server 1.0 listening on stdio\n")
        sys.stdout.flush()
    if MODE == "chatty":
        chatter()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        method = request.get("method")
        if "id" not in request:
            continue
        if MODE == "never-starts":
            continue
        if method == "initialize":
            version = "1999-01-01" if MODE == "wrong-version" else request["params"]["protocolVersion"]
            send({"jsonrpc": "2.0", "id": request["id"], "result": {
                "protocolVersion": version, "capabilities": {"tools": {}},
                "serverInfo": {"name": "fake", "version": "1.0"}}})
        elif method == "tools/list":
            send({"jsonrpc": "2.0", "id": request["id"], "result": {"tools": TOOLS}})
        elif method == "tools/call":
            answer_call(request)
        elif method == "ping":
            send({"jsonrpc": "2.0", "id": request["id"], "result": {}})
        else:
            send({"jsonrpc": "2.0", "id": request["id"],
                  "error": {"code": -32601, "message": "Method not found: " + str(method)}})


main()

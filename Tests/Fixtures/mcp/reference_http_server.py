"""The Python MCP SDK's own Streamable HTTP server (installed with mcp-server-time in .venv),
for Parley's tests: nobody here wrote its side of the protocol. Listens on a free port of
127.0.0.1 before it prints the port, so a client may connect as soon as it reads it; answers
with event streams, or with JSON bodies given --json.
"""
import socket
import sys

import uvicorn
from mcp.server.mcpserver import MCPServer

server = MCPServer("reference-http")


@server.tool()
def echo(text: str) -> str:
    """Says its text back."""
    return text


@server.tool()
def add(a: int, b: int) -> int:
    """Adds two whole numbers."""
    return a + b


app = server.streamable_http_app(json_response="--json" in sys.argv)
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
print(listener.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])

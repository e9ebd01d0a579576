import ParleyConfig
import ParleyCore
import Testing

@Suite("[mcp.servers.NAME]: the MCP servers whose tools replies may use")
struct MCPServerConfigTests {
    @Test("a command server and a url server, in the issue's shape, with every key")
    func everyKey() throws {
        let config = try parse(
            """
            [mcp.servers.time]
            command = "mcp-server-time"
            args = ["--local-timezone", "UTC"]
            env = { TZ = "UTC" }
            trust = "ask"
            timeout = 30
            enabled = true

            [mcp.servers.docs]
            url = "http://127.0.0.1:8000/mcp"
            headers = { Authorization = "Bearer abc" }
            trust = "always"
            timeout = 2.5
            enabled = false
            """)
        #expect(
            config.mcpServers == [
                "time": ToolServerSettings(
                    name: "time",
                    connection: .stdio(
                        command: "mcp-server-time", arguments: ["--local-timezone", "UTC"], environment: ["TZ": "UTC"]),
                    trust: .ask, timeout: .seconds(30), enabled: true),
                "docs": ToolServerSettings(
                    name: "docs",
                    connection: .http(url: "http://127.0.0.1:8000/mcp", headers: ["Authorization": "Bearer abc"]),
                    trust: .always, timeout: .milliseconds(2500), enabled: false),
            ])
    }

    @Test("left out: no args, no environment at all, ask each time, 30 seconds, enabled")
    func defaults() throws {
        let config = try parse("[mcp.servers.files]\ncommand = \"/opt/mcp/files\"\n")
        #expect(
            config.mcpServers["files"]
                == ToolServerSettings(
                    name: "files", connection: .stdio(command: "/opt/mcp/files", arguments: [], environment: [:]),
                    trust: .ask, timeout: .seconds(30), enabled: true))
        #expect(try parse("[mcp]\n").mcpServers.isEmpty)
    }

    @Test(
        "each mistake is named where it is",
        arguments: [
            (
                "[mcp.servers.time]\ncomand = \"x\"\ncommand = \"x\"\n", 2, 1,
                "unknown key 'comand' in [mcp.servers.time] (did you mean 'command'?)"
            ),
            ("[mcp]\nserver = 1\n", 2, 1, "unknown key 'server' in [mcp] (did you mean 'servers'?)"),
            ("[mcp.servers]\ntime = 1\n", 2, 1, "'time' in [mcp.servers] must be a table, not an integer"),
            (
                "[mcp.servers.time]\nargs = [\"--x\"]\n", 1, 1,
                "'command' in [mcp.servers.time]: is missing: say how to reach the server, with command = \"…\" (a program Parley starts) or url = \"http://…\" (one already running)"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nurl = \"http://h/mcp\"\n", 3, 1,
                "'url' in [mcp.servers.time]: a server is started by its command or reached at its url, not both"
            ),
            ("[mcp.servers.time]\ncommand = \"  \"\n", 2, 1, "'command' in [mcp.servers.time]: is empty"),
            (
                "[mcp.servers.time]\ncommand = [\"x\"]\n", 2, 1,
                "'command' in [mcp.servers.time] must be a string, not a list"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nargs = \"--local-timezone UTC\"\n", 3, 1,
                "'args' in [mcp.servers.time] must be a list of strings, not a string"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nargs = [\"--port\", 8080]\n", 3, 1,
                "'args' in [mcp.servers.time]: every argument is a string: quote numbers too, like \"8080\""
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nenv = { TZ = 1 }\n", 3, 1,
                "'TZ' in [mcp.servers.time.env] must be a string, not an integer"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nenv = { \"MY-VAR\" = \"1\" }\n", 3, 1,
                "'MY-VAR' in [mcp.servers.time.env]: is not an environment variable's name (letters, digits and _)"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nheaders = { A = \"b\" }\n", 3, 1,
                "'headers' in [mcp.servers.time]: are sent to a url; a command server gets env instead"
            ),
            (
                "[mcp.servers.docs]\nurl = \"http://h/mcp\"\nenv = { A = \"b\" }\n", 3, 1,
                "'env' in [mcp.servers.docs]: is for a server Parley starts with command; a url server is already running"
            ),
            (
                "[mcp.servers.docs]\nurl = \"127.0.0.1:8000/mcp\"\n", 2, 1,
                "'url' in [mcp.servers.docs]: \"127.0.0.1:8000/mcp\" is not an http:// or https:// URL with a host"
            ),
            (
                "[mcp.servers.docs]\nurl = \"http://h/mcp\"\nheaders = { \"Bad Name\" = \"x\" }\n", 3, 1,
                "'Bad Name' in [mcp.servers.docs.headers]: is not an HTTP header name"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\ntrust = \"alwyas\"\n", 3, 1,
                "unknown trust 'alwyas' in [mcp.servers.time] (did you mean 'always'?)"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\ntrust = \"never\"\n", 3, 1,
                "unknown trust 'never' in [mcp.servers.time]; expected one of: ask, always"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\ntimeout = 0\n", 3, 1,
                "'timeout' in [mcp.servers.time]: must be more than 0 and at most 86400 seconds"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\ntimeout = \"30s\"\n", 3, 1,
                "'timeout' in [mcp.servers.time] must be a number of seconds, not a string"
            ),
            (
                "[mcp.servers.time]\ncommand = \"x\"\nenabled = \"no\"\n", 3, 1,
                "'enabled' in [mcp.servers.time] must be true or false, not a string"
            ),
            (
                "[mcp.servers.\"my time\"]\ncommand = \"x\"\n", 1, 1,
                "'my time' in [mcp.servers]: a server's name is typed as --tools NAME: use letters, digits, - and _"
            ),
        ])
    func mistakes(text: String, line: Int, column: Int, message: String) throws {
        try expectProblem(text, at: line, column, message)
    }
}

import Foundation

/// The MCP servers tests start over stdio: the project's own misbehaving one, and the reference
/// time server from PyPI when it is installed.
public enum MCPServers {
    /// `Tests/Fixtures/mcp/fake_mcp_server.py`: well behaved, or misbehaving as its first argument
    /// says (its docstring lists the ways), with tools that hang, freeze, crash and so on.
    public static let fake = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/mcp/fake_mcp_server.py").path

    /// A python3 that runs with an empty environment (a pyenv shim would not: it needs its own
    /// variables), for the fake server, which is started with none.
    public static let python: String = {
        let folders =
            ["/usr/bin", "/bin", "/usr/local/bin"]
            + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        return folders.map { $0 + "/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "python3"
    }()

    /// The reference server `mcp-server-time`, nobody here wrote, installed in the package's own
    /// virtual environment by `.ci/run` (by hand: `python3 -m venv .venv && .venv/bin/pip install
    /// mcp-server-time`); nil when it is not installed, and the tests that need it are skipped.
    public static let timeServer: String? = {
        let path = Fixtures.packageRoot.appendingPathComponent(".venv/bin/mcp-server-time").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()
}

extension MCPServers {
    /// The Python MCP SDK's own Streamable HTTP server (`Tests/Fixtures/mcp/reference_http_server.py`,
    /// run by the virtual environment's python, which has the SDK with mcp-server-time): its URL, once
    /// it listens, and a way to stop it. Nil without the virtual environment.
    public static func startReferenceHTTPServer(json: Bool = false) throws -> (url: String, stop: @Sendable () -> Void)?
    {
        guard timeServer != nil else { return nil }
        let output = Pipe()
        let server = try ChildProcess(
            [
                Fixtures.packageRoot.appendingPathComponent(".venv/bin/python").path,
                Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/mcp/reference_http_server.py").path,
            ] + (json ? ["--json"] : []),
            standardOutput: output.fileHandleForWriting.fileDescriptor)
        try output.fileHandleForWriting.close()
        // It listens before it prints its port: the first line is all the waiting needed.
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        let pid = server.pid
        // (SIGKILL: seen here, it did not exit on SIGTERM while the tests ran.)
        return ("http://127.0.0.1:\(String(decoding: line, as: UTF8.self))/mcp", { kill(pid, SIGKILL) })
    }
}

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

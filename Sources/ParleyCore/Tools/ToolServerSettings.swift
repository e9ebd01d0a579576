/// One `[mcp.servers.NAME]` section: how to reach an MCP server, and how far its tools are
/// trusted. A value here (not in ParleyTools) because the config file makes it and the consent
/// rules read `trust`, neither of which needs to start a server.
public struct ToolServerSettings: Equatable, Sendable {
    /// The name in the config file: what `--tools` takes and the app shows.
    public var name: String
    public var connection: Connection
    public var trust: Trust
    /// The longest one call, or the server's start, may take.
    public var timeout: Duration
    /// Offered without being named (`--tools` alone, the app).
    public var enabled: Bool
    /// The most one message from the server may hold: past it the server is stopped, so a server
    /// that never ends a line cannot fill the memory.
    public var maxMessageBytes: Int

    public enum Connection: Equatable, Sendable {
        /// A command Parley starts and talks to over its stdin and stdout. `environment` is all the
        /// environment it gets: no provider key and nothing else of Parley's own reaches it.
        case stdio(command: String, arguments: [String], environment: [String: String])
        /// A server already running, at a Streamable HTTP endpoint.
        case http(url: String, headers: [String: String])
    }

    public enum Trust: String, CaseIterable, Sendable {
        /// Each call waits for the user's consent.
        case ask
        /// Calls run without asking.
        case always
    }

    public static let standardTimeout = Duration.seconds(30)
    /// Far above any useful tool result, far below what would hurt.
    public static let standardMaxMessageBytes = 16 << 20

    public init(
        name: String, connection: Connection, trust: Trust = .ask, timeout: Duration = standardTimeout,
        enabled: Bool = true, maxMessageBytes: Int = standardMaxMessageBytes
    ) {
        self.name = name
        self.connection = connection
        self.trust = trust
        self.timeout = timeout
        self.enabled = enabled
        self.maxMessageBytes = maxMessageBytes
    }
}

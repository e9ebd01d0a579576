/// A tool Parley can offer a model: its definition under the name the model is shown, and where
/// it runs.
public struct OfferedTool: Equatable, Sendable {
    /// What the request carries; its name is unique among the tools offered.
    public var definition: ToolDefinition
    /// The server's name in the config file (`parley` for Parley's own tools).
    public var server: String
    /// The server's own name for the tool (the model's may have the server's in front).
    public var tool: String
    /// The server is trusted (`trust = "always"`): its calls run without asking.
    public var trusted: Bool
    /// Offered only to this provider's conversations (the demo's clock); nil: to every one.
    public var provider: String?

    public init(definition: ToolDefinition, server: String, tool: String, trusted: Bool, provider: String? = nil) {
        self.definition = definition
        self.server = server
        self.tool = tool
        self.trusted = trusted
        self.provider = provider
    }

    public var name: String { definition.name }
}

/// Every tool the servers offer, named so that no two clash: a name two servers share is told
/// apart by its server's (`time_now`, `clock_now`). The one owner of that mapping, so a call
/// always finds the server and tool it names.
public struct ToolCatalog: Equatable, Sendable {
    public private(set) var tools: [OfferedTool]

    /// One server's tools as it listed them.
    public struct Listing: Equatable, Sendable {
        public var server: String
        public var trusted: Bool
        /// Definitions under the server's own names.
        public var tools: [ToolDefinition]
        public var provider: String?

        public init(server: String, trusted: Bool, tools: [ToolDefinition], provider: String? = nil) {
            self.server = server
            self.trusted = trusted
            self.tools = tools
            self.provider = provider
        }
    }

    public init(_ listings: [Listing] = []) {
        let all = listings.flatMap { listing in listing.tools.map { (listing, $0) } }
        var counts: [String: Int] = [:]
        for (_, tool) in all { counts[tool.name, default: 0] += 1 }
        var taken: Set<String> = []
        tools = all.compactMap { listing, tool in
            var definition = tool
            if counts[tool.name]! > 1 { definition.name = "\(listing.server)_\(tool.name)" }
            guard taken.insert(definition.name).inserted else { return nil }
            return OfferedTool(
                definition: definition, server: listing.server, tool: tool.name, trusted: listing.trusted,
                provider: listing.provider)
        }
    }

    public var isEmpty: Bool { tools.isEmpty }

    public func tool(named name: String) -> OfferedTool? {
        tools.first { $0.name == name }
    }

    /// What a request to `provider` offers.
    public func definitions(for provider: String) -> [ToolDefinition] {
        tools.filter { $0.provider == nil || $0.provider == provider }.map(\.definition)
    }
}

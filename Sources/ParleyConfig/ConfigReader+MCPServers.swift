import ParleyCore

/// `[mcp.servers.NAME]`: each an MCP server, either a command Parley starts (`command`, `args`,
/// `env`) or one already running at a URL (`url`, `headers`).
extension ConfigReader {
    mutating func readMCP(_ mcp: [String: TOMLNode]) -> [String: ToolServerSettings] {
        checkKeys(mcp, allowed: ConfigParser.mcpKeys, at: ["mcp"])
        guard let servers = table(mcp, "servers", at: ["mcp"]) else { return [:] }
        var settings: [String: ToolServerSettings] = [:]
        for (name, node) in servers.sorted(by: { $0.key < $1.key }) {
            let path = ["mcp", "servers", name]
            guard let section = table(node, key: name, at: path) else { continue }
            guard Self.isProviderName(name) else {
                invalid(
                    name, "a server's name is typed as --tools NAME: use letters, digits, - and _",
                    at: ["mcp", "servers"])
                continue
            }
            if let server = readServer(named: name, section, at: path) { settings[name] = server }
        }
        return settings
    }

    private mutating func readServer(named name: String, _ section: [String: TOMLNode], at path: [String])
        -> ToolServerSettings?
    {
        checkKeys(section, allowed: ConfigParser.mcpServerKeys, at: path)
        let trust = readTrust(section, at: path)
        let timeout = seconds(section, "timeout", at: path)
        let enabled = bool(section, "enabled", at: path)
        let connection: ToolServerSettings.Connection
        switch (section["command"], section["url"]) {
        case (_?, _?):
            invalid("url", "a server is started by its command or reached at its url, not both", at: path)
            return nil
        case (nil, nil):
            invalid(
                "command",
                "is missing: say how to reach the server, with command = \"…\" (a program Parley starts) "
                    + "or url = \"http://…\" (one already running)",
                at: path)
            return nil
        case (_?, nil):
            guard let stdio = readCommand(section, at: path) else { return nil }
            connection = stdio
        case (nil, _?):
            guard let http = readURL(section, at: path) else { return nil }
            connection = http
        }
        return ToolServerSettings(
            name: name, connection: connection, trust: trust ?? .ask,
            timeout: timeout ?? ToolServerSettings.standardTimeout, enabled: enabled ?? true)
    }

    /// `command`, `args` and `env`; `headers` is for a url.
    private mutating func readCommand(_ section: [String: TOMLNode], at path: [String])
        -> ToolServerSettings.Connection?
    {
        if section["headers"] != nil {
            invalid("headers", "are sent to a url; a command server gets env instead", at: path)
        }
        let command = nonEmptyString(section, "command", at: path)
        var arguments: [String] = []
        switch section["args"] {
        case nil: break
        case .array(let items):
            arguments = items.compactMap { if case .string(let argument) = $0 { argument } else { nil } }
            if arguments.count < items.count {
                invalid("args", "every argument is a string: quote numbers too, like \"8080\"", at: path)
            }
        case let node?:
            wrongType("args", expected: "a list of strings", found: node, at: path + ["args"])
        }
        var environment: [String: String] = [:]
        for (variable, node) in (table(section, "env", at: path) ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard case .string(let value) = node else {
                wrongType(variable, expected: "a string", found: node, at: path + ["env", variable])
                continue
            }
            guard Self.isVariableName(variable) else {
                invalid(variable, "is not an environment variable's name (letters, digits and _)", at: path + ["env"])
                continue
            }
            environment[variable] = value
        }
        return command.map { .stdio(command: $0, arguments: arguments, environment: environment) }
    }

    /// `url` and `headers`; `args` and `env` are for a command.
    private mutating func readURL(_ section: [String: TOMLNode], at path: [String]) -> ToolServerSettings.Connection? {
        for key in ["args", "env"] where section[key] != nil {
            invalid(key, "is for a server Parley starts with command; a url server is already running", at: path)
        }
        let headers = Dictionary(headers(section, at: path), uniquingKeysWith: { _, last in last })
        guard let url = string(section, "url", at: path) else { return nil }
        guard Self.isHTTPURL(url) else {
            invalid("url", "\"\(url)\" is not an http:// or https:// URL with a host", at: path)
            return nil
        }
        return .http(url: url, headers: headers)
    }

    private mutating func readTrust(_ section: [String: TOMLNode], at path: [String]) -> ToolServerSettings.Trust? {
        guard let word = string(section, "trust", at: path) else { return nil }
        if let trust = ToolServerSettings.Trust(rawValue: word) { return trust }
        unknown(
            "trust", word, place: Self.place(path), known: ToolServerSettings.Trust.allCases.map(\.rawValue),
            at: path + ["trust"])
        return nil
    }
}

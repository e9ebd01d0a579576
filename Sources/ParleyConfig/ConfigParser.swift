import Foundation
import ParleyCore
import ParleyProviders

/// Text in, a validated `Config` or every problem with its line and column out. Pure: no file
/// system, no environment, so each rule is testable from a string.
public enum ConfigParser {
    public static func parse(_ text: String, path: String? = nil, vocabulary: ConfigVocabulary) throws(ConfigError)
        -> Config
    {
        let root: [String: TOMLNode]
        do {
            root = try TOMLNode.parse(text)
        } catch {
            throw ConfigError(path: path, issues: [error])
        }
        var reader = ConfigReader(map: SourceMap(text), vocabulary: vocabulary)
        let config = reader.read(root)
        guard reader.issues.isEmpty else {
            let ordered = reader.issues.sorted {
                ($0.line ?? .max, $0.column ?? .max) < ($1.line ?? .max, $1.column ?? .max)
            }
            throw ConfigError(path: path, issues: ordered)
        }
        return config
    }

    /// The keys each section takes, for errors and `parley config show`.
    public static let rootKeys = [
        "provider", "model", "reasoning", "providers", "presets", "timeouts", "streaming", "app", "theme", "keys",
        "mcp", "tools", "attachments", "prices",
    ]
    public static let providerKeys = [
        "kind", "base_url", "model", "key_env", "key_command", "headers", "context_tokens",
    ]
    public static let presetKeys = ["system", "reasoning"]
    public static let timeoutKeys = ["connect", "first_byte", "idle", "total", "key_command"]
    public static let streamingKeys = ["batch_window_ms", "max_reply_mb"]
    public static let appKeys = ["thinking_pane", "notify", "clipboard", "clipboard_command", "mouse"]
    public static let notifyValues = ["off", "bell", "osc9", "osc777"]
    public static let clipboardValues = ["auto", "osc52", "command", "off"]
    public static let mcpKeys = ["servers"]
    public static let toolsKeys = ["max_rounds", "max_output_kb"]
    public static let attachmentsKeys = ["max_file_mb", "max_message_mb"]
    public static let priceKeys = ["input", "cached_input", "cache_write", "output", "reasoning"]
    public static let mcpServerKeys = ["command", "args", "env", "url", "headers", "trust", "timeout", "enabled"]
}

/// Walks the parsed document section by section, collecting problems instead of stopping at
/// the first, each placed with the source map.
struct ConfigReader {
    let map: SourceMap
    let vocabulary: ConfigVocabulary
    private(set) var issues: [ConfigIssue] = []

    init(map: SourceMap, vocabulary: ConfigVocabulary) {
        self.map = map
        self.vocabulary = vocabulary
    }

    mutating func read(_ root: [String: TOMLNode]) -> Config {
        var config = Config()
        checkKeys(root, allowed: ConfigParser.rootKeys, at: [])
        // The providers first: `provider` may name one of the user's own.
        if let providers = table(root, "providers", at: []) {
            for (name, node) in providers.sorted(by: { $0.key < $1.key }) {
                guard let section = table(node, key: name, at: ["providers", name]) else { continue }
                if let settings = readProvider(named: name, section, at: ["providers", name]) {
                    config.providers[name.lowercased()] = settings
                }
            }
        }
        if let name = string(root, "provider", at: []) {
            let configuration = config.providerConfiguration
            if configuration.preset(named: name) != nil {
                config.provider = name.lowercased()
            } else {
                unknown(
                    "provider", name, place: "for 'provider'", known: configuration.presets.map(\.name),
                    at: ["provider"])
            }
        }
        config.model = nonEmptyString(root, "model", at: [])
        if config.model != nil, root["provider"] == nil {
            // It would be silently ignored: the model belongs to the default provider.
            invalid("model", "names the model of 'provider', which is not set; add provider = \"…\"", at: [])
        }
        config.reasoning = reasoning(root, at: [])
        if let presets = table(root, "presets", at: []) {
            for (name, node) in presets {
                guard let section = table(node, key: name, at: ["presets", name]) else { continue }
                checkKeys(section, allowed: ConfigParser.presetKeys, at: ["presets", name])
                let reasoning = reasoning(section, at: ["presets", name])
                if let system = nonEmptyString(section, "system", at: ["presets", name]) {
                    config.presets[name] = SystemPreset(name: name, system: system, reasoning: reasoning)
                } else if section["system"] == nil, section.keys.allSatisfy(ConfigParser.presetKeys.contains) {
                    // (A mistyped `system` is reported as that, not also as missing.)
                    invalid("system", "is missing: a preset is its system prompt", at: ["presets", name])
                }
            }
        }
        if let timeouts = table(root, "timeouts", at: []) {
            checkKeys(timeouts, allowed: ConfigParser.timeoutKeys, at: ["timeouts"])
            config.timeouts = Config.Timeouts(
                connect: seconds(timeouts, "connect", at: ["timeouts"]),
                firstByte: seconds(timeouts, "first_byte", at: ["timeouts"]),
                idle: seconds(timeouts, "idle", at: ["timeouts"]), total: seconds(timeouts, "total", at: ["timeouts"]),
                keyCommand: seconds(timeouts, "key_command", at: ["timeouts"]))
        }
        if let streaming = table(root, "streaming", at: []) {
            checkKeys(streaming, allowed: ConfigParser.streamingKeys, at: ["streaming"])
            if let window = integer(streaming, "batch_window_ms", at: ["streaming"]) {
                if (1...1000).contains(window) {
                    config.batchWindow = .milliseconds(window)
                } else {
                    invalid("batch_window_ms", "must be between 1 and 1000 milliseconds", at: ["streaming"])
                }
            }
            if let megabytes = integer(streaming, "max_reply_mb", at: ["streaming"]) {
                if (1...1024).contains(megabytes) {
                    config.maxReplyBytes = megabytes << 20
                } else {
                    invalid("max_reply_mb", "must be between 1 and 1024 megabytes", at: ["streaming"])
                }
            }
        }
        if let app = table(root, "app", at: []) {
            checkKeys(app, allowed: ConfigParser.appKeys, at: ["app"])
            config.thinkingPane = bool(app, "thinking_pane", at: ["app"])
            config.notify = choice(app, "notify", of: ConfigParser.notifyValues, at: ["app"])
            config.clipboard = choice(app, "clipboard", of: ConfigParser.clipboardValues, at: ["app"])
            config.mouse = bool(app, "mouse", at: ["app"])
            if let command = string(app, "clipboard_command", at: ["app"]) {
                let words = command.split(whereSeparator: \.isWhitespace).map(String.init)
                if words.isEmpty {
                    invalid(
                        "clipboard_command", "must name a command, such as \"xclip -selection clipboard\"", at: ["app"])
                } else {
                    config.clipboardCommand = words
                }
            }
        }
        if let theme = table(root, "theme", at: []) { config.theme = readTheme(theme) }
        if let keys = table(root, "keys", at: []) { config.keys = readKeys(keys) }
        if let mcp = table(root, "mcp", at: []) { config.mcpServers = readMCP(mcp) }
        if let tools = table(root, "tools", at: []) {
            checkKeys(tools, allowed: ConfigParser.toolsKeys, at: ["tools"])
            if let rounds = integer(tools, "max_rounds", at: ["tools"]) {
                if (1...100).contains(rounds) {
                    config.maxToolRounds = rounds
                } else {
                    invalid("max_rounds", "must be between 1 and 100", at: ["tools"])
                }
            }
            if let kilobytes = integer(tools, "max_output_kb", at: ["tools"]) {
                if (1...16_384).contains(kilobytes) {
                    config.toolOutputLimit = kilobytes << 10
                } else {
                    invalid("max_output_kb", "must be between 1 and 16384 kilobytes", at: ["tools"])
                }
            }
        }
        if let prices = table(root, "prices", at: []) {
            for (model, node) in prices.sorted(by: { $0.key < $1.key }) {
                guard let section = table(node, key: model, at: ["prices", model]) else { continue }
                if let price = price(section, at: ["prices", model]) { config.prices[model] = price }
            }
        }
        if let attachments = table(root, "attachments", at: []) {
            checkKeys(attachments, allowed: ConfigParser.attachmentsKeys, at: ["attachments"])
            for key in ConfigParser.attachmentsKeys {
                guard let megabytes = integer(attachments, key, at: ["attachments"]) else { continue }
                guard (1...1024).contains(megabytes) else {
                    invalid(key, "must be between 1 and 1024 megabytes", at: ["attachments"])
                    continue
                }
                if key == "max_file_mb" {
                    config.attachmentFileLimit = megabytes << 20
                } else {
                    config.attachmentMessageLimit = megabytes << 20
                }
            }
        }
        return config
    }

    /// `reasoning = "high"`: one of the words `--reasoning` takes, or a token budget as a number.
    private mutating func reasoning(_ table: [String: TOMLNode], at path: [String]) -> Reasoning? {
        guard let node = table["reasoning"] else { return nil }
        let text: String? =
            switch node {
            case .string(let word): word
            case .integer(let tokens): String(tokens)
            default: nil
            }
        if let text, let reasoning = Reasoning(parsing: text) { return reasoning }
        invalid("reasoning", "must be \(Reasoning.spelling) (at least \(Reasoning.smallestBudget))", at: path)
        return nil
    }

    /// A built-in provider's section, or with `kind` one of the user's own; nil when it is neither.
    private mutating func readProvider(named name: String, _ section: [String: TOMLNode], at path: [String])
        -> ProviderSettings?
    {
        let kinds = ProviderPreset.all.filter { !$0.isDemo }.map(\.name)
        let kind = string(section, "kind", at: path)
        if let builtIn = ProviderPreset.named(name) {
            guard !builtIn.isDemo else {
                invalid("demo", "is the offline demo, which has no settings", at: ["providers"])
                return nil
            }
            if kind != nil {
                invalid("kind", "is for a provider of your own; \(builtIn.name) is built in", at: path)
            }
        } else if let kind {
            guard ProviderPreset.named(kind).map({ !$0.isDemo }) == true else {
                unknown("kind", kind, place: Self.place(path), known: kinds, at: path + ["kind"])
                return nil
            }
            guard Self.isProviderName(name) else {
                invalid(
                    name, "a provider's name is typed as --provider NAME: use letters, digits, - and _",
                    at: ["providers"])
                return nil
            }
        } else if let suggestion = NearestName.to(name, among: kinds) {
            unknown("provider", name, place: Self.place(path), known: [suggestion], at: path)
            return nil
        } else {
            invalid(
                "kind",
                "is missing: '\(name)' is not a built-in provider, so say which API it speaks, like kind = \"openai\" "
                    + "(one of: \(kinds.joined(separator: ", ")))",
                at: path)
            return nil
        }
        // (`kind` in a built-in provider's section was reported above, and is not offered there.)
        let ownKeys = kind == nil ? ConfigParser.providerKeys.filter { $0 != "kind" } : ConfigParser.providerKeys
        checkKeys(section.filter { $0.key != "kind" || kind != nil }, allowed: ownKeys, at: path)
        var settings = ProviderSettings(kind: ProviderPreset.named(name) == nil ? kind?.lowercased() : nil)
        if let url = string(section, "base_url", at: path) {
            if Self.isHTTPURL(url) {
                settings.baseURL = url
            } else {
                invalid("base_url", "\"\(url)\" is not an http:// or https:// URL with a host", at: path)
            }
        }
        settings.model = nonEmptyString(section, "model", at: path)
        if let variable = string(section, "key_env", at: path) {
            if Self.isVariableName(variable) {
                settings.keyVariable = variable
            } else {
                // The value is not repeated: a key pasted here by mistake must not reach the screen.
                invalid(
                    "key_env",
                    "must be the name of an environment variable (letters, digits and _, like OPENAI_API_KEY), "
                        + "never the key itself",
                    at: path)
            }
        }
        settings.keyCommand = nonEmptyString(section, "key_command", at: path)
        settings.headers = headers(section, at: path).map { HTTPHeader($0.name, $0.value) }
        if let tokens = integer(section, "context_tokens", at: path) {
            if tokens >= 1_024 {
                settings.contextTokens = tokens
            } else {
                invalid("context_tokens", "must be at least 1024 (tokens of context), not \(tokens)", at: path)
            }
        }
        return settings
    }

    /// `headers = { Name = "value" }`: HTTP header names, values without line breaks, in name order.
    mutating func headers(_ section: [String: TOMLNode], at path: [String]) -> [(name: String, value: String)] {
        guard let headers = table(section, "headers", at: path) else { return [] }
        var valid: [(name: String, value: String)] = []
        for (name, node) in headers.sorted(by: { $0.key < $1.key }) {
            guard case .string(let value) = node else {
                wrongType(name, expected: "a string", found: node, at: path + ["headers", name])
                continue
            }
            if !Self.isHeaderName(name) {
                invalid(name, "is not an HTTP header name", at: path + ["headers"])
            } else if value.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) {
                invalid(name, "a header value cannot contain a line break", at: path + ["headers"])
            } else {
                valid.append((name, value))
            }
        }
        return valid
    }

    private mutating func readTheme(_ theme: [String: TOMLNode]) -> [String: String] {
        var colours: [String: String] = [:]
        for (role, node) in theme.sorted(by: { $0.key < $1.key }) {
            guard vocabulary.colourRoles.contains(role) else {
                unknown("colour role", role, place: "in [theme]", known: vocabulary.colourRoles, at: ["theme", role])
                continue
            }
            guard case .string(let colour) = node else {
                wrongType(role, expected: "a colour name", found: node, at: ["theme", role])
                continue
            }
            let name = colour.lowercased()
            guard ConfigVocabulary.colours.contains(name) else {
                unknown(
                    "colour", colour, place: "for '\(role)' in [theme]", known: ConfigVocabulary.colours,
                    at: ["theme", role])
                continue
            }
            colours[role] = name
        }
        return colours
    }

    private mutating func readKeys(_ keys: [String: TOMLNode]) -> [String: [String]] {
        var bindings: [String: [String]] = [:]
        let issuesBefore = issues.count
        for (command, node) in keys.sorted(by: { $0.key < $1.key }) {
            guard vocabulary.commands.contains(command) else {
                unknown("command", command, place: "in [keys]", known: vocabulary.commands, at: ["keys", command])
                continue
            }
            let names: [String]
            switch node {
            case .string(let name): names = [name]
            case .array(let items) where items.allSatisfy({ if case .string = $0 { true } else { false } }):
                names = items.compactMap { if case .string(let name) = $0 { name } else { nil } }
            default:
                wrongType(command, expected: "a list of key names", found: node, at: ["keys", command])
                continue
            }
            if let bad = names.first(where: { !vocabulary.isKeyName($0) }) {
                invalid(
                    command,
                    "\"\(bad)\" is not a key; write keys like \"ctrl-t\", \"alt-enter\", \"f1\", \"pgup\", \"j\"",
                    at: ["keys"])
                continue
            }
            bindings[command] = names
        }
        // Taken together only once each name is known to be right.
        if issues.count == issuesBefore, let (command, problem) = vocabulary.checkBindings(bindings) {
            invalid(command, problem, at: ["keys"])
        }
        return bindings
    }

    // MARK: Values

    mutating func table(_ parent: [String: TOMLNode], _ key: String, at path: [String]) -> [String: TOMLNode]? {
        guard let node = parent[key] else { return nil }
        return table(node, key: key, at: path + [key])
    }

    mutating func table(_ node: TOMLNode, key: String, at path: [String]) -> [String: TOMLNode]? {
        guard case .table(let members) = node else {
            wrongType(key, expected: "a table", found: node, at: path)
            return nil
        }
        return members
    }

    /// A string that must be one of `values`; any other is an error at its line.
    mutating func choice(_ table: [String: TOMLNode], _ key: String, of values: [String], at path: [String]) -> String?
    {
        guard let value = string(table, key, at: path) else { return nil }
        guard values.contains(value) else {
            invalid(key, "must be one of \(values.joined(separator: ", ")), not \"\(value)\"", at: path)
            return nil
        }
        return value
    }

    mutating func string(_ table: [String: TOMLNode], _ key: String, at path: [String]) -> String? {
        guard let node = table[key] else { return nil }
        guard case .string(let value) = node else {
            wrongType(key, expected: "a string", found: node, at: path + [key])
            return nil
        }
        return value
    }

    mutating func nonEmptyString(_ table: [String: TOMLNode], _ key: String, at path: [String]) -> String? {
        guard let value = string(table, key, at: path) else { return nil }
        guard !value.allSatisfy(\.isWhitespace) else {
            invalid(key, "is empty", at: path)
            return nil
        }
        return value
    }

    mutating func integer(_ table: [String: TOMLNode], _ key: String, at path: [String]) -> Int? {
        guard let node = table[key] else { return nil }
        guard case .integer(let value) = node else {
            wrongType(key, expected: "a whole number", found: node, at: path + [key])
            return nil
        }
        return value
    }

    mutating func bool(_ table: [String: TOMLNode], _ key: String, at path: [String]) -> Bool? {
        guard let node = table[key] else { return nil }
        guard case .bool(let value) = node else {
            wrongType(key, expected: "true or false", found: node, at: path + [key])
            return nil
        }
        return value
    }

    /// `[prices."MODEL"]`: dollars per million tokens; input and output are needed, the rest
    /// default to them.
    private mutating func price(_ table: [String: TOMLNode], at path: [String]) -> Price? {
        checkKeys(table, allowed: ConfigParser.priceKeys, at: path)
        var values: [String: Double] = [:]
        for key in ConfigParser.priceKeys {
            let value: Double
            switch table[key] {
            case nil: continue
            case .integer(let whole): value = Double(whole)
            case .float(let fraction): value = fraction
            case let node?:
                wrongType(key, expected: "dollars per million tokens", found: node, at: path + [key])
                continue
            }
            guard value >= 0, value.isFinite else {
                invalid(key, "must be a number of dollars per million tokens, 0 or more", at: path)
                continue
            }
            values[key] = value
        }
        guard let input = values["input"], let output = values["output"] else {
            invalid(values["input"] == nil ? "input" : "output", "is needed to price the model", at: path)
            return nil
        }
        return Price(
            input: input, cachedInput: values["cached_input"], cacheWrite: values["cache_write"], output: output,
            reasoning: values["reasoning"])
    }

    /// A positive number of seconds, at most a day.
    mutating func seconds(_ table: [String: TOMLNode], _ key: String, at path: [String]) -> Duration? {
        let value: Double
        switch table[key] {
        case nil: return nil
        case .integer(let whole): value = Double(whole)
        case .float(let fraction): value = fraction
        case let node?:
            wrongType(key, expected: "a number of seconds", found: node, at: path + [key])
            return nil
        }
        guard value > 0, value <= 86_400 else {
            invalid(key, "must be more than 0 and at most 86400 seconds", at: path)
            return nil
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    // MARK: Problems

    /// Keys the section does not take, each with the nearest one it does.
    mutating func checkKeys(_ table: [String: TOMLNode], allowed: [String], at path: [String]) {
        for key in table.keys.sorted() where !allowed.contains(key) {
            unknown("key", key, place: Self.place(path), known: allowed, at: path + [key])
        }
    }

    mutating func unknown(_ what: String, _ name: String, place: String, known: [String], at path: [String]) {
        let suggestion = NearestName.to(name, among: known)
        add(.unknown(what: what, name: name, place: place, suggestion: suggestion, known: known), at: path)
    }

    mutating func wrongType(_ key: String, expected: String, found: TOMLNode, at path: [String]) {
        add(.wrongType(key: key, place: Self.place(path.dropLast()), expected: expected, found: found.kind), at: path)
    }

    /// `key` of the section at `path` has a value that cannot be used.
    mutating func invalid(_ key: String, _ reason: String, at path: [String]) {
        add(.invalidValue(key: key, place: Self.place(path), reason: reason), at: path + [key])
    }

    private mutating func add(_ problem: ConfigProblem, at path: [String]) {
        let position = map.position(of: path)
        issues.append(ConfigIssue(line: position?.line, column: position?.column, problem: problem))
    }

    /// "in [providers.openai]", "at the top level".
    static func place(_ path: some Collection<String>) -> String {
        path.isEmpty ? "at the top level" : "in [\(path.joined(separator: "."))]"
    }

    // MARK: Checks

    static func isHTTPURL(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return false }
        return true
    }

    static func isProviderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy {
            $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
        }
    }

    /// RFC 9110 token characters.
    static func isHeaderName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0)
                        || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
            }
    }
}

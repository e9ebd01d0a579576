import ParleyCore
import ParleyProviders

/// Everything the config file can say, validated. Absent settings are nil (or empty): the
/// built-in defaults apply, and flags and the environment still come first.
public struct Config: Equatable, Sendable {
    /// `provider` and `model` at the top level: what a new conversation uses.
    public var provider: String?
    public var model: String?
    /// `reasoning` at the top level: how much new conversations reason (nil: auto).
    public var reasoning: Reasoning?
    /// `[providers.NAME]`, by preset name.
    public var providers: [String: ProviderSettings]
    /// `[presets.NAME] system = "…"` (and perhaps `reasoning`): named system prompts (`parley ask
    /// --preset NAME`), by name.
    public var presets: [String: SystemPreset]
    public var timeouts: Timeouts
    /// `[streaming] batch_window_ms`: how often a streaming reply is handed on (drawn, printed).
    public var batchWindow: Duration?
    /// `[streaming] max_reply_mb`, in bytes.
    public var maxReplyBytes: Int?
    /// `[theme]`: colour role (`accent`, `thinking`…) → colour name (`cyan`, `default`…).
    public var theme: [String: String]
    /// `[app] thinking_pane`: whether the thinking pane starts shown.
    public var thinkingPane: Bool?
    /// `[app] notify`: how a reply that ends in a conversation not on screen is told (`off`,
    /// `bell`, `osc9`, `osc777`).
    public var notify: String?
    /// `[app] clipboard`: how copied text reaches the clipboard (`auto`, `osc52`, `command`, `off`).
    public var clipboard: String?
    /// `[app] clipboard_command`: the command given copied text on its input, as its words.
    public var clipboardCommand: [String]?
    /// `[app] mouse`: whether the app takes the mouse (the wheel, clicks) from the terminal.
    public var mouse: Bool?
    /// `[keys]`: command name → key names, for `KeyBindings.overriding`.
    public var keys: [String: [String]]
    /// `[mcp.servers.NAME]`: the MCP servers whose tools a reply may use, by name.
    public var mcpServers: [String: ToolServerSettings]
    /// `[tools] max_rounds`: the most rounds one reply may take.
    public var maxToolRounds: Int?
    /// `[tools] max_output_kb`, in bytes: the most of one tool's output sent back to the model.
    public var toolOutputLimit: Int?
    /// `[attachments] max_file_mb` and `max_message_mb`, in bytes.
    public var attachmentFileLimit: Int?
    public var attachmentMessageLimit: Int?
    /// `[prices."MODEL"]`: prices over the bundled table's, by model name.
    public var prices: [String: Price] = [:]

    /// `[timeouts]`, in seconds in the file.
    public struct Timeouts: Equatable, Sendable {
        public var connect: Duration?
        public var firstByte: Duration?
        public var idle: Duration?
        /// The longest a whole reply may take; nil for no limit.
        public var total: Duration?
        /// The longest a `key_command` may take before it is stopped.
        public var keyCommand: Duration?

        public init(
            connect: Duration? = nil, firstByte: Duration? = nil, idle: Duration? = nil, total: Duration? = nil,
            keyCommand: Duration? = nil
        ) {
            self.connect = connect
            self.firstByte = firstByte
            self.idle = idle
            self.total = total
            self.keyCommand = keyCommand
        }
    }

    public init(
        provider: String? = nil, model: String? = nil, reasoning: Reasoning? = nil,
        providers: [String: ProviderSettings] = [:], presets: [String: SystemPreset] = [:],
        timeouts: Timeouts = Timeouts(), batchWindow: Duration? = nil, theme: [String: String] = [:],
        thinkingPane: Bool? = nil, keys: [String: [String]] = [:], mcpServers: [String: ToolServerSettings] = [:]
    ) {
        self.provider = provider
        self.model = model
        self.reasoning = reasoning
        self.providers = providers
        self.presets = presets
        self.timeouts = timeouts
        self.batchWindow = batchWindow
        self.theme = theme
        self.thinkingPane = thinkingPane
        self.keys = keys
        self.mcpServers = mcpServers
    }

    /// No file, or an empty one.
    public static let empty = Config()

    /// What `ProviderChoice.resolve` takes from the file.
    public var providerConfiguration: ProviderConfiguration {
        ProviderConfiguration(provider: provider, model: model, providers: providers)
    }

    /// The transport's timeouts: the file's, else the built-in ones.
    public var transportTimeouts: TransportTimeouts {
        let standard = TransportTimeouts()
        return TransportTimeouts(
            connect: timeouts.connect ?? standard.connect, firstByte: timeouts.firstByte ?? standard.firstByte,
            idle: timeouts.idle ?? standard.idle)
    }

    /// The batch window the streaming service uses when the file names none.
    public static let standardBatchWindow = Duration.milliseconds(50)
    /// Thirty times a long answer (a model writing 32,000 tokens writes about 128 KB), and
    /// small enough that a server that never stops is stopped long before memory runs short.
    public static let standardMaxReplyBytes = 4 << 20
}

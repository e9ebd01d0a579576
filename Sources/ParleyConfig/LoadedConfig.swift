import Foundation
import ParleyCore
import ParleyProviders

/// The config file as a command uses it: where it is, whether it exists, and its settings with
/// the built-in defaults filled in where the file is silent.
public struct LoadedConfig: Equatable, Sendable {
    /// nil when there is no home folder to look in.
    public var path: String?
    /// false when there is no file: every setting is then the default.
    public var exists: Bool
    public var config: Config

    public init(path: String?, exists: Bool, config: Config) {
        self.path = path
        self.exists = exists
        self.config = config
    }

    /// Reads the file at `ConfigLocation.path(environment:)`. No file is not an error (the
    /// defaults apply); a file that cannot be read or is invalid is, with every problem in it.
    public static func load(environment: [String: String], vocabulary: ConfigVocabulary) throws(ConfigError)
        -> LoadedConfig
    {
        guard let path = ConfigLocation.path(environment: environment) else {
            return LoadedConfig(path: nil, exists: false, config: .empty)
        }
        guard let text = try read(path) else { return LoadedConfig(path: path, exists: false, config: .empty) }
        return LoadedConfig(
            path: path, exists: true, config: try ConfigParser.parse(text, path: path, vocabulary: vocabulary))
    }

    /// The file's text; nil when it does not exist.
    static func read(_ path: String) throws(ConfigError) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        func unreadable(_ reason: String) -> ConfigError {
            ConfigError(path: path, issues: [ConfigIssue(line: nil, column: nil, problem: .unreadable(reason))])
        }
        guard !isFolder.boolValue else { throw unreadable("it is a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw unreadable("permission denied or an I/O error")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw unreadable("it is not UTF-8 text") }
        return text
    }

    // MARK: What the app and the commands take

    public var defaultProvider: String? { config.provider }
    public var defaultModel: String? { config.model }

    /// `reasoning`: how much new conversations reason, unless a flag or a preset says otherwise.
    public var defaultReasoning: Reasoning { config.reasoning ?? .standard }

    /// `[presets.NAME]`, by name.
    public var systemPresets: [SystemPreset] { config.presets.values.sorted { $0.name < $1.name } }

    /// `[keys]`: command name → key names, ready for `KeyBindings.overriding`.
    public var keyBindingOverrides: [String: [String]] { config.keys }

    /// `[theme]`: colour role → colour name (`"accent": "cyan"`); roles not named keep theirs.
    public var themeColours: [String: String] { config.theme }

    /// `[app] thinking_pane`, nil when the file does not say.
    public var thinkingPane: Bool? { config.thinkingPane }

    /// `[app] notify`: "off" (the default), "bell", "osc9" or "osc777".
    public var notify: String { config.notify ?? "off" }

    /// `[app] clipboard`: "auto" (the default), "osc52", "command" or "off".
    public var clipboard: String { config.clipboard ?? "auto" }

    /// `[app] mouse`: off by default, so the terminal's own selection works as everywhere else.
    public var mouse: Bool { config.mouse ?? false }

    public var batchWindow: Duration { config.batchWindow ?? Config.standardBatchWindow }
    /// `[streaming] max_reply_mb`: the most text and thinking a reply may bring, in bytes.
    public var maxReplyBytes: Int { config.maxReplyBytes ?? Config.standardMaxReplyBytes }
    /// `[tools] max_rounds`: the most tool rounds a reply may take.
    public var maxToolRounds: Int { config.maxToolRounds ?? ToolRounds.standardMaxRounds }
    /// `[tools] max_output_kb`: the most of a tool's output sent back to the model, in bytes.
    public var toolOutputLimit: Int { config.toolOutputLimit ?? ToolResult.defaultLimit }
    /// The price table: Parley's own, with `[prices]` over it.
    public var prices: PriceTable { PriceTable.bundled.overriding(config.prices) }

    /// `[attachments]`: how large a file, and all of a message's files, may be.
    public var attachmentLimits: AttachmentLimits {
        AttachmentLimits(
            fileBytes: config.attachmentFileLimit ?? AttachmentLimits.standard.fileBytes,
            messageBytes: config.attachmentMessageLimit ?? AttachmentLimits.standard.messageBytes)
    }
    public var timeouts: TransportTimeouts { config.transportTimeouts }
    /// `[timeouts] total`: the longest a reply may run; nil for no limit.
    public var timeLimit: Duration? { config.timeouts.total }
    public var providerConfiguration: ProviderConfiguration { config.providerConfiguration }
    /// `[timeouts] key_command`: the longest a key command may run.
    public var keyCommandTimeout: Duration { config.timeouts.keyCommand ?? KeyCommand.standardTimeout }

    /// The preset called `name`, or a usage problem naming the nearest one.
    public func preset(named name: String) -> Result<SystemPreset, PresetProblem> {
        if let preset = config.presets[name] { return .success(preset) }
        let names = config.presets.keys.sorted()
        return .failure(PresetProblem(name: name, known: names, suggestion: NearestName.to(name, among: names)))
    }
}

/// `--preset NAME` names no `[presets.NAME]` section.
public struct PresetProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var known: [String]
    public var suggestion: String?

    public var description: String {
        var text = "no preset '\(name)' in the config file"
        if let suggestion { return text + " (did you mean '\(suggestion)'?)" }
        text +=
            known.isEmpty
            ? "; add one as [presets.\(name)] system = \"…\"" : "; presets: " + known.joined(separator: ", ")
        return text
    }
}

import Foundation
import ParleyCore

/// The provider, model and endpoint one reply goes to, resolved from flags, the environment and
/// the config file, in that order. Resolution is pure: the environment and the configuration are
/// passed in, and a key command is never run here — it is noted (`pendingKeyCommand`) and run only
/// when a request needs the key (`KeyCommand.unlock`).
public struct ProviderChoice: Equatable, Sendable {
    public var preset: ProviderPreset
    public var model: String
    public var endpoint: ProviderEndpoint
    /// How it is called on screen and in errors: the provider's name ("OpenAI"), or for a server
    /// given by `--base-url` alone, its address ("127.0.0.1:8080"), which is what the user knows it by.
    public var label: String
    /// The model was not chosen (a server given by `--base-url` alone, no `--model`): the server's
    /// own is wanted, from its models list, rather than a hosted provider's usual one.
    public var modelIsAGuess: Bool

    public init(
        preset: ProviderPreset, model: String, endpoint: ProviderEndpoint, label: String? = nil,
        modelIsAGuess: Bool = false
    ) {
        self.preset = preset
        self.model = model
        self.endpoint = endpoint
        self.label = label ?? preset.displayName
        self.modelIsAGuess = modelIsAGuess
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        /// The name, and every provider that can be named.
        case unknownProvider(String, known: [String])
        case missingKey(ProviderPreset)
        case invalidBaseURL(String)
        case keyCommandFailed(KeyCommandFailure)

        public var description: String {
            switch self {
            case .unknownProvider(let name, let known):
                let suggestion = NearestName.to(name, among: known).map { " Did you mean \"\($0)\"?" }
                return
                    "unknown provider \"\(name)\".\(suggestion ?? "") Known providers: \(known.joined(separator: ", "))."
            case .missingKey(let preset):
                let variables = preset.keyVariables.joined(separator: " or ")
                return "\(preset.displayName) needs an API key: set \(variables) "
                    + "(or use --provider demo to try Parley offline)."
            case .invalidBaseURL(let url):
                return "\"\(url)\" is not an http:// or https:// URL."
            case .keyCommandFailed(let failure):
                return "\(failure.description). Check key_command in the config file (`parley config edit`)."
            }
        }
    }

    /// - Parameters:
    ///   - provider: `--provider`; when nil, a `--base-url` means an OpenAI-compatible server,
    ///     and otherwise the configuration's provider, else the offline demo, is used.
    ///   - configuration: the config file's default provider and model and its provider sections.
    public static func resolve(
        provider: String?, model: String?, baseURL: String?, environment: [String: String],
        configuration: ProviderConfiguration = .none
    ) throws(Problem) -> ProviderChoice {
        let preset: ProviderPreset
        if let name = provider ?? (baseURL == nil ? configuration.provider : nil) {
            guard let named = configuration.preset(named: name) else {
                throw .unknownProvider(name, known: configuration.presets.map(\.name))
            }
            preset = named
        } else {
            preset = baseURL == nil ? .demo : ProviderPreset.named("openai")!
        }
        let settings = configuration.providers[preset.name] ?? ProviderSettings()
        let explicitModel = model
        let model = model ?? configuration.defaultModel(for: preset)
        guard !preset.isDemo else {
            return ProviderChoice(preset: preset, model: model, endpoint: ProviderEndpoint(baseURL: ""))
        }

        let fromEnvironment = preset.baseURLVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        let base: String
        if let baseURL {
            base = baseURL
        } else if let fromEnvironment {
            base = preset.name == "ollama" ? ollamaURL(fromHost: fromEnvironment) : fromEnvironment
        } else {
            base = settings.baseURL ?? preset.defaultBaseURL
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw .invalidBaseURL(base) }

        var keyed = preset
        if let variable = settings.keyVariable { keyed.keyVariables = [variable] }
        let keyVariable = keyed.keyVariables.first { environment[$0]?.isEmpty == false } ?? keyed.keyVariables.first
        let key = keyVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        // Without a key in a variable, the section's key command will give it when a request needs it.
        let keyCommand = key == nil ? settings.keyCommand : nil
        // Where an auth error tells the user to look: the variable, or the command that gives the key.
        let keySource = keyCommand.map { "key_command `\($0)`" } ?? keyVariable
        // A hosted service's own URL without a key can only fail; a custom URL may be a local
        // server that needs none, so it is tried without.
        if key == nil, keyCommand == nil, preset.requiresKey, base == preset.defaultBaseURL {
            throw .missingKey(keyed)
        }
        // A server named only by its address: an OpenAI-compatible one of the user's own.
        let byAddress = provider == nil && baseURL != nil ? ServerAddress(url: base)?.description : nil
        let modelUnknown = byAddress != nil || configuration.modelIsAGuess(for: preset)
        return ProviderChoice(
            preset: preset, model: model,
            endpoint: ProviderEndpoint(
                baseURL: base, apiKey: key, keyVariable: keySource, keyCommand: keyCommand,
                extraHeaders: settings.headers, dialect: preset.dialect, mostContextTokens: settings.contextTokens),
            label: byAddress, modelIsAGuess: modelUnknown && explicitModel == nil)
    }

    /// The key command to run before a request can be sent: the key is in no variable, and the
    /// config file names a command that gives it. Nil once the key is known.
    public var pendingKeyCommand: String? { endpoint.apiKey == nil ? endpoint.keyCommand : nil }

    /// OLLAMA_HOST is written many ways: "0.0.0.0", "127.0.0.1:11434", "http://host:port".
    static func ollamaURL(fromHost host: String) -> String {
        var url = host.contains("://") ? host : "http://" + host
        let afterScheme = url.split(separator: "://", maxSplits: 1).last ?? ""
        if !afterScheme.contains(":") { url += ":11434" }
        // Listening on every interface is reached through loopback.
        return url.replacingOccurrences(of: "://0.0.0.0", with: "://127.0.0.1")
    }
}

import Foundation

/// The provider, model and endpoint one reply goes to, resolved from flags and the environment
/// (flags win). Resolution is pure: the environment is passed in, so it is testable.
public struct ProviderChoice: Equatable, Sendable {
    public var preset: ProviderPreset
    public var model: String
    public var endpoint: ProviderEndpoint

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unknownProvider(String)
        case missingKey(ProviderPreset)
        case invalidBaseURL(String)

        public var description: String {
            switch self {
            case .unknownProvider(let name):
                let known = ProviderPreset.all.map(\.name).joined(separator: ", ")
                return "unknown provider \"\(name)\". Known providers: \(known)."
            case .missingKey(let preset):
                let variables = preset.keyVariables.joined(separator: " or ")
                return "\(preset.displayName) needs an API key: set \(variables) "
                    + "(or use --provider demo to try Parley offline)."
            case .invalidBaseURL(let url):
                return "\"\(url)\" is not an http:// or https:// URL."
            }
        }
    }

    /// - Parameters:
    ///   - provider: `--provider`; when nil, a `--base-url` means an OpenAI-compatible server,
    ///     and otherwise the offline demo is used.
    public static func resolve(
        provider: String?, model: String?, baseURL: String?, environment: [String: String]
    ) throws(Problem) -> ProviderChoice {
        let preset: ProviderPreset
        if let provider {
            guard let named = ProviderPreset.named(provider) else { throw .unknownProvider(provider) }
            preset = named
        } else {
            preset = baseURL == nil ? .demo : ProviderPreset.named("openai")!
        }
        let model = model ?? preset.defaultModel
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
            base = preset.defaultBaseURL
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else { throw .invalidBaseURL(base) }

        let keyVariable = preset.keyVariables.first { environment[$0]?.isEmpty == false } ?? preset.keyVariables.first
        let key = keyVariable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        // A hosted service's own URL without a key can only fail; a custom URL may be a local
        // server that needs none, so it is tried without.
        if key == nil, preset.requiresKey, base == preset.defaultBaseURL { throw .missingKey(preset) }
        return ProviderChoice(
            preset: preset, model: model,
            endpoint: ProviderEndpoint(baseURL: base, apiKey: key, keyVariable: keyVariable))
    }

    /// OLLAMA_HOST is written many ways: "0.0.0.0", "127.0.0.1:11434", "http://host:port".
    static func ollamaURL(fromHost host: String) -> String {
        var url = host.contains("://") ? host : "http://" + host
        let afterScheme = url.split(separator: "://", maxSplits: 1).last ?? ""
        if !afterScheme.contains(":") { url += ":11434" }
        // Listening on every interface is reached through loopback.
        return url.replacingOccurrences(of: "://0.0.0.0", with: "://127.0.0.1")
    }
}

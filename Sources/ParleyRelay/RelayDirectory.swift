import ParleyCore
import ParleyProviders

/// Where a request's model sends it: a provider and model, and a preset's system prompt and
/// reasoning when the name was a preset's.
public struct RelayRoute: Equatable, Sendable {
    public var choice: ProviderChoice
    public var system: String?
    public var reasoning: Reasoning?

    public init(choice: ProviderChoice, system: String? = nil, reasoning: Reasoning? = nil) {
        self.choice = choice
        self.system = system
        self.reasoning = reasoning
    }

    /// `chat` as this route sends it: the provider's model, the preset's system prompt before the
    /// client's own, and the preset's reasoning unless the client asked for its own.
    public func request(for chat: ChatRequest) -> ChatRequest {
        var chat = chat
        chat.model = choice.model
        chat.system = [system, chat.system].compactMap { $0 }.joined(separator: "\n\n")
        if chat.system?.isEmpty == true { chat.system = nil }
        if !chat.reasoning.isExplicit, let reasoning { chat.reasoning = reasoning }
        return chat
    }
}

/// The relay's models: `PROVIDER/MODEL` for every provider Parley speaks (as `--provider` and
/// `--model` would name them; the model part may hold slashes of its own, as router names do), and
/// each `[presets.NAME]` by its name, with the config's provider and model. Keys and base URLs
/// come from the relay's environment and config file, as for `parley ask`.
public struct RelayDirectory: Sendable {
    public var configuration: ProviderConfiguration
    public var presets: [String: SystemPreset]
    public var environment: [String: String]
    /// Gives a provider whose key comes from a `key_command` its key (running the command), or
    /// says why it could not.
    public var unlock: @Sendable (ProviderChoice) async -> Result<ProviderChoice, RelayError>

    public init(
        configuration: ProviderConfiguration, presets: [String: SystemPreset] = [:],
        environment: [String: String] = [:],
        unlock: @escaping @Sendable (ProviderChoice) async -> Result<ProviderChoice, RelayError> = { .success($0) }
    ) {
        self.configuration = configuration
        self.presets = presets
        self.environment = environment
        self.unlock = unlock
    }

    public func route(_ model: String) async throws(RelayError) -> RelayRoute {
        let route: RelayRoute
        if let slash = model.firstIndex(of: "/"), configuration.preset(named: String(model[..<slash])) != nil {
            let name = String(model[model.index(after: slash)...])
            guard !name.isEmpty else { throw .unknownModel(model, "name one after the provider: PROVIDER/MODEL") }
            route = RelayRoute(choice: try choice(String(model[..<slash]), model: name, asked: model))
        } else if let preset = presets[model] {
            route = RelayRoute(
                choice: try choice(nil, model: nil, asked: model), system: preset.system, reasoning: preset.reasoning)
        } else {
            let providers = configuration.presets.map(\.name).joined(separator: ", ")
            throw .unknownModel(
                model, "name one as PROVIDER/MODEL (providers: \(providers)) or a preset of the relay's config file")
        }
        guard route.choice.pendingKeyCommand != nil else { return route }
        var unlocked = route
        unlocked.choice = try await unlock(route.choice).get()
        return unlocked
    }

    private func choice(_ provider: String?, model: String?, asked: String) throws(RelayError) -> ProviderChoice {
        do {
            return try ProviderChoice.resolve(
                provider: provider, model: model, baseURL: nil, environment: environment, configuration: configuration)
        } catch .missingKey(let preset) {
            throw .unknownModel(asked, "the relay has no API key for \(preset.displayName)")
        } catch {
            throw .unknownModel(asked, "the relay's settings for it are wrong (\(error.description))")
        }
    }

    /// Every model the usable providers list (as `parley models` lists them), as
    /// `PROVIDER/MODEL`, then the presets' names. A provider that cannot be reached within
    /// `timeout` (or whose key command fails) is left out: the others are still listed.
    public func models(timeout: Duration) async -> [RelayModel] {
        let providers = configuration.usableProviders(environment: environment)
        let listings = await withTaskGroup(of: (Int, [String]).self) { group in
            for (position, preset) in providers.enumerated() {
                group.addTask {
                    guard let resolved = try? choice(preset.name, model: nil, asked: preset.name),
                        case .success(let choice) = await unlock(resolved),
                        let listing = try? await ModelCatalog.models(of: choice, timeout: timeout)
                    else { return (position, []) }
                    return (position, listing.models)
                }
            }
            var listings: [Int: [String]] = [:]
            for await (position, models) in group { listings[position] = models }
            return listings
        }
        let listed = providers.enumerated().flatMap { position, preset in
            (listings[position] ?? []).map { RelayModel(id: "\(preset.name)/\($0)", owner: preset.name) }
        }
        return listed + presets.keys.sorted().map { RelayModel(id: $0, owner: "preset") }
    }
}

/// One entry of `GET /v1/models`.
public struct RelayModel: Equatable, Sendable {
    public var id: String
    /// The provider, or "preset".
    public var owner: String

    public init(id: String, owner: String) {
        self.id = id
        self.owner = owner
    }

    var json: JSON { ["id": .string(id), "object": "model", "created": 0, "owned_by": .string(owner)] }
}

import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyTUI

/// Which provider, address and key a conversation talks to: the launch provider (resolved from
/// the flags before the screen opened) where the conversation talks where the launch does, else
/// its own from the environment and the config file (read once, at start-up).
struct ConversationProviders: Sendable {
    var launch: ProviderChoice
    /// Why the launch provider cannot be used (no key), said at start-up; its replies are then
    /// resolved afresh each time, so each says what is missing.
    var launchProblem: String?
    var environment: [String: String]
    var configuration: ProviderConfiguration

    /// The provider a reply is sent to.
    func choice(for start: StreamStart) throws(ProviderChoice.Problem) -> ProviderChoice {
        try choice(for: ModelAddress(provider: start.provider, model: start.model, baseURL: start.baseURL))
    }

    /// The provider a conversation with `model` talks to.
    func choice(for model: ModelAddress) throws(ProviderChoice.Problem) -> ProviderChoice {
        if launchProblem == nil, model.provider == launch.preset.name,
            model.baseURL == nil || model.baseURL == launch.savedBaseURL
        {
            var choice = launch
            choice.model = model.model
            return choice
        }
        return try ProviderChoice.resolve(
            provider: model.provider, model: model.model, baseURL: model.baseURL, environment: environment,
            configuration: configuration)
    }

    /// The provider whose models the picker lists.
    func choice(named provider: String) throws(ProviderChoice.Problem) -> ProviderChoice {
        if provider == launch.preset.name && launchProblem == nil { return launch }
        return try ProviderChoice.resolve(
            provider: provider, model: nil, baseURL: nil, environment: environment, configuration: configuration)
    }

    /// The local servers worth looking for at start-up: the launch provider's address is the one given.
    var localCandidates: [ProviderChoice] {
        LocalServers.candidates(environment: environment, configuration: configuration)
            .filter { $0.preset.name != launch.preset.name }
    }
}

/// The local servers looked for at start-up (PRODUCT.md §3): Ollama, LM Studio and llama.cpp on
/// their usual ports, or where OLLAMA_HOST and the config's `base_url` put them. A server counts
/// as found when its models endpoint answers within a short timeout; one not running costs a
/// refused connection, a slow or silent one at most the timeout.
public enum LocalServers {
    /// The presets probed, in order.
    public static let presetNames = ["ollama", "lmstudio", "llamacpp"]

    /// Short enough to go unnoticed, long enough for a server on this machine.
    public static let probeTimeout: Duration = .milliseconds(400)

    /// Each probed preset's address as a reply would use it. Key commands are never run for a
    /// probe (local servers need no key); a preset whose address is not a URL is left out.
    public static func candidates(
        environment: [String: String], configuration: ProviderConfiguration
    ) -> [ProviderChoice] {
        var configuration = configuration
        for name in configuration.providers.keys { configuration.providers[name]?.keyCommand = nil }
        return presetNames.compactMap { name in
            try? ProviderChoice.resolve(
                provider: name, model: nil, baseURL: nil, environment: environment, configuration: configuration)
        }
    }

    /// Asks every candidate's models endpoint at once and calls `found` for each that answers,
    /// as it answers, with the models it lists. Those that fail or time out (on `clock`) are
    /// passed over in silence. Returns when every probe has ended; cancelling the task ends them
    /// at once.
    public static func discover(
        _ candidates: [ProviderChoice], timeout: Duration = probeTimeout,
        clock: any Clock<Duration> = ContinuousClock(), found: @escaping @Sendable (ProviderChoice, [String]) -> Void
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for candidate in candidates {
                group.addTask {
                    guard
                        let listing = try? await ModelCatalog.models(of: candidate, timeout: timeout, clock: clock),
                        !Task.isCancelled
                    else { return }
                    found(candidate, listing.models)
                }
            }
        }
    }
}

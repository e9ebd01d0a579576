import ParleyCore

/// The local servers looked for at start-up (PRODUCT.md §3): Ollama, LM Studio and llama.cpp on
/// their usual ports, or where OLLAMA_HOST and the config's `base_url` put them. A server counts
/// as found when its models endpoint answers. Looking costs the app nothing it waits for: it goes
/// on in the background for a few seconds (`searchWindow`), so a server on a busy machine, slow
/// to answer, or one still starting, is found all the same; one not running costs a refused
/// connection now and then.
public enum LocalServers {
    /// The presets probed, in order.
    public static let presetNames = ["ollama", "lmstudio", "llamacpp"]

    /// The first probe's time: enough for a server on this machine that is not busy. Each later
    /// probe of the same server gets twice as long.
    public static let probeTimeout: Duration = .milliseconds(400)
    /// How long a server is looked for before it counts as not there.
    public static let searchWindow: Duration = .seconds(8)
    /// The pause before asking again where nothing answered (a server may be starting).
    static let retryPause: Duration = .milliseconds(500)

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
    /// as it answers, with the models it lists. A candidate that is not running, or too slow, is
    /// asked again (with more time) until `window` has passed on `clock`; one that answers with
    /// an error is no server to offer. Returns when every candidate is found or given up;
    /// cancelling the task ends it at once.
    ///
    /// The looking runs on the reply thread, where its connections live, and its pauses are kept
    /// by that thread's loop (`ReplyClock`): a server that is not there costs a wake-up of that
    /// one thread at each try, not hops through the pool and the dispatch timer thread.
    public static func discover(
        _ candidates: [ProviderChoice], timeout: Duration = probeTimeout, window: Duration = searchWindow,
        clock: any Clock<Duration> = ReplyClock(), found: @escaping @Sendable (ProviderChoice, [String]) -> Void
    ) async {
        await withTaskExecutorPreference(ReplyThread.shared) {
            await withTaskGroup(of: Void.self) { group in
                for candidate in candidates {
                    group.addTask {
                        guard let models = await look(for: candidate, timeout: timeout, window: window, clock: clock),
                            !Task.isCancelled
                        else { return }
                        found(candidate, models)
                    }
                }
            }
        }
    }

    /// The candidate's models, once it answers within `window`; nil if it never does.
    private static func look<C: Clock<Duration>>(
        for candidate: ProviderChoice, timeout: Duration, window: Duration, clock: C
    ) async -> [String]? {
        let start = clock.now
        var wait = timeout
        while !Task.isCancelled {
            let failure: ProviderError
            do throws(ProviderError) {
                return try await ModelCatalog.models(of: candidate, timeout: wait, clock: clock).models
            } catch {
                failure = error
            }
            // It answered, with an error: a server, but not one to offer.
            guard failure.status == nil, failure.kind != .protocol else { return nil }
            if failure.kind != .timeout { try? await clock.sleep(for: retryPause) }
            let left = window - start.duration(to: clock.now)
            guard left > .zero else { return nil }
            wait = min(wait * 2, left)
        }
        return nil
    }
}

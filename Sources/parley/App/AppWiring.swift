import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming
import ParleyTUI
import Synchronization

/// Connects the app to the world: its effects become streams (the streaming service), saves
/// (the database, one write at a time and in order, so a checkpoint never lands after the final
/// save) and searches; their outcomes come back as events through the runtime's inbox, and stream
/// updates are taken by the run loop itself when it is woken (`arrivals`).
final class AppWiring: Sendable {
    private let launch: ProviderChoice
    private let settings: LoadedConfig
    private let transport: ProviderTransport
    private let variables: [String: String]
    /// The saved conversations: to read and write, or to read only where it cannot be written.
    private let library: ConversationRepository?
    /// Why nothing can be saved, when it cannot (the app then runs unsaved, and says so once).
    private let savingProblem: Mutex<String?>
    /// Tells other Parley processes that our replies are alive, for as long as the app runs.
    private let lease: StreamingLease?
    private let service: StreamingService
    private let trace: TraceWriter?
    private let writes: AsyncStream<ChatEffect>.Continuation
    private let pendingWrites: AsyncStream<ChatEffect>
    private let runtime = Mutex<AppRuntime?>(nil)
    /// Streams whose provider is being resolved, and whether a cancel came meanwhile.
    private let resolving = Mutex<[SessionID: Bool]>([:])
    private let keys: AppKeys
    private let tasks = Mutex<[Task<Void, Never>]>([])
    /// The model lists being fetched for the picker, by provider.
    private let listings = Mutex<[String: Task<Void, Never>]>([:])
    private let writesDone = DispatchSemaphore(value: 0)
    private let started = ContinuousClock.now

    /// Why the launch provider cannot be used (no key), said at start-up; its replies are then
    /// resolved afresh each time, so each says what is missing (and a key set meanwhile is not
    /// wanted: the environment is read once).
    private let launchProblem: String?

    init(launch: ProviderChoice, launchProblem: String? = nil, settings: LoadedConfig, environment: [String: String])
        async
    {
        self.launch = launch
        self.launchProblem = launchProblem
        self.settings = settings
        transport = ProviderTransport(timeouts: settings.timeouts)
        keys = AppKeys(timeout: settings.keyCommandTimeout)
        variables = environment
        do {
            let library = try Library.open()
            self.library = library
            savingProblem = Mutex(nil)
            lease = StreamingLease.take(forDatabaseAt: library.path)
        } catch {
            // A database that cannot be written (a read-only folder, a full disk) is still shown.
            library = try? Library.openForReading()
            savingProblem = Mutex(error.message)
            log.error("conversations cannot be saved", metadata: ["reason": "\(error.message)"])
            lease = nil
        }
        trace = Self.openTrace(environment)
        service = StreamingService(
            window: settings.batchWindow, timeLimit: settings.timeLimit, replyLimit: settings.maxReplyBytes,
            trace: trace?.hook)
        (pendingWrites, writes) = AsyncStream.makeStream(of: ChatEffect.self)
    }

    static var now: Timestamp { .current }

    /// Starts forwarding stream updates and running saves for `runtime`.
    func connect(_ runtime: AppRuntime) {
        self.runtime.withLock { $0 = runtime }
        // Stream updates are not posted: the run loop takes them when woken (`arrivals`), so a
        // session whose batch the loop has not taken yet holds its reply back.
        service.updates.onArrival { runtime.wake() }
        let writer = Task { [pendingWrites, writesDone] in
            for await effect in pendingWrites { await self.write(effect, post: runtime.post) }
            writesDone.signal()
        }
        tasks.withLock { $0 = [writer, discover(post: runtime.post)] }
        // A server whose model nobody named: its own list says which it has.
        if launch.modelIsAGuess, launchProblem == nil { listModels(launch.preset.name, post: runtime.post) }
    }

    /// The check every first write waits for (a damaged database is never written), run in the
    /// background once the list is read: the first frame does not wait, and a damaged file is
    /// told at once.
    private func checkBeforeWriting(post: @escaping @Sendable (AppEvent) -> Void) -> Task<Void, Never> {
        Task { [self] in
            guard let library, savingProblem.withLock({ $0 == nil }) else { return }
            do throws(StoreError) {
                try await library.checkBeforeWriting()
            } catch {
                savingProblem.withLock { $0 = error.description }
                log.error("conversations cannot be saved", metadata: ["reason": "\(error.description)"])
                post(.chat(.savingUnavailable(reason: error.description)))
            }
        }
    }

    /// Looks for local servers in the background (the first frame does not wait for it); each one
    /// found is posted as it answers. The launch provider is left out: its address is the one given.
    private func discover(post: @escaping @Sendable (AppEvent) -> Void) -> Task<Void, Never> {
        let candidates = LocalServers.candidates(
            environment: variables, configuration: settings.providerConfiguration
        ).filter { $0.preset.name != launch.preset.name }
        return Task {
            await LocalServers.discover(candidates) { choice, models in
                let provider = ModelChoices.Provider(name: choice.preset.name, model: choice.model)
                log.info(
                    "local server found",
                    metadata: [
                        "provider": "\(choice.preset.name)", "url": "\(choice.endpoint.baseURL)",
                        "models": "\(models.count)",
                    ])
                post(.localServerFound(provider, models: models))
            }
        }
    }

    /// The saved conversations, listed (their messages are read when each is opened).
    func startUpEvents() async -> [AppEvent] {
        defer {
            if let runtime = runtime.withLock({ $0 }) {
                let check = checkBeforeWriting(post: runtime.post)
                tasks.withLock { $0.append(check) }
            }
        }
        let unavailable =
            (savingProblem.withLock { $0 }.map { [AppEvent.chat(.savingUnavailable(reason: $0))] } ?? [])
            + (launchProblem.map { [AppEvent.chat(.providerUnavailable(reason: $0))] } ?? [])
        guard let library else { return unavailable }
        do {
            let summaries = try await library.conversations()
            var statuses: [ConversationID: ConversationRow.Status] = [:]
            for summary in summaries {
                switch summary.status {
                case .failed: statuses[summary.conversation.id] = .failed
                case .interrupted: statuses[summary.conversation.id] = .interrupted
                case .live, .idle, .cancelled: break
                }
            }
            return [.chat(.listLoaded(summaries.map(\.conversation), statuses: statuses))] + unavailable
        } catch {
            return [.chat(.conversationPersistFailed(ConversationID("-"), reason: error.description))]
        }
    }

    func environment(preferences: UIPreferences, theme: Theme) -> AppEnvironment {
        var traceFrame: (@Sendable (FrameRecord) -> Void)?
        if let trace {
            let origin = started
            traceFrame = { record in
                trace.write(
                    .frameDrawn(time: origin.duration(to: .now), duration: record.duration, cells: record.cellsWritten))
            }
        }
        return AppEnvironment(
            perform: { [self] effect, post in
                switch effect {
                case .chat(let chatEffect): self.run(chatEffect, post: post)
                case .loadTranscript(let id): self.load(id, post: post)
                case .search(let query): self.search(query, post: post)
                case .listModels(let provider): self.listModels(provider, post: post)
                case .rememberThinkingPane(let shown): preferences.remember(showThinking: shown)
                case .copy, .redraw, .quit: break
                }
            },
            arrivals: { [service] in service.updates.takeReady().map { .chat(Self.action(for: $0)) } },
            finish: { [self] in
                writes.finish()
                _ = writesDone.wait(timeout: .now() + 5)
            },
            now: { Self.now }, traceFrame: traceFrame, theme: theme)
    }

    /// Ends every stream and the tasks that serve the app.
    func stop() async {
        await service.shutdown()
        keys.stop()
        for task in tasks.withLock({ $0 }) + listings.withLock({ Array($0.values) }) { task.cancel() }
    }

    private func run(_ effect: ChatEffect, post: @escaping @Sendable (AppEvent) -> Void) {
        switch effect {
        case .startStream(let start):
            startStream(start, post: post)
        case .cancelStream(let id):
            let stillResolving = resolving.withLock { resolving in
                guard resolving[id] == false else { return false }
                resolving[id] = true
                return true
            }
            // A reply still waiting for its key ends now; the key command may go on (the user may be
            // typing a passphrase into its prompt) and serves the next reply.
            if stillResolving {
                post(.chat(.streamCancelled(id, ReplyTiming(), now: Self.now)))
            } else {
                service.cancel(id)
            }
        case .createConversation, .persistConversation, .persistMessage, .deleteConversation:
            writes.yield(effect)
        }
    }

    /// A conversation's provider is resolved from the environment and the config file; its key
    /// command, when the key comes from one, runs off the UI thread when the first reply needs it.
    /// A cancel meanwhile ends the reply at once, before anything is sent.
    private func startStream(_ start: StreamStart, post: @escaping @Sendable (AppEvent) -> Void) {
        let choice: ProviderChoice
        do {
            choice = try provider(for: start)
        } catch {
            post(
                .chat(
                    .streamFailed(
                        start.sessionID, ProviderError(.auth, error.description), ReplyTiming(), now: Self.now)))
            return
        }
        guard choice.pendingKeyCommand != nil else {
            stream(start, with: choice)
            return
        }
        resolving.withLock { $0[start.sessionID] = false }
        Task {
            let unlocked: Result<ProviderChoice, KeyCommandFailure>
            do throws(KeyCommandFailure) {
                unlocked = .success(try await self.keys.unlock(choice))
            } catch {
                unlocked = .failure(error)
            }
            let cancelled = resolving.withLock { $0.removeValue(forKey: start.sessionID) } ?? false
            switch (unlocked, cancelled) {
            case (_, true):
                break
            case (.failure(let failure), false):
                let problem = ProviderChoice.Problem.keyCommandFailed(failure)
                post(
                    .chat(
                        .streamFailed(
                            start.sessionID, ProviderError(.auth, problem.description), ReplyTiming(), now: Self.now)))
            case (.success(let choice), false):
                self.stream(start, with: choice)
            }
        }
    }

    private func stream(_ start: StreamStart, with choice: ProviderChoice) {
        var request = start.request
        request.model = choice.model
        service.start(
            start.sessionID, conversation: start.conversationID, reply: choice.startReply(request, transport: transport)
        )
    }

    /// A conversation's provider: the launch one (resolved from the flags before the screen opened)
    /// when the conversation talks where the launch does, else from its base URL, the environment
    /// and the config file.
    private func provider(for start: StreamStart) throws(ProviderChoice.Problem) -> ProviderChoice {
        if launchProblem == nil, start.provider == launch.preset.name,
            start.baseURL == nil || start.baseURL == launch.savedBaseURL
        {
            var choice = launch
            choice.model = start.model
            return choice
        }
        return try ProviderChoice.resolve(
            provider: start.provider, model: start.model, baseURL: start.baseURL, environment: variables,
            configuration: settings.providerConfiguration)
    }

    /// The provider's models for the picker, in the background. Its key command is not run for
    /// this (it may ask for a passphrase, and one would run for every provider the picker lists):
    /// such a provider's list is had once its key is in a variable; a reply still runs the command.
    private func listModels(_ provider: String, post: @escaping @Sendable (AppEvent) -> Void) {
        let resolved: ProviderChoice
        do {
            resolved =
                provider == launch.preset.name && launchProblem == nil
                ? launch
                : try ProviderChoice.resolve(
                    provider: provider, model: nil, baseURL: nil, environment: variables,
                    configuration: settings.providerConfiguration)
        } catch {
            post(.modelsListingFailed(provider: provider, reason: error.description))
            return
        }
        let timeout = min(settings.timeouts.firstByte, Self.listingTimeout)
        let task = Task { [keys] in
            guard let choice = await keys.known(resolved) else {
                let reason = "Models not listed: its key comes from key_command, which runs only when a reply needs it."
                post(.modelsListingFailed(provider: provider, reason: reason))
                return
            }
            do throws(ProviderError) {
                let listing = try await ModelCatalog.models(of: choice, timeout: timeout)
                post(.modelsListed(provider: provider, models: listing.models))
            } catch {
                post(.modelsListingFailed(provider: provider, reason: error.message + AskPrinter.nextStep(for: error)))
            }
        }
        listings.withLock { running in
            running[provider]?.cancel()
            running[provider] = task
        }
    }

    /// The longest the picker waits for a model list.
    static let listingTimeout: Duration = .seconds(10)

    /// Where nothing can be saved, nothing is tried: the user was told once, at start-up.
    private func write(_ effect: ChatEffect, post: @Sendable (AppEvent) -> Void) async {
        guard let library, savingProblem.withLock({ $0 == nil }) else { return }
        let (reports, failure) = await library.perform(effect)
        if let failure { log.error("a save failed", metadata: ["reason": "\(failure.description)"]) }
        for report in reports { post(.chat(report)) }
    }

    private func load(_ id: ConversationID, post: @escaping @Sendable (AppEvent) -> Void) {
        guard let library else {
            post(.chat(.transcriptLoaded(id, messages: [])))
            return
        }
        Task {
            do {
                let transcript = try await library.transcript(of: id)
                post(.chat(.transcriptLoaded(id, messages: transcript.messages)))
            } catch {
                post(.chat(.transcriptLoaded(id, messages: [])))
                post(.chat(.conversationPersistFailed(id, reason: "could not read it: \(String(describing: error))")))
            }
        }
    }

    private func search(_ query: String, post: @escaping @Sendable (AppEvent) -> Void) {
        guard let library else {
            post(.searchFailed(query: query, reason: savingProblem.withLock { $0 } ?? "the database is unavailable"))
            return
        }
        Task {
            do {
                let hits = try await library.search(query)
                post(.searchFinished(query: query, results: hits.map(Self.result)))
            } catch {
                post(.searchFailed(query: query, reason: String(describing: error)))
            }
        }
    }

    private static func result(_ hit: SearchHit) -> SearchResult {
        var pieces: [SearchResult.Piece] = []
        var cursor = hit.snippet.text.startIndex
        for range in hit.snippet.highlights {
            pieces.append(.init(String(hit.snippet.text[cursor..<range.lowerBound]), isMatch: false))
            pieces.append(.init(String(hit.snippet.text[range]), isMatch: true))
            cursor = range.upperBound
        }
        pieces.append(.init(String(hit.snippet.text[cursor...]), isMatch: false))
        return SearchResult(conversationID: hit.conversation.id, title: hit.conversation.title, snippet: pieces)
    }

    /// The service's word on a session, in the chat store's terms.
    static func action(for update: SessionUpdate) -> ChatAction {
        switch update {
        case .batch(let id, let batch):
            return .batchArrived(id, batch, now: now)
        case .ended(let id, let end):
            let timing = ReplyTiming(timeToFirstToken: end.metrics.timeToFirstToken, duration: end.metrics.duration)
            switch end.outcome {
            case .finished: return .streamFinished(id, timing, now: now)
            case .cancelled: return .streamCancelled(id, timing, now: now)
            case .failed(let error), .timedOut(let error):
                ReplyLog.failed(error, session: id)
                return .streamFailed(id, error, timing, now: now)
            }
        }
    }

    private static func openTrace(_ environment: [String: String]) -> TraceWriter? {
        guard let path = environment["PARLEY_TRACE"], !path.isEmpty else { return nil }
        return try? TraceWriter(path: path)
    }
}

import Logging
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming
import ParleyTUI
import ParleyTools
import Synchronization

/// Carries out the app's effects: replies are prepared (key, request) by tasks it owns and become
/// sessions of the streaming service, saves go to the save queue, and searches, transcript loads,
/// model lists and the look for local servers run as tasks it owns too, by what they are for
/// (`Job`). Their outcomes come back through `post`; stream updates are taken by the run loop
/// itself (`arrivals`). `stop()` ends every task and session it started and writes the last saves.
final class AppEffects: Sendable {
    /// What a task it owns is for: at most one of each runs at a time.
    enum Job: Hashable, Sendable {
        /// A reply being prepared: its key, when a key command gives it, and its request.
        case preparing(SessionID)
        case listing(provider: String)
        case learningWindow(ModelAddress)
        case transcript(ConversationID)
        case search
        case discovery
        case checkBeforeWriting
        case startingToolServers
        /// A round's tool calls, running for a conversation.
        case tools(ConversationID)
        /// A file being read to be attached (by its path), or the clipboard's image.
        case attaching(String)
        case completingPath
        case checkingPaste
        /// A file handed to the system's viewer, by name.
        case opening(String)
        /// Text given to the clipboard command: a newer copy replaces it.
        case copying
    }

    private let providers: ConversationProviders
    private let service: StreamingService
    private let transport: ProviderTransport
    private let keys: AppKeys
    /// The saved conversations: to read and write, or to read only where it cannot be written.
    private let store: ConversationStore?
    private let saves: SaveQueue?
    /// Why nothing can be saved, when it cannot (the app then runs unsaved, and says so once).
    private let savingProblem: Mutex<String?>
    private let tasks = EffectTasks<Job>()
    private let toolSettings: ToolSettings
    private let attachments: AttachmentEffects
    /// The servers, once started.
    private let toolServers = Mutex<ToolServers?>(nil)

    /// The MCP servers to start (the enabled ones) and the `[tools]` limits.
    struct ToolSettings: Sendable {
        var servers: [ToolServerSettings] = []
        var maxRounds = ToolRounds.standardMaxRounds
        var outputLimit = ToolResult.defaultLimit
        /// Where a server's command is looked for: Parley's own PATH.
        var searchPath: String?
    }
    /// The thinking pane's latest choice, written to `ui.toml` off the UI thread, the last one last.
    private let paneChoices: AsyncStream<Bool>.Continuation
    private let paneChoiceWriter: Task<Void, Never>
    private let listingTimeout: Duration
    private let quitting: Quitting
    private let now: @Sendable () -> Timestamp
    private let post: @Sendable (AppEvent) -> Void

    /// How quitting waits for what is still being done (the last saves above all).
    struct Quitting: Sendable {
        /// The longest it waits for the last saves.
        var savesLimit: Duration = .seconds(5)
        /// How long it waits before it says it is waiting: the terminal is the shell's again by
        /// then, and a reply of hundreds of megabytes takes seconds to write.
        var patience: Duration = .milliseconds(500)
        var clock: any Clock<Duration> = ContinuousClock()
        /// Where what it says goes: stderr.
        var tell: @Sendable (String) -> Void = { Console.error($0) }
    }

    /// - Parameters:
    ///   - store: the database; nil when there is none to read.
    ///   - savingProblem: why it cannot be written, when it cannot.
    ///   - listingTimeout: the longest a model list or a context window's look-up waits: as long
    ///     as a reply's first byte may (`[timeouts] first_byte`), as `parley models` waits.
    ///   - post: where outcomes go (the run loop's inbox, `AppRuntime.post`).
    init(
        providers: ConversationProviders, service: StreamingService, transport: ProviderTransport, keys: AppKeys,
        preferences: UIPreferences, store: ConversationStore?, savingProblem: String?,
        tools: ToolSettings = ToolSettings(),
        attachments: AttachmentEffects = AttachmentEffects(limits: .standard, environment: [:]),
        listingTimeout: Duration,
        quitting: Quitting = Quitting(),
        now: @escaping @Sendable () -> Timestamp, post: @escaping @Sendable (AppEvent) -> Void
    ) {
        self.providers = providers
        self.service = service
        self.transport = transport
        self.keys = keys
        self.store = store
        self.savingProblem = Mutex(savingProblem)
        self.listingTimeout = listingTimeout
        self.quitting = quitting
        toolSettings = tools
        self.attachments = attachments
        self.now = now
        self.post = post
        let (choices, paneChoices) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(1))
        self.paneChoices = paneChoices
        paneChoiceWriter = Task {
            for await shown in choices { preferences.remember(showThinking: shown) }
        }
        saves =
            savingProblem == nil
            ? store.map { store in
                SaveQueue(store) { reports, failure in
                    if let failure { log.error("a save failed", metadata: ["reason": "\(failure.description)"]) }
                    for report in reports { post(.chat(report)) }
                }
            } : nil
    }

    /// What the app starts with: the saved conversations listed (their messages are read when
    /// each is opened) and what cannot be used. The rest goes on in the background once they are
    /// read: the database's check before its first write, the look for local servers, and the
    /// launch provider's model list when its model is a guess.
    func startUp() async -> [AppEvent] {
        defer {
            checkBeforeWriting()
            discover()
            startToolServers()
            // A server whose model nobody named: its own list says which it has.
            if providers.launch.modelIsAGuess, providers.launchProblem == nil {
                listModels(providers.launch.preset.name)
            }
        }
        let unavailable =
            (savingProblem.withLock { $0 }.map { [AppEvent.chat(.savingUnavailable(reason: $0))] } ?? [])
            + (providers.launchProblem.map { [AppEvent.chat(.providerUnavailable(reason: $0))] } ?? [])
        guard let store else { return unavailable }
        do {
            let summaries = try await store.conversations()
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

    func perform(_ effect: AppEffect) {
        switch effect {
        case .chat(.startStream(let start)): startStream(start)
        case .chat(.cancelStream(let id)): cancelStream(id)
        case .chat(.runTools(let id, let calls)): runTools(calls, in: id)
        case .chat(.cancelTools(let id)): tasks.cancel(.tools(id))
        case .chat(let save): saveIfPossible(save)
        case .loadTranscript(let id): load(id)
        case .search(let query): search(query)
        case .listModels(let provider): listModels(provider)
        case .learnContextWindow(let model): learnContextWindow(model)
        case .rememberThinkingPane(let shown): paneChoices.yield(shown)
        case .readAttachment(let path):
            tasks.start(.attaching(path)) { [attachments, post] _ in post(attachments.read(path)) }
        case .completePath(let prefix):
            tasks.start(.completingPath) { [attachments, post] ticket in
                let found = attachments.complete(prefix)
                if self.tasks.claim(ticket) { post(found) }
            }
        case .checkPastedPath(let path, let pasted):
            tasks.start(.checkingPaste) { [attachments, post] _ in
                if let found = attachments.pastedPath(path, pasted: pasted) { post(found) }
            }
        case .pasteClipboardImage:
            tasks.start(.attaching("clipboard")) { [attachments, post] _ in await post(attachments.clipboardImage()) }
        case .openAttachment(let attachment):
            tasks.start(.opening(attachment.name)) { [attachments, post] _ in
                if let failed = await attachments.open(attachment) { post(failed) }
            }
        case .copy(let text, .command(let path, let arguments)):
            tasks.start(.copying) { [post] _ in
                if let failed = await ClipboardCommand.copy(text, path: path, arguments: arguments) { post(failed) }
            }
        case .copy, .redraw, .quit, .composeInEditor, .pageConversation, .notify: break
        }
    }

    /// What the streams brought since last asked, as the chat state's actions.
    func arrivals() -> [AppEvent] {
        service.updates.takeReady().map { update in
            if case .ended(let id, let end) = update {
                switch end.outcome {
                case .failed(let error), .timedOut(let error): ReplyLog.failed(error, session: id)
                case .finished, .cancelled: break
                }
            }
            return .chat(update.action(now: now()))
        }
    }

    /// Ends every session and task, then waits (briefly) for the last saves; says so when that
    /// takes a while, and when it gives up on them.
    func stop() async {
        let waiting = Task { [quitting] in
            do { try await quitting.clock.sleep(for: quitting.patience) } catch { return }
            quitting.tell("parley: saving the last replies before quitting…\n")
        }
        defer { waiting.cancel() }
        // Jobs first: a reply still being prepared must not start once the service has stopped.
        // Key commands before them: a job waiting for one ends when it does.
        keys.stop()
        await tasks.stop()
        await service.shutdown()
        await toolServers.withLock { $0 }?.shutdown()
        paneChoices.finish()
        await paneChoiceWriter.value
        guard let saves else { return }
        guard await !saves.close(waitingAtMost: quitting.savesLimit, clock: quitting.clock) else {
            // Every save written: closed, the database is left with the mark that spares the next
            // start a check of every page.
            store?.close()
            return
        }
        log.error("quitting before the last saves were written: the database did not answer in time")
        quitting.tell(
            "parley: quit before the last replies were saved: the database did not answer within "
                + "\(quitting.savesLimit.spoken) (another program may be holding it)\n")
    }

    // MARK: Replies

    /// A reply is prepared off the UI thread: its key, when a key command gives it, and its
    /// request, whose body carries the whole conversation again, attachments in base64 (a 4 MB
    /// image took the UI thread 25 ms a send; a message may carry 32 MB). A cancel meanwhile ends
    /// the reply at once, before anything is sent (a key command may go on: the user may be typing
    /// a passphrase into its prompt, and it serves the next reply).
    private func startStream(_ start: StreamStart) {
        let chosen: ProviderChoice
        do {
            chosen = try providers.choice(for: start)
        } catch {
            post(
                .chat(
                    .streamFailed(start.sessionID, ProviderError(.auth, error.description), ReplyTiming(), now: now())))
            return
        }
        tasks.start(.preparing(start.sessionID)) { [self] ticket in
            let choice: ProviderChoice
            do throws(KeyCommandFailure) {
                // At once when no key command is pending.
                choice = try await keys.unlock(chosen)
            } catch {
                let problem = ProviderChoice.Problem.keyCommandFailed(error).description
                let failed = ChatAction.streamFailed(
                    start.sessionID, ProviderError(.auth, problem), ReplyTiming(), now: now())
                if tasks.claim(ticket) { post(.chat(failed)) }
                return
            }
            guard !Task.isCancelled else { return }
            var request = start.request
            request.model = choice.model
            let reply = choice.startReply(request, transport: transport)
            // Started as the job is claimed: a cancel either finds the job (and nothing is sent)
            // or comes after, to a session the service knows.
            tasks.claim(ticket) {
                service.start(start.sessionID, conversation: start.conversationID, reply: reply)
            }
        }
    }

    private func cancelStream(_ id: SessionID) {
        if tasks.cancel(.preparing(id)) {
            post(.chat(.streamCancelled(id, ReplyTiming(), now: now())))
        } else {
            service.cancel(id)
        }
    }

    // MARK: Tools

    /// Starts the enabled MCP servers in the background (the first frame does not wait): their
    /// tools, with Parley's own, are offered once listed; a server that fails is said once.
    private func startToolServers() {
        let settings = toolSettings
        tasks.start(.startingToolServers) { [self] _ in
            let (servers, failures) = await ToolServers.start(
                settings.servers, builtIn: true, outputLimit: settings.outputLimit, logger: Logger(label: "parley.mcp"),
                clientVersion: ParleyVersion.current,
                searchPath: settings.searchPath)
            guard !Task.isCancelled else { return await servers.shutdown() }
            toolServers.withLock { $0 = servers }
            post(.chat(.toolsListed(servers.catalog, maxRounds: settings.maxRounds)))
            for (server, failure) in failures {
                log.error("an MCP server did not start", metadata: ["server": "\(server)", "reason": "\(failure)"])
                post(.chat(.toolServerFailed(server: server, reason: failure.description)))
            }
        }
    }

    /// Runs a round's calls together; each result is posted as it comes. A cancel (Esc) stops
    /// them, and nothing more of them is posted.
    private func runTools(_ calls: [ToolInvocation], in id: ConversationID) {
        guard let servers = toolServers.withLock({ $0 }) else {
            for invocation in calls {
                let call = invocation.call
                post(
                    .chat(
                        .toolCallFinished(
                            id,
                            ToolResult(
                                callID: call.id, name: call.name, content: "the tool servers are not running",
                                isError: true))))
            }
            return
        }
        tasks.start(.tools(id)) { [post] _ in
            await withTaskGroup(of: ToolResult.self) { group in
                for invocation in calls { group.addTask { await servers.run(invocation) } }
                for await result in group where !Task.isCancelled { post(.chat(.toolCallFinished(id, result))) }
            }
        }
    }

    // MARK: The database

    /// Where nothing can be saved, nothing is tried: the user was told once.
    private func saveIfPossible(_ effect: ChatEffect) {
        guard let saves, savingProblem.withLock({ $0 == nil }) else { return }
        saves.save(effect)
    }

    /// The check every first write waits for (a damaged database is never written), run in the
    /// background once the list is read: the first frame does not wait, and a damaged file is
    /// told at once.
    private func checkBeforeWriting() {
        guard let store, savingProblem.withLock({ $0 == nil }) else { return }
        tasks.start(.checkBeforeWriting) { [self] _ in
            do throws(StoreError) {
                try await store.checkBeforeWriting()
            } catch {
                savingProblem.withLock { $0 = error.description }
                log.error("conversations cannot be saved", metadata: ["reason": "\(error.description)"])
                post(.chat(.savingUnavailable(reason: error.description)))
            }
        }
    }

    private func load(_ id: ConversationID) {
        guard let store else { return post(.chat(.transcriptLoaded(id, messages: []))) }
        tasks.start(.transcript(id)) { [post] _ in
            do {
                let transcript = try await store.transcript(of: id)
                post(.chat(.transcriptLoaded(id, messages: transcript.messages)))
            } catch {
                post(.chat(.transcriptLoaded(id, messages: [])))
                post(.chat(.conversationPersistFailed(id, reason: "could not read it: \(String(describing: error))")))
            }
        }
    }

    /// A new search replaces one still running (its answer is no longer wanted).
    private func search(_ query: String) {
        guard let store else {
            return post(
                .searchFailed(query: query, reason: savingProblem.withLock { $0 } ?? "the database is unavailable"))
        }
        tasks.start(.search) { [post] ticket in
            let outcome: AppEvent
            do {
                let hits = try await store.search(query)
                outcome = .searchFinished(query: query, results: hits.map(SearchResult.init))
            } catch {
                outcome = .searchFailed(query: query, reason: String(describing: error))
            }
            if self.tasks.claim(ticket) { post(outcome) }
        }
    }

    // MARK: Providers

    /// Looks for local servers in the background (the first frame does not wait for it); each one
    /// found is posted as it answers.
    private func discover() {
        let candidates = providers.localCandidates
        tasks.start(.discovery) { [post] _ in
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

    /// A model's context window, in the background; a provider whose key comes from a key command
    /// is not asked before a reply has run it (the table answers meanwhile).
    private func learnContextWindow(_ model: ModelAddress) {
        guard let resolved = try? providers.choice(for: model) else {
            return post(.contextWindowLearned(model, nil))
        }
        let timeout = listingTimeout
        tasks.start(.learningWindow(model)) { [keys, post] _ in
            let window: ContextWindow?
            if let choice = await keys.known(resolved) {
                window = await ModelCatalog.contextWindow(of: choice, timeout: timeout)
            } else {
                window = ContextWindow.listed(for: model.model)
            }
            post(.contextWindowLearned(model, window))
        }
    }

    /// The provider's models for the picker, in the background. Its key command is not run for
    /// this (it may ask for a passphrase, and one would run for every provider the picker lists):
    /// such a provider's list is had once its key is known; a reply still runs the command.
    private func listModels(_ provider: String) {
        let resolved: ProviderChoice
        do {
            resolved = try providers.choice(named: provider)
        } catch {
            return post(.modelsListingFailed(provider: provider, reason: error.description))
        }
        let timeout = listingTimeout
        tasks.start(.listing(provider: provider)) { [keys, post] ticket in
            let outcome: AppEvent
            if let choice = await keys.known(resolved) {
                do throws(ProviderError) {
                    let listing = try await ModelCatalog.models(of: choice, timeout: timeout)
                    outcome = .modelsListed(provider: provider, models: listing.models)
                } catch {
                    outcome = .modelsListingFailed(
                        provider: provider, reason: error.message + AskPrinter.nextStep(for: error))
                }
            } else {
                outcome = .modelsListingFailed(
                    provider: provider,
                    reason: "Models not listed: its key comes from key_command, which runs only when a reply needs it.")
            }
            if self.tasks.claim(ticket) { post(outcome) }
        }
    }
}

extension SearchResult {
    /// A hit as the search pane shows it: its snippet in pieces, the matches marked.
    fileprivate init(_ hit: SearchHit) {
        var pieces: [Piece] = []
        var cursor = hit.snippet.text.startIndex
        for range in hit.snippet.highlights {
            pieces.append(Piece(String(hit.snippet.text[cursor..<range.lowerBound]), isMatch: false))
            pieces.append(Piece(String(hit.snippet.text[range]), isMatch: true))
            cursor = range.upperBound
        }
        pieces.append(Piece(String(hit.snippet.text[cursor...]), isMatch: false))
        self.init(
            conversationID: hit.conversation.id, title: hit.conversation.title, snippet: pieces,
            messageID: hit.messageID)
    }
}

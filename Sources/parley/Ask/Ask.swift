import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming

struct Ask: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Stream one reply to standard output.",
        discussion: """
            The prompt is the words after `ask`, or standard input when there are none. With a prompt, \
            what is piped on standard input is attached to it as a file (`git diff | parley ask \
            "review this"`), as is each -a FILE: text files go as text, images (PNG, JPEG, GIF, WebP) \
            and PDFs as the provider's own parts, each file told by its content. The reply \
            streams to stdout as it arrives; with --thinking the model's reasoning streams to stderr; \
            a footer with model, usage and speed ends on stderr. Ctrl-C stops the reply at once and \
            keeps what arrived (exit 130). On a terminal the reply's Markdown is made light (bold, \
            headings, code set apart); piped, redirected or with --raw it is exactly as it came.

            The turn is saved as a conversation (see `parley list`; the footer shows its id) unless \
            --no-save is given; --conversation ID continues a saved one.

            --events prints one JSON object per line instead: start, text, thinking, tool_call, \
            usage, error, stop (exactly once), then metrics.

            --json asks the model for one JSON value (OpenAI-compatible response_format, Gemini \
            responseMimeType, Ollama format; Anthropic by an instruction in the system prompt), \
            streams it, and fails (exit 1) when the whole reply does not parse as JSON.

            Settings missing from the command line come from the environment, then the config file \
            (`parley config show`), then the defaults: the provider and model, base URLs, key \
            variables and key commands, extra headers, timeouts. --preset NAME uses the system prompt \
            of [presets.NAME].

            Exit codes: 0 done, 1 the provider or network failed, 2 usage error, 130 interrupted.
            """)

    @Argument(help: "What to ask. Read from standard input when omitted.")
    var prompt: [String] = []

    @Option(help: "The provider: \(ProviderNames.list). Default: the config file's, else the offline demo.")
    var provider: String?

    @Option(help: "The model. Default: the config file's, else the provider's usual model.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "The provider's base URL (overrides its *_BASE_URL variable).")
    var baseURL: String?

    @Option(
        name: [.customShort("a"), .customLong("attach")],
        help: ArgumentHelp("Attach a file: text, an image or a PDF (repeatable).", valueName: "FILE"))
    var attach: [String] = []

    @Option(help: "A system prompt.")
    var system: String?

    @Option(help: ArgumentHelp("Use the system prompt of [presets.NAME] in the config file.", valueName: "NAME"))
    var preset: String?

    @Option(
        help: ArgumentHelp(
            "How much the model reasons: \(Reasoning.spelling). Default: the preset's or the config file's, else auto "
                + "(only what costs nothing extra: the thoughts of models that reason anyway).",
            valueName: "SETTING"))
    var reasoning: Reasoning?

    @Option(name: .customLong("max-tokens"), help: "The most tokens the reply may have.")
    var maxTokens: Int?

    // Unconditional: "-1" is a value to be checked (and refused in words), not an unknown option.
    @Option(parsing: .unconditional, help: "Sampling temperature, 0 to 2.")
    var temperature: Double?

    @Flag(help: "Also stream the model's reasoning, to stderr.")
    var thinking = false

    @Flag(
        help:
            "Print the reply exactly as it came. (On a terminal its Markdown is otherwise made light: bold, headings, code set apart; piped or redirected, it is always as it came.)"
    )
    var raw = false

    @Flag(help: "Print JSON lines (one per event) instead of text.")
    var events = false

    @Flag(help: "Ask for a reply that is one JSON value, and check that it parses.")
    var json = false

    @Option(help: "Continue a saved conversation (its id or a unique prefix): its messages are sent as context.")
    var conversation: String?

    @Flag(name: .customLong("no-save"), help: "Do not save this turn.")
    var noSave = false

    @Flag(
        help: ArgumentHelp(
            "With --conversation and no prompt: ask the model for a summary of the conversation, printed like a "
                + "reply and saved; later turns send it in place of the messages before it (they stay saved)."))
    var compact = false

    @Flag(
        help: ArgumentHelp(
            "Offer the model the tools of the config file's enabled MCP servers (--tools=NAME,NAME: of those "
                + "servers). Each call asks first, on the terminal, unless the server is trusted or --yes is given."))
    var tools = false

    /// `--tools=NAME,NAME`, as `Main` passes it on (a flag cannot take a value of its own).
    @Option(name: .customLong("tool-servers"), help: .hidden)
    var toolServers: String?

    @Flag(help: "Run every tool call without asking.")
    var yes = false

    @Option(
        name: .customLong("max-rounds"),
        help: "The most tool rounds a reply may take (default: [tools] max_rounds, else 10).")
    var maxRounds: Int?

    @Option(
        help: ArgumentHelp(
            "Send the prompt to 2 to 4 models at once, each a model of --provider or PROVIDER:MODEL; their replies "
                + "stream together and are saved as branches of one conversation. Shown one after another, each "
                + "with its footer; with --events, every line carries \"model\".",
            valueName: "MODEL,MODEL"))
    var compare: String?

    func validate() throws {
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1.") }
        if let temperature, !(0...2).contains(temperature) {
            throw ValidationError("--temperature must be between 0 and 2.")
        }
        if system != nil, preset != nil { throw ValidationError("give --system or --preset, not both.") }
        if let maxRounds, maxRounds < 1 { throw ValidationError("--max-rounds must be at least 1.") }
        if let compare {
            let count = AskComparison.models(compare).count
            guard Comparison.models.contains(count) else {
                throw ValidationError(
                    "--compare takes \(Comparison.models.lowerBound) to \(Comparison.models.upperBound) models, "
                        + "separated by commas; \(count) given.")
            }
            if tools || toolServers != nil { throw ValidationError("--compare offers no tools: not with --tools.") }
            if json { throw ValidationError("--json checks one reply: not with --compare.") }
            if compact { throw ValidationError("--compact writes one summary: not with --compare.") }
        }
        if compact {
            if conversation == nil { throw ValidationError("--compact needs --conversation ID: the one to compact.") }
            if !prompt.isEmpty || !attach.isEmpty {
                throw ValidationError("--compact takes no prompt or files: it asks for a summary, then stops.")
            }
            if noSave { throw ValidationError("--compact keeps the summary in the conversation: not with --no-save.") }
        }
    }

    func run() async throws {
        let environment = ProcessEnvironment.variables
        let settings = try AppConfiguration.loadForCommand(environment: environment)
        let chosenPreset = try systemPreset(settings)
        let system = chosenPreset?.system ?? self.system
        let (question, attachments) =
            compact ? ("", []) : try readPrompt(limits: settings.attachmentLimits, environment: environment)
        let (store, transcript) = try await openStore()
        // Closed when the turn is over, every save written: the database is left with the mark
        // that spares the next `ask` a check of every page.
        defer { store?.close() }
        if let compare {
            return try await runComparison(
                compare, question: question, attachments: attachments, system: system, preset: chosenPreset,
                store: store, transcript: transcript, settings: settings, environment: environment)
        }
        // A continued conversation keeps its provider, model and base URL unless told otherwise:
        // its transcript never goes somewhere else silently.
        let saved = transcript?.conversation
        var choice = try await resolve(
            provider: provider ?? saved?.provider, model: model ?? (provider == nil ? saved?.model : nil),
            baseURL: baseURL ?? (provider == nil ? saved?.baseURL : nil), settings: settings, environment: environment)
        // A server given by its address alone answers with its own model, not a hosted
        // provider's usual one; when it lists none, the request goes with the guess. The listing
        // waits as long as the reply's first byte may.
        if choice.modelIsAGuess,
            let listing = try? await ModelCatalog.models(of: choice, timeout: settings.timeouts.firstByte),
            let own = listing.models.first
        {
            choice.model = own
        }

        var turn = await AskTurn(
            store: noSave ? nil : store, continuing: transcript, provider: choice.preset.name, model: choice.model,
            baseURL: choice.savedBaseURL, systemPrompt: system,
            reasoning: reasoning ?? chosenPreset?.reasoning ?? (transcript == nil ? settings.defaultReasoning : nil))
        let started = compact ? await turn.compact() : await turn.send(question, attachments: attachments)
        guard var chat = started else {
            throw CommandFailure.failed(
                compact
                    ? "nothing to compact: the conversation has no reply since its last summary."
                    : "the reply could not be started.")
        }
        chat.model = choice.model
        chat.system = system ?? chat.system
        chat.maxTokens = maxTokens
        chat.temperature = temperature
        if json { chat.responseFormat = .json }
        await Self.warnIfTooLong(chat, choice: choice, timeout: settings.timeouts.firstByte)
        let offered = try await startTools(
            settings.config.mcpServers, outputLimit: settings.toolOutputLimit, environment: environment)
        // A summary is written from the conversation alone.
        chat.tools = compact ? [] : offered?.catalog.definitions(for: choice.preset.name) ?? []
        let runTools: (@Sendable ([ToolCall]) async -> [ToolResult])? = offered.map { tools in
            { @Sendable calls in await tools.run(calls) }
        }

        // The reply runs as sessions of the streaming service (one a round), as in the app: 50 ms
        // batches, session metrics, and a PARLEY_TRACE file when asked for. Retry notices are shown
        // as the reply tells the service of them (nothing of the reply has been shown yet then).
        let service = StreamingService(
            window: settings.batchWindow, timeLimit: settings.timeLimit, replyLimit: settings.maxReplyBytes,
            trace: Self.traceHook())
        let interruption = Interruption()
        let interrupts = InterruptWatcher { interruption.interrupt() }
        var printer = AskPrinter(
            mode: mode, provider: choice.preset.name, providerDisplayName: choice.label,
            model: choice.model, attachments: attachments, pricing: choice.pricing(settings.prices))
        if !noSave, store != nil { printer.savedAs = turn.conversationID }
        var reply = AskReply(
            choice: choice, transport: ProviderTransport(timeouts: settings.timeouts), service: service, turn: turn,
            printer: printer, rounds: ToolRounds(chat, maxRounds: maxRounds ?? settings.maxToolRounds),
            runTools: runTools, collectsText: json)
        // The reply's loop prefers the reply thread, where each batch is posted: a batch is printed
        // right where it was decoded, so a window wakes one thread, not two.
        await withTaskExecutorPreference(ReplyThread.shared) { await reply.run(interrupted: interruption) }
        await offered?.shutdown()
        printer = reply.printer
        let replyText = reply.text
        await service.shutdown()
        interrupts.stop()
        if json, printer.exitCode == 0, let problem = Self.jsonProblem(replyText) {
            throw CommandFailure.failed(problem)
        }
        throw ExitCode(printer.exitCode)
    }

    /// The provider and model to ask, with its key unlocked. A key that is missing or whose command
    /// failed is reported as the reply would have failed (exit 1).
    func resolve(
        provider: String?, model: String?, baseURL: String?, settings: LoadedConfig, environment: [String: String]
    ) async throws -> ProviderChoice {
        var choice: ProviderChoice
        do {
            choice = try ProviderChoice.resolve(
                provider: provider, model: model, baseURL: baseURL, environment: environment,
                configuration: settings.providerConfiguration)
        } catch .missingKey(let preset) {
            try failBeforeRequest(preset, ProviderChoice.Problem.missingKey(preset).description, model: model)
        } catch {
            throw CommandFailure.usage(error.description)
        }
        switch await settings.unlockedResult(choice) {
        case .success(let withKey): return withKey
        case .failure(let failure) where failure.exitCode == 1:
            try failBeforeRequest(choice.preset, failure.message, model: choice.model)
        case .failure(let failure): throw failure
        }
    }

    /// A request that may not fit the model's window is said on standard error, with what the
    /// provider will do; it is sent anyway (the user asked for it, and a provider that refuses says
    /// so). Small ones are not looked at: learning the window may cost a request to the provider.
    /// The look-up waits as long as the reply's first byte may (`[timeouts] first_byte`).
    private static func warnIfTooLong(_ chat: ChatRequest, choice: ProviderChoice, timeout: Duration) async {
        let tokens = chat.estimatedInputTokens
        guard tokens >= 8_192 else { return }
        let window = await ModelCatalog.contextWindow(of: choice, timeout: timeout)
        if let warning = ContextWindow.Fill(used: tokens, window: window, estimated: true).warning(choice.label) {
            Console.error("warning: \(warning)\n")
        }
    }

    /// The MCP servers `--tools` asks for, started, with their tools; nil without `--tools`.
    private func startTools(
        _ configured: [String: ToolServerSettings], outputLimit: Int, environment: [String: String]
    ) async throws(CommandFailure) -> AskTools? {
        guard tools || toolServers != nil else { return nil }
        let names = toolServers.map { $0.split(separator: ",").map { $0.trimmed } } ?? []
        let chosen = try ToolsCommand.chosen(names, from: configured)
        guard !chosen.isEmpty else {
            throw .usage(
                configured.isEmpty
                    ? "--tools: the config file names no MCP server ([mcp.servers.NAME]; `parley tools` lists them)."
                    : "--tools: every MCP server in the config file has enabled = false; name them: --tools=NAME,NAME.")
        }
        return try await AskTools.start(
            chosen, yes: yes, outputLimit: outputLimit, searchPath: environment["PATH"])
    }

    /// `--tools=NAME,NAME` as `--tool-servers NAME,NAME`: `--tools` alone is a flag, and a flag
    /// cannot take a value.
    static func spellingToolServers(_ arguments: [String]) -> [String] {
        guard arguments.first == "ask" else { return arguments }
        return arguments.flatMap { argument in
            argument.hasPrefix("--tools=")
                ? ["--tool-servers", String(argument.dropFirst("--tools=".count))] : [argument]
        }
    }

    /// Why a `--json` reply is not one JSON value, or nil when it is.
    static func jsonProblem(_ reply: String) -> String? {
        do {
            _ = try JSON.parse(reply)
            return nil
        } catch {
            let shown = reply.count <= 60 ? reply : String(reply.prefix(59)) + "…"
            return "the reply is not valid JSON (\(error.description)): \(shown.debugDescription). "
                + "Ask again, or say in the prompt what JSON you want."
        }
    }

    /// `--preset NAME`, when given.
    private func systemPreset(_ settings: LoadedConfig) throws(CommandFailure) -> SystemPreset? {
        guard let preset else { return nil }
        switch settings.preset(named: preset) {
        case .success(let found): return found
        case .failure(let problem): throw CommandFailure.usage(problem.description)
        }
    }

    /// The reply could not even be requested (no key, a key command that failed): report it as
    /// the stream would have, exit 1.
    private func failBeforeRequest(_ preset: ProviderPreset, _ message: String, model: String?) throws -> Never {
        var printer = AskPrinter(
            mode: mode, provider: preset.name, providerDisplayName: preset.displayName,
            model: model ?? preset.defaultModel)
        printer.showFailureBeforeRequest(ProviderError(.auth, message))
        throw ExitCode(printer.exitCode)
    }

    /// The saved conversations, and the one to continue. Saving is a convenience: when the
    /// database cannot be written a turn still runs, unsaved, with a warning; continuing a
    /// conversation needs it readable.
    private func openStore() async throws -> (ConversationStore?, Transcript?) {
        guard !noSave || conversation != nil else { return (nil, nil) }
        var store: ConversationStore?
        var unwritable: CommandFailure?
        do {
            store = try ConversationStore.open()
        } catch {
            unwritable = error
        }
        var transcript: Transcript?
        if let conversation {
            transcript = try await (store ?? ConversationStore.openForReading()).transcript(matching: conversation)
        }
        if let unwritable, !noSave {
            Console.error("warning: this conversation will not be saved: \(unwritable.message)\n")
        }
        return (store, transcript)
    }

    /// `PARLEY_TRACE=FILE`: JSON lines of the session's start, batches and end (sizes and times,
    /// never text or keys). A trace that cannot be written is reported and skipped.
    static func traceHook() -> (@Sendable (TraceEvent) -> Void)? {
        guard let path = ProcessEnvironment.variables["PARLEY_TRACE"], !path.isEmpty else { return nil }
        do {
            return try TraceWriter(path: path).hook
        } catch {
            Console.error("warning: \(error.description)\n")
            return nil
        }
    }

    var mode: AskPrinter.Mode {
        events ? .events : .plain(showThinking: thinking, markdown: Console.outputIsTerminal && !raw && !json)
    }

    /// The prompt, and the files it carries: each `-a FILE`, then standard input when a prompt was
    /// given and something is piped (nothing piped attaches nothing). A file that cannot be
    /// attached stops the command before anything is sent.
    private func readPrompt(limits: AttachmentLimits, environment: [String: String]) throws -> (String, [Attachment]) {
        var attachments: [Attachment] = []
        do {
            for path in attach {
                attachments.append(try AttachmentFile.read(path, limits: limits, home: environment["HOME"]))
            }
            if !prompt.isEmpty, Self.standardInputIsPiped {
                do {
                    attachments.append(try AttachmentFile.standardInput(limits: limits))
                } catch .empty {
                    // Nothing was piped: the prompt goes alone.
                }
            }
            try Attachment.checkTogether(attachments, limits: limits)
        } catch {
            throw CommandFailure.usage("cannot attach: \(error.description)")
        }
        if !prompt.isEmpty { return (prompt.joined(separator: " "), attachments) }
        guard isatty(STDIN_FILENO) == 0 else {
            throw CommandFailure.usage("give a prompt: `parley ask \"…\"`, or pipe one on standard input.")
        }
        let text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        guard !text.allSatisfy(\.isWhitespace) else {
            throw CommandFailure.usage("the prompt on standard input is empty.")
        }
        return (text, attachments)
    }

    /// Standard input is a pipe or a file (not a terminal, a socket or a device): what is on it was
    /// given to the command.
    private static var standardInputIsPiped: Bool {
        var status = stat()
        guard fstat(STDIN_FILENO, &status) == 0 else { return false }
        let type = status.st_mode & S_IFMT
        return type == S_IFIFO || type == S_IFREG
    }
}

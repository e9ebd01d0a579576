import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming

extension Ask {
    /// `--compare`: the prompt to each model at once, saved as one user message with a reply per
    /// model (siblings; the conversation continues with the first model's unless `--conversation`
    /// picks another later).
    func runComparison(
        _ compare: String, question: String, attachments: [Attachment], system: String?, preset: SystemPreset?,
        store: ConversationStore?, transcript: Transcript?, settings: LoadedConfig, environment: [String: String]
    ) async throws {
        let saved = transcript?.conversation
        var choices: [ProviderChoice] = []
        for named in AskComparison.models(compare) {
            let (other, model) = AskComparison.split(named, providers: settings.providerConfiguration)
            // A model of another provider is reached where that provider is configured; --base-url
            // belongs to --provider.
            let provider = other ?? provider ?? saved?.provider
            choices.append(
                try await resolve(
                    provider: provider, model: model,
                    baseURL: other == nil ? baseURL ?? (self.provider == nil ? saved?.baseURL : nil) : nil,
                    settings: settings, environment: environment))
        }
        var turn = await AskTurn(
            store: noSave ? nil : store, continuing: transcript, provider: choices[0].preset.name,
            model: choices[0].model, baseURL: choices[0].savedBaseURL, systemPrompt: system,
            reasoning: reasoning ?? preset?.reasoning ?? (transcript == nil ? settings.defaultReasoning : nil))
        let starts = await turn.compare(
            question, attachments: attachments,
            with: choices.map { ($0.preset.name, $0.model, $0.savedBaseURL) })
        guard starts.count == choices.count else { throw CommandFailure.failed("the replies could not be started.") }

        let service = StreamingService(
            window: settings.batchWindow, timeLimit: settings.timeLimit, replyLimit: settings.maxReplyBytes,
            trace: Self.traceHook())
        let interruption = Interruption()
        let interrupts = InterruptWatcher { interruption.interrupt() }
        let columns = zip(choices, starts).map { choice, start in
            var start = start
            start.request.system = system ?? start.request.system
            start.request.maxTokens = maxTokens
            start.request.temperature = temperature
            var printer = AskPrinter(
                mode: mode, provider: choice.preset.name, providerDisplayName: choice.label, model: choice.model,
                attachments: attachments, pricing: choice.pricing(settings.prices))
            if !noSave, store != nil { printer.savedAs = turn.conversationID }
            return AskComparison.Column(choice: choice, start: start, printer: printer)
        }
        var comparison = AskComparison(
            service: service, transport: ProviderTransport(timeouts: settings.timeouts), turn: turn, columns: columns)
        // On the reply thread, as a single reply's loop (see `run`).
        await withTaskExecutorPreference(ReplyThread.shared) { await comparison.run(interrupted: interruption) }
        await service.shutdown()
        interrupts.stop()
        throw ExitCode(comparison.exitCode)
    }
}

extension AskComparison {
    /// The models `--compare` names, separated by commas.
    static func models(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
    }

    /// `PROVIDER:MODEL` when what comes before the first colon is a provider (built in or
    /// configured), else a model of `--provider` (`llama3.2:3b` is a model).
    static func split(_ named: String, providers: ProviderConfiguration) -> (provider: String?, model: String) {
        guard let colon = named.firstIndex(of: ":"), providers.preset(named: String(named[..<colon])) != nil else {
            return (nil, named)
        }
        return (String(named[..<colon]), String(named[named.index(after: colon)...]))
    }
}

import ParleyCore
import ParleyProviders
import ParleyStreaming
import ParleyTUI

/// Shows one reply's events: as text (stdout) with reasoning, notices and the footer on
/// stderr, or as `--events` JSON lines. Remembers how the reply ended, for the exit code.
struct AskPrinter {
    enum Mode: Equatable {
        /// `markdown`: the reply's Markdown is made light for a terminal (not piped, no --raw).
        case plain(showThinking: Bool, markdown: Bool)
        case events
    }

    let mode: Mode
    let provider: String
    let providerDisplayName: String
    let model: String
    /// The files the prompt carries, listed in `--events`' start line.
    let attachments: [Attachment]
    /// How the provider's replies are priced, for the cost in the footer and `usage` lines.
    let pricing: Pricing
    /// The round under way's usage, and all rounds' before it.
    private var roundUsage: Usage?
    private var earlierUsage: Usage?
    private(set) var stop: StopReason?
    private(set) var error: ProviderError?
    /// Shown in the footer, so the user can continue the conversation.
    var savedAs: ConversationID?
    private var textEndsLine = true
    private var thinkingEndsLine = true
    private var wroteText = false
    /// The estimated tokens of reasoning so far, while a "thinking…" line stands for it (without --thinking).
    private var thinkingTokens = 0
    private var showsThinkingLine = false
    private var markdown: StreamedMarkdown?
    /// Where the printing goes: live, or held while earlier compared replies print.
    var out = AskOutput()
    /// Compared replies' `--events` lines each say which model they are from.
    var tagsModel = false
    /// `start` is said once a reply, first; each round's after it.
    private var started = false
    private var roundNotYetSaid: Int?

    init(
        mode: Mode, provider: String, providerDisplayName: String, model: String, attachments: [Attachment] = [],
        pricing: Pricing = .unknown
    ) {
        self.mode = mode
        self.attachments = attachments
        self.pricing = pricing
        if case .plain(_, markdown: true) = mode { markdown = StreamedMarkdown() }
        self.provider = provider
        self.providerDisplayName = providerDisplayName
        self.model = model
    }

    /// 130 when the user stopped the reply, 1 when it failed, else 0.
    var exitCode: Int32 {
        if stop?.kind == .cancelled { return 130 }
        return error != nil || stop == nil || stop?.kind == .error ? 1 : 0
    }

    /// The reply could not even be requested (no key): report it as the stream would have.
    mutating func showFailureBeforeRequest(_ error: ProviderError) {
        show(.start(model: nil))
        show(.error(error))
        show(.usage(Usage(estimated: true)))
        show(.stop(StopReason(.error)))
        finish(SessionMetrics())
    }

    /// The reply's usage: every round's, summed.
    private var usage: Usage? {
        switch (earlierUsage, roundUsage) {
        case (let earlier?, let round?): earlier + round
        case (let earlier, let round): earlier ?? round
        }
    }

    mutating func show(_ event: StreamEvent) {
        switch event {
        case .usage(let reported): roundUsage = reported
        case .stop(let reason): stop = reason
        case .error(let failure): error = error ?? failure
        default: break
        }
        switch mode {
        case .events:
            switch event {
            case .start:
                guard !started else { break }
                started = true
                out.output(EventLine.start(provider: provider, model: model, attachments: attachments))
                if let round = roundNotYetSaid { emit(EventLine.roundStart(round)) }
            // Once per reply, at its end (`finish`): summed over rounds, and last but for metrics.
            case .usage, .stop: break
            default: if let line = EventLine.make(event) { emit(line) }
            }
        case .plain(let showThinking, _):
            showPlain(event, showThinking: showThinking)
        }
    }

    private mutating func showPlain(_ event: StreamEvent, showThinking: Bool) {
        switch event {
        case .text(let text):
            endThinking()
            endThinkingLine()
            if let pieces = markdown?.feed(text) { out.output(pieces) } else { out.output(text) }
            wroteText = true
            textEndsLine = text.hasSuffix("\n")
        case .thinking(let text) where showThinking:
            out.error(text, dimmed: true)
            thinkingEndsLine = text.hasSuffix("\n")
        case .thinking(let text) where !wroteText:
            // Without --thinking, a live count instead of a silent wait, gone when the answer starts.
            thinkingTokens += Usage.estimatedTokens(in: text)
            showsThinkingLine = true
            out.status("thinking… ~\(thinkingTokens) tokens")
        case .redactedThinking where showThinking:
            out.error("[some reasoning was redacted by the provider]\n", dimmed: true)
        case .reasoningRefused(let refusal):
            out.error(
                "note: \(model) refused the reasoning setting, so it was asked again without it: \(refusal.message)\n")
        case .toolCall(let call):
            endText()
            out.error("tool call \(call.name) \(call.arguments)\n")
        case .error(let error):
            endThinking()
            endThinkingLine()
            endText()
            out.error("error: \(error.message)\(Self.nextStep(for: error))\n")
        default:
            break
        }
    }

    /// A round of the reply begins (the first, said after `start`, or one after tools were run).
    mutating func beginRound(_ round: Int) {
        guard mode == .events else { return }
        if started { emit(EventLine.roundStart(round)) } else { roundNotYetSaid = round }
    }

    /// The round ended, for `reason` (the reply goes on when its calls are run).
    mutating func endRound(_ round: Int, reason: StopReason?) {
        if mode == .events {
            emit(EventLine.roundEnd(round, reason: reason, usage: roundUsage, cost: roundUsage.flatMap(cost)))
        }
        earlierUsage = usage
        roundUsage = nil
    }

    /// A call of the round was run (or refused, or failed): what went back to the model.
    mutating func showToolResult(_ result: ToolResult) {
        switch mode {
        case .events:
            emit(EventLine.toolResult(result))
        case .plain:
            endText()
            let said = result.content.split(whereSeparator: \.isNewline).first.map(String.init) ?? "(nothing)"
            let took = result.duration.map { " (\($0.wholeMilliseconds) ms)" } ?? ""
            out.error("\(result.isError ? "✗" : "✓") \(result.name)\(took): \(said)\n", dimmed: !result.isError)
        }
    }

    /// The reply is over: its usage, stop and metrics lines (--events) or the footer (plain).
    mutating func finish(_ metrics: SessionMetrics) {
        switch mode {
        case .events:
            if let usage { emit(EventLine.usage(usage, cost: cost(of: usage))) }
            if let stop { emit(EventLine.make(.stop(stop)) ?? "") }
            emit(EventLine.metrics(metrics))
        case .plain:
            endThinking()
            endThinkingLine()
            endText()
            if stop?.kind == .cancelled { out.error("stopped; the reply above is what arrived.\n") }
            if stop?.kind == .maxTokens {
                out.error("stopped: max tokens (the reply was cut off at its token limit; --max-tokens sets it)\n")
            }
            // A reply that failed before anything arrived has no figures worth showing.
            guard metrics.timeToFirstToken != nil || error == nil else { return }
            let footer = Footer.make(
                model: model, provider: providerDisplayName, usage: usage, cost: usage.flatMap(cost), metrics: metrics,
                savedAs: savedAs)
            out.error(footer + "\n")
        }
    }

    /// An `--events` line; a compared reply's says which model it is from (its `start` line names it already).
    private mutating func emit(_ line: String) {
        out.output(tagsModel ? EventLine.tagged(line, model: model) : line)
    }

    private func cost(of usage: Usage) -> Cost? {
        pricing.cost(of: usage, provider: provider, model: model)
    }

    private mutating func endText() {
        if let pieces = markdown?.flush() { out.output(pieces) }
        if wroteText, !textEndsLine {
            out.output("\n")
            textEndsLine = true
        }
    }

    private mutating func endThinkingLine() {
        guard showsThinkingLine else { return }
        out.status(nil)
        showsThinkingLine = false
    }

    private mutating func endThinking() {
        if !thinkingEndsLine {
            out.error("\n")
            thinkingEndsLine = true
        }
    }

    /// Nothing was shown yet and the try failed in a way worth repeating: say so, and when.
    static func retryNotice(_ error: ProviderError, attempt: Int, delay: Duration) -> String {
        let seconds = delay.fractionalSeconds
        return "\(error.message) — retrying in \(seconds.formatted1) s (attempt \(attempt + 1))…\n"
    }

    /// What to do next, when the message itself does not already say it.
    static func nextStep(for error: ProviderError) -> String {
        if error.refusesTools {
            return " (This model does not take tools: ask it without --tools, or pick one that does.)"
        }
        switch error.kind {
        case .rateLimited:
            let wait = error.retryAfter.map { "Wait \(Int($0.rounded(.up))) s" } ?? "Wait a moment"
            return " (\(wait) and try again.)"
        case .overloaded: return " (The provider is overloaded; try again shortly.)"
        case .server: return " (The provider had a problem; try again later.)"
        case .network: return " (Check the address and your connection, and that the server is running.)"
        case .timeout: return " (The provider did not answer in time; try again.)"
        case .protocol: return " (The reply could not be read; this may be a proxy or an unsupported server.)"
        default: return ""
        }
    }
}

extension Double {
    var formatted1: String { String((self * 10).rounded() / 10) }
}

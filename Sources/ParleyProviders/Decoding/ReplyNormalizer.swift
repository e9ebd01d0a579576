import ParleyCore

/// Turns what an adapter reports into the sequence every consumer relies on: `start` first,
/// then content, at most one `error`, then exactly one `usage` and one `stop`, last.
///
/// Usage reports are held (the latest wins) and stop is held until the stream ends, because
/// providers send them in every order: OpenAI's include_usage chunk comes after the finish
/// reason, xAI repeats cumulative usage on every chunk. Where no usage was reported it is
/// estimated from the prompt and the text received, and marked estimated.
struct ReplyNormalizer: Sendable {
    private let estimatedInputTokens: Int
    private var thinkTags: ThinkTagSplitter?
    private var started = false
    private var ended = false
    private var usage: Usage?
    private var stop: StopReason?
    private var error: ProviderError?
    private var outputBytes = 0

    init(estimatedInputTokens: Int, splitsThinkTags: Bool) {
        self.estimatedInputTokens = estimatedInputTokens
        self.thinkTags = splitsThinkTags ? ThinkTagSplitter() : nil
    }

    var isEnded: Bool { ended }

    /// Adds what `reported` comes to, normalized, to `out`: the decoder's list for a whole piece
    /// of the body, not a list of its own for each chunk (an allocation at every token).
    mutating func accept(_ reported: [StreamEvent], into out: inout [StreamEvent]) {
        for event in reported where !ended {
            switch event {
            // Said by the transport between tries, never by a stream: nothing to normalize.
            case .reasoningRefused:
                out.append(event)
            case .start(let model):
                if !started {
                    started = true
                    out.append(.start(model: model))
                }
            case .text(let text):
                guard !text.isEmpty else { continue }
                // Once the answer has begun, a delta is emitted as it came: no list of pieces made
                // for it (an allocation at every token).
                guard thinkTags?.isPassingThrough == false else {
                    emit(event, into: &out)
                    continue
                }
                for piece in thinkTags?.split(text) ?? [] { emit(piece, into: &out) }
            case .thinking(let text):
                guard !text.isEmpty else { continue }
                emit(event, into: &out)
            case .redactedThinking, .thinkingSignature, .toolCall:
                emit(event, into: &out)
            case .usage(let reported):
                usage = reported
            case .stop(let reason):
                if stop == nil { stop = reason }
            case .error(let failure):
                if error == nil {
                    error = failure
                    // Text held back as a possible <think> tag was said before the error.
                    for piece in thinkTags?.flush() ?? [] { emit(piece, into: &out) }
                    emit(event, into: &out)
                }
            }
        }
    }

    /// The stream is over (its end marker, or the end of the body): close the sequence.
    /// A stream that ends with neither a finish reason nor an error was cut off.
    mutating func finish() -> [StreamEvent] {
        guard !ended else { return [] }
        if stop == nil, error == nil {
            return fail(ProviderError(.network, "the connection closed before the reply was complete"))
        }
        return close(with: stop ?? StopReason(.error))
    }

    /// The user stopped the reply: what arrived is kept and the reply ends as cancelled.
    mutating func cancel() -> [StreamEvent] {
        guard !ended else { return [] }
        return close(with: StopReason(.cancelled))
    }

    /// The reply failed outside the stream (the connection dropped, a timeout): end it with that error.
    mutating func fail(_ failure: ProviderError) -> [StreamEvent] {
        guard !ended else { return [] }
        var out: [StreamEvent] = []
        accept([.error(failure)], into: &out)
        return out + close(with: stop ?? StopReason(.error))
    }

    private mutating func close(with reason: StopReason) -> [StreamEvent] {
        var out: [StreamEvent] = []
        for piece in thinkTags?.flush() ?? [] { emit(piece, into: &out) }
        if !started {
            started = true
            out.insert(.start(model: nil), at: 0)
        }
        ended = true
        // An error overrides whatever finish reason came before it (a reply cut off by an
        // in-band error did not end its turn), but keeps that reason's raw value.
        let final = error != nil && reason.kind != .cancelled ? StopReason(.error, raw: reason.raw) : reason
        out.append(.usage(usage ?? estimatedUsage))
        out.append(.stop(final))
        return out
    }

    private mutating func emit(_ event: StreamEvent, into out: inout [StreamEvent]) {
        if !started {
            started = true
            out.append(.start(model: nil))
        }
        switch event {
        case .text(let text), .thinking(let text): outputBytes += text.utf8.count
        case .toolCall(let call): outputBytes += call.name.utf8.count + call.arguments.utf8.count
        default: break
        }
        out.append(event)
    }

    private var estimatedUsage: Usage {
        Usage(
            inputTokens: estimatedInputTokens,
            outputTokens: outputBytes == 0 ? 0 : max(1, (outputBytes + 3) / 4),
            estimated: true)
    }
}

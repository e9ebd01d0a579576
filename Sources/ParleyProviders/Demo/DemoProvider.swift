import ParleyCore

/// The built-in offline provider: streams `DemoReply` at a model-like pace through the same
/// `ReplyStream` a real provider uses, so everything downstream treats it alike, cancel included.
public enum DemoProvider {
    public static func stream(
        _ chat: ChatRequest, pace: Duration = .milliseconds(20), clock: any Clock<Duration> = ContinuousClock()
    ) -> ReplyStream {
        let (updates, output) = AsyncStream.makeStream(of: ReplyUpdate.self)
        let control = ReplyControl()
        output.onTermination = { termination in
            if case .cancelled = termination { control.stop(.cancelled) }
        }
        let prompt = chat.messages.last { $0.role == .user }?.content ?? ""
        control.run(
            Task {
                await play(
                    DemoReply.events(for: prompt, json: chat.responseFormat == .json), pace: pace, clock: clock,
                    into: output)
            })
        return ReplyStream(updates: updates, control: control)
    }

    private static func play<C: Clock<Duration>>(
        _ events: [StreamEvent], pace: Duration, clock: C, into output: AsyncStream<ReplyUpdate>.Continuation
    ) async {
        var normalizer = ReplyNormalizer(estimatedInputTokens: 0, splitsThinkTags: false)
        let started = clock.now
        var firstContent: C.Instant?
        var chunks = 0
        var bytes = 0
        var ending: [StreamEvent] = []
        for event in events {
            switch event {
            case .text(let piece), .thinking(let piece): bytes += piece.utf8.count
            default: break
            }
            if event.isContent {
                do {
                    try await clock.sleep(for: pace)
                } catch {
                    ending = normalizer.cancel()
                    break
                }
                firstContent = firstContent ?? clock.now
                chunks += 1
            }
            for normalized in normalizer.accept([event]) { output.yield(.event(normalized)) }
        }
        if ending.isEmpty { ending = normalizer.finish() }
        for event in ending { output.yield(.event(event)) }
        let metrics = ReplyMetrics(
            ttft: firstContent.map { started.duration(to: $0) }, duration: started.duration(to: clock.now),
            chunks: chunks, bytes: bytes, attempts: 1)
        output.yield(.finished(metrics))
        output.finish()
    }
}

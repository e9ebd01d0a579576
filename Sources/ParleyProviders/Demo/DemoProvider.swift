import ParleyCore

/// The built-in offline provider: streams `DemoReply` at a model-like pace through the same
/// `ReplyStream` a real provider uses, so everything downstream treats it alike, cancel included.
public enum DemoProvider {
    public static func stream(
        _ chat: ChatRequest, pace: Duration = .milliseconds(20), clock: any Clock<Duration> = ContinuousClock()
    ) -> ReplyStream {
        let prompt = chat.messages.last { $0.role == .user }?.content ?? ""
        let events = DemoReply.events(for: prompt, json: chat.responseFormat == .json)
        return ReplyStream(control: ReplyControl()) { receiver in
            Task(executorPreference: ReplyThread.shared) {
                await play(events, pace: pace, clock: clock, into: receiver)
            }
        }
    }

    /// Hands each event over as a transport's body loop would: one at a time, paced, waiting for
    /// the receiver before the next.
    private static func play<C: Clock<Duration>>(
        _ events: [StreamEvent], pace: Duration, clock: C, into receiver: any ReplyReceiver
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
            let normalized = normalizer.accept([event])
            guard !normalized.isEmpty else { continue }
            receiver.receive(normalized.map { .event($0) })
            await receiver.readyForMore()
            if Task.isCancelled {
                ending = normalizer.cancel()
                break
            }
        }
        if ending.isEmpty { ending = normalizer.finish() }
        let metrics = ReplyMetrics(
            ttft: firstContent.map { started.duration(to: $0) }, duration: started.duration(to: clock.now),
            chunks: chunks, bytes: bytes, attempts: 1)
        receiver.receive(ending.map { .event($0) } + [.finished(metrics)])
    }
}

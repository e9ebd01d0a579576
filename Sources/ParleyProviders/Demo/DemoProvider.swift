import ParleyCore

/// The built-in offline provider: streams `DemoReply` at a model-like pace through the same
/// `ReplyStream` a real provider uses, so everything downstream treats it alike, cancel included.
public enum DemoProvider {
    public static func stream(
        _ chat: ChatRequest, pace: Duration = .milliseconds(20), clock: any Clock<Duration> = ReplyClock()
    ) -> ReplyStream {
        let events = DemoReply.events(for: chat)
        return ReplyStream(control: ReplyControl()) { receiver in
            Task(executorPreference: ReplyThread.shared) {
                await play(events, pace: pace, clock: clock, into: receiver)
            }
        }
    }

    /// Plays `events` as a server writing one content event every `pace` would, read as a
    /// transport's body loop reads: each time the receiver is ready, everything due by then comes
    /// as one piece, so a receiver that waits (a batch window) does not slow the reply down.
    private static func play<C: Clock<Duration>>(
        _ events: [StreamEvent], pace: Duration, clock: C, into receiver: any ReplyReceiver
    ) async {
        var normalizer = ReplyNormalizer(estimatedInputTokens: 0, splitsThinkTags: false)
        let started = clock.now
        // When each event is written: content events one pace apart, the others with the one before.
        var written = 0
        let due = events.map { event in
            if event.isContent { written += 1 }
            return started.advanced(by: pace * written)
        }
        let firstContentDue = events.firstIndex(where: \.isContent).map { due[$0] }
        var shown = false
        var next = 0
        var ending: [StreamEvent] = []
        while next < events.count {
            let now = clock.now
            var arrived: [StreamEvent] = []
            while next < events.count, due[next] <= now {
                arrived.append(events[next])
                next += 1
            }
            if arrived.isEmpty {
                do {
                    try await clock.sleep(until: due[next], tolerance: nil)
                } catch {
                    ending = normalizer.cancel()
                    break
                }
                continue
            }
            var normalized: [StreamEvent] = []
            normalizer.accept(arrived, into: &normalized)
            if !normalized.isEmpty {
                var updates = normalized.map { ReplyUpdate.event($0) }
                if !shown, let firstContentDue, normalized.contains(where: \.isContent) {
                    shown = true
                    updates.insert(.shown(timeToFirstToken: started.duration(to: firstContentDue)), at: 0)
                }
                receiver.receive(updates)
                await receiver.readyForMore()
            }
            if Task.isCancelled {
                ending = normalizer.cancel()
                break
            }
        }
        if ending.isEmpty { ending = normalizer.finish() }
        let sent = events[..<next]
        let bytes = sent.reduce(0) { total, event in
            switch event {
            case .text(let piece), .thinking(let piece): total + piece.utf8.count
            default: total
            }
        }
        let metrics = ReplyMetrics(
            duration: started.duration(to: clock.now), chunks: sent.count(where: \.isContent), bytes: bytes,
            attempts: 1)
        receiver.receive(ending.map { .event($0) } + [.finished(metrics)])
    }
}

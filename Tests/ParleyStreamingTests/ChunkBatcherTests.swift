import ParleyCore
import ParleyStreaming
import Testing

@Suite("Batching a session's deltas")
struct ChunkBatcherTests {
    /// The session's time: how long since it started.
    func at(_ milliseconds: Int) -> Duration { .milliseconds(milliseconds) }

    @Test("the first delta after a quiet spell arms the one timer for one window; later deltas wait for it")
    func firstDeltaArmsTimer() {
        var batcher = ChunkBatcher()
        #expect(batcher.receive(.text("Hel"), at: at(0)) == .armTimer(deadline: at(50)))
        #expect(batcher.receive(.text("lo"), at: at(10)) == .none)
        #expect(batcher.receive(.thinking("hmm"), at: at(20)) == .none)
        guard case .deliver(let batch) = batcher.timerFired(at: at(50)) else {
            Issue.record("the timer should deliver what was gathered")
            return
        }
        #expect(batch.events == [.text("Hello"), .thinking("hmm")])
        #expect(batch.eventCount == 3)
        #expect(batcher.deadline == nil)
        #expect(!batcher.isPending)
    }

    @Test("a steady stream is delivered every window, not held until it pauses")
    func steadyStreamFlows() {
        var batcher = ChunkBatcher()
        var deliveries: [(at: Int, text: String)] = []
        var deadline: Duration?
        for millisecond in stride(from: 0, through: 200, by: 5) {
            if let armed = deadline, armed <= at(millisecond) {
                if case .deliver(let batch) = batcher.timerFired(at: armed) {
                    deliveries.append((millisecond, batch.text))
                }
                deadline = nil
            }
            if case .armTimer(let next) = batcher.receive(.text("."), at: at(millisecond)) { deadline = next }
        }
        #expect(deliveries.map(\.at) == [50, 100, 150, 200])
        #expect(deliveries.map(\.text.count) == [10, 10, 10, 10])
    }

    @Test("a stop delivers at once, with everything pending, without waiting for the window")
    func stopFlushesAtOnce() {
        var batcher = ChunkBatcher()
        _ = batcher.receive(.text("Bye"), at: at(0))
        _ = batcher.receive(.usage(Usage(outputTokens: 1)), at: at(1))
        #expect(
            batcher.receive(.stop(StopReason(.endTurn)), at: at(2))
                == .deliver(Batch(events: [.text("Bye"), .usage(Usage(outputTokens: 1)), .stop(StopReason(.endTurn))])))
        #expect(batcher.deadline == nil)
        #expect(batcher.timerFired(at: at(50)) == .none)
    }

    @Test("an error delivers at once")
    func errorFlushesAtOnce() {
        var batcher = ChunkBatcher()
        _ = batcher.receive(.text("Par"), at: at(0))
        let failure = ProviderError(.network, "connection reset")
        #expect(
            batcher.receive(.error(failure), at: at(3)) == .deliver(Batch(events: [.text("Par"), .error(failure)])))
    }

    @Test("a timer from before a flush does nothing, and a quiet session arms no timer")
    func staleTimerIgnored() {
        var batcher = ChunkBatcher()
        _ = batcher.receive(.text("a"), at: at(0))
        _ = batcher.flush()
        #expect(batcher.deadline == nil)
        #expect(batcher.receive(.text("b"), at: at(30)) == .armTimer(deadline: at(80)))
        #expect(batcher.timerFired(at: at(50)) == .none)
        #expect(batcher.timerFired(at: at(80)) == .deliver(Batch(events: [.text("b")])))
        #expect(batcher.flush() == .none)
    }

    @Test("the window is configurable")
    func configurableWindow() {
        var batcher = ChunkBatcher(window: .milliseconds(16))
        #expect(batcher.receive(.text("x"), at: at(100)) == .armTimer(deadline: at(116)))
    }
}

extension Batch {
    var text: String {
        events.map { if case .text(let text) = $0 { text } else { "" } }.joined()
    }
}

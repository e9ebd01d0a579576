import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import ParleyStreaming

/// The per-session limit on undelivered text, on a test clock with replies written by hand.
@Suite("A slow consumer holds a session back", .timeLimit(.minutes(10)))
struct ServiceBackpressureTests {
    let session = SessionID("one")
    /// 64 KiB of text: 16 of them make the limit.
    static let chunk = String(repeating: "x", count: 64 << 10)
    static var chunksToLimit: Int { SessionUpdates.sessionLimit / chunk.utf8.count }

    /// Makes the session's pending batch one chunk past the limit, undelivered, with its runner
    /// held back.
    func heldBack(_ reply: ScriptedReply, in service: StreamingService, clock: TestClock<Duration>) async {
        let over = Self.chunksToLimit + 1
        for _ in 0..<over + 1 { reply.send(.text(Self.chunk)) }
        // The batcher alone went past the limit: the runner waits for the window to hand it over.
        #expect(await eventually { service.updates.isHoldingBack(session) })
        #expect(service.events(of: session) == over)
        await clock.advance(past: .milliseconds(50))
        #expect(await eventually { service.updates.pendingBatches == 1 })
        #expect(service.updates.pendingBytes(for: session) == over * Self.chunk.utf8.count)
        // Not taken: still held back, the last chunk still in the reply.
        #expect(service.updates.isHoldingBack(session))
        #expect(service.events(of: session) == over)
    }

    @Test(
        "past the limit the session stops its reply reading on, and lets it read again once the consumer takes the batch"
    )
    func stopsAndResumes() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        await heldBack(reply, in: service, clock: clock)

        reply.send(.text("a"), .text("b"))
        let pulled = Self.chunksToLimit + 1
        for _ in 0..<100 { await Task.yield() }
        #expect(service.events(of: session) == pulled)

        var updates = service.updates.makeAsyncIterator()
        let first = try #require(await updates.next()?.batch)
        #expect(first.text == String(repeating: Self.chunk, count: Self.chunksToLimit + 1))
        #expect(await eventually { service.events(of: session) == pulled + 3 })
        #expect(!service.updates.isHoldingBack(session))

        await clock.advance(past: .milliseconds(50))
        #expect(try #require(await updates.next()?.batch).text == Self.chunk + "ab")
        reply.send(.stop(StopReason(.endTurn)))
        reply.finish()
        #expect(try #require(await updates.next()?.batch).events == [.stop(StopReason(.endTurn))])
        #expect(try #require(await updates.next()?.end).outcome == .finished)
    }

    @Test("cancel while the runner waits for the consumer: the session ends cancelled at once, its text kept")
    func cancelWhileHeldBack() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        await heldBack(reply, in: service, clock: clock)
        reply.send(.text("a"), .text("b"))

        service.cancel(session)
        // The session ends without the consumer reading anything, and without the clock moving.
        #expect(await eventually { service.activeSessions.isEmpty })
        #expect(reply.cancelCount == 1)
        var updates = service.updates.makeAsyncIterator()
        let batch = try #require(await updates.next()?.batch)
        #expect(batch.text == String(repeating: Self.chunk, count: Self.chunksToLimit + 2) + "ab")
        #expect(batch.events.last == .stop(StopReason(.cancelled)))
        #expect(try #require(await updates.next()?.end).outcome == .cancelled)
    }

    @Test("a session held back at its limit never holds back another: its batches and end keep coming")
    func otherSessionsFlow() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let held = ScriptedReply()
        held.start(in: service, as: session)
        await heldBack(held, in: service, clock: clock)

        let other = SessionID("two")
        let flowing = ScriptedReply()
        flowing.start(in: service, as: other)
        flowing.send(.text("still "), .text("flowing"))
        #expect(await eventually { service.events(of: other) == 2 })
        await clock.advance(past: .milliseconds(50))
        flowing.send(.stop(StopReason(.endTurn)))
        flowing.finish()
        #expect(await eventually { service.activeSessions.map(\.id) == [session] })
        #expect(service.updates.isHoldingBack(session))

        var updates = service.updates.makeAsyncIterator()
        #expect(try #require(await updates.next()).session == session)
        let batch = try #require(await updates.next())
        #expect(batch == .batch(other, merged([.text("still flowing"), .stop(StopReason(.endTurn))], count: 3)))
        #expect(try #require(await updates.next()).end?.outcome == .finished)
        service.cancel(session)
    }

    func merged(_ events: [StreamEvent], count: Int) -> Batch {
        var batch = Batch(events: events)
        batch.eventCount = count
        return batch
    }
}

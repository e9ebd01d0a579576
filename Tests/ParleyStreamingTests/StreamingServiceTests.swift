import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import ParleyStreaming

@Suite("Running replies as sessions", .timeLimit(.minutes(10)))
struct StreamingServiceTests {
    typealias Runner = SessionRunner<TestClock<Duration>>
    let session = SessionID("one")

    @Test("deltas reach the consumer exactly one window after the first, merged, and a stop flushes at once")
    func batchBoundaries() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        reply.send(.start(model: "m"), .text("Hel"), .text("lo"))
        #expect(await eventually { service.events(of: session) == 3 })
        #expect(service.updates.pendingBatches == 0)
        await clock.advance(by: .milliseconds(49))
        #expect(service.updates.pendingBatches == 0)
        await clock.advance(past: .milliseconds(1))
        let first = try #require(await updates.next()?.batch)
        #expect(first.events == [.start(model: "m"), .text("Hello")])
        #expect(first.eventCount == 3)

        reply.send(.text(" world"), .usage(Usage(outputTokens: 2)), .stop(StopReason(.endTurn)))
        let last = try #require(await updates.next()?.batch)
        #expect(last.events == [.text(" world"), .usage(Usage(outputTokens: 2)), .stop(StopReason(.endTurn))])

        reply.finish()
        let end = try #require(await updates.next()?.end)
        #expect(end.outcome == .finished)
        #expect(end.metrics.bytes == 300)
        #expect(end.metrics.textBytes == 11)
        #expect(await eventually { service.activeSessions.isEmpty })
    }

    @Test("time to first token is the reply's: every batch from the first content on carries it, and so does the end")
    func timeToFirstToken() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        // Measured by the reply from its own request (after a retry, say), not from the session's start.
        reply.show(after: .milliseconds(120), .start(model: "m"), .text("Hi"))
        #expect(await eventually { service.events(of: session) == 2 })
        await clock.advance(past: .milliseconds(50))
        let first = try #require(await updates.next()?.batch)
        #expect(first.events == [.start(model: "m"), .text("Hi")])
        #expect(first.timeToFirstToken == .milliseconds(120))
        reply.send(.text(" there"), .stop(StopReason(.endTurn)))
        let last = try #require(await updates.next()?.batch)
        #expect(last.timeToFirstToken == .milliseconds(120))
        reply.finish()
        let end = try #require(await updates.next()?.end)
        #expect(end.metrics.timeToFirstToken == .milliseconds(120))
    }

    @Test(
        "a piece the reply had to wait for holds its reading until just before the window ends; what is there at once is read at once"
    )
    func pacedReading() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        // Two pieces there at once when the reply starts: both read, no waiting.
        reply.send(.start(model: "m"), .text("One"))
        reply.send(.text(" two"))
        #expect(await eventually { service.events(of: session) == 3 })

        // Then the server writes at its own pace: a piece that came 10 ms later was waited for, so
        // the next one (written meanwhile) stays unread, as it would in the socket, until just
        // before the window ends; then it is read at once, in time for the window's batch.
        await clock.advance(by: .milliseconds(10))
        reply.send(.text(" three"))
        #expect(await eventually { service.events(of: session) == 4 })
        reply.send(.text(" four"))
        await clock.advance(by: .milliseconds(37))
        for _ in 0..<100 { await Task.yield() }
        #expect(service.events(of: session) == 4)
        await clock.advance(past: .milliseconds(3) - Runner.readAhead)
        #expect(await eventually { service.events(of: session) == 5 })
        #expect(service.updates.pendingBatches == 0)
        await clock.advance(by: Runner.readAhead)
        let first = try #require(await updates.next()?.batch)
        #expect(first.text == "One two three four")

        reply.send(.stop(StopReason(.endTurn)))
        reply.finish()
        let last = try #require(await updates.next()?.batch)
        #expect(last.events == [.stop(StopReason(.endTurn))])
        #expect(try #require(await updates.next()?.end).outcome == .finished)
    }

    @Test("what the server wrote during a window is shown at that window's end, not the next one's")
    func shownWithinAWindow() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        // A server writing a token every 10 ms: the first opens a window at 0; the next, waited
        // for, holds the reading back; the three written after it wait in the socket, and the one
        // read just before the window's end brings them, all shown at its end.
        reply.arrive()
        reply.send(.start(model: "m"), .text("t0"))
        #expect(await eventually { service.events(of: session) == 2 })
        await clock.advance(by: .milliseconds(10))
        reply.send(.text(" t1"))
        #expect(await eventually { service.events(of: session) == 3 })
        await clock.advance(by: .milliseconds(30))
        reply.send(.text(" t2"), .text(" t3"), .text(" t4"))
        for _ in 0..<100 { await Task.yield() }
        #expect(service.events(of: session) == 3)
        await clock.advance(past: .milliseconds(10) - Runner.readAhead)
        #expect(await eventually { service.events(of: session) == 6 })
        await clock.advance(by: Runner.readAhead)
        #expect(try #require(await updates.next()?.batch).text == "t0 t1 t2 t3 t4")

        // The next token, written after the window ended, opens the next window.
        await clock.advance(by: .milliseconds(10))
        reply.arrive()
        reply.send(.text(" t5"))
        #expect(await eventually { service.events(of: session) == 7 })
        await clock.advance(past: .milliseconds(50))
        #expect(try #require(await updates.next()?.batch).text == " t5")
        service.cancel(session)
    }

    @Test("a reply that has caught up with the server just before its window's end is shown once that read settles")
    func shownWhenCaughtUp() async throws {
        let clock = TestClock()
        let started = clock.now
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        // Caught up with the server early in a window: the window keeps its end.
        await openWindowAndCatchUp(reply)
        await clock.advance(by: .milliseconds(10))
        reply.send(.text(" t1"))
        #expect(await eventually { service.events(of: session) == 3 })

        // Let read on 2 ms before the window's end, the reply first finds the client holding
        // nothing: the socket is yet to be read, and the batch waits for it, however long the
        // read takes. It brings what the server wrote meanwhile, and the reply catches up again:
        // now the batch leaves once the read settles, before the window's end, with what came in
        // that time too.
        reply.caughtUp()
        await clock.advance(past: .milliseconds(40) - Runner.readAhead)
        #expect(await eventually { reply.caughtUpCount == 2 })
        await clock.advance(by: Runner.settle)
        reply.send(.text(" t2"), .text(" t3"))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 3 })
        #expect(service.events(of: session) == 5)
        #expect(service.updates.pendingBatches == 0)
        await clock.advance(by: Runner.settle / 2)
        reply.send(.text(" t4"))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 4 })
        #expect(service.events(of: session) == 6)
        #expect(service.updates.pendingBatches == 0)
        await clock.advance(past: Runner.settle / 2)
        #expect(try #require(await updates.next()?.batch).text == "t0 t1 t2 t3 t4")
        #expect(started.duration(to: clock.now) < .milliseconds(49))

        // What comes after opens the next window, which ends with its timer as before.
        reply.arrive()
        reply.send(.text(" t5"))
        #expect(await eventually { service.events(of: session) == 7 })
        await clock.advance(past: .milliseconds(50))
        #expect(try #require(await updates.next()?.batch).text == " t5")
        service.cancel(session)
    }

    @Test(
        "a part the client held back from an earlier read, handed over as the reply reads on, is not the server caught up: the batch waits for the socket's read"
    )
    func heldPartIsNotCaughtUp() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        await readOnNearTheWindowsEnd(reply, service: service, clock: clock)

        // Let read on, the client first hands over a part the read that brought t1 also brought,
        // and only then reads the socket: catching up with that part is not having read what the
        // server wrote meanwhile, so the batch does not leave (as it did once, without t3).
        reply.send(.text(" t2"))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 2 })
        await clock.advance(past: Runner.settle)
        for _ in 0..<100 { await Task.yield() }
        // (Required: a batch gone early would hold the reading until the next window's end, which
        // this story's clock never reaches.)
        try #require(service.updates.pendingBatches == 0)

        // The socket's read brings it; caught up again, the batch leaves once that read settles.
        reply.send(.text(" t3"))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 3 })
        await clock.advance(past: Runner.settle)
        #expect(try #require(await updates.next()?.batch).text == "t0 t1 t2 t3")
        service.cancel(session)
    }

    @Test(
        "a window's read that is still catching up when the window ends holds its batch, which leaves once that read settles, with what the kernel sent after it"
    )
    func slowCatchUpIsWaitedFor() async throws {
        let clock = TestClock()
        let started = clock.now
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        // A busy machine: the socket's read comes 1.5 ms after the read-on and brings part of what
        // waited; the window ends with the reply still reading, and its batch waits.
        await readOnNearTheWindowsEnd(reply, service: service, clock: clock)
        await socketReadArrives(after: .microseconds(1500), reply, service: service, clock: clock)
        await clock.advance(by: Runner.readAhead - .microseconds(1400))
        for _ in 0..<100 { await Task.yield() }
        try #require(service.updates.pendingBatches == 0)

        // The read catches up 0.5 ms past the window's end, 2.5 ms after the read-on: it settles
        // for half that, and what the kernel sends 0.7 ms later joins the batch.
        await clock.advance(by: .microseconds(400))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 3 })
        await clock.advance(by: .microseconds(700))
        reply.arrive()
        reply.send(.text(" t3"))
        #expect(await eventually { service.events(of: session) == 5 })
        #expect(service.updates.pendingBatches == 0)
        await clock.advance(past: .microseconds(550))
        #expect(try #require(await updates.next()?.batch).text == "t0 t1 t2 t3")
        #expect(started.duration(to: clock.now) < .milliseconds(50) + Runner.overrun)
        service.cancel(session)
    }

    @Test("a window's read that has not caught up by `overrun` past the window's end holds its batch no longer")
    func slowCatchUpIsWaitedForBriefly() async throws {
        let clock = TestClock()
        let started = clock.now
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        await readOnNearTheWindowsEnd(reply, service: service, clock: clock)
        await socketReadArrives(after: .milliseconds(1), reply, service: service, clock: clock)

        // The read goes on past the window's end and has not caught up `overrun` later: the batch
        // leaves with what it has, and the rest opens the next window.
        await clock.advance(by: .milliseconds(1) + Runner.overrun - .microseconds(100))
        for _ in 0..<100 { await Task.yield() }
        try #require(service.updates.pendingBatches == 0)
        await clock.advance(past: .microseconds(100))
        #expect(try #require(await updates.next()?.batch).text == "t0 t1 t2")
        #expect(started.duration(to: clock.now) <= .milliseconds(50) + Runner.overrun + .microseconds(1))
        service.cancel(session)
    }

    @Test(
        "a reply a busy machine wakes for its read-on only past its window's end still reads the window's text into that window's batch, which leaves a little late"
    )
    func lateReadOnIsWaitedFor() async throws {
        let clock = StallingClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        // The window opens at 0; 10 ms later a piece the reply waited for is held until the
        // read-on, 2 ms before the window's end (50 ms), where the window's timer also waits.
        await openWindowAndCatchUp(reply)
        clock.stall(for: .milliseconds(10))
        reply.arrive()
        reply.send(.text(" t1"))
        #expect(await eventually { clock.sleeping.count == 2 })

        // The process does not run until 0.5 ms past the window's end. The read-on runs first:
        // the reply decodes the piece and asks the socket for what waited, which is yet to come
        // when the window's timer runs; the batch waits for it.
        clock.stall(for: .microseconds(40_500))
        clock.wakeDue(through: .milliseconds(50) - Runner.readAhead)
        #expect(await eventually { service.events(of: session) == 3 })
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 2 })
        clock.wakeDue()
        for _ in 0..<100 { await Task.yield() }
        try #require(service.updates.pendingBatches == 0)

        // The socket's read brings the rest of the window, the reply catches up, and the batch
        // leaves with all of it once that read has settled: 2 ms past the window's end at most.
        clock.stall(for: .microseconds(100))
        reply.arrive()
        reply.send(.text(" t2"), .text(" t3"))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 3 })
        clock.stall(for: .microseconds(1400))
        clock.wakeDue()
        #expect(try #require(await updates.next()?.batch).text == "t0 t1 t2 t3")
        service.cancel(session)
    }

    @Test("a window whose read near its end finds nothing new leaves at its end: a silent server holds no batch")
    func silentServerAtTheWindowsEnd() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()

        await readOnNearTheWindowsEnd(reply, service: service, clock: clock)

        // Read on just before the window's end, the reply finds the socket empty: the server has
        // gone quiet (a model thinking, a tool call). The window ends at its time.
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 2 })
        await clock.advance(by: Runner.readAhead)
        #expect(try #require(await updates.next()?.batch).text == "t0 t1")
        service.cancel(session)
    }

    @Test("a piece the reply had to wait for is decoded just before its window ends, and shown in that window's batch")
    func waitedForPieceIsDecodedAtTheWindowsEnd() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var updates = service.updates.makeAsyncIterator()
        reply.send(.start(model: "m"), .text("One"))
        #expect(await eventually { service.events(of: session) == 2 })

        // 10 ms later the next piece comes: the server writes at its own pace, so the piece waits
        // until just before the window's end (50 ms) to be decoded, with whatever else the window brings.
        await clock.advance(by: .milliseconds(10))
        reply.arrive()
        reply.send(.text(" two"))
        await clock.advance(by: .milliseconds(37))
        for _ in 0..<100 { await Task.yield() }
        #expect(reply.arrivalCount == 0)
        #expect(service.events(of: session) == 2)

        await clock.advance(past: .milliseconds(3) - Runner.readAhead)
        #expect(await eventually { reply.arrivalCount == 1 })
        #expect(await eventually { service.events(of: session) == 3 })
        await clock.advance(by: Runner.readAhead)
        let batch = try #require(await updates.next()?.batch)
        #expect(batch.text == "One two")
        reply.send(.stop(StopReason(.endTurn)))
        reply.finish()
        #expect(try #require(await updates.next()?.batch).events == [.stop(StopReason(.endTurn))])
    }

    @Test("a piece that was there at once is read on from at once, however long it took to decode")
    func slowDecodingIsNotPacing() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        reply.send(.start(model: "m"), .text("One"))
        #expect(await eventually { service.events(of: session) == 2 })

        // A big piece was there when asked for, and took 5 ms to decode: still no sign that the
        // server writes at its own pace, so the reply reads on at once.
        reply.arrive()
        #expect(await eventually { reply.arrivalCount == 1 })
        await clock.advance(by: .milliseconds(5))
        reply.send(.text(" two"))
        reply.send(.text(" three"))
        #expect(await eventually { service.events(of: session) == 4 })
        reply.send(.stop(StopReason(.endTurn)))
        reply.finish()
        var updates = service.updates.makeAsyncIterator()
        let batch = try #require(await updates.next()?.batch)
        #expect(batch.text == "One two three")
    }

    @Test("live sessions are listed with their state and metrics, and leave the list once they end")
    func activeSessions() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session, conversation: ConversationID("talk"))
        #expect(service.activeSessions.map(\.state) == [.connecting])
        reply.send(.start(model: nil), .text("abc"))
        #expect(await eventually { service.activeSessions.first?.state == .streaming })
        let active = try #require(service.activeSessions.first)
        #expect(active.conversationID == ConversationID("talk"))
        #expect(active.metrics.textBytes == 3)
        reply.send(.stop(StopReason(.endTurn)))
        reply.finish()
        var updates = service.updates.makeAsyncIterator()
        while let update = await updates.next(), update.end == nil {}
        #expect(service.activeSessions.isEmpty)
    }

    @Test("cancel stops the reply, delivers what came at once, and ends the session cancelled")
    func cancel() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        reply.send(.text("partial"))
        #expect(await eventually { service.events(of: session) == 1 })

        service.cancel(session)
        var updates = service.updates.makeAsyncIterator()
        let batch = try #require(await updates.next()?.batch)
        #expect(batch.events == [.text("partial"), .usage(Usage(estimated: true)), .stop(StopReason(.cancelled))])
        #expect(try #require(await updates.next()?.end).outcome == .cancelled)
        #expect(reply.cancelCount == 1)
        service.cancel(session)
        #expect(reply.cancelCount == 1)
    }

    @Test("a session running past its time limit is cancelled and ends timed out; without a limit it runs on")
    func timeLimit() async throws {
        let clock = TestClock()
        let service = StreamingService(timeLimit: .seconds(30), clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        reply.send(.text("slow"))
        #expect(await eventually { service.events(of: session) == 1 })
        await clock.advance(past: .milliseconds(50))
        var updates = service.updates.makeAsyncIterator()
        _ = try #require(await updates.next()?.batch)

        await clock.advance(by: .seconds(29))
        #expect(reply.cancelCount == 0)
        await clock.advance(by: .seconds(1))
        let last = try #require(await updates.next()?.batch)
        #expect(last.events.last == .stop(StopReason(.cancelled)))
        guard case .timedOut(let error) = try #require(await updates.next()?.end).outcome else {
            Issue.record("the session should end timed out")
            return
        }
        #expect(error.kind == .timeout)
        #expect(reply.cancelCount == 1)

        let unlimited = StreamingService(clock: clock)
        let other = ScriptedReply()
        other.start(in: unlimited, as: session)
        await clock.advance(by: .seconds(3600))
        #expect(other.cancelCount == 0)
        #expect(unlimited.activeSessions.count == 1)
        unlimited.cancel(session)
    }

    @Test("a transport timeout ends the session timed out, with the text so far delivered")
    func transportTimeout() async throws {
        let service = StreamingService(clock: TestClock())
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        let stalled = ProviderError(.timeout, "the stream stalled: no data for 60 s")
        reply.send(.text("so far"), .error(stalled), .stop(StopReason(.error)))
        reply.finish()
        var updates = service.updates.makeAsyncIterator()
        // The error is delivered at once, without waiting for the window; the stop follows it.
        #expect(await updates.next()?.batch?.events == [.text("so far"), .error(stalled)])
        #expect(await updates.next()?.batch?.events == [.stop(StopReason(.error))])
        #expect(try #require(await updates.next()?.end).outcome == .timedOut(stalled))
    }

    @Test("a consumer that falls behind finds one merged batch per session, with all text in order")
    func slowConsumerCoalesces() async throws {
        let clock = TestClock()
        let service = StreamingService(clock: clock)
        let reply = ScriptedReply()
        reply.start(in: service, as: session)
        var sent = 0
        for round in 0..<20 {
            reply.send(.text("\(round),"))
            sent += "\(round),".utf8.count
            #expect(await eventually { service.events(of: session) == round + 1 })
            await clock.advance(past: .milliseconds(50))
            // This round's batch merged into the one pending (not just any batch pending).
            #expect(await eventually { service.updates.pendingBytes == sent })
            #expect(service.updates.pendingBatches == 1)
        }
        var updates = service.updates.makeAsyncIterator()
        let batch = try #require(await updates.next()?.batch)
        #expect(batch.text == (0..<20).map { "\($0)," }.joined())
        #expect(batch.eventCount == 20)
        #expect(service.updates.pendingBatches == 0)
        service.cancel(session)
    }

    @Test("the trace hook hears the start, each batch with its size, and the end with metrics, never the text")
    func traceEvents() async throws {
        let clock = TestClock()
        let log = TraceLog()
        let service = StreamingService(clock: clock, trace: log.hook)
        let reply = ScriptedReply()
        reply.start(in: service, as: session, conversation: ConversationID("talk"))
        reply.send(.text("secret"), .text(" words"))
        #expect(await eventually { service.events(of: session) == 2 })
        await clock.advance(past: .milliseconds(50))
        var updates = service.updates.makeAsyncIterator()
        _ = await updates.next()
        reply.send(.stop(StopReason(.endTurn)))
        reply.finish()
        _ = await updates.next()
        let end = try #require(await updates.next()?.end)
        // The trace is written out of the session's lock, just after the end is handed over.
        #expect(await eventually { log.all.count == 4 })

        // The clock was moved just past the window (see `advance(past:)`): the first batch leaves
        // at the window's end, or just past it when its timer started after the move.
        let justPast = Duration.milliseconds(50) + .nanoseconds(1)
        let events = log.all
        guard events.count == 4, case .batchDelivered(_, let first, _, _) = events[1] else {
            Issue.record("a start, two batches and an end, not \(events)")
            return
        }
        #expect(first == .milliseconds(50) || first == justPast)
        #expect(
            events == [
                .sessionStarted(session, conversation: ConversationID("talk"), time: .zero),
                .batchDelivered(session, time: first, deltas: 2, bytes: 12),
                .batchDelivered(session, time: justPast, deltas: 1, bytes: 0),
                .sessionEnded(session, time: justPast, end: end),
            ])
        let lines = events.map { $0.json.serialized() }.joined(separator: "\n")
        #expect(!lines.contains("secret"))
    }

    /// The reply's first piece opens a window at 0, and the reply catches up with the server. Each
    /// step waits until the reply has told the session it caught up, so the clock moves on only
    /// after the session has seen what came before, however loaded the machine: a first piece the
    /// session saw only at 10 ms would have counted as written at the server's pace, and been held
    /// back until the window's end, which a story's clock may never reach.
    /// The window opens at 0 and the reply catches up; 10 ms later a piece it waited for comes,
    /// and holds the reading until just before the window's end, where it is decoded.
    private func readOnNearTheWindowsEnd(_ reply: ScriptedReply, service: StreamingService, clock: TestClock<Duration>)
        async
    {
        await openWindowAndCatchUp(reply)
        await clock.advance(by: .milliseconds(10))
        reply.arrive()
        reply.send(.text(" t1"))
        await clock.advance(past: .milliseconds(40) - Runner.readAhead)
        #expect(await eventually { service.events(of: session) == 3 })
    }

    /// Read on near the window's end, the reply finds the client holding nothing, and the socket's
    /// read brings t2 `after` that.
    private func socketReadArrives(
        after delay: Duration, _ reply: ScriptedReply, service: StreamingService, clock: TestClock<Duration>
    ) async {
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 2 })
        await clock.advance(by: delay)
        reply.arrive()
        reply.send(.text(" t2"))
        #expect(await eventually { service.events(of: session) == 4 })
    }

    private func openWindowAndCatchUp(_ reply: ScriptedReply) async {
        reply.arrive()
        reply.send(.start(model: "m"), .text("t0"))
        reply.caughtUp()
        #expect(await eventually { reply.caughtUpCount == 1 })
    }
}

import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// The first-byte and idle timeouts run on a test clock: time passes only when the test says,
/// and only once the server has the request, so a loaded machine cannot make a timeout fire
/// early (before the connection is even made) or a test wait on real time.
@Suite("A reply that stops coming times out", .timeLimit(.minutes(10)))
struct TransportTimeoutTests {
    static func transport(_ clock: any Clock<Duration>, firstByte: Duration, idle: Duration = .seconds(60))
        -> ProviderTransport
    {
        ProviderTransport(
            timeouts: TransportTimeouts(connect: .seconds(3600), firstByte: firstByte, idle: idle),
            retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100)),
            clock: clock)
    }

    /// The reply from `server` when, once the server has the request, 300 ms pass with no first byte.
    static func afterFirstByteTimeout(from server: TestServer) async -> [ReplyUpdate] {
        let clock = TestClock()
        let reply = transport(clock, firstByte: .milliseconds(300))
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).buffered()
        #expect(await server.waitForRequests(1))
        await clock.advance(past: .milliseconds(300))
        return await reply.collect()
    }

    /// A reply from `server` whose idle limit (1 s, shorter than its first-byte one) runs on `clock`.
    static func idleLimited(from server: TestServer) -> (clock: TestClock<Duration>, reply: BufferedReply) {
        let clock = TestClock()
        let reply = transport(clock, firstByte: .seconds(10), idle: .seconds(1))
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).buffered()
        return (clock, reply)
    }

    @Test("a server that never answers: a first-byte timeout, and the connection is closed")
    func noHeaders() async throws {
        try await TestServer.serving({ _ in ScriptedResponse(body: [.stall]) }) { server in
            let updates = await Self.afterFirstByteTimeout(from: server)

            let error = try #require(updates.error)
            #expect(error.kind == .timeout)
            #expect(error.message == "no response from 127.0.0.1 within 300 ms")
            #expect(updates.retries.isEmpty)
            #expect(updates.stop?.kind == .error)
            #expect(await server.waitForConnectionsClosed(1))
        }
    }

    @Test("headers but no body: still a first-byte timeout")
    func headersButNoBody() async throws {
        try await TestServer.serving({ _ in
            ScriptedResponse(headers: [HTTPHeader("Content-Type", "text/event-stream")], body: [.bytes([]), .stall])
        }) { server in
            let updates = await Self.afterFirstByteTimeout(from: server)

            #expect(updates.error?.message == "no response from 127.0.0.1 within 300 ms")
            #expect(await server.waitForConnectionsClosed(1))
        }
    }

    @Test("a stream that stalls mid-reply: an idle timeout, the text so far kept, the connection closed")
    func stallMidBody() async throws {
        try await TestServer.serving({ _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [
                    .bytes(StreamBodies.openAIChatDelta("The capital")), .pause(.milliseconds(20)),
                    .bytes(StreamBodies.openAIChatDelta(" of France")), .stall,
                ])
        }) { server in
            let (clock, reply) = Self.idleLimited(from: server)
            var updates: [ReplyUpdate] = []
            var iterator = reply.updates.makeAsyncIterator()
            while updates.text != "The capital of France", let update = await iterator.next() {
                updates.append(update)
            }
            // Both pieces are in; the idle timeout, shorter than the first-byte one, ends the reply.
            await clock.advance(past: .seconds(1))
            while let update = await iterator.next() { updates.append(update) }

            #expect(updates.text == "The capital of France")
            let error = try #require(updates.error)
            #expect(error.kind == .timeout)
            #expect(error.message == "the stream stalled: no data for 1 s")
            #expect(updates.stop?.kind == .error)
            #expect(updates.events.contains { if case .usage = $0 { true } else { false } })
            #expect(await server.waitForConnectionsClosed(1))
        }
    }

    @Test("a process that could not run for longer than the idle limit does not blame the server: reading goes on")
    func stalledProcess() async throws {
        let gate = Gate()
        try await TestServer.serving({ _ in
            .capitalHeld(by: gate)
        }) { server in
            let clock = StallingClock()
            let reply = Self.transport(clock, firstByte: .seconds(10), idle: .seconds(1))
                .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).buffered()
            var updates: [ReplyUpdate] = []
            var iterator = reply.updates.makeAsyncIterator()
            while updates.text != "The capital", let update = await iterator.next() { updates.append(update) }
            // The watchdog sleeps until one idle period after the piece. Five seconds pass with
            // nothing running (stopped with Ctrl-Z, or its thread held by a paused terminal); then
            // its timer fires, four seconds late, with nothing more read.
            #expect(await eventually { clock.sleeping == [clock.now.advanced(by: .seconds(1))] })
            clock.stall(for: .seconds(5))
            clock.wakeDue()
            // It goes back to sleep for a fresh idle period instead of stopping the reply (and
            // closing the connection).
            #expect(await eventually { !clock.sleeping.isEmpty || server.connectionsClosed > 0 })
            #expect(clock.sleeping == [clock.now.advanced(by: .seconds(1))])
            gate.open()
            while let update = await iterator.next() { updates.append(update) }

            #expect(updates.error == nil)
            #expect(updates.text == "The capital of France")
            #expect(updates.stop?.kind == .endTurn)
        }
    }

    @Test("a slow but steady stream, longer in all than the idle limit, is not cut off by it")
    func slowSteadyStream() async throws {
        // Ten pieces 0.7 idle periods apart on the test clock: seven periods in all, none silent
        // for a whole one. Each piece is sent once the clock has moved on from the last.
        let pieces = ["One", " two", " three", " four", " five", " six", " seven", " eight", " nine", " ten"]
        let gates = pieces.map { _ in Gate() }
        try await TestServer.serving({ _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: zip(pieces, gates).flatMap { [.wait($1), .bytes(StreamBodies.openAIChatDelta($0))] }
                    + [.bytes(StreamBodies.openAIChatEnd())])
        }) { server in
            let (clock, reply) = Self.idleLimited(from: server)
            var updates: [ReplyUpdate] = []
            var iterator = reply.updates.makeAsyncIterator()
            for (piece, gate) in zip(pieces, gates) {
                gate.open()
                while !updates.text.hasSuffix(piece), let update = await iterator.next() { updates.append(update) }
                await clock.advance(by: .milliseconds(700))
            }
            while let update = await iterator.next() { updates.append(update) }

            #expect(updates.error == nil)
            #expect(updates.text == pieces.joined())
            #expect(updates.stop?.kind == .endTurn)
        }
    }
}

@Suite("Connecting times out", .timeLimit(.minutes(10)))
struct TransportConnectTimeoutTests {
    @Test("a server that never completes the connection: a connect timeout naming host and port")
    func connectTimeout() async throws {
        let server = try await TestServer.startUnreachable()
        let transport = ProviderTransport(
            timeouts: TransportTimeouts(connect: .milliseconds(300), firstByte: .seconds(10)))
        let updates = await transport.stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        let error = try #require(updates.error)
        #expect(error.kind == .timeout)
        #expect(error.message == "could not connect to 127.0.0.1:\(server.port) within 300 ms")
        #expect(updates.retries.isEmpty)
    }
}

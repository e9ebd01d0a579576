import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("A reply that stops coming times out", .timeLimit(.minutes(1)))
struct TransportTimeoutTests {
    @Test("a server that never answers: a first-byte timeout, and the connection is closed")
    func noHeaders() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.stall]) }
        let updates = await quickTransport(firstByte: .milliseconds(300))
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).collect()

        let error = try #require(updates.error)
        #expect(error.kind == .timeout)
        #expect(error.message == "no response from 127.0.0.1 within 300 ms")
        #expect(updates.retries.isEmpty)
        #expect(updates.stop?.kind == .error)
        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }

    @Test("headers but no body: still a first-byte timeout")
    func headersButNoBody() async throws {
        let server = try await TestServer.start { _ in
            ScriptedResponse(headers: [HTTPHeader("Content-Type", "text/event-stream")], body: [.bytes([]), .stall])
        }
        let updates = await quickTransport(firstByte: .milliseconds(300))
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).collect()
        try await server.shutdown()

        #expect(updates.error?.message == "no response from 127.0.0.1 within 300 ms")
    }

    @Test("a stream that stalls mid-reply: an idle timeout, the text so far kept, the connection closed")
    func stallMidBody() async throws {
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [
                    .bytes(StreamBodies.openAIChatDelta("The capital")), .pause(.milliseconds(100)),
                    .bytes(StreamBodies.openAIChatDelta(" of France")), .stall,
                ])
        }
        let clock = ContinuousClock()
        let started = clock.now
        // An idle limit well above the 100 ms pause, so a loaded machine does not stall the stream
        // itself; the real stall then outlasts it.
        let updates = await quickTransport(firstByte: .seconds(10), idle: .seconds(1))
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).collect()
        let elapsed = started.duration(to: clock.now)

        #expect(elapsed < .seconds(5), "the idle timeout, shorter than the first-byte one, ends the reply")
        #expect(updates.text == "The capital of France")
        let error = try #require(updates.error)
        #expect(error.kind == .timeout)
        #expect(error.message == "the stream stalled: no data for 1 s")
        #expect(updates.stop?.kind == .error)
        #expect(updates.events.contains { if case .usage = $0 { true } else { false } })
        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }

    @Test("a slow but steady stream, longer in all than the idle limit, is not cut off by it")
    func slowSteadyStream() async throws {
        // 3 s of streaming against a 2 s idle limit: only the gaps (300 ms) count, with room for a
        // loaded machine.
        let pieces = ["One", " two", " three", " four", " five", " six", " seven", " eight", " nine", " ten"]
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: pieces.flatMap { [.bytes(StreamBodies.openAIChatDelta($0)), .pause(.milliseconds(300))] }
                    + [.bytes(StreamBodies.openAIChatEnd())])
        }
        let updates = await quickTransport(firstByte: .seconds(10), idle: .seconds(2))
            .stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).collect()
        try await server.shutdown()

        #expect(updates.error == nil)
        #expect(updates.text == pieces.joined())
        #expect(updates.stop?.kind == .endTurn)
    }
}

@Suite("Connecting times out", .timeLimit(.minutes(1)))
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

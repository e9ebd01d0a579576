import Clocks
import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyProviders

/// The transport's idle timeout on a test clock, with a consumer that falls behind: time the
/// body loop spends waiting for the consumer is not the server's silence.
@Suite("The idle timeout and a slow consumer", .timeLimit(.minutes(10)))
struct TransportIdleTimeoutTests {
    /// 600 deltas of 4 KiB: ten times what the reply buffers.
    static let pieces = StreamBodies.longReplyPieces(600)

    static func transport(_ clock: TestClock<Duration>) -> ProviderTransport {
        ProviderTransport(
            timeouts: TransportTimeouts(connect: .seconds(3600), firstByte: .seconds(5), idle: .milliseconds(300)),
            retry: RetryPolicy(maxAttempts: 1), clock: clock)
    }

    static func request(to server: TestServer) -> ProviderRequest {
        let chat = ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(.user, "Hello")])
        return WireFormat.openAIChat.request(
            for: chat, endpoint: ProviderEndpoint(baseURL: server.baseURL, apiKey: "sk-test"))
    }

    static func stream(_ body: [UInt8], on server: TestServer, clock: TestClock<Duration>) -> BufferedReply {
        transport(clock).stream(
            request(to: server), decoder: ReplyDecoder(format: .openAIChat, provider: "OpenAI"),
            target: ReplyTarget(providerName: "OpenAI")
        ).buffered()
    }

    @Test("a consumer that pauses for three idle periods and then reads on gets the whole reply, no timeout")
    func slowConsumerIsNotAStall() async throws {
        let body = StreamBodies.openAIChat(Self.pieces)
        let server = try await TestServer.start { _ in .replay(body, pieces: 16_384...65_536, pause: .zero) }
        let clock = TestClock()
        let reply = Self.stream(body, on: server, clock: clock)

        #expect(await eventually { reply.isWaitingForConsumer })
        await clock.advance(by: .seconds(1))
        let updates = await reply.collect()

        #expect(updates.error == nil)
        #expect(updates.stop?.kind == .endTurn)
        #expect(updates.text == Self.pieces.joined())
        try await server.shutdown()
    }

    @Test("after a slow consumer caught up, a server that stalls still times out one idle period later")
    func stallAfterSlowConsumer() async throws {
        // The whole text, then silence: no end of the stream.
        let body = Self.pieces.flatMap { StreamBodies.openAIChatDelta($0) }
        try await TestServer.serving({ _ in
            var response = ScriptedResponse.replay(body, pieces: 16_384...65_536, pause: .zero)
            response.body.append(.stall)
            return response
        }) { server in
            let clock = TestClock()
            let reply = Self.stream(body, on: server, clock: clock)

            #expect(await eventually { reply.isWaitingForConsumer })
            await clock.advance(by: .seconds(1))
            // Read on until every delta the server sent has arrived; the body loop then waits for
            // the server.
            let expected = Self.pieces.joined()
            var text = ""
            var iterator = reply.updates.makeAsyncIterator()
            while text.utf8.count < expected.utf8.count, let update = await iterator.next() {
                if case .event(.text(let piece)) = update { text += piece }
            }
            #expect(text == expected)

            // The body loop re-arms the idle deadline when it reads on, which may land after a
            // single advance: time keeps moving, in idle periods, until the stall is reported.
            let ticking = Task {
                while !Task.isCancelled {
                    await clock.advance(past: .milliseconds(300))
                    await Task.yield()
                }
            }
            var rest: [ReplyUpdate] = []
            while let update = await iterator.next() { rest.append(update) }
            ticking.cancel()
            let error = try #require(rest.error)
            #expect(error.kind == .timeout)
            #expect(error.message == "the stream stalled: no data for 300 ms")
            #expect(rest.stop?.kind == .error)
            #expect(await server.waitForConnectionsClosed(1))
        }
    }
}

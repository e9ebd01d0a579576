import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("The local test server the transport tests rely on", .timeLimit(.minutes(10)))
struct TransportTestServerTests {
    @Test("replay cuts a body into pieces of the sizes asked for, with pauses between, the same for a seed")
    func replayPieces() {
        let body = Array((0..<1000).map { UInt8($0 % 251) })
        let response = ScriptedResponse.replay(body, pieces: 3...9, pause: .milliseconds(2), seed: 7)
        let pieces = response.body.compactMap { if case .bytes(let bytes) = $0 { bytes } else { nil } }
        #expect(pieces.joined().elementsEqual(body))
        #expect(pieces.dropLast().allSatisfy { (3...9).contains($0.count) })
        #expect(response.body.count == pieces.count * 2 - 1, "a pause between every two pieces")
        #expect(response.body == ScriptedResponse.replay(body, pieces: 3...9, pause: .milliseconds(2), seed: 7).body)
        #expect(response.body != ScriptedResponse.replay(body, pieces: 3...9, pause: .milliseconds(2), seed: 8).body)
        #expect(response.headers == [HTTPHeader("Content-Type", "text/event-stream")])
    }

    @Test("shutting down closes a stalled connection, and the client sees it lost")
    func shutdownWithStalledConnection() async throws {
        let server = try await TestServer.start { _ in ScriptedResponse(body: [.stall]) }
        let reply = quickTransport(maxAttempts: 1).stream(
            chatRequest(to: server), decoder: openAIDecoder(), target: openAI
        ).buffered()
        #expect(await server.waitForRequests(1))
        try await server.shutdown()

        let updates = await reply.collect()
        #expect(server.connectionsClosed == 1)
        let error = try #require(updates.error)
        #expect(error.kind == .network)
        #expect(error.message == "127.0.0.1:\(server.port) closed the connection without answering")
    }
}

import ParleyCore
import ParleyTestSupport
import Testing

@testable import ParleyProviders

/// A reply sent as fast as the connection takes it: `long` (25 MB) is far larger than every
/// buffer between the server and the consumer (the reply's, AsyncHTTPClient's and both
/// sockets', which the kernel sizes to a few MB); `medium` (2.4 MB) is only far larger than
/// the reply's.
private struct LongReply {
    static let long = LongReply(deltas: 6000)
    static let medium = LongReply(deltas: 600)

    let text: String
    let body: [UInt8]

    init(deltas: Int) {
        let pieces = StreamBodies.longReplyPieces(deltas)
        text = pieces.joined()
        body = StreamBodies.openAIChat(pieces)
    }

    func server() async throws -> TestServer {
        let body = self.body
        return try await TestServer.start { _ in .replay(body, pieces: 16_384...65_536, pause: .zero) }
    }
}

/// What one piece of the body can add to the reply's buffer past its limit: the text of a
/// socket read (at most 64 KiB) and the slots of its updates, with room to spare.
private let onePiece = 128 * 1024

@Suite("A slow consumer holds the reply back, not its memory", .timeLimit(.minutes(10)))
struct TransportBackpressureTests {
    @Test("a consumer that does not read: the body loop waits at its limit, the server too; then every byte in order")
    func consumerNotReading() async throws {
        let server = try await LongReply.long.server()
        let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .buffered()

        // Nobody reads: the body loop stops asking for the body once its buffer is full, and the
        // sockets' buffers fill behind it until the server cannot write.
        #expect(await eventually { reply.isWaitingForConsumer })
        #expect(await server.waitUntil { $0.writersWaiting == 1 })
        let buffered = reply.bufferedBytes
        #expect(buffered > ReplyBuffer.limit)
        #expect(buffered <= ReplyBuffer.limit + onePiece)
        let written = server.bodyBytesWritten
        #expect(written < LongReply.long.body.count / 2, "\(written) of \(LongReply.long.body.count) bytes written")
        #expect(reply.isWaitingForConsumer)

        let updates = await reply.collect()
        #expect(updates.text.utf8.count == LongReply.long.text.utf8.count)
        #expect(updates.text == LongReply.long.text)
        #expect(updates.error == nil)
        #expect(updates.stop?.kind == .endTurn)
        #expect(updates.finalMetrics?.bytes == LongReply.long.body.count)
        #expect(await server.waitUntil { $0.bodyBytesWritten == LongReply.long.body.count })
        try await server.shutdown()
    }

    @Test("cancel while the body loop waits for the consumer: the reply ends cancelled at once, the socket is closed")
    func cancelWhileWaiting() async throws {
        let server = try await LongReply.medium.server()
        let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .buffered()
        #expect(await eventually { reply.isWaitingForConsumer })

        // Ending does not wait for the consumer to take what is buffered: collecting after the
        // cancel ends (a reply that waited would hang here, caught by the suite's hang guard).
        reply.cancel()
        let updates = await reply.collect()
        #expect(updates.stop?.kind == .cancelled)
        #expect(updates.finalMetrics != nil)
        // What was decoded before the cancel is kept, in order.
        #expect(!updates.text.isEmpty)
        #expect(LongReply.medium.text.hasPrefix(updates.text))
        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }

    @Test("a consumer that lets go of the reply while the body loop waits: the reply stops and the socket is closed")
    func consumerLetsGo() async throws {
        let server = try await LongReply.medium.server()
        do {
            let reply = quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
                .buffered()
            #expect(await eventually { reply.isWaitingForConsumer })
        }
        #expect(await server.waitForConnectionsClosed(1))
        try await server.shutdown()
    }
}

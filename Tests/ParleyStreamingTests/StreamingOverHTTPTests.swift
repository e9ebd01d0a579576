import Clocks
import ParleyCore
import ParleyTestSupport
import Synchronization
import Testing

@testable import ParleyProviders
@testable import ParleyStreaming

@Suite("Sessions over HTTP", .timeLimit(.minutes(10)))
struct StreamingOverHTTPTests {
    static func request(to server: TestServer, path: String) -> ProviderRequest {
        let chat = ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(.user, "Hello")])
        let endpoint = ProviderEndpoint(baseURL: server.baseURL + path, apiKey: "sk-test")
        return WireFormat.openAIChat.request(for: chat, endpoint: endpoint)
    }

    /// A transport on a clock that never moves: no timeout is part of these stories, however long
    /// a loaded machine takes. The connect timeout is real time (the HTTP client's), so it is made
    /// patient too; and a failure is not retried (a retry would wait on the still clock for ever)
    /// but ends its session, where the test shows it.
    static func stillTransport() -> ProviderTransport {
        ProviderTransport(
            timeouts: TransportTimeouts(connect: .seconds(3600)), retry: RetryPolicy(maxAttempts: 1), clock: TestClock()
        )
    }

    static func text(of session: Int) -> [String] {
        (0..<40).map { "s\(session)-w\($0) " }
    }

    @Test("100 sessions at once, one stalling and one cancelled: every other gets exactly its text")
    func hundredSessions() async throws {
        let stalling = 7
        let cancelled = 42
        let server = try await TestServer.start { request in
            let session = Int(request.target.split(separator: "/")[0].dropFirst()) ?? -1
            if session == stalling || session == cancelled {
                return ScriptedResponse(
                    headers: [HTTPHeader("Content-Type", "text/event-stream")],
                    body: [.bytes(StreamBodies.openAIChatDelta("waiting ")), .stall])
            }
            return .replay(
                StreamBodies.openAIChat(Self.text(of: session)), pieces: 1...64, pause: .milliseconds(1),
                seed: UInt64(session))
        }
        // The stalling session stays open however long a loaded machine takes.
        let transport = Self.stillTransport()
        let service = StreamingService()
        let ids = (0..<100).map { SessionID("s\($0)") }
        for (number, id) in ids.enumerated() {
            let reply = transport.stream(
                Self.request(to: server, path: "/s\(number)"),
                decoder: ReplyDecoder(format: .openAIChat, provider: "OpenAI"),
                target: ReplyTarget(providerName: "OpenAI"))
            service.start(id, conversation: ConversationID("c\(number)"), reply: reply)
        }

        var texts: [SessionID: String] = [:]
        var ends: [SessionID: SessionEnd] = [:]
        var cancelSent = false
        for await update in service.updates {
            switch update {
            case .batch(let id, let batch):
                texts[id, default: ""] += batch.text
                if id == ids[cancelled], !cancelSent {
                    cancelSent = true
                    service.cancel(id)
                }
            case .ended(let id, let end):
                ends[id] = end
            }
            if ends.count == 99 { break }
        }

        #expect(ends[ids[stalling]] == nil)
        #expect(ends[ids[cancelled]]?.outcome == .cancelled)
        #expect(texts[ids[cancelled]] == "waiting ")
        for (number, id) in ids.enumerated() where number != stalling && number != cancelled {
            #expect(ends[id]?.outcome == .finished, "session \(number)")
            #expect(texts[id] == Self.text(of: number).joined(), "session \(number)")
        }
        #expect(service.activeSessions.map(\.id) == [ids[stalling]])
        #expect(service.activeSessions.first?.state == .streaming)

        // The cancelled session's connection is closed; finished ones may stay pooled for reuse.
        #expect(await server.waitForConnectionsClosed(1))
        await service.shutdown()
        #expect(await server.waitForConnectionsClosed(2))
        #expect(service.activeSessions.isEmpty)
        try await server.shutdown()
    }

    /// A reply (25 MB) far larger than every buffer between the server and the service's
    /// consumer (a few MB in the sockets, 1 MiB in the service, 256 KiB in the reply).
    static let longPieces = StreamBodies.longReplyPieces(6000)

    /// The most a batch may pass the session's limit by: one piece of the body, since the runner
    /// checks the limit after each piece, and a piece is one read of the socket, which NIO's
    /// receive buffer caps at 64 KB (a read is often 8 KB, but grows when the socket has more).
    static let onePiece = 65_536

    static func longReplyServer(_ body: [UInt8]) async throws -> TestServer {
        try await TestServer.start { _ in .replay(body, pieces: 16_384...65_536, pause: .zero) }
    }

    static func stream(from server: TestServer, path: String = "") -> ReplyStream {
        stillTransport().stream(
            Self.request(to: server, path: path), decoder: ReplyDecoder(format: .openAIChat, provider: "OpenAI"),
            target: ReplyTarget(providerName: "OpenAI"))
    }

    @Test("a consumer that stops reading during 25 MB: session, reply and server wait; then every byte in order")
    func slowConsumerBigReply() async throws {
        let expected = Self.longPieces.joined()
        let body = StreamBodies.openAIChat(Self.longPieces)
        let server = try await Self.longReplyServer(body)
        let reply = Self.stream(from: server)
        let service = StreamingService()
        let session = SessionID("big")
        service.start(session, conversation: ConversationID("c"), reply: reply)

        // Nobody reads: the session's pending batch reaches its limit and it holds its reply
        // back, whose body loop stops reading; the server waits.
        #expect(await eventually { service.updates.isHoldingBack(session) })
        #expect(await server.waitUntil { $0.writersWaiting == 1 })
        // Once the batch window has handed over what the batcher gathered: one pending batch,
        // past the limit by at most one piece of the body, since the runner checks after each.
        #expect(await eventually { service.updates.pendingBytes(for: session) > SessionUpdates.sessionLimit })
        #expect(service.updates.pendingBatches == 1)
        let pending = service.updates.pendingBytes(for: session)
        #expect(pending <= SessionUpdates.sessionLimit + Self.onePiece)
        let written = server.bodyBytesWritten
        #expect(written < body.count / 2, "\(written) of \(body.count) bytes written")
        #expect(service.updates.isHoldingBack(session))

        // Reading lets everything through, in order, each batch within the limit.
        var text = ""
        var largest = 0
        for await update in service.updates {
            if let batch = update.batch {
                text += batch.text
                largest = max(largest, batch.textBytes)
            }
            if let end = update.end {
                #expect(end.outcome == .finished)
                #expect(end.metrics.textBytes == expected.utf8.count)
                break
            }
        }
        #expect(text.utf8.count == expected.utf8.count)
        #expect(text == expected)
        #expect(largest <= SessionUpdates.sessionLimit + Self.onePiece)
        try await server.shutdown()
    }

    @Test("one session held back at its limit does not delay another: the other streams to its end meanwhile")
    func heldBackSessionDoesNotDelayAnother() async throws {
        let longBody = StreamBodies.openAIChat(Self.longPieces)
        let shortText = Self.text(of: 1)
        let server = try await TestServer.start { request in
            request.target.hasPrefix("/long")
                ? .replay(longBody, pieces: 16_384...65_536, pause: .zero)
                : .replay(StreamBodies.openAIChat(shortText), pieces: 1...64, pause: .milliseconds(1))
        }
        let service = StreamingService()
        let long = SessionID("long")
        let short = SessionID("short")
        let longReply = Self.stream(from: server, path: "/long")
        service.start(long, conversation: ConversationID("c1"), reply: longReply)
        #expect(await eventually { service.updates.isHoldingBack(long) })

        // The consumer has not read anything: the long session stays held back while the short
        // one starts, streams and ends.
        service.start(short, conversation: ConversationID("c2"), reply: Self.stream(from: server, path: "/short"))
        #expect(await eventually { service.activeSessions.map(\.id) == [long] })
        #expect(service.updates.isHoldingBack(long))
        #expect(service.updates.pendingBytes(for: short) == shortText.joined().utf8.count)

        // Reading: the short session's batch and end come right after the long one's first batch,
        // long before the long reply is through.
        var iterator = service.updates.makeAsyncIterator()
        var received: [SessionUpdate] = []
        while received.count < 3, let update = await iterator.next() { received.append(update) }
        #expect(received.map(\.session) == [long, short, short])
        #expect(received[1].batch?.text == shortText.joined())
        #expect(received[2].end?.outcome == .finished)
        #expect(server.bodyBytesWritten < longBody.count / 2)
        service.cancel(long)
        while let update = await iterator.next() {
            if let end = update.end {
                #expect(end.outcome == .cancelled)
                break
            }
        }
        try await server.shutdown()
    }

    @Test("the demo provider runs through the service like any other")
    func demoProvider() async throws {
        let chat = ChatRequest(model: "demo", messages: [ChatMessage(.user, "Hello there")])
        let expected = await DemoProvider.stream(chat, pace: .zero).collect().text
        let service = StreamingService()
        service.start(
            SessionID("demo"), conversation: ConversationID("c"), reply: DemoProvider.stream(chat, pace: .zero))
        var text = ""
        for await update in service.updates {
            if let batch = update.batch { text += batch.text }
            if let end = update.end {
                #expect(end.outcome == .finished)
                break
            }
        }
        #expect(!expected.isEmpty)
        #expect(text == expected)
    }
}

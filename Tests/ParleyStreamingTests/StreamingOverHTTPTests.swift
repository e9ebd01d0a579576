import Clocks
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Synchronization
import Testing

@testable import ParleyStreaming

@Suite("Sessions over HTTP", .timeLimit(.minutes(2)))
struct StreamingOverHTTPTests {
    static func request(to server: TestServer, path: String) -> ProviderRequest {
        let chat = ChatRequest(model: "gpt-4o-mini", messages: [ChatMessage(.user, "Hello")])
        let endpoint = ProviderEndpoint(baseURL: server.baseURL + path, apiKey: "sk-test")
        return WireFormat.openAIChat.request(for: chat, endpoint: endpoint)
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
        let transport = ProviderTransport()
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

    @Test("a consumer that stops reading while 20 MB stream in: one pending batch, then every byte in order")
    func slowConsumerBigReply() async throws {
        let pieces = (0..<5000).map { "\($0):" + String(repeating: "abcdefgh", count: 512) + "\n" }
        let expected = pieces.joined()
        let body = StreamBodies.openAIChat(pieces)
        let server = try await TestServer.start { _ in .replay(body, pieces: 16_384...65_536, pause: .zero) }
        let reply = ProviderTransport().stream(
            Self.request(to: server, path: ""), decoder: ReplyDecoder(format: .openAIChat, provider: "OpenAI"),
            target: ReplyTarget(providerName: "OpenAI"))
        let service = StreamingService()
        let session = SessionID("big")
        service.start(session, conversation: ConversationID("c"), reply: reply)

        // Nobody reads until the whole reply has gone through the service.
        #expect(await eventually(within: .seconds(90)) { service.activeSessions.isEmpty })
        #expect(service.updates.pendingBatches == 1)
        #expect(service.updates.pendingBytes == expected.utf8.count)

        var updates = service.updates.makeAsyncIterator()
        let batch = try #require(await updates.next()?.batch)
        #expect(batch.text.utf8.count == expected.utf8.count)
        #expect(batch.text == expected)
        #expect(try #require(await updates.next()?.end).outcome == .finished)
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

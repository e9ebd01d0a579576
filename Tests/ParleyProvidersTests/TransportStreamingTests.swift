import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Synchronization
import Testing

/// The provider every transport test talks to: OpenAI Chat Completions on the local server.
let openAI = ReplyTarget(providerName: "OpenAI", keyVariable: "OPENAI_API_KEY")

func chatRequest(to server: TestServer, model: String = "gpt-4o-mini") -> ProviderRequest {
    chatRequest(toBaseURL: server.baseURL, model: model)
}

func chatRequest(toBaseURL baseURL: String, model: String = "gpt-4o-mini") -> ProviderRequest {
    let chat = ChatRequest(model: model, messages: [ChatMessage(.user, "What is the capital of France?")])
    let endpoint = ProviderEndpoint(baseURL: baseURL + "/v1", apiKey: "sk-test", keyVariable: "OPENAI_API_KEY")
    return WireFormat.openAIChat.request(for: chat, endpoint: endpoint)
}

func openAIDecoder() -> ReplyDecoder {
    ReplyDecoder(format: .openAIChat, provider: "OpenAI")
}

extension ScriptedResponse {
    /// "The capital", then nothing until `gate` opens, then " of France" and the end.
    static func capitalHeld(by gate: Gate) -> ScriptedResponse {
        ScriptedResponse(
            headers: [HTTPHeader("Content-Type", "text/event-stream")],
            body: [
                .bytes(StreamBodies.openAIChatDelta("The capital")), .wait(gate),
                .bytes(StreamBodies.openAIChatDelta(" of France")), .bytes(StreamBodies.openAIChatEnd()),
            ])
    }
}

/// Every update of a chat request to `server`'s OpenAI-compatible endpoint.
func replyUpdates(from server: TestServer, transport: ProviderTransport = quickTransport()) async -> [ReplyUpdate] {
    await transport.stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).collect()
}

/// Backoff short enough for the suite to run in seconds, and timeouts that never fire on a loaded
/// machine (longer than any suite's time limit): tests of timeouts run them on a test clock.
func quickTransport(
    firstByte: Duration = .seconds(600), idle: Duration = .seconds(600), maxAttempts: Int = 3,
    maxDelay: Duration = .milliseconds(100)
) -> ProviderTransport {
    ProviderTransport(
        timeouts: TransportTimeouts(connect: .seconds(600), firstByte: firstByte, idle: idle),
        retry: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(20), maxDelay: maxDelay))
}

@Suite("Streaming a reply over HTTP", .timeLimit(.minutes(10)))
struct TransportStreamingTests {
    @Test(
        "a recorded reply sent in random pieces gives exactly the events of decoding it whole",
        arguments: [1, 2, 3] as [UInt64])
    func replayedFixture(seed: UInt64) async throws {
        let body = try Fixtures.stream("openai-chat/gpt-4o-mini-tool-call-include-usage.sse")
        let server = try await TestServer.start { _ in .replay(body, pieces: 1...64, seed: seed) }
        let updates = await quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
            .collect()
        try await server.shutdown()

        #expect(updates.events == decodeReply(body, format: .openAIChat, provider: "OpenAI"))
        #expect(updates.retries.isEmpty)
        let metrics = try #require(updates.finalMetrics)
        #expect(metrics.bytes == body.count)
        #expect(metrics.chunks >= 1 && metrics.chunks <= body.count)
        #expect(metrics.attempts == 1)
        let ttft = try #require(updates.timeToFirstToken, "the tool call is the first content")
        #expect(ttft > .zero && ttft <= metrics.duration)
        let shown = try #require(updates.firstIndex { if case .shown = $0 { true } else { false } })
        #expect(
            updates[(shown + 1)...].first { if case .event(let event) = $0 { event.isContent } else { false } } != nil)
        #expect(!updates[..<shown].contains { if case .event(let event) = $0 { event.isContent } else { false } })
    }

    @Test("the request arrives at the server exactly as it was built")
    func requestArrivesAsBuilt() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Paris."])) }
        let request = chatRequest(to: server)
        let updates = await quickTransport().stream(request, decoder: openAIDecoder(), target: openAI).collect()
        try await server.shutdown()

        let received = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(received.method == "POST")
        #expect(received.target == "/v1/chat/completions")
        #expect(received.body == request.body)
        for header in request.headers {
            #expect(received.header(header.name) == header.value, "header \(header.name)")
        }
        #expect(received.header("Authorization") == "Bearer sk-test")
        #expect(updates.text == "Paris.")
    }

    @Test("a hundred replies stream at the same time from one server")
    func hundredConcurrentReplies() async throws {
        let count = 100
        let server = try await TestServer.start { request in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("reply \(request.number)")), .stall])
        }
        let transport = quickTransport()
        let replies = (0..<count).map { _ in
            transport.stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI).buffered()
        }
        let (shown, showing) = AsyncStream.makeStream(of: Void.self)
        let endings = await withTaskGroup(of: StopReason?.self) { group in
            for reply in replies {
                group.addTask {
                    var stop: StopReason?
                    var hasShownText = false
                    for await update in reply.updates {
                        if case .event(.stop(let reason)) = update { stop = reason }
                        if case .event(.text) = update, !hasShownText {
                            hasShownText = true
                            showing.yield()
                        }
                    }
                    return stop
                }
            }
            // Every reply shows its first words while all the others are still open.
            var showingText = 0
            for await _ in shown {
                showingText += 1
                if showingText == count { break }
            }
            #expect(server.connectionsClosed == 0)
            for reply in replies { reply.cancel() }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(endings.count == count)
        #expect(endings.allSatisfy { $0?.kind == .cancelled })
        #expect(await server.waitForConnectionsClosed(count))
        try await server.shutdown()
    }

    @Test("a reply tells its receiver it has caught up with the server before it waits for more")
    func caughtUp() async throws {
        let gate = Gate()
        try await TestServer.serving({ _ in
            .capitalHeld(by: gate)
        }) { server in
            let receiver = ReceiverLog()
            quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
                .run(into: receiver)
            // All the server sent is read: the reply says so before it waits for the rest.
            #expect(await eventually { receiver.entries.suffix(2) == ["The capital", "caught up"] })
            gate.open()
            #expect(await eventually { receiver.entries.last == "finished" })
            let entries = receiver.entries
            let first = try #require(entries.firstIndex(of: "The capital"))
            let rest = try #require(entries.firstIndex(of: " of France"))
            #expect(Set(entries[(first + 1)..<rest]) == ["caught up"])
        }
    }

    @Test(
        "what the server wrote while the reply was held back is read in one go, and handed on joined, not a part at a time"
    )
    func joinedPieces() async throws {
        let gate = Gate()
        let rest = [" of", " France", "!"].map { StreamBodies.openAIChatDelta($0) } + [StreamBodies.openAIChatEnd()]
        try await TestServer.serving({ _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("The capital")), .wait(gate)] + rest.map { .bytes($0) })
        }) { server in
            let receiver = ReceiverLog(holding: true)
            quickTransport().stream(chatRequest(to: server), decoder: openAIDecoder(), target: openAI)
                .run(into: receiver)
            #expect(await eventually { receiver.isHeld })
            let first = server.bodyBytesWritten
            // Four parts of the body (three tokens and the end), each written on its own, wait in
            // the socket while the reply is held back. Read, the first may come alone (when the
            // reply waited for it: a session may hold it, with the client not reading on, until
            // its window nearly ends); what the client holds after it is joined.
            gate.open()
            #expect(await eventually { server.bodyBytesWritten == first + rest.joined().count })
            receiver.release()
            #expect(await eventually { receiver.entries.last == "finished" })
            let pieces = receiver.entries.filter { $0 != "caught up" }
            #expect(pieces.first == "The capital" && pieces.last == "finished")
            let rest = pieces.dropFirst().dropLast()
            #expect(rest.joined(separator: "|") == " of| France|!")
            #expect(rest.count <= 2, "three parts in at most two pieces: \(rest)")
        }
    }
}

/// A reply's receiver that notes what it is told, in order: the text of each piece handed over
/// ("|" between its updates), "caught up", and "finished". It can hold the reply back before it
/// reads on, as a session does while its batch window runs, until `release()`.
private final class ReceiverLog: ReplyReceiver {
    private struct State {
        var entries: [String] = []
        var holding: Bool
        var held: CheckedContinuation<Void, Never>?
    }

    private let state: Mutex<State>

    init(holding: Bool = false) {
        state = Mutex(State(holding: holding))
    }

    var entries: [String] { state.withLock { $0.entries } }

    /// Whether the reply waits to read on.
    var isHeld: Bool { state.withLock { $0.held != nil } }

    func receive(_ updates: [ReplyUpdate]) {
        var texts: [String] = []
        var finished = false
        for update in updates {
            switch update {
            case .event(.text(let text)): texts.append(text)
            case .finished: finished = true
            default: break
            }
        }
        state.withLock { state in
            if !texts.isEmpty { state.entries.append(texts.joined(separator: "|")) }
            if finished { state.entries.append("finished") }
        }
    }

    func readyForMore() async {
        await withCheckedContinuation { continuation in
            let holding = state.withLock { state in
                if state.holding { state.held = continuation }
                return state.holding
            }
            if !holding { continuation.resume() }
        }
    }

    /// Lets the reply read on, now and from now on.
    func release() {
        let held = state.withLock { state in
            state.holding = false
            defer { state.held = nil }
            return state.held
        }
        held?.resume()
    }

    func caughtUp() {
        state.withLock { $0.entries.append("caught up") }
    }
}

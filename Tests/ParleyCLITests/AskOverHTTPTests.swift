import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import parley

/// One recorded stream per wire format, and how `parley ask` is pointed at it.
struct RecordedReply: Sendable, CustomTestStringConvertible {
    var fixture: String
    var provider: String
    var format: WireFormat
    var model: String
    var keyVariable: String?
    /// Appended to the server's address to make `--base-url`.
    var basePath: String
    /// The path the request must arrive at, and the header carrying the key.
    var expectedTarget: String
    var keyHeader: (name: String, value: String)?

    var testDescription: String { "\(provider): \(fixture)" }

    static let all: [RecordedReply] = [
        RecordedReply(
            fixture: "openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse", provider: "openai",
            format: .openAIChat, model: "gpt-4o", keyVariable: "OPENAI_API_KEY", basePath: "/v1",
            expectedTarget: "/v1/chat/completions", keyHeader: ("Authorization", "Bearer test-key")),
        RecordedReply(
            fixture: "openai-responses/gpt-5-reasoning-summary-function-call.sse", provider: "openai-responses",
            format: .openAIResponses, model: "gpt-5", keyVariable: "OPENAI_API_KEY", basePath: "/v1",
            expectedTarget: "/v1/responses", keyHeader: ("Authorization", "Bearer test-key")),
        RecordedReply(
            fixture: "anthropic/claude-sonnet-4-thinking-signature-text-ping.sse", provider: "anthropic",
            format: .anthropic, model: "claude-sonnet-4-20250514", keyVariable: "ANTHROPIC_API_KEY", basePath: "",
            expectedTarget: "/v1/messages", keyHeader: ("x-api-key", "test-key")),
        RecordedReply(
            fixture: "gemini/gemini-2.5-pro-thought-parts-crlf.sse", provider: "gemini", format: .gemini,
            model: "gemini-2.5-pro", keyVariable: "GEMINI_API_KEY", basePath: "",
            expectedTarget: "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
            keyHeader: ("x-goog-api-key", "test-key")),
        RecordedReply(
            fixture: "ollama/llama3.1-api-chat-text.ndjson", provider: "ollama", format: .ollama, model: "llama3.1",
            keyVariable: nil, basePath: "", expectedTarget: "/api/chat", keyHeader: nil),
        RecordedReply(
            fixture: "deepseek/deepseek-reasoner-reasoning-content-emoji.sse", provider: "deepseek",
            format: .openAIChat, model: "deepseek-reasoner", keyVariable: "DEEPSEEK_API_KEY", basePath: "",
            expectedTarget: "/chat/completions", keyHeader: ("Authorization", "Bearer test-key")),
        RecordedReply(
            fixture: "groq/gpt-oss-120b-event-error-tool-use-failed.sse", provider: "groq", format: .openAIChat,
            model: "openai/gpt-oss-120b", keyVariable: "GROQ_API_KEY", basePath: "/openai/v1",
            expectedTarget: "/openai/v1/chat/completions", keyHeader: ("Authorization", "Bearer test-key")),
    ]

    var environment: [String: String] { keyVariable.map { [$0: "test-key"] } ?? [:] }

    func arguments(server: TestServer, _ extra: [String]) -> [String] {
        ["ask", "--provider", provider, "--model", model, "--base-url", server.baseURL + basePath] + extra
    }
}

@Suite("parley ask against a local server replaying recorded provider streams")
struct AskRecordedStreamTests {
    @Test(
        "--events prints the decoded events, whatever the pieces the body arrives in and however batched",
        arguments: RecordedReply.all)
    func events(_ reply: RecordedReply) async throws {
        let bytes = try Fixtures.stream(reply.fixture)
        let server = try await TestServer.start { _ in .replay(bytes, pieces: 1...700, pause: .zero, seed: 7) }
        defer { Task { try await server.shutdown() } }

        let result = try await ParleyProcess.run(
            reply.arguments(server: server, ["--events", "Say hello"]), environment: reply.environment)

        let decoded = decodeReply(
            bytes, format: reply.format, provider: try #require(ProviderPreset.named(reply.provider)).displayName,
            estimatedInputTokens: Usage.estimatedTokens(in: "Say hello"))
        // 50 ms batches may cut the text anywhere: compare with consecutive text (and thinking) joined
        // (a thinking signature, which --events does not print, does not part them).
        let expected = EventLine.oneRound(provider: reply.provider, model: reply.model, decoded: decoded)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
        #expect(Self.joiningDeltas(Array(lines.dropLast(2))) == expected, "every line but the metrics")
        #expect(result.eventTypes.last == "metrics")
        let failed = decoded.contains { if case .error = $0 { true } else { false } }
        #expect(result.status == (failed ? 1 : 0))

        // (Ollama is first asked what the model can do: /api/show, not the reply.)
        let replies = server.requests.filter { $0.target != "/api/show" }
        let request = try #require(replies.first)
        #expect(replies.count == 1)
        #expect(request.method == "POST")
        #expect(request.target == reply.expectedTarget)
        if let keyHeader = reply.keyHeader { #expect(request.header(keyHeader.name) == keyHeader.value) }
        let body = try JSON.parse(request.body)
        #expect(String(decoding: request.body, as: UTF8.self).contains("Say hello"))
        #expect(body["model"]?.string == (reply.format == .gemini ? nil : reply.model))
    }

    /// `--events` lines with consecutive text lines joined into one, and consecutive thinking lines.
    static func joiningDeltas(_ lines: [String]) -> [String] {
        var events: [StreamEvent?] = []
        var raw: [String] = []
        for line in lines {
            let object = (try? JSON.parse(line)) ?? .null
            let event: StreamEvent? =
                switch (object["type"]?.string, object["text"]?.string) {
                case ("text", let text?): .text(text)
                case ("thinking", let text?): .thinking(text)
                default: nil
                }
            switch (events.last, event) {
            case (.text(let earlier)??, .text(let more)?): events[events.count - 1] = .text(earlier + more)
            case (.thinking(let earlier)??, .thinking(let more)?): events[events.count - 1] = .thinking(earlier + more)
            default:
                events.append(event)
                raw.append(line)
            }
        }
        return zip(events, raw).map { event, line in event.flatMap(EventLine.make) ?? line }
    }

    @Test("plain output: the answer on stdout, reasoning on stderr with --thinking, and a footer")
    func plainWithThinking() async throws {
        let reply = RecordedReply.all.first { $0.provider == "deepseek" }!
        let bytes = try Fixtures.stream(reply.fixture)
        let server = try await TestServer.start { _ in .replay(bytes, pieces: 1...300, pause: .zero, seed: 3) }
        defer { Task { try await server.shutdown() } }

        let result = try await ParleyProcess.run(
            reply.arguments(server: server, ["--thinking", "Hi"]), environment: reply.environment)

        let decoded = decodeReply(bytes, format: reply.format)
        let text = decoded.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined()
        let thinking = decoded.compactMap { if case .thinking(let t) = $0 { t } else { nil } }.joined()
        #expect(result.status == 0)
        #expect(result.stdout == text + (text.hasSuffix("\n") ? "" : "\n"))
        #expect(result.stderr.hasPrefix(thinking))
        #expect(result.stderr.contains("[deepseek-reasoner · DeepSeek | in "))
        #expect(result.stderr.contains(" tok/s | saved "))
    }
}

@Suite("parley ask when the provider or the network fails")
struct AskFailureTests {
    static let openAIKey = ["OPENAI_API_KEY": "sk-wrong"]

    func ask(_ server: TestServer, _ extra: [String] = []) async throws -> ParleyProcess.Result {
        try await ParleyProcess.run(
            ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1"] + extra + ["hi"],
            environment: Self.openAIKey)
    }

    @Test("401: says the key was refused and which variable to check; not retried; exit 1")
    func unauthorized() async throws {
        let body =
            #"{"error":{"message":"Incorrect API key provided: sk-wrong.","type":"invalid_request_error","code":"invalid_api_key"}}"#
        let server = try await TestServer.start { _ in .whole(body, status: 401) }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server)
        #expect(result.status == 1)
        #expect(result.stderr.contains("401 from OpenAI"))
        #expect(result.stderr.contains("Incorrect API key provided"))
        #expect(result.stderr.contains("OPENAI_API_KEY"))
        #expect(result.stdout.isEmpty)
        #expect(server.requests.count == 1)
    }

    @Test("404: the provider's own words name the missing model; --events gives kind not_found")
    func notFound() async throws {
        let body = try String(
            decoding: Fixtures.stream("openai-chat/http-404-model-not-found-error-body.json"), as: UTF8.self)
        let server = try await TestServer.start { _ in .whole(body, status: 404) }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server, ["--events", "--model", "gpt-4.1-nano-wrong"])
        #expect(result.status == 1)
        let error = try #require(result.eventLines.first { $0["type"] as? String == "error" })
        #expect(error["kind"] as? String == "not_found")
        #expect(error["status"] as? Int == 404)
        #expect((error["message"] as? String)?.contains("gpt-4.1-nano-wrong") == true)
        #expect(result.eventTypes.suffix(2) == ["stop", "metrics"])
    }

    @Test("429 asking to wait an hour: not retried, and the wait is reported")
    func rateLimited() async throws {
        let body = #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#
        let server = try await TestServer.start { _ in
            .whole(body, status: 429, headers: [HTTPHeader("Retry-After", "3600")])
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server, ["--events"])
        #expect(result.status == 1)
        let error = try #require(result.eventLines.first { $0["type"] as? String == "error" })
        #expect(error["kind"] as? String == "rate_limited")
        #expect(error["retry_after"] as? Double == 3600)
        #expect(server.requests.count == 1)
    }

    @Test("a server error is retried, and the reply arrives once the server recovers")
    func serverErrorThenSuccess() async throws {
        let stream = StreamBodies.openAIChat(["Recovered", " fine"])
        let server = try await TestServer.start { request in
            request.number == 1 ? .whole(#"{"error":{"message":"boom"}}"#, status: 500) : .replay(stream)
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server)
        #expect(result.status == 0)
        #expect(result.stdout == "Recovered fine\n")
        #expect(result.stderr.contains("retrying in"))
        #expect(server.requests.count == 2)
    }

    @Test("the connection drops mid-reply: what arrived is kept, the failure is said, exit 1")
    func dropMidStream() async throws {
        let stream = StreamBodies.openAIChat(["Half of ", "the answer", " and the rest"])
        let cut = stream.count / 2
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(Array(stream[..<cut])), .pause(.milliseconds(50)), .drop])
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server)
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("Half of "))
        #expect(result.stderr.contains("error: "))
        #expect(server.requests.count == 1, "never retried once text was shown")
    }

    @Test("a body that is not the provider's format is a protocol error naming the provider")
    func garbage() async throws {
        let server = try await TestServer.start { _ in
            .whole("data: {this is not json\n\n", contentType: "text/event-stream")
        }
        defer { Task { try await server.shutdown() } }
        let result = try await ask(server)
        #expect(result.status == 1)
        #expect(result.stderr.contains("OpenAI sent a malformed stream"))
    }

    @Test("nothing listening: a network error naming host and port, after the retries")
    func connectionRefused() async throws {
        let result = try await ParleyProcess.run(
            ["ask", "--provider", "openai", "--base-url", "http://127.0.0.1:1/v1", "--events", "hi"],
            environment: Self.openAIKey)
        #expect(result.status == 1)
        let error = try #require(result.eventLines.first { $0["type"] as? String == "error" })
        #expect(error["kind"] as? String == "network")
        #expect((error["message"] as? String)?.contains("127.0.0.1:1") == true)
    }
}

@Suite("Ctrl-C during a reply", .timeLimit(.minutes(10)))
struct AskInterruptTests {
    @Test("the first Ctrl-C closes the connection at once, keeps what arrived, and exits 130")
    func interrupt() async throws {
        let stream = StreamBodies.openAIChat(["Partial answer", " never finished"])
        let firstDelta = stream.count / 2
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(Array(stream[..<firstDelta])), .stall])
        }
        defer { Task { try await server.shutdown() } }
        // The stalled reply must not reach its idle limit before the Ctrl-C does, however long a
        // busy machine keeps this test from its next turn.
        let home = try ConfigHome("[timeouts]\nidle = 600\n")
        let process = try ParleyProcess(
            ["ask", "--events", "--provider", "openai", "--base-url", server.baseURL + "/v1", "hi"],
            environment: home.environment(["OPENAI_API_KEY": "k"]))
        #expect(await process.waitForOutput { $0.contains("Partial answer") })

        process.interrupt()
        let result = await process.result()

        #expect(result.status == 130)
        #expect(result.eventTypes.suffix(3) == ["usage", "stop", "metrics"])
        #expect(result.eventLines.first { $0["type"] as? String == "stop" }?["reason"] as? String == "cancelled")
        #expect(await server.waitForConnectionsClosed(1), "the server saw the connection close")
    }
}

extension EventLine {
    /// The `--events` lines of a reply without tools: `start`, its one round around the content
    /// (`round_start`, the content, `round_end` with the round's stop and usage), then the reply's
    /// `usage` and `stop` (the `metrics` line after them is left to the caller).
    /// A round's lines as `--events` prints them for `provider` reached at a test server: a local
    /// provider's cost is nothing; any other's is what the provider stated, or unknown (the table's
    /// prices are not the test server's).
    static func oneRound(provider: String, model: String, decoded: [StreamEvent]) -> [String] {
        let content = decoded.filter { event in
            switch event {
            case .thinkingSignature, .usage, .stop, .start: false
            default: true
            }
        }
        let usage = decoded.last { if case .usage = $0 { true } else { false } }
        let stop: StopReason? = decoded.lazy.compactMap { if case .stop(let reason) = $0 { reason } else { nil } }.last
        let usageValue: Usage? = usage.flatMap { if case .usage(let value) = $0 { value } else { nil } }
        let local = ProviderPreset.named(provider)?.isLocal ?? false
        let cost = usageValue.flatMap {
            Pricing(local: local, prices: PriceTable(entries: [])).cost(of: $0, provider: provider, model: model)
        }
        return [start(provider: provider, model: model), roundStart(1)]
            + Batch(events: content).events.compactMap(make)
            + [roundEnd(1, reason: stop, usage: usageValue, cost: cost)]
            + (usageValue.map { [self.usage($0, cost: cost)] } ?? [])
            + [stop.map(StreamEvent.stop)].compactMap { $0.flatMap(make) }
    }
}

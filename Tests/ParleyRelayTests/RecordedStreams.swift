import ParleyCore
import ParleyProviders
import ParleyRelay
import ParleyTestSupport
import Testing

/// A recorded provider stream, and the relay's settings that send a model to it on a test server.
struct RecordedStream: Sendable, CustomTestStringConvertible {
    var fixture: String
    var provider: String
    var model: String
    var keyVariable: String?
    /// Appended to the server's address to make the provider's base URL.
    var basePath: String

    var testDescription: String { "\(provider): \(fixture)" }

    static let all: [RecordedStream] = [
        RecordedStream(
            fixture: "openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse", provider: "openai", model: "gpt-4o",
            keyVariable: "OPENAI_API_KEY", basePath: "/v1"),
        RecordedStream(
            fixture: "anthropic/claude-sonnet-4-thinking-signature-text-ping.sse", provider: "anthropic",
            model: "claude-sonnet-4-20250514", keyVariable: "ANTHROPIC_API_KEY", basePath: ""),
        RecordedStream(
            fixture: "anthropic/claude-3-opus-text-then-tool-use.sse", provider: "anthropic", model: "claude-3-opus",
            keyVariable: "ANTHROPIC_API_KEY", basePath: ""),
        RecordedStream(
            fixture: "gemini/gemini-2.5-pro-thought-parts-crlf.sse", provider: "gemini", model: "gemini-2.5-pro",
            keyVariable: "GEMINI_API_KEY", basePath: ""),
        RecordedStream(
            fixture: "ollama/llama3.1-api-chat-text.ndjson", provider: "ollama", model: "llama3.1", keyVariable: nil,
            basePath: ""),
        RecordedStream(
            fixture: "deepseek/deepseek-reasoner-reasoning-content-emoji.sse", provider: "deepseek",
            model: "deepseek-reasoner", keyVariable: "DEEPSEEK_API_KEY", basePath: ""),
    ]

    /// `PROVIDER/MODEL`, as a client names it.
    var relayModel: String { "\(provider)/\(model)" }

    var format: WireFormat { ProviderPreset.named(provider)!.format! }

    func directory(_ server: TestServer) -> RelayDirectory {
        RelayDirectory(
            configuration: ProviderConfiguration(
                providers: [provider: ProviderSettings(baseURL: server.baseURL + basePath)]),
            environment: keyVariable.map { [$0: "test-key"] } ?? [:])
    }

    /// Runs `body` with a relay in front of a test server replaying the recording in pieces of
    /// `pieces` bytes.
    func relayed<T>(pieces: ClosedRange<Int>, seed: UInt64 = 1, _ body: (RelayUnderTest) async throws -> T)
        async throws -> T
    {
        let bytes = try Fixtures.stream(fixture)
        return try await TestServer.serving({ _ in .replay(bytes, pieces: pieces, pause: .zero, seed: seed) }) {
            server in
            try await RelayUnderTest.serving(directory(server), body)
        }
    }

    /// What Parley decodes from the recording, asked "Say hello".
    func decoded() throws -> [StreamEvent] {
        decodeReply(
            try Fixtures.stream(fixture), format: format, provider: ProviderPreset.named(provider)!.displayName,
            estimatedInputTokens: Usage.estimatedTokens(in: "Say hello"))
    }
}

/// What a stream of Chat Completions chunks says, read back as a client reads it.
struct ReadChunks: Equatable {
    var texts: [String] = []
    var reasoning: [String] = []
    var toolCalls: [ToolCall] = []
    var finishReason: String?
    var usage: JSON?
    var error: JSON?
    var done = false

    init(_ events: [String]) {
        for event in events {
            if event == "[DONE]" {
                done = true
                continue
            }
            guard let chunk = try? JSON.parse(event) else { continue }
            if let failure = chunk["error"] { error = failure }
            if let reported = chunk["usage"] { usage = reported }
            guard let choice = chunk["choices"]?[0] else { continue }
            if let text = choice["delta"]?["content"]?.string, !text.isEmpty { texts.append(text) }
            if let text = choice["delta"]?["reasoning_content"]?.string { reasoning.append(text) }
            for call in choice["delta"]?["tool_calls"]?.array ?? [] {
                toolCalls.append(
                    ToolCall(
                        id: call["id"]?.string ?? "", name: call["function"]?["name"]?.string ?? "",
                        arguments: call["function"]?["arguments"]?.string ?? ""))
            }
            if let reason = choice["finish_reason"]?.string { finishReason = reason }
        }
    }
}

extension [StreamEvent] {
    /// The text deltas, each as it was decoded (empty ones left out: no chunk carries them).
    var texts: [String] { compactMap { if case .text(let text) = $0, !text.isEmpty { text } else { nil } } }
    var stop: StopReason? { compactMap { if case .stop(let reason) = $0 { reason } else { nil } }.last }
    var usage: Usage? { compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.last }
}

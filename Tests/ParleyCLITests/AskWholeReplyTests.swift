import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import parley

extension RecordedReply {
    /// A whole (non-streamed) reply in each provider's format, as a server that ignores
    /// `stream: true` answers (ParleyProvidersTests/Fixtures/whole).
    static let whole: [RecordedReply] = [
        RecordedReply(
            fixture: "whole/openai-chat-text.json", provider: "openai", format: .openAIChat, model: "gpt-4o-mini",
            keyVariable: "OPENAI_API_KEY", basePath: "/v1", expectedTarget: "/v1/chat/completions",
            keyHeader: ("Authorization", "Bearer test-key")),
        RecordedReply(
            fixture: "whole/openai-chat-reasoning-tool-calls.json", provider: "deepseek", format: .openAIChat,
            model: "deepseek-reasoner", keyVariable: "DEEPSEEK_API_KEY", basePath: "",
            expectedTarget: "/chat/completions", keyHeader: ("Authorization", "Bearer test-key")),
        RecordedReply(
            fixture: "whole/responses-reasoning-text-function-call.json", provider: "openai-responses",
            format: .openAIResponses, model: "gpt-5", keyVariable: "OPENAI_API_KEY", basePath: "/v1",
            expectedTarget: "/v1/responses", keyHeader: ("Authorization", "Bearer test-key")),
        RecordedReply(
            fixture: "whole/anthropic-thinking-text-tool-use.json", provider: "anthropic", format: .anthropic,
            model: "claude-sonnet-4-5", keyVariable: "ANTHROPIC_API_KEY", basePath: "",
            expectedTarget: "/v1/messages", keyHeader: ("x-api-key", "test-key")),
        RecordedReply(
            fixture: "whole/gemini-thought-text-function-call.json", provider: "gemini", format: .gemini,
            model: "gemini-2.5-flash", keyVariable: "GEMINI_API_KEY", basePath: "",
            expectedTarget: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
            keyHeader: ("x-goog-api-key", "test-key")),
        RecordedReply(
            fixture: "whole/gemini-stream-array.json", provider: "gemini", format: .gemini, model: "gemini-2.0-flash",
            keyVariable: "GEMINI_API_KEY", basePath: "",
            expectedTarget: "/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse",
            keyHeader: ("x-goog-api-key", "test-key")),
        RecordedReply(
            fixture: "whole/ollama-chat-thinking.json", provider: "ollama", format: .ollama, model: "qwen3:8b",
            keyVariable: nil, basePath: "", expectedTarget: "/api/chat", keyHeader: nil),
    ]

    var wholeBody: [UInt8] {
        get throws { try Fixtures.own(fixture, target: "ParleyProvidersTests") }
    }
}

@Suite("parley ask against a server that does not stream", .timeLimit(.minutes(10)))
struct AskWholeReplyTests {
    @Test(
        "a whole JSON reply in each format is the reply: its events, from exactly one request",
        arguments: RecordedReply.whole)
    func events(_ reply: RecordedReply) async throws {
        let body = try reply.wholeBody
        try await TestServer.serving({ _ in .whole(String(decoding: body, as: UTF8.self)) }) { server in
            let result = try await ParleyProcess.run(
                reply.arguments(server: server, ["--events", "Say hello"]), environment: reply.environment)

            let decoded = decodeReply(
                body, format: reply.format, provider: try #require(ProviderPreset.named(reply.provider)).displayName,
                estimatedInputTokens: Usage.estimatedTokens(in: "Say hello"), contentType: "application/json")
            let expected = EventLine.oneRound(provider: reply.provider, model: reply.model, decoded: decoded)
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { String($0) + "\n" }
            #expect(
                AskRecordedStreamTests.joiningDeltas(Array(lines.dropLast(2))) == expected, "every line but the metrics"
            )
            #expect(result.status == 0)
            // (Ollama is first asked what the model can do: /api/show, not the reply.)
            let replies = server.requests.filter { $0.target != "/api/show" }
            #expect(replies.count == 1, "asked once: never tried again")
            #expect(replies.first?.target == reply.expectedTarget)
            if let keyHeader = reply.keyHeader {
                #expect(replies.first?.header(keyHeader.name) == keyHeader.value)
            }
            #expect(!result.stderr.contains("retrying"))
        }
    }

    @Test("shown and saved like a streamed reply: the text on stdout, the provider's usage in the saved turn")
    func saved() async throws {
        let reply = RecordedReply.whole[0]
        let body = try reply.wholeBody
        try await TestServer.serving({ _ in .whole(String(decoding: body, as: UTF8.self)) }) { server in
            let home = ParleyProcess.dataFolder()
            let environment = reply.environment.merging(["PARLEY_HOME": home]) { $1 }
            let asked = try await ParleyProcess.run(
                reply.arguments(server: server, ["Capital of France?"]), environment: environment)
            #expect(asked.status == 0)
            #expect(asked.stdout == "The capital of France is Paris.\n")
            #expect(asked.stderr.contains("in 14 / out 7 tok"))

            let listed = try await ParleyProcess.run(["list"], environment: environment)
            let id = try #require(listed.stdout.split(separator: " ").first.map(String.init))
            let exported = try await ParleyProcess.run(["export", id, "--format", "json"], environment: environment)
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
            let messages = try #require(object["messages"] as? [[String: Any]])
            #expect(messages.last?["status"] as? String == "complete")
            #expect(messages.last?["text"] as? String == "The capital of France is Paris.")
            #expect((messages.last?["usage"] as? [String: Any])?["input_tokens"] as? Int == 14)
        }
    }

    @Test("a 200 with a proxy's HTML page: a protocol error saying what came back, from one request; exit 1")
    func htmlPage() async throws {
        let page = "<!doctype html><html><head><title>Sign in \u{2013} Corp proxy</title></head><body>…</body></html>"
        try await TestServer.serving({ _ in .whole(page, contentType: "text/html; charset=utf-8") }) { server in
            let result = try await ParleyProcess.run(
                ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "hi"],
                environment: ["OPENAI_API_KEY": "test-key"])
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "error: the server answered with text/html instead of a stream: \"Sign in \u{2013} Corp proxy\""))
            #expect(server.requests.count == 1)
        }
    }

    @Test("a gzip-compressed stream is read as it comes")
    func gzipStream() async throws {
        let stream = StreamBodies.openAIChat(["Compressed", " and streamed"])
        try await TestServer.serving(compressing: .gzip, { _ in .replay(stream) }) { server in
            let result = try await ParleyProcess.run(
                ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "hi"],
                environment: ["OPENAI_API_KEY": "test-key"])
            #expect(result.status == 0)
            #expect(result.stdout == "Compressed and streamed\n")
        }
    }
}

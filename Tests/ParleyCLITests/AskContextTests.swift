import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// `parley ask` with a prompt larger than the model's window: the user is told before the reply
/// what the provider will do with it, and the request still goes (they asked for it).
@Suite("ask: a prompt that may not fit the model's window", .timeLimit(.minutes(10)))
struct AskContextTests {
    static let longPrompt = String(repeating: "a long prompt ", count: 4_300)  // about 15,000 tokens

    @Test(
        "the warning names the window the server told and what the server will do",
        arguments: [
            (
                "vllm", "/v1",
                "warning: This message may not fit: ~15.1k tokens with the conversation, and the model's window is 8.2k; "
                    + "vLLM will refuse it."
            ),
            (
                "ollama", "",
                "warning: This message may not fit: ~15.1k tokens with the conversation, and the model's window is 8.2k; "
                    + "Ollama will drop the start of the conversation without saying so."
            ),
        ])
    func warned(provider: String, basePath: String, warning: String) async throws {
        try await TestServer.serving({ request in
            switch request.target {
            case "/v1/models": .whole(#"{"object":"list","data":[{"id":"m","max_model_len":8192}]}"#)
            case "/api/show": .whole(#"{"model_info":{"general.architecture":"qwen3","qwen3.context_length":8192}}"#)
            case "/api/chat":
                .whole(
                    #"{"model":"m","message":{"role":"assistant","content":"ok"},"done":true,"done_reason":"stop"}"#
                        + "\n", contentType: "application/x-ndjson")
            default: .replay(StreamBodies.openAIChat(["ok"]))
            }
        }) { server in
            let result = try await ParleyProcess.run(
                [
                    "ask", "--no-save", "--provider", provider, "--base-url", server.baseURL + basePath, "--model", "m",
                    Self.longPrompt,
                ], environment: [:])
            #expect(result.status == 0)
            #expect(result.stdout == "ok\n")
            #expect(result.stderr.contains(warning))
        }
    }

    @Test("a short prompt costs no look-up and no warning")
    func short() async throws {
        try await TestServer.serving({ _ in .replay(StreamBodies.openAIChat(["ok"])) }) { server in
            let result = try await ParleyProcess.run(
                ["ask", "--no-save", "--provider", "vllm", "--base-url", server.baseURL + "/v1", "--model", "m", "hi"],
                environment: [:])
            #expect(result.status == 0)
            #expect(!result.stderr.contains("may not fit"))
            #expect(server.requests.map(\.target) == ["/v1/chat/completions"])
        }
    }
}

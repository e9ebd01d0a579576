import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// A tool loop against a local server, in each format: round one is a provider's recorded stream
/// that asks for a tool, round two a recorded text stream. What matters is the second request:
/// the round as the API needs it back (signatures and reasoning items exactly as they came), and
/// the result answering its call.
@Suite("Two rounds over HTTP: a recorded tool call, then what the second request carries", .timeLimit(.minutes(10)))
struct ToolLoopReplayTests {
    struct Loop: CustomTestStringConvertible, Sendable {
        var provider: String
        var keyVariable: String
        var basePath: String
        var model: String
        var toolCallFixture: String
        var textFixture: String
        /// Checks the second request's body; the recorded round one is given to find what must come back.
        var check: @Sendable (_ second: JSON, _ roundOne: String, _ call: ToolCall) -> Void

        var testDescription: String { "\(provider): \(toolCallFixture)" }
    }

    static let loops: [Loop] = [
        Loop(
            provider: "openai", keyVariable: "OPENAI_API_KEY", basePath: "/v1", model: "gpt-4o-mini",
            toolCallFixture: "openai-chat/gpt-4o-mini-tool-call-include-usage.sse",
            textFixture: "openai-chat/gpt-5-nano-text-no-usage-chunk.sse"
        ) { second, _, call in
            let messages = second["messages"]?.array ?? []
            #expect(messages.count == 3)
            #expect(messages[1]["tool_calls"]?[0]?["id"]?.string == call.id)
            #expect(messages[1]["tool_calls"]?[0]?["function"]?["arguments"]?.string == call.arguments)
            #expect(messages[2] == ["role": "tool", "tool_call_id": .string(call.id), "content": "12:00"])
        },
        Loop(
            provider: "openai-responses", keyVariable: "OPENAI_API_KEY", basePath: "/v1", model: "gpt-5",
            toolCallFixture: "openai-responses/gpt-5-reasoning-summary-function-call.sse",
            textFixture: "openai-responses/gpt-4o-text.sse"
        ) { second, roundOne, call in
            let input = second["input"]?.array ?? []
            #expect(
                input.map { $0["type"]?.string ?? $0["role"]?.string ?? "?" } == [
                    "user", "reasoning", "function_call", "function_call_output",
                ])
            let reasoningID = input.count > 1 ? input[1]["id"]?.string ?? "" : ""
            #expect(reasoningID.hasPrefix("rs_") && roundOne.contains(reasoningID), "the recorded item, by id")
            #expect(input.count > 2 && input[2]["call_id"]?.string == call.id)
            #expect(input.last == ["type": "function_call_output", "call_id": .string(call.id), "output": "12:00"])
        },
        Loop(
            provider: "anthropic", keyVariable: "ANTHROPIC_API_KEY", basePath: "", model: "claude-3-opus-20240229",
            toolCallFixture: "anthropic/claude-3-opus-text-then-tool-use.sse",
            textFixture: "anthropic/claude-sonnet-4.5-minimal-text.sse"
        ) { second, _, call in
            let messages = second["messages"]?.array ?? []
            #expect(messages.count == 3)
            let blocks = messages.count > 1 ? messages[1]["content"]?.array ?? [] : []
            #expect(blocks.map { $0["type"]?.string ?? "?" } == ["text", "tool_use"])
            #expect(blocks.last?["id"]?.string == call.id)
            #expect(blocks.last?["input"] == call.argumentsObject)
            #expect(
                messages.last
                    == [
                        "role": "user",
                        "content": [["type": "tool_result", "tool_use_id": .string(call.id), "content": "12:00"]],
                    ])
        },
        Loop(
            provider: "gemini", keyVariable: "GEMINI_API_KEY", basePath: "", model: "gemini-3-pro-preview",
            toolCallFixture: "gemini/gemini-3-pro-function-call-thought-signature.sse",
            textFixture: "gemini/gemini-2.0-flash-text-crlf.sse"
        ) { second, roundOne, call in
            let contents = second["contents"]?.array ?? []
            #expect(contents.map { $0["role"]?.string ?? "?" } == ["user", "model", "user"])
            let callPart = contents.count > 1 ? contents[1]["parts"]?.array?.first { $0["functionCall"] != nil } : nil
            #expect(callPart?["functionCall"]?["name"]?.string == call.name)
            let signature = callPart?["thoughtSignature"]?.string ?? ""
            #expect(!signature.isEmpty && roundOne.contains(signature), "the thought signature, exactly as it came")
            #expect(contents.last?["parts"]?[0]?["functionResponse"]?["name"]?.string == call.name)
        },
    ]

    @Test("the second request carries round one and the result, in the API's own shape", arguments: loops)
    func secondRequest(_ loop: Loop) async throws {
        let roundOne = try Fixtures.stream(loop.toolCallFixture)
        let text = try Fixtures.stream(loop.textFixture)
        let server = try await TestServer.start { request in
            // The first request has no result in it; the second one does.
            String(decoding: request.body, as: UTF8.self).contains("12:00")
                ? .replay(text, pieces: 1...300, pause: .zero, seed: 3)
                : .replay(roundOne, pieces: 1...300, pause: .zero, seed: 4)
        }
        defer { Task { try await server.shutdown() } }
        let choice = try ProviderChoice.resolve(
            provider: loop.provider, model: loop.model, baseURL: server.baseURL + loop.basePath,
            environment: [loop.keyVariable: "test-key"], configuration: .none)
        let clock = ToolDefinition(name: "get_current_time", description: "The time.")
        var rounds = ToolRounds(
            ChatRequest(model: loop.model, messages: [ChatMessage(.user, "What time is it?")], tools: [clock]))

        let first = await choice.startReply(rounds.request, transport: quickTransport()).collect()
        rounds.record(first.events)
        let stop = try #require(first.events.compactMap { if case .stop(let stop) = $0 { stop } else { nil } }.last)
        guard case .runTools(let calls) = rounds.roundEnded(stop), let call = calls.first else {
            Issue.record("round one asked for no tool: \(first.events)")
            return
        }
        let results = calls.map { ToolResult(callID: $0.id, name: $0.name, content: "12:00") }
        let next = rounds.answered(results)
        let second = await choice.startReply(next, transport: quickTransport()).collect()

        #expect(second.error == nil)
        #expect(!second.text.isEmpty)
        #expect(server.requests.count == 2)
        loop.check(try JSON.parse(server.requests[1].body), String(decoding: roundOne, as: UTF8.self), call)
    }
}

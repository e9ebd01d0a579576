import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import ParleyRelay

@Suite(
    "The official openai Python SDK through the relay",
    .enabled(if: OpenAISDK.python != nil, "needs .venv with the openai package (.ci/run installs it)"),
    .timeLimit(.minutes(5)))
struct OpenAISDKTests {
    @Test(
        "streamed: the SDK parses every delta, the reasoning, the tool calls, the finish and the usage",
        arguments: RecordedStream.all)
    func streamed(_ recording: RecordedStream) async throws {
        try await recording.relayed(pieces: 1...300) { relay in
            let result = try await OpenAISDK.run(
                baseURL: relay.baseURL, model: recording.relayModel, mode: "stream")
            let decoded = try recording.decoded()
            #expect(result["texts"] == .array(decoded.texts.map(JSON.string)))
            #expect(result["reasoning"]?.string == ChatMessage(replyOf: decoded).thinking)
            let calls = ChatMessage(replyOf: decoded).toolCalls.map { call -> JSON in
                ["id": .string(call.id), "name": .string(call.name), "arguments": .string(call.arguments)]
            }
            #expect(result["tool_calls"] == .array(calls))
            #expect(result["finish_reason"]?.string == decoded.stop?.finishReason)
            #expect(result["usage"]?["prompt_tokens"]?.int == decoded.usage?.inputTokens)
            #expect(result["usage"]?["completion_tokens"]?.int == decoded.usage?.outputTokens)
        }
    }

    @Test("whole: the SDK parses the chat.completion", arguments: RecordedStream.all)
    func whole(_ recording: RecordedStream) async throws {
        try await recording.relayed(pieces: 1...300) { relay in
            let result = try await OpenAISDK.run(baseURL: relay.baseURL, model: recording.relayModel, mode: "whole")
            let reply = ChatMessage(replyOf: try recording.decoded())
            #expect((result["content"]?.string ?? "") == reply.content)
            #expect((result["reasoning"]?.string ?? "") == reply.thinking)
            #expect(result["tool_calls"]?.array?.compactMap { $0["id"]?.string } == reply.toolCalls.map(\.id))
            #expect(result["usage"]?["total_tokens"]?.int != nil)
        }
    }

    @Test("the SDK raises its own errors: NotFoundError for an unknown model, APIError for a reply cut off mid-stream")
    func failures() async throws {
        let script = ScriptedResponse(
            headers: [HTTPHeader("Content-Type", "text/event-stream")],
            body: [.bytes(StreamBodies.openAIChatDelta("Hel")), .pause(.milliseconds(5)), .drop])
        try await TestServer.serving({ _ in script }) { server in
            let directory = RelayDirectory(
                configuration: ProviderConfiguration(providers: ["openai": ProviderSettings(baseURL: server.baseURL)]),
                environment: ["OPENAI_API_KEY": "sk-relay-secret"])
            var settings = RelaySettings.forTests
            settings.token = "relay-token"
            try await RelayUnderTest.serving(directory, settings: settings) { relay in
                let unknown = try await OpenAISDK.run(
                    baseURL: relay.baseURL, model: "nowhere/model", token: "relay-token", mode: "failure")
                #expect(unknown["raised"]?.string == "NotFoundError")
                let unauthorized = try await OpenAISDK.run(
                    baseURL: relay.baseURL, model: "openai/gpt-4o", token: "wrong", mode: "failure")
                #expect(unauthorized["raised"]?.string == "AuthenticationError")
                let dropped = try await OpenAISDK.run(
                    baseURL: relay.baseURL, model: "openai/gpt-4o", token: "relay-token", mode: "failure")
                #expect(dropped["raised"]?.string == "APIError")
                #expect(dropped["texts"] == ["Hel"])
            }
        }
    }
}

import AsyncHTTPClient
import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import ParleyRelay

@Suite("An OpenAI client streams every provider through the relay", .timeLimit(.minutes(5)))
struct RelayStreamingTests {
    @Test(
        "each decoded delta is one chunk, in order: text, reasoning_content, tool_calls, the finish, usage, [DONE]",
        arguments: RecordedStream.all)
    func recorded(_ recording: RecordedStream) async throws {
        try await recording.relayed(pieces: 1...200, seed: 5) { relay in
            let answer = try await RelayClient.complete(relay, RelayClient.question(recording.relayModel))
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "content-type") == "text/event-stream")

            let decoded = try recording.decoded()
            let read = ReadChunks(answer.events)
            #expect(read.texts == decoded.texts)
            #expect(read.reasoning == decoded.compactMap { if case .thinking(let text) = $0 { text } else { nil } })
            #expect(read.toolCalls == decoded.compactMap { if case .toolCall(let call) = $0 { call } else { nil } })
            #expect(read.finishReason == decoded.stop?.finishReason)
            let usage = try #require(decoded.usage)
            #expect(read.usage?["prompt_tokens"]?.int == usage.inputTokens)
            #expect(read.usage?["completion_tokens"]?.int == usage.outputTokens)
            #expect(read.error == nil)
            #expect(read.done)
            #expect(answer.events.first.map { (try? JSON.parse($0))?["model"]?.string } == recording.relayModel)

            #expect(await relay.waitForLogs(1))
            let log = try #require(relay.logs.first)
            #expect(log.model == recording.relayModel)
            #expect(log.status == 200)
            #expect(log.usage == usage)
        }
    }

    @Test(
        "not streamed: one chat.completion with the whole message, its reasoning, calls and usage",
        arguments: RecordedStream.all)
    func whole(_ recording: RecordedStream) async throws {
        try await recording.relayed(pieces: 1...500) { relay in
            let answer = try await RelayClient.complete(
                relay, RelayClient.question(recording.relayModel, stream: false))
            #expect(answer.status == 200)
            let message = try #require(answer.json["choices"]?[0]?["message"])
            let reply = ChatMessage(replyOf: try recording.decoded())
            #expect((message["content"]?.string ?? "") == reply.content)
            #expect((message["reasoning_content"]?.string ?? "") == reply.thinking)
            #expect(message["tool_calls"]?.array?.count ?? 0 == reply.toolCalls.count)
            #expect(answer.json["object"]?.string == "chat.completion")
            #expect(answer.json["usage"]?["total_tokens"]?.int != nil)
        }
    }

    @Test("the provider drops the connection mid-reply: what came is relayed, then an error event, never [DONE]")
    func droppedMidStream() async throws {
        let body = StreamBodies.openAIChatDelta("Hello") + StreamBodies.openAIChatDelta(" there")
        let script = ScriptedResponse(
            headers: [HTTPHeader("Content-Type", "text/event-stream")],
            body: [.bytes(body), .pause(.milliseconds(5)), .drop])
        try await TestServer.serving({ _ in script }) { server in
            let directory = RelayDirectory(
                configuration: ProviderConfiguration(providers: ["openai": ProviderSettings(baseURL: server.baseURL)]),
                environment: ["OPENAI_API_KEY": "sk-relay-secret"])
            try await RelayUnderTest.serving(directory) { relay in
                let answer = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                let read = ReadChunks(answer.events)
                #expect(answer.status == 200)
                #expect(read.texts == ["Hello", " there"])
                #expect(read.error?["type"]?.string == "upstream_error")
                #expect(!read.done)
                #expect(read.finishReason == nil)
                #expect(!answer.body.contains("sk-relay-secret"))
                #expect(await relay.waitForLogs(1))
                #expect(relay.logs.first?.ended != nil)
            }
        }
    }

    @Test("the provider's 429 reaches the client as a 429 with its Retry-After, not retried by the relay")
    func rateLimited() async throws {
        let body =
            #"{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","code":"rate_limit_exceeded"}}"#
        try await TestServer.serving({ _ in .whole(body, status: 429, headers: [HTTPHeader("Retry-After", "17")]) }) {
            server in
            let directory = RelayDirectory(
                configuration: ProviderConfiguration(providers: ["openai": ProviderSettings(baseURL: server.baseURL)]),
                environment: ["OPENAI_API_KEY": "sk-relay-secret"])
            try await RelayUnderTest.serving(directory) { relay in
                for stream in [true, false] {
                    let answer = try await RelayClient.complete(
                        relay, RelayClient.question("openai/gpt-4o", stream: stream))
                    #expect(answer.status == 429)
                    #expect(answer.headers.first(name: "retry-after") == "17")
                    #expect(answer.json["error"]?["type"]?.string == "rate_limit_error")
                    #expect(answer.json["error"]?["message"]?.string?.contains("Rate limit reached") == true)
                }
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test("the provider's 503 is a 503; its refusal of the relay's key is a 502 that names no key")
    func upstreamStatuses() async throws {
        try await TestServer.serving({ request in
            request.number == 1
                ? .whole(
                    #"{"error":{"message":"Service unavailable"}}"#, status: 503,
                    headers: [HTTPHeader("Retry-After", "5")])
                : .whole(
                    #"{"error":{"message":"Incorrect API key provided: sk-rel*****cret","code":"invalid_api_key"}}"#,
                    status: 401)
        }) { server in
            let directory = RelayDirectory(
                configuration: ProviderConfiguration(providers: ["openai": ProviderSettings(baseURL: server.baseURL)]),
                environment: ["OPENAI_API_KEY": "sk-relay-secret"])
            try await RelayUnderTest.serving(directory) { relay in
                let unavailable = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                #expect(unavailable.status == 503)
                #expect(unavailable.headers.first(name: "retry-after") == "5")
                let refused = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                #expect(refused.status == 502)
                #expect(refused.json["error"]?["code"]?.string == "auth")
                #expect(!refused.body.contains("sk-relay-secret"))
            }
        }
    }
}

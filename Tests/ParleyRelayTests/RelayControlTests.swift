import Clocks
import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import ParleyRelay

@Suite("The relay's limits, its token, and clients that go away", .timeLimit(.minutes(5)))
struct RelayControlTests {
    static func openAI(_ server: TestServer) -> RelayDirectory {
        RelayDirectory(
            configuration: ProviderConfiguration(providers: ["openai": ProviderSettings(baseURL: server.baseURL)]),
            environment: ["OPENAI_API_KEY": "sk-relay-secret"])
    }

    /// A reply that writes one delta and then holds the connection open, writing nothing more.
    static let stalled = ScriptedResponse(
        headers: [HTTPHeader("Content-Type", "text/event-stream")],
        body: [.bytes(StreamBodies.openAIChatDelta("Thinking it over")), .stall])

    @Test("a client that hangs up mid-stream closes the relay's connection to the provider at once")
    func hangUp() async throws {
        try await TestServer.serving({ _ in Self.stalled }) { server in
            try await RelayUnderTest.serving(Self.openAI(server)) { relay in
                let read = StreamingRead(relay, RelayClient.question("openai/gpt-4o"))
                #expect(await read.waitFor("Thinking it over"), "\(read.failure ?? "")")
                #expect(server.connectionsClosed == 0)

                await read.hangUp()

                #expect(await server.waitForConnectionsClosed(1))
                #expect(await relay.waitForLogs(1))
                #expect(relay.logs.first?.ended == "cancelled")
            }
        }
    }

    @Test("past --max-replies a request is refused with 429 and Retry-After; a slot frees when a reply ends")
    func concurrencyLimit() async throws {
        try await TestServer.serving({ request in
            request.number == 1 ? Self.stalled : .replay(StreamBodies.openAIChat(["Hi"]))
        }) { server in
            var settings = RelaySettings.forTests
            settings.maxReplies = 1
            try await RelayUnderTest.serving(Self.openAI(server), settings: settings) { relay in
                let first = StreamingRead(relay, RelayClient.question("openai/gpt-4o"))
                #expect(await first.waitFor("Thinking it over"), "\(first.failure ?? "")")

                let refused = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                #expect(refused.status == 429)
                #expect(refused.headers.first(name: "retry-after") == "1")
                #expect(refused.json["error"]?["code"]?.string == "too_many_streams")
                #expect(server.requests.count == 1)

                await first.hangUp()
                #expect(await relay.waitForLogs(2))
                let next = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                #expect(next.status == 200)
                #expect(ReadChunks(next.events).texts == ["Hi"])
            }
        }
    }

    @Test("with a token, a request without it or with another is a 401; with it, it is relayed")
    func token() async throws {
        try await TestServer.serving({ _ in .replay(StreamBodies.openAIChat(["Hi"])) }) { server in
            var settings = RelaySettings.forTests
            settings.token = "relay-token"
            try await RelayUnderTest.serving(Self.openAI(server), settings: settings) { relay in
                let missing = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                #expect(missing.status == 401)
                #expect(missing.json["error"]?["code"]?.string == "invalid_api_key")
                let wrong = try await RelayClient.complete(
                    relay, RelayClient.question("openai/gpt-4o"), token: "relay-tokem")
                #expect(wrong.status == 401)
                let models = try await RelayClient.get(relay.baseURL + "/models")
                #expect(models.status == 401)
                #expect(server.requests.isEmpty)

                let right = try await RelayClient.complete(
                    relay, RelayClient.question("openai/gpt-4o"), token: "relay-token")
                #expect(right.status == 200)
                #expect(server.requests.first?.header("Authorization") == "Bearer sk-relay-secret")
            }
        }
    }

    @Test("while the provider is silent the stream carries keep-alive comments, then the reply")
    func keepAlive() async throws {
        let gate = Gate()
        let script = ScriptedResponse.replay(StreamBodies.openAIChat(["Finally"])).held(at: [0], by: [gate])
        try await TestServer.serving({ _ in script }) { server in
            let clock = TestClock()
            var settings = RelaySettings.forTests
            settings.clock = clock
            settings.keepAlive = .seconds(15)
            try await RelayUnderTest.serving(Self.openAI(server), settings: settings) { relay in
                let read = StreamingRead(relay, RelayClient.question("openai/gpt-4o"))
                #expect(await server.waitForRequests(1))
                let commented = await eventually {
                    Task { await clock.advance(by: .seconds(15)) }
                    return read.body.contains(": keep-alive\n\n")
                }
                #expect(commented)
                #expect(read.status == 200)
                gate.open()
                await read.finish()
                let answer = RelayAnswer(status: read.status, headers: [:], body: read.body)
                #expect(answer.comments.first == ": keep-alive")
                #expect(ReadChunks(answer.events).texts == ["Finally"])
                #expect(ReadChunks(answer.events).done)
            }
        }
    }

    @Test("a body over the limit is a 413; bad JSON a 400; an unknown model a 404; an unknown URL a 404")
    func refusals() async throws {
        try await TestServer.serving({ _ in .replay(StreamBodies.openAIChat(["Hi"])) }) { server in
            var settings = RelaySettings.forTests
            settings.maxRequestBytes = 1000
            try await RelayUnderTest.serving(Self.openAI(server), settings: settings) { relay in
                let large = try await RelayClient.complete(
                    relay,
                    [
                        "model": "openai/gpt-4o",
                        "messages": [["role": "user", "content": .string(String(repeating: "a", count: 2000))]],
                    ])
                #expect(large.status == 413)
                #expect(large.json["error"]?["code"]?.string == "request_too_large")

                let bad = try await RelayClient.complete(relay, ["model": "openai/gpt-4o", "messages": "Hi"])
                #expect(bad.status == 400)
                #expect(bad.json["error"]?["param"]?.string == "messages")

                let unknown = try await RelayClient.complete(relay, RelayClient.question("anthropic/claude-sonnet-4-5"))
                #expect(unknown.status == 404)
                #expect(unknown.json["error"]?["code"]?.string == "model_not_found")

                let nowhere = try await RelayClient.get(relay.baseURL + "/completions")
                #expect(nowhere.status == 404)
                #expect(nowhere.json["error"]?["code"]?.string == "unknown_url")
                #expect(server.requests.isEmpty)
                #expect(await relay.waitForLogs(4))
                #expect(relay.logs.map(\.status) == [413, 400, 404, 404])
            }
        }
    }

    @Test("GET /v1/models lists the providers' models as PROVIDER/MODEL, then the presets")
    func models() async throws {
        try await TestServer.serving({ _ in .whole(#"{"data":[{"id":"gpt-4o-mini"},{"id":"gpt-4o"}]}"#) }) { server in
            var directory = Self.openAI(server)
            directory.presets = ["reviewer": SystemPreset(name: "reviewer", system: "Review.")]
            try await RelayUnderTest.serving(directory) { relay in
                let answer = try await RelayClient.get(relay.baseURL + "/models")
                #expect(answer.status == 200)
                let ids = answer.json["data"]?.array?.compactMap { $0["id"]?.string } ?? []
                #expect(ids == ["openai/gpt-4o", "openai/gpt-4o-mini", "demo/demo", "reviewer"])
                #expect(server.requests.first?.target == "/models")
            }
        }
    }
}

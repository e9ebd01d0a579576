import Foundation
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyTestSupport
import Testing

@Suite("parley ask --reasoning", .timeLimit(.minutes(10)))
struct AskReasoningTests {
    static let noThinking =
        #"{"type":"error","error":{"type":"invalid_request_error","message":"'claude-3-5-haiku-20241022' does not support thinking."}}"#
    static let anthropicReply = StreamBodies.anthropic(["Short answer."])

    @Test("--reasoning high asks Anthropic for extended thinking; the conversation keeps the setting")
    func asked() async throws {
        let home = ParleyProcess.dataFolder()
        let server = try await TestServer.start { _ in .replay(Self.anthropicReply) }
        let result = try await ParleyProcess.run(
            [
                "ask", "--provider", "anthropic", "--base-url", server.baseURL, "--model", "claude-sonnet-4-5",
                "--reasoning", "high", "Why?",
            ],
            environment: ["PARLEY_HOME": home, "ANTHROPIC_API_KEY": "sk-ant-test"])
        try await server.shutdown()
        #expect(result.status == 0)
        #expect(result.stdout == "Short answer.\n")
        let body = try JSON.parse(try #require(server.requests.first).body)
        #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 24576])

        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let saved = try #require(try await store.conversations().first)
        #expect(saved.conversation.reasoning == .effort(.high))
        let reply = try await store.transcript(of: saved.conversation.id).messages.last
        #expect(reply?.reasoning == .effort(.high))
    }

    @Test("a model that refuses it: one note on stderr, the reply all the same, and the conversation back on auto")
    func refused() async throws {
        let home = ParleyProcess.dataFolder()
        let server = try await TestServer.start { request in
            String(decoding: request.body, as: UTF8.self).contains("\"thinking\"")
                ? .whole(Self.noThinking, status: 400) : .replay(Self.anthropicReply)
        }
        let result = try await ParleyProcess.run(
            [
                "ask", "--provider", "anthropic", "--base-url", server.baseURL, "--model", "claude-3-5-haiku-20241022",
                "--reasoning", "4000", "Why?",
            ],
            environment: ["PARLEY_HOME": home, "ANTHROPIC_API_KEY": "sk-ant-test"])
        try await server.shutdown()
        #expect(result.status == 0)
        #expect(result.stdout == "Short answer.\n")
        #expect(
            result.stderr.contains(
                "note: claude-3-5-haiku-20241022 refused the reasoning setting, so it was asked again without it: "
                    + "400 from Anthropic: 'claude-3-5-haiku-20241022' does not support thinking."))
        #expect(server.requests.count == 2)

        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let saved = try #require(try await store.conversations().first)
        #expect(saved.conversation.reasoning == .standard, "the next turn does not ask again")
    }

    @Test("--events says so in a line of its own, before the reply's")
    func refusedEvents() async throws {
        let server = try await TestServer.start { request in
            String(decoding: request.body, as: UTF8.self).contains("\"thinking\"")
                ? .whole(Self.noThinking, status: 400) : .replay(Self.anthropicReply)
        }
        let result = try await ParleyProcess.run(
            [
                "ask", "--events", "--no-save", "--provider", "anthropic", "--base-url", server.baseURL,
                "--reasoning", "low", "Why?",
            ],
            environment: ["ANTHROPIC_API_KEY": "sk-ant-test"])
        try await server.shutdown()
        #expect(result.status == 0)
        #expect(result.eventTypes.prefix(2) == ["reasoning_refused", "start"])
    }

    @Test("a setting that is not one: a usage error that lists the ones there are")
    func wrongSetting() async throws {
        let result = try await ParleyProcess.run(["ask", "--provider", "demo", "--reasoning", "maximum", "hi"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("The value 'maximum' is invalid for '--reasoning <SETTING>'"))
        #expect(result.stderr.contains("auto, off, low, medium, high, or a token budget"))
    }
}

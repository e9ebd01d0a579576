import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Synchronization
import Testing

@testable import ParleyRelay

@Suite("parley serve --save: each relayed reply kept as a conversation", .timeLimit(.minutes(5)))
struct RelayedReplyTests {
    static let route = RelayRoute(
        choice: try! ProviderChoice.resolve(
            provider: "anthropic", model: "claude-sonnet-4-5", baseURL: nil,
            environment: ["ANTHROPIC_API_KEY": "sk-ant-secret"]))

    @Test("the client's conversation, then the reply with its reasoning, usage and stop, titled by the first question")
    func conversation() {
        let chat = ChatRequest(
            model: "claude-sonnet-4-5",
            messages: [
                ChatMessage(.user, "What is 2+2?\nShow it."), ChatMessage(.assistant, "4"),
                ChatMessage(.user, "And 3+3?"),
            ],
            system: "Be brief.")
        let usage = Usage(inputTokens: 20, outputTokens: 4)
        let saved = RelayedReply(
            route: Self.route, chat: chat,
            events: [.start(model: nil), .thinking("Easy."), .text("6"), .usage(usage), .stop(StopReason(.endTurn))],
            duration: .milliseconds(900))
        let time = Timestamp(millisecondsSince1970: 1_700_000_000_000)
        let (conversation, messages) = saved.conversation(
            id: ConversationID("c1"), messageID: { MessageID("m\($0)") }, at: time)

        #expect(
            conversation
                == Conversation(
                    id: ConversationID("c1"), title: "What is 2+2?", createdAt: time, provider: "anthropic",
                    model: "claude-sonnet-4-5", systemPrompt: "Be brief.", baseURL: "https://api.anthropic.com"))
        #expect(messages.map(\.id) == ["m0", "m1", "m2", "m3"].map(MessageID.init))
        #expect(messages.map(\.role) == [.user, .assistant, .user, .assistant])
        #expect(messages.map(\.text) == ["What is 2+2?\nShow it.", "4", "And 3+3?", "6"])
        let reply = messages[3]
        #expect(reply.status == .complete)
        #expect(reply.thinking == "Easy.")
        #expect(reply.usage == usage)
        #expect(reply.provider == "anthropic")
        #expect(reply.duration == .milliseconds(900))
    }

    @Test("a reply that failed is saved failed, with its error; one its client left, cancelled")
    func endings() {
        let chat = ChatRequest(model: "claude-sonnet-4-5", messages: [ChatMessage(.user, "Hi")])
        let failed = RelayedReply(
            route: Self.route, chat: chat,
            events: [.text("Hal"), .error(ProviderError(.network, "lost")), .stop(StopReason(.error))], duration: .zero)
        let left = RelayedReply(
            route: Self.route, chat: chat, events: [.text("Hal"), .stop(StopReason(.cancelled))], duration: .zero)
        let time = Timestamp(millisecondsSince1970: 0)
        #expect(
            failed.conversation(id: ConversationID("c"), messageID: { MessageID("\($0)") }, at: time).1.last?.status
                == .failed)
        #expect(
            failed.conversation(id: ConversationID("c"), messageID: { MessageID("\($0)") }, at: time).1.last?.error?
                .message == "lost")
        #expect(
            left.conversation(id: ConversationID("c"), messageID: { MessageID("\($0)") }, at: time).1.last?.status
                == .cancelled)
    }

    @Test("the relay hands each reply to be saved once it ended: streamed, whole, and left by its client")
    func handedOver() async throws {
        let saved = Mutex<[RelayedReply]>([])
        try await TestServer.serving({ request in
            request.number == 3 ? RelayControlTests.stalled : .replay(StreamBodies.openAIChat(["Hi", " there"]))
        }) { server in
            try await RelayUnderTest.serving(
                RelayControlTests.openAI(server), save: { reply in saved.withLock { $0.append(reply) } }
            ) { relay in
                _ = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o"))
                _ = try await RelayClient.complete(relay, RelayClient.question("openai/gpt-4o", stream: false))
                let left = StreamingRead(relay, RelayClient.question("openai/gpt-4o"))
                #expect(await left.waitFor("Thinking it over"), "\(left.failure ?? "")")
                await left.hangUp()
                #expect(await eventually { saved.withLock { $0.count } == 3 })
            }
        }
        let replies = saved.withLock { $0 }
        #expect(
            replies.map { ChatMessage(replyOf: $0.events).content }.sorted() == [
                "Hi there", "Hi there", "Thinking it over",
            ])
        #expect(
            replies.allSatisfy { $0.chat.messages == [ChatMessage(.user, "Say hello")] && $0.chat.model == "gpt-4o" })
        let endings = replies.compactMap { $0.events.last }
        #expect(endings.filter { $0 == .stop(StopReason(.cancelled)) }.count == 1)
    }
}

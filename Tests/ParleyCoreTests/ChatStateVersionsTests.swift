import ParleyCore
import Testing

@Suite("Regenerate and edit-and-resend: a new reply, with the ones it replaced kept as previous versions")
struct ChatStateVersionsTests {
    /// c1: "question" answered "first answer" (r1), sent at 2 000, complete at 2 500.
    static func answered() -> ChatState {
        var state = ChatState()
        state.run(
            [
                Chat.newConversation(c1, now: at(1_000), systemPrompt: "Be brief."),
                Chat.send("question", in: c1, 1, now: at(2_000)),
            ]
                + Chat.replied(1, "first answer", now: at(2_500)) + [.persisted(user(1))])
        return state
    }

    static func regenerate(_ n: Int, now: Timestamp) -> ChatAction {
        .regenerateRequested(c1, replyMessageID: reply(n), sessionID: session(n), now: now)
    }

    @Test("regenerating replaces the reply with a pending one that keeps the old one, asked with the same context")
    func regenerateSucceeds() {
        var state = Self.answered()
        let first = state.last(in: c1)!

        let effects = state.run(Self.regenerate(2, now: at(3_000)))

        let pending = Message(
            id: reply(2), conversationID: c1, role: .assistant, status: .pending, createdAt: at(3_000),
            provider: "openai", model: "gpt-4o", previousVersions: [first])
        #expect(state.transcripts[c1]?.map(\.id) == [user(1), reply(2)])
        #expect(state.last(in: c1) == pending)
        let request = ChatRequest(model: "gpt-4o", messages: [ChatMessage(.user, "question")], system: "Be brief.")
        #expect(
            effects == [
                .persistConversation(state.conversations[c1]!), .persistMessage(pending),
                .startStream(
                    StreamStart(
                        sessionID: session(2), conversationID: c1, replyMessageID: reply(2), provider: "openai",
                        model: "gpt-4o", request: request)),
            ])

        state.run(Chat.replied(2, "second answer", now: at(3_500)))
        #expect(state.last(in: c1)?.status == .complete)
        #expect(state.last(in: c1)?.text == "second answer")
        #expect(state.last(in: c1)?.previousVersions == [first])
    }

    @Test("a regenerated reply that fails keeps the earlier version, and restoring brings it back losing nothing")
    func regenerateFailsThenRestore() {
        var state = Self.answered()
        let first = state.last(in: c1)!
        state.run(Self.regenerate(2, now: at(3_000)), Chat.batch(2, [.text("half")], now: at(3_100)))
        state.run(.streamFailed(session(2), ProviderError(.network, "connection reset"), ReplyTiming(), now: at(3_200)))
        let failed = state.last(in: c1)!
        #expect(failed.status == .failed)
        #expect(failed.text == "half")
        #expect(failed.previousVersions == [first])

        let effects = state.run(.restoreVersionRequested(c1, versionID: reply(1)))

        var restored = first
        var displaced = failed
        displaced.previousVersions = []
        restored.previousVersions = [displaced]
        #expect(state.transcripts[c1]?.map(\.id) == [user(1), reply(1)])
        #expect(state.last(in: c1) == restored)
        #expect(effects == [.persistMessage(restored)])
        #expect(state.status(of: c1) == .idle)

        state.run(.restoreVersionRequested(c1, versionID: reply(2)))
        #expect(state.last(in: c1)?.id == reply(2))
        #expect(state.last(in: c1)?.previousVersions.map(\.id) == [reply(1)])
    }

    @Test("a cancelled regeneration keeps the earlier version restorable too")
    func regenerateCancelled() {
        var state = Self.answered()
        state.run(Self.regenerate(2, now: at(3_000)), .cancelRequested(c1))
        state.run(.streamCancelled(session(2), ReplyTiming(), now: at(3_100)))
        #expect(state.last(in: c1)?.status == .cancelled)
        #expect(state.last(in: c1)?.previousVersions.map(\.id) == [reply(1)])
    }

    @Test("regenerating again keeps every earlier version, oldest first")
    func regenerateTwice() {
        var state = Self.answered()
        state.run([Self.regenerate(2, now: at(3_000))] + Chat.replied(2, "two", now: at(3_100)))
        state.run([Self.regenerate(3, now: at(4_000))] + Chat.replied(3, "three", now: at(4_100)))
        #expect(state.last(in: c1)?.previousVersions.map(\.id) == [reply(1), reply(2)])
        #expect(state.last(in: c1)?.previousVersions.allSatisfy(\.previousVersions.isEmpty) == true)
        #expect(state.transcripts[c1]?.count == 2)
    }

    @Test("regenerating when the reply was never saved answers the last user message afresh")
    func regenerateWithoutReply() {
        var state = ChatState()
        let stored = Message(
            id: user(1), conversationID: c1, role: .user, status: .sent, text: "q", createdAt: at(1_000))
        state.run(
            .loaded(
                conversations: [Conversation(id: c1, createdAt: at(1_000), provider: "openai", model: "m")],
                messages: [stored]))
        state.run(Self.regenerate(2, now: at(2_000)))
        #expect(state.transcripts[c1]?.map(\.id) == [user(1), reply(2)])
        #expect(state.last(in: c1)?.previousVersions == [])
    }

    @Test("edit-and-resend replaces the last message's text and starts a reply; the old reply becomes a version")
    func editAndResend() {
        var state = Self.answered()
        state.run([Chat.send("follow-up", in: c1, 2, now: at(3_000))] + Chat.replied(2, "reply two", now: at(3_500)))
        let oldReply = state.last(in: c1)!

        let effects = state.run(
            .editAndResendRequested(
                c1, text: "follow-up, edited", replyMessageID: reply(3), sessionID: session(3),
                now: at(4_000)))

        #expect(state.transcripts[c1]?.map(\.id) == [user(1), reply(1), user(2), reply(3)])
        let edited = state.transcripts[c1]![2]
        #expect(edited.text == "follow-up, edited")
        #expect(edited.status == .sending)
        #expect(state.last(in: c1)?.status == .pending)
        #expect(state.last(in: c1)?.previousVersions == [oldReply])
        var row = edited
        row.status = .sent
        guard effects.count == 4, case .startStream(let start) = effects[3] else {
            Issue.record("unexpected effects: \(effects)")
            return
        }
        #expect(effects[1] == .persistMessage(row))
        #expect(effects[2] == .persistMessage(state.last(in: c1)!))
        #expect(
            start.request.messages == [
                ChatMessage(.user, "question"), ChatMessage(.assistant, "first answer"),
                ChatMessage(.user, "follow-up, edited"),
            ])

        state.run(.persisted(user(2)))
        #expect(state.transcripts[c1]![2].status == .sent)
    }

    @Test("restoring is refused while a reply streams")
    func restoreWhileStreaming() {
        var state = Self.answered()
        state.run(Self.regenerate(2, now: at(3_000)))
        #expect(state.run(.restoreVersionRequested(c1, versionID: reply(1))).isEmpty)
        #expect(state.notice == .replyInProgress(c1))
        #expect(state.last(in: c1)?.id == reply(2))
    }
}

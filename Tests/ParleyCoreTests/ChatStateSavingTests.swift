import ParleyCore
import Testing

@Suite("What reaches the database: conversations with their messages, never empty, never back from the dead")
struct ChatStateSavingTests {
    @Test(
        "Ctrl-N makes a conversation in memory only; renaming or choosing meanwhile is written with its first message")
    func emptyLivesInMemory() throws {
        var state = ChatState()
        #expect(state.run(Chat.newConversation(c1, now: at(1_000))).isEmpty)
        #expect(state.run(.renameRequested(c1, title: "Plans")).isEmpty)
        #expect(state.run(.modelChosen(c1, provider: "ollama", model: "llama3.2")).isEmpty)
        #expect(state.run(.systemPromptChosen(c1, "Be brief.")).isEmpty)
        #expect(state.conversationCount == 1)

        let effects = state.run(Chat.send("hello", in: c1, 1, now: at(2_000)))
        guard case .createConversation(let conversation, let messages) = effects.first else {
            Issue.record("expected the conversation created with its messages, got \(effects)")
            return
        }
        #expect(conversation.title == "Plans")
        #expect(conversation.provider == "ollama")
        #expect(conversation.systemPrompt == "Be brief.")
        #expect(messages.map(\.id) == [user(1), reply(1)])
        #expect(messages.first?.status == .sent)
        #expect(effects.count == 2, "the creation carries the user's message and the reply: no other save")
    }

    @Test("deleting a conversation nothing was sent in deletes nothing on disk")
    func deleteUnsaved() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)))
        #expect(state.run(.deleteRequested(c1)).isEmpty)
        #expect(state.conversationCount == 0)
        #expect(state.unsaved.isEmpty)
    }

    @Test("a turn whose saves fail (a full disk) is no failed turn: the reply is complete, the failure a notice, no ✗")
    func replySaveFailureIsNoFailedReply() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.newConversation(c2, now: at(1_500)))
        let reason = "the disk is full; nothing already saved was lost"
        state.run(Chat.send("question", in: c1, 1, now: at(2_000)), .persistFailed(user(1), reason: reason))
        state.run(Chat.replied(1, "a whole answer", now: at(2_500)))
        state.run(.persistFailed(reply(1), reason: reason))

        #expect(state.transcripts[c1]?.map(\.status) == [.sent, .complete])
        #expect(state.last(in: c1)?.text == "a whole answer")
        #expect(state.saveFailures[reply(1)] == reason)
        #expect(state.notice == .saveFailed(reason: reason))
        #expect(state.conversationRows(0..<2).map(\.status) == [.idle, .idle])
    }

    @Test("a first save that fails leaves nothing on disk; the next save writes the conversation with every message")
    func failedCreationIsRetried() throws {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("question", in: c1, 1, now: at(2_000)))
        let reason = "the disk is full; nothing already saved was lost"
        state.run(.conversationNotCreated(c1, reason: reason))
        #expect(state.unsaved == [c1])
        #expect(state.notice == .saveFailed(reason: reason))
        #expect(state.saveFailures[user(1)] == reason)
        #expect(state.transcripts[c1]?.first?.status == .sent, "it went out with its request")

        // The reply's next save finds no row: that is no deletion by another Parley.
        #expect(state.run(.conversationDeletedElsewhere(c1)).isEmpty)
        #expect(state.conversations[c1] != nil)

        state.run(Chat.batch(1, [.text("answer"), .stop(StopReason(.endTurn))], now: at(2_500)))
        let ended = state.run(Chat.finished(1, now: at(3_100)))
        guard case .createConversation(let conversation, let messages) = ended.first, ended.count == 1 else {
            Issue.record("expected the conversation created with every message, got \(ended)")
            return
        }
        #expect(conversation.id == c1)
        #expect(messages.map(\.id) == [user(1), reply(1)])
        #expect(messages.last?.status == .complete)
        state.run(.persisted(user(1)), .persisted(reply(1)))
        #expect(state.saveFailures.isEmpty)
        #expect(state.unsaved.isEmpty)
    }

    @Test(
        "another Parley deleted the conversation: it leaves the list, its stream is cancelled, the user is told, nothing more is saved"
    )
    func deletedElsewhere() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.newConversation(c2, now: at(1_500)))
        state.run(
            Chat.send("Plans for Kyoto", in: c2, 1, now: at(2_000)), Chat.batch(1, [.text("Day one")], now: at(3_100)))

        let effects = state.run(.conversationDeletedElsewhere(c2))

        #expect(effects == [.cancelStream(session(1))])
        #expect(state.conversations[c2] == nil)
        #expect(state.order == [c1])
        #expect(state.selectedConversationID == c1)
        #expect(state.notice == .deletedElsewhere(title: "Plans for Kyoto"))
        #expect(state.run(Chat.batch(1, [.text(", day two")], now: at(4_200))).isEmpty)
        #expect(state.run(Chat.finished(1, now: at(4_300))).isEmpty, "no late save brings it back")
        #expect(state.run(.conversationDeletedElsewhere(c2)).isEmpty)
    }
}

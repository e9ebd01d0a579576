import ParleyCore
import Testing

@Suite("Sending: the message and a reply placeholder appear at once; saves confirm or fail them")
struct ChatStateSendingTests {
    @Test("a sent message shows at once as sending, with a pending reply, and the stream starts with the context")
    func optimisticSend() {
        var state = ChatState()
        let created = state.run(Chat.newConversation(c1, now: at(1_000), systemPrompt: "Be brief."))
        let conversation = Conversation(
            id: c1, createdAt: at(1_000), provider: "openai", model: "gpt-4o", systemPrompt: "Be brief.")
        #expect(created.isEmpty, "a new conversation lives in memory until something is sent")
        #expect(state.unsaved == [c1])
        #expect(state.selectedConversationID == c1)

        let effects = state.run(Chat.send("How do lifetimes work?\nDetails", in: c1, 1, now: at(2_000)))

        let sent = Message(
            id: user(1), conversationID: c1, role: .user, status: .sending, text: "How do lifetimes work?\nDetails",
            createdAt: at(2_000))
        let placeholder = Message(
            id: reply(1), conversationID: c1, role: .assistant, status: .pending, createdAt: at(2_000),
            provider: "openai", model: "gpt-4o", parentID: user(1))
        #expect(state.transcripts[c1] == [sent, placeholder])
        var titled = conversation
        titled.title = "How do lifetimes work?"
        titled.updatedAt = at(2_000)
        #expect(state.conversations[c1] == titled)
        var row = sent
        row.status = .sent
        let request = ChatRequest(
            model: "gpt-4o", messages: [ChatMessage(.user, "How do lifetimes work?\nDetails")], system: "Be brief.")
        #expect(
            effects == [
                .createConversation(titled, messages: [row, placeholder]),
                .startStream(
                    StreamStart(
                        sessionID: session(1), conversationID: c1, replyMessageID: reply(1), provider: "openai",
                        model: "gpt-4o", request: request)),
            ])
        #expect(
            state.sessions[session(1)]
                == LiveSession(conversationID: c1, replyMessageID: reply(1), generation: 1, lastSavedAt: at(2_000)))
        #expect(state.status(of: c1) == .streaming)

        state.run(.persisted(user(1)))
        #expect(state.transcripts[c1]?.first?.status == .sent)
        #expect(state.unsaved.isEmpty)
    }

    @Test(
        "a message whose save fails keeps its text and how it went (it was sent); the failure is a notice, and resending saves it"
    )
    func failedSaveAndResend() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("keep me", in: c1, 1, now: at(2_000)))

        state.run(.persistFailed(user(1), reason: "the disk is full; nothing already saved was lost"))
        let kept = state.transcripts[c1]![0]
        #expect(kept.status == .sent)
        #expect(kept.text == "keep me")
        #expect(state.saveFailures[user(1)] == "the disk is full; nothing already saved was lost")
        #expect(state.notice == .saveFailed(reason: "the disk is full; nothing already saved was lost"))
        #expect(state.status(of: c1) == .streaming)
        state.run(Chat.replied(1, "ok", now: at(2_500)))
        #expect(state.status(of: c1) == .idle, "a failed save is no failed message: no ✗")

        let effects = state.run(.resendRequested(user(1)))
        #expect(effects == [.persistMessage(kept)])

        state.run(.persisted(user(1)))
        #expect(state.saveFailures.isEmpty)
        #expect(state.run(.resendRequested(user(1))).isEmpty)
        #expect(state.notice == .nothingToResend(user(1)))
    }

    @Test("a reply's failed save is reported without changing the reply")
    func replySaveFailure() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("q", in: c1, 1, now: at(2_000)))
        state.run(.persistFailed(reply(1), reason: "the database is in use by another program"))
        #expect(state.last(in: c1)?.status == .pending)
        #expect(state.saveFailures[reply(1)] == "the database is in use by another program")
        state.run(.conversationPersistFailed(c1, reason: "cannot write"))
        #expect(state.notice == .saveFailed(reason: "cannot write"))
        state.run(.noticeDismissed)
        #expect(state.notice == nil)
    }

    @Test("the title comes from the first message, unless the user renamed the conversation first")
    func titles() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("  first question ", in: c1, 1, now: at(2_000)))
        state.run(Chat.replied(1, "a", now: at(2_100)) + [Chat.send("second question", in: c1, 2, now: at(3_000))])
        #expect(state.conversations[c1]?.title == "first question")

        let renamed = state.run(.renameRequested(c1, title: "  Lifetimes  "))
        #expect(state.conversations[c1]?.title == "Lifetimes")
        #expect(renamed == [.persistConversation(state.conversations[c1]!, messages: [])])

        state.run(Chat.newConversation(c2, now: at(4_000)), .renameRequested(c2, title: "Named early"))
        state.run(Chat.send("what is this about", in: c2, 3, now: at(5_000)))
        #expect(state.conversations[c2]?.title == "Named early")
    }

    @Test("earlier messages are the context; replies that produced no text are left out")
    func context() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("one", in: c1, 1, now: at(2_000)))
        state.run(Chat.replied(1, "answer one", now: at(2_500)))
        state.run(Chat.send("two", in: c1, 2, now: at(3_000)))
        state.run(.streamFailed(session(2), ProviderError(.auth, "401"), ReplyTiming(), now: at(3_100)))

        let effects = state.run(Chat.send("three", in: c1, 3, now: at(4_000)))

        guard case .startStream(let start)? = effects.last else {
            Issue.record("no stream started: \(effects)")
            return
        }
        #expect(
            start.request.messages == [
                ChatMessage(.user, "one"), ChatMessage(.assistant, "answer one"), ChatMessage(.user, "two"),
                ChatMessage(.user, "three"),
            ])
    }

    @Test("sending in one conversation while another streams keeps both streams apart")
    func twoStreams() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("first", in: c1, 1, now: at(1_100)))
        state.run(Chat.newConversation(c2, now: at(1_200)), Chat.send("second", in: c2, 2, now: at(1_300)))
        #expect(state.sessions.count == 2)

        state.run(Chat.batch(1, [.text("one ")], now: at(1_400)), Chat.batch(2, [.text("two ")], now: at(1_400)))
        state.run(Chat.replied(2, "done", now: at(1_500)))
        state.run(Chat.batch(1, [.text("still going")], now: at(1_600)))

        #expect(state.last(in: c1)?.text == "one still going")
        #expect(state.last(in: c1)?.status == .streaming)
        #expect(state.last(in: c2)?.text == "two done")
        #expect(state.last(in: c2)?.status == .complete)
        #expect(Array(state.sessions.keys) == [session(1)])
    }
}

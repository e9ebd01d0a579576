import ParleyCore
import Testing

@Suite("Conversations: the list, selection, unread replies, deleting and start-up")
struct ChatStateConversationsTests {
    @Test("the list is newest activity first; sending and replies move a conversation up, renaming does not")
    func listOrder() {
        var state = ChatState()
        state.run(
            Chat.newConversation(c1, now: at(1_000)), Chat.newConversation(c2, now: at(2_000)),
            Chat.newConversation(c3, now: at(3_000)))
        #expect(state.order == [c3, c2, c1])

        state.run(Chat.send("hi", in: c1, 1, now: at(4_000)))
        #expect(state.order == [c1, c3, c2])
        state.run(Chat.send("hi", in: c2, 2, now: at(5_000)))
        #expect(state.order == [c2, c1, c3])
        state.run(Chat.replied(1, "back", now: at(6_000)))
        #expect(state.order == [c1, c2, c3])
        state.run(.renameRequested(c3, title: "Renamed"))
        #expect(state.order == [c1, c2, c3])

        #expect(state.conversationList.map(\.id) == [c1, c2, c3])
        #expect(state.conversationRows(1..<10).map(\.id) == [c2, c3])
        #expect(state.conversationRows(5..<9).isEmpty)
        #expect(state.conversationCount == 3)
        #expect(
            state.conversationList == [
                ConversationRow(id: c1, title: "hi", updatedAt: at(6_000), status: .idle, isUnread: true),
                ConversationRow(id: c2, title: "hi", updatedAt: at(5_000), status: .streaming, isUnread: false),
                ConversationRow(id: c3, title: "Renamed", updatedAt: at(3_000), status: .idle, isUnread: false),
            ])
    }

    @Test("conversations with the same activity time are ordered by id, whatever order they arrive in")
    func ties() {
        var state = ChatState()
        state.run(
            Chat.newConversation(c2, now: at(1_000)), Chat.newConversation(c3, now: at(1_000)),
            Chat.newConversation(c1, now: at(1_000)))
        #expect(state.order == [c1, c2, c3])
    }

    @Test("a reply that ends in a conversation not on screen marks it unread until it is selected; a cancel does not")
    func unread() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("q", in: c1, 1, now: at(1_100)))
        state.run(Chat.newConversation(c2, now: at(1_200)), Chat.send("q", in: c2, 2, now: at(1_300)))
        #expect(state.selectedConversationID == c2)

        state.run(Chat.replied(1, "a", now: at(2_000)))
        #expect(state.unread == [c1])
        state.run(Chat.replied(2, "b", now: at(2_100)))
        #expect(state.unread == [c1], "the conversation on screen is read")

        state.run(.selected(c1))
        #expect(state.unread.isEmpty)

        state.run(Chat.send("again", in: c2, 3, now: at(3_000)), .cancelRequested(c2))
        state.run(.streamCancelled(session(3), ReplyTiming(), now: at(3_100)))
        #expect(state.unread.isEmpty)

        state.run(.regenerateRequested(c2, replyMessageID: reply(4), sessionID: session(4), now: at(4_000)))
        state.run(.streamFailed(session(4), ProviderError(.rateLimited, "slow down"), ReplyTiming(), now: at(4_100)))
        #expect(state.unread == [c2], "a failure is news too")
        #expect(
            state.conversationRows(0..<1) == [
                ConversationRow(id: c2, title: "q", updatedAt: at(4_100), status: .failed, isUnread: true)
            ])
    }

    @Test("deleting a conversation whose reply streams cancels the stream; its late results change nothing")
    func deleteStreaming() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.newConversation(c2, now: at(1_500)))
        state.run(Chat.send("q", in: c2, 1, now: at(2_000)), Chat.batch(1, [.text("part")], now: at(2_100)))

        let effects = state.run(.deleteRequested(c2))

        #expect(effects == [.cancelStream(session(1)), .deleteConversation(c2)])
        #expect(state.conversations[c2] == nil)
        #expect(state.transcripts[c2] == nil)
        #expect(state.order == [c1])
        #expect(state.selectedConversationID == c1)
        #expect(state.sessions[session(1)]?.cancelRequested == true)

        let deleted = state
        #expect(state.run(Chat.batch(1, [.text("late")], now: at(2_200))).isEmpty)
        #expect(state.run(.persistFailed(user(1), reason: "gone")).isEmpty)
        #expect(state.run(.persisted(reply(1))).isEmpty)
        #expect(state.run(.sessionCancelRequested(session(1))).isEmpty)
        #expect(state.run(.streamCancelled(session(1), ReplyTiming(), now: at(2_300))).isEmpty)
        #expect(state.sessions.isEmpty)
        var expected = deleted
        expected.run(.streamCancelled(session(1), ReplyTiming(), now: at(2_300)))
        #expect(state == expected)
        #expect(state.notice == nil)
    }

    @Test("deleting the selected conversation selects the one that took its row, or the one above, or none")
    func deleteSelection() {
        var state = ChatState()
        state.run(
            Chat.newConversation(c1, now: at(1_000)), Chat.newConversation(c2, now: at(2_000)),
            Chat.newConversation(c3, now: at(3_000)), .selected(c2))
        state.run(.deleteRequested(c2))
        #expect(state.selectedConversationID == c1)
        state.run(.deleteRequested(c1))
        #expect(state.selectedConversationID == c3)
        #expect(state.run(.deleteRequested(c3)).isEmpty, "it was never written: nothing to delete on disk")
        #expect(state.selectedConversationID == nil)
        #expect(state.conversationList.isEmpty)
        #expect(state.selectedTranscript.isEmpty)
    }

    @Test("at start-up a reply that was streaming or pending shows as interrupted with its text; nothing is live")
    func loaded() {
        let older = Conversation(
            id: c1, title: "Older", createdAt: at(1_000), updatedAt: at(5_000), provider: "p", model: "m")
        let newer = Conversation(
            id: c2, title: "Newer", createdAt: at(2_000), updatedAt: at(9_000), provider: "p", model: "m")
        let messages = [
            Message(id: user(1), conversationID: c1, role: .user, status: .sent, text: "q1", createdAt: at(1_000)),
            Message(
                id: reply(1), conversationID: c1, role: .assistant, status: .streaming, text: "partial",
                createdAt: at(1_000), parentID: user(1)),
            Message(id: user(2), conversationID: c2, role: .user, status: .sending, text: "q2", createdAt: at(2_000)),
            Message(
                id: reply(2), conversationID: c2, role: .assistant, status: .pending, createdAt: at(2_000),
                parentID: user(2)),
            Message(id: user(3), conversationID: c3, role: .user, status: .sent, text: "lost", createdAt: at(2_000)),
        ]
        var state = ChatState()
        state.run(.loaded(conversations: [older, newer], messages: messages))

        #expect(state.order == [c2, c1])
        #expect(state.transcripts[c1]?.map(\.status) == [.sent, .interrupted])
        #expect(state.transcripts[c1]?.last?.text == "partial")
        #expect(state.transcripts[c2]?.map(\.status) == [.sent, .interrupted])
        #expect(state.conversationList.map(\.status) == [.interrupted, .interrupted])
        #expect(state.sessions.isEmpty)
        #expect(state.notice == .orphanMessagesDropped(count: 1))

        state.run(.selected(c1))
        #expect(state.selectedTranscript.map(\.id) == [user(1), reply(1)])
        // A conversation already made this run is newer than the disk's copy.
        state.run(
            .loaded(conversations: [Conversation(id: c1, createdAt: at(0), provider: "x", model: "y")], messages: []))
        #expect(state.conversations[c1] == older)
    }
}

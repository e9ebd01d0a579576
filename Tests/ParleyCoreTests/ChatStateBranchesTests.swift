import ParleyCore
import Testing

@Suite("A conversation is a tree: regenerating and editing make branches, and the path shown is the one chosen")
struct ChatStateBranchesTests {
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

    /// `answered`, then "follow-up" (u2) answered "reply two" (r2), then u2 edited to
    /// "follow-up, edited" (u3) and answered "reply three" (r3).
    static func edited() -> ChatState {
        var state = answered()
        state.run([Chat.send("follow-up", in: c1, 2, now: at(3_000))] + Chat.replied(2, "reply two", now: at(3_500)))
        state.run([edit("follow-up, edited", 3, now: at(4_000))] + Chat.replied(3, "reply three", now: at(4_500)))
        return state
    }

    static func regenerate(_ n: Int, now: Timestamp) -> ChatAction {
        .regenerateRequested(c1, replyMessageID: reply(n), sessionID: session(n), now: now)
    }

    static func edit(_ text: String, _ n: Int, now: Timestamp) -> ChatAction {
        .editAndResendRequested(
            c1, text: text, userMessageID: user(n), replyMessageID: reply(n), sessionID: session(n), now: now)
    }

    static func path(_ state: ChatState) -> [MessageID] { state.transcripts[c1]?.map(\.id) ?? [] }

    @Test("regenerating makes a sibling of the reply, asked with the same context; the old reply stays on its branch")
    func regenerateMakesSibling() {
        var state = Self.answered()
        let first = state.last(in: c1)!

        let effects = state.run(Self.regenerate(2, now: at(3_000)))

        let pending = Message(
            id: reply(2), conversationID: c1, role: .assistant, status: .pending, createdAt: at(3_000),
            provider: "openai", model: "gpt-4o", parentID: user(1))
        #expect(Self.path(state) == [user(1), reply(2)])
        #expect(state.last(in: c1) == pending)
        #expect(state.otherBranches[c1] == [first])
        #expect(state.siblings(of: pending).map(\.id) == [reply(1), reply(2)])
        let request = ChatRequest(model: "gpt-4o", messages: [ChatMessage(.user, "question")], system: "Be brief.")
        #expect(
            effects == [
                .persistConversation(state.conversations[c1]!, messages: [pending]),
                .startStream(
                    StreamStart(
                        sessionID: session(2), conversationID: c1, replyMessageID: reply(2), provider: "openai",
                        model: "gpt-4o", request: request)),
            ])

        state.run(Chat.replied(2, "second answer", now: at(3_500)))
        #expect(state.last(in: c1)?.text == "second answer")
        #expect(state.otherBranches[c1] == [first])
    }

    @Test("a regenerated reply that fails keeps the earlier branch, and choosing it brings it back, saved")
    func regenerateFailsThenChoose() {
        var state = Self.answered()
        let first = state.last(in: c1)!
        state.run(Self.regenerate(2, now: at(3_000)), Chat.batch(2, [.text("half")], now: at(3_100)))
        state.run(.streamFailed(session(2), ProviderError(.network, "connection reset"), ReplyTiming(), now: at(3_200)))
        let failed = state.last(in: c1)!
        #expect(failed.status == .failed)
        #expect(failed.text == "half")

        let effects = state.run(.branchChosen(c1, messageID: reply(1), now: at(3_300)))

        var chosen = first
        chosen.chosenAt = at(3_300)
        #expect(Self.path(state) == [user(1), reply(1)])
        #expect(state.last(in: c1) == chosen)
        #expect(state.otherBranches[c1] == [failed])
        #expect(effects == [.persistMessage(chosen)])
        #expect(state.status(of: c1) == .idle)

        state.run(.branchChosen(c1, messageID: reply(2), now: at(3_400)))
        #expect(state.last(in: c1)?.id == reply(2))
        #expect(state.run(.branchChosen(c1, messageID: reply(2), now: at(3_500))) == [])
    }

    @Test("regenerating again keeps every branch, oldest first")
    func regenerateTwice() {
        var state = Self.answered()
        state.run([Self.regenerate(2, now: at(3_000))] + Chat.replied(2, "two", now: at(3_100)))
        state.run([Self.regenerate(3, now: at(4_000))] + Chat.replied(3, "three", now: at(4_100)))
        #expect(state.siblings(of: state.last(in: c1)!).map(\.id) == [reply(1), reply(2), reply(3)])
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
        #expect(Self.path(state) == [user(1), reply(2)])
        #expect(state.last(in: c1)?.parentID == user(1))
        #expect(state.otherBranches[c1, default: []].isEmpty)
    }

    @Test("editing sends a new message beside the old one, which keeps its reply on its own branch")
    func editMakesSibling() {
        var state = Self.answered()
        state.run([Chat.send("follow-up", in: c1, 2, now: at(3_000))] + Chat.replied(2, "reply two", now: at(3_500)))
        let old = state.transcripts[c1]!.suffix(2)

        let effects = state.run(Self.edit("follow-up, edited", 3, now: at(4_000)))

        #expect(Self.path(state) == [user(1), reply(1), user(3), reply(3)])
        let edited = state.transcripts[c1]![2]
        #expect(edited.text == "follow-up, edited")
        #expect(edited.status == .sending)
        #expect(edited.parentID == reply(1))
        #expect(state.last(in: c1)?.parentID == user(3))
        #expect(state.otherBranches[c1]?.map(\.text) == old.map(\.text))
        #expect(state.siblings(of: edited).map(\.id) == [user(2), user(3)])
        var row = edited
        row.status = .sent
        guard effects.count == 2, case .startStream(let start) = effects[1] else {
            Issue.record("unexpected effects: \(effects)")
            return
        }
        #expect(effects[0] == .persistConversation(state.conversations[c1]!, messages: [row, state.last(in: c1)!]))
        #expect(
            start.request.messages == [
                ChatMessage(.user, "question"), ChatMessage(.assistant, "first answer"),
                ChatMessage(.user, "follow-up, edited"),
            ])

        state.run(.persisted(user(3)))
        #expect(state.transcripts[c1]![2].status == .sent)
    }

    @Test("choosing the old message brings back the path after it, and what is sent next is that path")
    func contextIsThePath() {
        var state = Self.edited()
        state.run(.branchChosen(c1, messageID: user(2), now: at(5_000)))
        #expect(Self.path(state) == [user(1), reply(1), user(2), reply(2)])

        let effects = state.run(Chat.send("and then?", in: c1, 4, now: at(6_000)))

        guard case .startStream(let start) = effects.last else {
            Issue.record("unexpected effects: \(effects)")
            return
        }
        #expect(
            start.request.messages == [
                ChatMessage(.user, "question"), ChatMessage(.assistant, "first answer"),
                ChatMessage(.user, "follow-up"), ChatMessage(.assistant, "reply two"), ChatMessage(.user, "and then?"),
            ])
        #expect(state.transcripts[c1]![4].parentID == reply(2))
        // The edited branch is kept whole, and comes back with its reply.
        state.run(.branchChosen(c1, messageID: user(3), now: at(7_000)))
        #expect(Self.path(state) == [user(1), reply(1), user(3), reply(3)])
    }

    @Test("switching while a branch streams: the reply goes on into its own branch, and nothing else starts")
    func switchWhileStreaming() {
        var state = Self.answered()
        state.run(Self.regenerate(2, now: at(3_000)), Chat.batch(2, [.text("stream")], now: at(3_100)))

        state.run(.branchChosen(c1, messageID: reply(1), now: at(3_200)))
        #expect(Self.path(state) == [user(1), reply(1)])
        state.run(Chat.batch(2, [.text("ing on")], now: at(3_300)))
        #expect(state.otherBranches[c1]?.first?.text == "streaming on")
        #expect(state.last(in: c1)?.text == "first answer")
        #expect(state.hasLiveReply(c1))
        #expect(state.run(Chat.send("more", in: c1, 3, now: at(3_400))).isEmpty)
        #expect(state.notice == .replyInProgress(c1))

        let effects = state.run(
            Chat.batch(2, [.stop(StopReason(.endTurn))], now: at(3_500)), Chat.finished(2, now: at(3_600)))
        let ended = state.otherBranches[c1]!.first!
        #expect(ended.status == .complete)
        #expect(effects.savedMessages.contains(ended))
        #expect(!state.hasLiveReply(c1))
        state.run(.branchChosen(c1, messageID: reply(2), now: at(3_700)))
        #expect(state.last(in: c1)?.text == "streaming on")
    }

    @Test("a round switched away from that ends asking for tools brings its branch back, and is answered there")
    func toolRoundOnBranch() {
        var state = ChatState()
        state.run(
            .toolsListed(ChatStateToolLoopTests.catalog, maxRounds: 3), Chat.newConversation(c1, now: at(1_000)),
            Chat.send("question", in: c1, 1, now: at(2_000)))
        state.run(Chat.replied(1, "first answer", now: at(2_500)))
        state.run(Self.regenerate(2, now: at(3_000)), .branchChosen(c1, messageID: reply(1), now: at(3_100)))

        state.run(
            Chat.batch(2, [.toolCall(ChatStateToolLoopTests.searchCall), .stop(StopReason(.toolUse))], now: at(3_200)))
        let effects = state.run(Chat.finished(2, now: at(3_300)))

        #expect(Self.path(state) == [user(1), reply(2)])
        #expect(ChatStateToolLoopTests.ran(effects).map(\.call) == [ChatStateToolLoopTests.searchCall])
        state.run(.toolCallFinished(c1, ToolResult(callID: "c2", name: "search", content: "found")))
        state.run(ChatStateToolLoopTests.answered(3, in: state, now: at(3_400)))
        #expect(Self.path(state) == [user(1), reply(2), MessageID("t3"), reply(3)])
        #expect(state.transcripts[c1]![2].parentID == reply(2))
    }

    @Test("deleting a branch takes its message and all after it; the path goes on along its sibling")
    func deleteBranch() {
        var state = Self.edited()
        let effects = state.run(.branchDeleteRequested(c1, messageID: user(3)))
        #expect(effects == [.deleteBranch(c1, user(3))])
        #expect(Self.path(state) == [user(1), reply(1), user(2), reply(2)])
        #expect(state.otherBranches[c1, default: []].isEmpty)
        #expect(!state.owns(reply(3)))

        #expect(state.run(.branchDeleteRequested(c1, messageID: user(2))).isEmpty)
        #expect(state.notice == .onlyBranch(user(2)))
        #expect(Self.path(state) == [user(1), reply(1), user(2), reply(2)])
    }

    @Test("deleting is refused while a reply streams")
    func deleteWhileStreaming() {
        var state = Self.answered()
        state.run(Self.regenerate(2, now: at(3_000)))
        #expect(state.run(.branchDeleteRequested(c1, messageID: reply(2))).isEmpty)
        #expect(state.notice == .replyInProgress(c1))
    }

    @Test("forking copies the path up to a message into a new conversation, opened and saved with its messages")
    func fork() {
        var state = Self.edited()
        let copies = [MessageID("f1"), MessageID("f2"), MessageID("f3")]

        let effects = state.run(.forkRequested(c1, messageID: user(3), fork: c2, messageIDs: copies, now: at(9_000)))

        #expect(state.selectedConversationID == c2)
        let forked = state.transcripts[c2]!
        #expect(forked.map(\.id) == copies)
        #expect(forked.map(\.text) == ["question", "first answer", "follow-up, edited"])
        #expect(forked.map(\.parentID) == [nil, copies[0], copies[1]])
        #expect(forked.allSatisfy { $0.conversationID == c2 })
        #expect(state.conversations[c2]?.title == state.conversations[c1]?.title)
        #expect(effects == [.createConversation(state.conversations[c2]!, messages: forked)])
        #expect(Self.path(state).count == 4)

        #expect(
            state.run(.forkRequested(c1, messageID: reply(3), fork: c3, messageIDs: copies, now: at(9_100))).isEmpty)
        #expect(state.notice == .idInUse("f1"))
    }

    @Test("a saved tree opens on the branch chosen last, else the newest, whatever order its messages come in")
    func loadedTree() {
        var state = Self.edited()
        state.run(.branchChosen(c1, messageID: user(2), now: at(5_000)))
        let all = state.transcripts[c1]! + state.otherBranches[c1]!
        var opened = ChatState()
        opened.run(
            .listLoaded([state.conversations[c1]!], statuses: [:]), .transcriptLoaded(c1, messages: all.reversed()))
        #expect(opened.transcripts[c1]?.map(\.id) == [user(1), reply(1), user(2), reply(2)])
        #expect(opened.otherBranches[c1]?.map(\.id).sorted() == [reply(3), user(3)])
    }
}

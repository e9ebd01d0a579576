import ParleyCore
import Testing

/// Compacting a conversation: the model writes a summary as a reply, and later requests send it in
/// place of everything before it; nothing is deleted.
@Suite("Compacting a conversation")
struct ChatStateCompactionTests {
    static func compact(in id: ConversationID, _ n: Int, now: Timestamp) -> ChatAction {
        .compactRequested(id, userMessageID: user(n), replyMessageID: reply(n), sessionID: session(n), now: now)
    }

    static func started(_ effects: [ChatEffect]) -> StreamStart? {
        effects.lazy.compactMap { if case .startStream(let start) = $0 { start } else { nil } }.first
    }

    /// c1 with a system prompt and two answered turns.
    static func twoTurns() -> ChatState {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000), systemPrompt: "Be brief."))
        state.run(Chat.send("one", in: c1, 1, now: at(2_000)))
        state.run(Chat.replied(1, "answer one", now: at(2_500)))
        state.run(Chat.send("two", in: c1, 2, now: at(3_000)))
        state.run(Chat.replied(2, "answer two", now: at(3_500)))
        return state
    }

    @Test("the summary is asked for with the whole conversation, the instruction last, and no tools")
    func asked() throws {
        var state = ChatState()
        state.run(.toolsListed(ChatStateToolLoopTests.catalog, maxRounds: 5))
        state.run(Chat.newConversation(c1, now: at(1_000), systemPrompt: "Be brief."))
        let offered = try #require(Self.started(state.run(Chat.send("one", in: c1, 1, now: at(2_000)))))
        #expect(!offered.request.tools.isEmpty, "a turn is offered the tools")
        state.run(Chat.replied(1, "answer one", now: at(2_500)))
        state.run(Chat.send("two", in: c1, 2, now: at(3_000)))
        state.run(Chat.replied(2, "answer two", now: at(3_500)))
        let start = try #require(Self.started(state.run(Self.compact(in: c1, 3, now: at(4_000)))))
        #expect(
            start.request.messages == [
                ChatMessage(.user, "one"), ChatMessage(.assistant, "answer one"), ChatMessage(.user, "two"),
                ChatMessage(.assistant, "answer two"), ChatMessage(.user, Compaction.instruction),
            ])
        #expect(start.request.system == "Be brief.")
        #expect(start.request.tools.isEmpty)
        #expect(state.last(in: c1)?.compaction == .summary)
        #expect(state.transcripts[c1]?.dropLast().last?.compaction == .request)
    }

    @Test("once the summary is written, later requests send it instead of the turns before it, which stay")
    func replaced() throws {
        var state = Self.twoTurns()
        state.run(Self.compact(in: c1, 3, now: at(4_000)))
        state.run(Chat.replied(3, "They counted to two.", now: at(4_500)))
        let start = try #require(Self.started(state.run(Chat.send("three", in: c1, 4, now: at(5_000)))))
        #expect(start.request.messages == [ChatMessage(.user, "three")])
        #expect(
            start.request.system
                == "Be brief.\n\nA summary of the earlier part of this conversation, which it replaces:\n\n"
                + "They counted to two.")
        #expect(state.transcripts[c1]?.count == 8, "every message is kept")
    }

    @Test("nothing new to summarize is refused; a summary that failed is never sent, and the turns go whole")
    func refusedAndFailed() throws {
        var state = Self.twoTurns()
        state.run(Self.compact(in: c1, 3, now: at(4_000)))
        state.run(Chat.replied(3, "Summary.", now: at(4_500)))
        #expect(state.run(Self.compact(in: c1, 4, now: at(4_600))).isEmpty)
        #expect(state.notice == .nothingToCompact(c1))

        var failed = Self.twoTurns()
        failed.run(Self.compact(in: c1, 3, now: at(4_000)))
        failed.run(.streamFailed(session(3), ProviderError(.server, "500"), ReplyTiming(), now: at(4_100)))
        let start = try #require(Self.started(failed.run(Chat.send("three", in: c1, 4, now: at(5_000)))))
        #expect(start.request.messages.map(\.content) == ["one", "answer one", "two", "answer two", "three"])
        #expect(start.request.system == "Be brief.")
    }

    @Test("compacting again folds the last summary in: it goes in the instructions, with the turns since")
    func again() throws {
        var state = Self.twoTurns()
        state.run(Self.compact(in: c1, 3, now: at(4_000)))
        state.run(Chat.replied(3, "First summary.", now: at(4_500)))
        state.run(Chat.send("three", in: c1, 4, now: at(5_000)))
        state.run(Chat.replied(4, "answer three", now: at(5_500)))
        let start = try #require(Self.started(state.run(Self.compact(in: c1, 5, now: at(6_000)))))
        #expect(start.request.messages.map(\.content) == ["three", "answer three", Compaction.instruction])
        #expect(start.request.system?.hasSuffix("First summary.") == true)
    }
}

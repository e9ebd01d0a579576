import ParleyCore
import Testing

@Suite("Compare: one prompt to several models, their replies streaming side by side as branches")
struct ChatStateComparingTests {
    /// c1 (openai gpt-4o, "Be brief."), already answered once: "question" → "first answer".
    static func answered() -> ChatState { ChatStateBranchesTests.answered() }

    /// Column n: reply r<n> streamed by session s<n>.
    static func column(_ n: Int, _ provider: String, _ model: String, baseURL: String? = nil) -> Comparison.Reply {
        Comparison.Reply(
            provider: provider, model: model, baseURL: baseURL, replyMessageID: reply(n), sessionID: session(n))
    }

    static let columns = [
        column(2, "openai", "gpt-4o"), column(3, "anthropic", "claude-sonnet-4-5"),
        column(4, "ollama", "llama3.2:3b", baseURL: "http://127.0.0.1:11434"),
    ]

    static func compare(_ replies: [Comparison.Reply] = columns, now: Timestamp = at(3_000)) -> ChatAction {
        .compareRequested(c1, text: "which is best?", userMessageID: user(2), replies: replies, now: now)
    }

    @Test("each model gets the same context, its own request and reply; one is on the path, the others beside it")
    func startsEveryColumn() {
        var state = Self.answered()

        let effects = state.run(Self.compare())

        let context = [
            ChatMessage(.user, "question"), ChatMessage(.assistant, "first answer"),
            ChatMessage(.user, "which is best?"),
        ]
        let starts = effects.compactMap { effect -> StreamStart? in
            if case .startStream(let start) = effect { start } else { nil }
        }
        #expect(
            starts.map { [$0.sessionID.rawValue, $0.provider, $0.model, $0.request.model] } == [
                ["s2", "openai", "gpt-4o", "gpt-4o"], ["s3", "anthropic", "claude-sonnet-4-5", "claude-sonnet-4-5"],
                ["s4", "ollama", "llama3.2:3b", "llama3.2:3b"],
            ])
        #expect(starts.allSatisfy { $0.request.messages == context && $0.request.system == "Be brief." })
        #expect(starts.allSatisfy { $0.request.tools.isEmpty })
        #expect(starts.last?.baseURL == "http://127.0.0.1:11434")
        // Saved first: the user's message, then every reply, before any stream starts.
        #expect(effects.savedMessages.map(\.id) == [user(2), reply(2), reply(3), reply(4)])

        // The first column is the path, chosen, so the conversation read again opens on it.
        let shown = state.last(in: c1)!
        #expect(shown.id == reply(2))
        #expect(shown.chosenAt == at(3_000))
        #expect(shown.parentID == user(2))
        let all = state.transcripts[c1]! + state.otherBranches[c1]!
        #expect(ConversationTree.split(all.reversed()).path.map(\.id) == state.transcripts[c1]!.map(\.id))
        #expect(state.siblings(of: shown).map(\.id) == [reply(2), reply(3), reply(4)])
        #expect(state.comparisons[c1]?.replies == Self.columns)
        #expect(state.hasLiveReply(c1))
        #expect(state.run(Chat.send("too soon", in: c1, 9, now: at(3_050))) == [])
        #expect(state.notice == .replyInProgress(c1))
    }

    @Test("the columns stream at once: each batch lands in its own reply, on the path or off it")
    func columnsStreamTogether() {
        var state = Self.answered()
        state.run(Self.compare())

        state.run(
            Chat.batch(3, [.text("Claude ")], now: at(3_100)), Chat.batch(2, [.text("GPT ")], now: at(3_110)),
            Chat.batch(4, [.text("Llama ")], now: at(3_120)), Chat.batch(3, [.text("says hi")], now: at(3_130)))

        let replies = (state.transcripts[c1]! + state.otherBranches[c1]!).filter { $0.parentID == user(2) }
        #expect(
            Dictionary(uniqueKeysWithValues: replies.map { ($0.model!, $0.text) }) == [
                "gpt-4o": "GPT ", "claude-sonnet-4-5": "Claude says hi", "llama3.2:3b": "Llama ",
            ])
        #expect(replies.allSatisfy { $0.status == .streaming })
    }

    @Test("one column fails, one is cancelled alone, one finishes: each ends as itself and the others go on")
    func columnsEndApart() {
        var state = Self.answered()
        state.run(Self.compare())
        state.run(Chat.batch(2, [.text("partial")], now: at(3_100)))

        state.run(.streamFailed(session(3), ProviderError(.auth, "bad key"), ReplyTiming(), now: at(3_200)))
        let cancel = state.run(.sessionCancelRequested(session(2)))
        #expect(cancel.first == .cancelStream(session(2)))
        state.run(.streamCancelled(session(2), ReplyTiming(), now: at(3_300)))
        #expect(state.hasLiveReply(c1))
        state.run(Chat.replied(4, "llama wins", now: at(3_400)))

        let replies = Dictionary(
            uniqueKeysWithValues: (state.transcripts[c1]! + state.otherBranches[c1]!).map { ($0.id, $0) })
        #expect(replies[reply(2)]?.status == .cancelled)
        #expect(replies[reply(2)]?.text == "partial")
        #expect(replies[reply(3)]?.status == .failed)
        #expect(replies[reply(3)]?.error?.message == "bad key")
        #expect(replies[reply(4)]?.status == .complete)
        #expect(!state.hasLiveReply(c1))
        #expect(state.comparisons[c1] != nil)
    }

    @Test("Esc cancels every column at once")
    func cancelAll() {
        var state = Self.answered()
        state.run(Self.compare())
        let effects = state.run(.cancelRequested(c1))
        #expect(
            effects.filter { if case .cancelStream = $0 { true } else { false } } == [
                .cancelStream(session(2)), .cancelStream(session(3)), .cancelStream(session(4)),
            ])
    }

    @Test("picking a column: its branch is the path, chosen and saved, its model the conversation's, the rest stop")
    func pickWinner() {
        var state = Self.answered()
        state.run(Self.compare())
        state.run(Chat.replied(3, "claude's answer", now: at(3_400)))
        state.run(Chat.batch(4, [.text("still going")], now: at(3_450)))

        let effects = state.run(.comparePicked(c1, messageID: reply(3), now: at(3_500)))

        #expect(state.last(in: c1)?.id == reply(3))
        #expect(state.last(in: c1)?.chosenAt == at(3_500))
        #expect(effects.contains(.cancelStream(session(4))))
        #expect(effects.contains(.cancelStream(session(2))))
        #expect(state.conversations[c1]?.provider == "anthropic")
        #expect(state.conversations[c1]?.model == "claude-sonnet-4-5")
        #expect(state.comparisons[c1] == nil)
        #expect(
            effects.contains {
                if case .persistConversation(let row, _) = $0 { row == state.conversations[c1]! } else { false }
            })

        // The conversation goes on from the picked reply, with its model; the others stay as branches.
        state.run(.streamCancelled(session(2), ReplyTiming(), now: at(3_550)))
        state.run(.streamCancelled(session(4), ReplyTiming(), now: at(3_560)))
        let next = state.run(Chat.send("go on", in: c1, 5, now: at(4_000)))
        let start = next.compactMap { effect -> StreamStart? in
            if case .startStream(let start) = effect { start } else { nil }
        }.first
        #expect(start?.provider == "anthropic")
        #expect(
            start?.request.messages.suffix(2) == [
                ChatMessage(.assistant, "claude's answer"), ChatMessage(.user, "go on"),
            ])
        #expect(state.siblings(of: state.transcripts[c1]![3]).map(\.id) == [reply(2), reply(3), reply(4)])
    }

    @Test("read again, the conversation opens on the picked reply")
    func pickedStaysChosen() {
        var state = Self.answered()
        state.run([Self.compare()] + Chat.replied(2, "a", now: at(3_100)) + Chat.replied(3, "b", now: at(3_100)))
        state.run(Chat.replied(4, "c", now: at(3_100)))
        state.run(.comparePicked(c1, messageID: reply(2), now: at(3_500)))
        let all = state.transcripts[c1]! + state.otherBranches[c1]!
        #expect(ConversationTree.split(all.reversed()).path.map(\.id) == state.transcripts[c1]!.map(\.id))
    }

    @Test("refused: one model, five models, an id in use, a reply that is not compared; nothing changes")
    func refusals() {
        var state = Self.answered()
        let before = state
        state.run(Self.compare([Self.columns[0]]))
        #expect(state.notice == .compareModelCount(1))
        let five = (2...6).map { Self.column($0, "openai", "m\($0)") }
        state.run(Self.compare(five))
        #expect(state.notice == .compareModelCount(5))
        state.run(Self.compare([Self.column(2, "openai", "a"), Self.column(2, "openai", "b")]))
        #expect(state.notice == .idInUse("s2"))
        state.run(Self.compare([Self.column(1, "openai", "a"), Self.column(2, "openai", "b")]))
        #expect(state.notice == .idInUse("r1"))
        state.run(.comparePicked(c1, messageID: reply(1), now: at(3_000)))
        #expect(state.notice == .notCompared(reply(1)))
        var unchanged = state
        unchanged.run(.noticeDismissed)
        var expected = before
        expected.run(.noticeDismissed)
        #expect(unchanged == expected)
    }

    @Test("the next turn, or deleting compared branches down to one, ends the comparison")
    func comparisonEnds() {
        var state = Self.answered()
        state.run([Self.compare(Array(Self.columns.prefix(2)))] + Chat.replied(2, "a", now: at(3_100)))
        state.run(Chat.replied(3, "b", now: at(3_100)))
        var deleting = state
        let shown = deleting.last(in: c1)!.id
        deleting.run(.branchDeleteRequested(c1, messageID: shown))
        #expect(deleting.comparisons[c1] == nil)

        state.run(Chat.send("next", in: c1, 5, now: at(4_000)))
        #expect(state.comparisons[c1] == nil)
    }
}

import ParleyCore
import Testing

@Suite("Streaming: batches grow the reply; the stream's end decides how it ended; stale results are dropped")
struct ChatStateStreamingTests {
    /// c1 with "question" sent at 2 000 and its reply pending (session s1).
    static func sent() -> ChatState {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)), Chat.send("question", in: c1, 1, now: at(2_000)))
        return state
    }

    @Test("a reply keeps text, thinking, redacted count, tool calls, model, usage, stop reason and timings")
    func completeReply() {
        var state = Self.sent()
        let call = ToolCall(id: "call_1", name: "search", arguments: #"{"q":"rust"}"#)
        let usage = Usage(inputTokens: 12, outputTokens: 40, reasoningTokens: 8)

        let first = state.run(
            Chat.batch(
                1, [.start(model: "gpt-4o-2024-08-06"), .thinking("Borrowing"), .text("A lifetime")], now: at(2_300)))
        #expect(first.isEmpty)
        #expect(state.last(in: c1)?.status == .streaming)

        state.run(
            Chat.batch(
                1,
                [
                    .thinking(" first."), .redactedThinking, .text(" is a scope."), .toolCall(call), .usage(usage),
                    .stop(StopReason(.endTurn, raw: "stop")),
                ], now: at(2_600)))
        let effects = state.run(
            .streamFinished(
                session(1), ReplyTiming(timeToFirstToken: .milliseconds(310), duration: .milliseconds(620)),
                now: at(2_700)))

        let expected = Message(
            id: reply(1), conversationID: c1, role: .assistant, status: .complete, text: "A lifetime is a scope.",
            thinking: "Borrowing first.", redactedThinking: 1, toolCalls: [call], createdAt: at(2_000),
            provider: "openai", model: "gpt-4o-2024-08-06", usage: usage, stopReason: StopReason(.endTurn, raw: "stop"),
            timeToFirstToken: .milliseconds(310), duration: .milliseconds(620), thinkingDuration: .milliseconds(300),
            parentID: user(1))
        #expect(state.last(in: c1) == expected)
        #expect(state.conversations[c1]?.updatedAt == at(2_700))
        #expect(effects == [.persistConversation(state.conversations[c1]!, messages: [expected])])
        #expect(state.sessions.isEmpty)
        #expect(state.status(of: c1) == .idle)
    }

    @Test("thinking time runs from the request to the first text, or to the end when no text came")
    func thinkingTime() {
        var state = Self.sent()
        state.run(Chat.batch(1, [.thinking("Hmm")], now: at(2_400)))
        #expect(state.last(in: c1)?.thinkingDuration == nil)
        state.run(Chat.batch(1, [.thinking(" yes"), .text("Answer")], now: at(3_500)))
        state.run(Chat.batch(1, [.text(" more")], now: at(3_900)))
        #expect(state.last(in: c1)?.thinkingDuration == .milliseconds(1_500))

        var thinkingOnly = Self.sent()
        thinkingOnly.run(Chat.batch(1, [.thinking("Hmm")], now: at(2_400)))
        thinkingOnly.run(.streamCancelled(session(1), ReplyTiming(), now: at(4_000)))
        #expect(thinkingOnly.last(in: c1)?.thinkingDuration == .milliseconds(2_000))

        var noThinking = Self.sent()
        noThinking.run(Chat.batch(1, [.text("Hi")], now: at(2_400)))
        noThinking.run(.streamFinished(session(1), ReplyTiming(), now: at(2_500)))
        #expect(noThinking.last(in: c1)?.thinkingDuration == nil)
    }

    @Test(
        "every kind of stream failure keeps the partial text and marks the reply failed with the error",
        arguments: ProviderError.Kind.allCases.filter { $0 != .cancelled })
    func failures(kind: ProviderError.Kind) {
        var state = Self.sent()
        state.run(Chat.batch(1, [.text("partial")], now: at(2_300)))
        let error = ProviderError(kind, "went wrong", status: 500)
        state.run(.streamFailed(session(1), error, ReplyTiming(timeToFirstToken: .milliseconds(300)), now: at(2_400)))
        let failed = state.last(in: c1)
        #expect(failed?.status == .failed)
        #expect(failed?.text == "partial")
        #expect(failed?.error == error)
        #expect(failed?.timeToFirstToken == .milliseconds(300))
        #expect(state.status(of: c1) == .failed)
        #expect(state.sessions.isEmpty)
    }

    struct Ending: Sendable, CustomTestStringConvertible {
        var name: String
        var events: [StreamEvent]
        var end: ChatAction
        var status: Message.Status
        var error: ProviderError?
        var stopReason: StopReason?
        var testDescription: String { name }
    }

    static let endings: [Ending] = [
        Ending(
            name: "an error event mid-stream fails the reply even though the stream finished",
            events: [.text("part"), .error(ProviderError(.overloaded, "busy")), .stop(StopReason(.error))],
            end: Chat.finished(1, now: at(3_000)), status: .failed, error: ProviderError(.overloaded, "busy"),
            stopReason: StopReason(.error)),
        Ending(
            name: "a stream that finishes without a stop is a failure, never a silent complete",
            events: [.text("part")], end: Chat.finished(1, now: at(3_000)), status: .failed,
            error: ProviderError(.protocol, "the reply ended without saying it was complete")),
        Ending(
            name: "a stop saying cancelled ends the reply cancelled",
            events: [.text("part"), .stop(StopReason(.cancelled))], end: Chat.finished(1, now: at(3_000)),
            status: .cancelled, stopReason: StopReason(.cancelled)),
        Ending(
            name: "a stop for the length limit is complete, with the reason kept",
            events: [.text("part"), .stop(StopReason(.maxTokens, raw: "length"))],
            end: Chat.finished(1, now: at(3_000)),
            status: .complete, stopReason: StopReason(.maxTokens, raw: "length")),
        Ending(
            name: "a failure of kind cancelled is a cancellation",
            events: [.text("part")],
            end: .streamFailed(session(1), ProviderError(.cancelled, "cancelled"), ReplyTiming(), now: at(3_000)),
            status: .cancelled, stopReason: StopReason(.cancelled)),
        Ending(
            name: "a timeout before any text fails the reply with the timeout",
            events: [],
            end: .streamFailed(
                session(1), ProviderError(.timeout, "no first byte in 30 s"), ReplyTiming(), now: at(3_000)),
            status: .failed, error: ProviderError(.timeout, "no first byte in 30 s")),
        Ending(
            name: "a cancelled stream keeps its partial text",
            events: [.text("part")], end: .streamCancelled(session(1), ReplyTiming(), now: at(3_000)),
            status: .cancelled, stopReason: StopReason(.cancelled)),
    ]

    @Test("how the stream ended decides the reply's status", arguments: endings)
    func ending(_ ending: Ending) {
        var state = Self.sent()
        if !ending.events.isEmpty { state.run(Chat.batch(1, ending.events, now: at(2_500))) }
        let effects = state.run(ending.end)
        let last = state.last(in: c1)!
        #expect(last.status == ending.status)
        #expect(last.error == ending.error)
        #expect(last.stopReason == ending.stopReason)
        #expect(last.text == (ending.events.isEmpty ? "" : "part"))
        #expect(effects.savedMessages.last == last)
    }

    @Test("Esc shows the reply cancelled at once; text already on its way still lands, and the end saves it")
    func cancel() {
        var state = Self.sent()
        state.run(Chat.batch(1, [.text("Hello")], now: at(2_300)))

        let effects = state.run(.cancelRequested(c1))
        #expect(state.last(in: c1)?.status == .cancelled)
        #expect(effects == [.cancelStream(session(1)), .persistMessage(state.last(in: c1)!)])
        #expect(state.run(.cancelRequested(c1)).isEmpty)
        #expect(state.status(of: c1) == .idle)

        state.run(Chat.batch(1, [.text(", wor")], now: at(2_350)))
        let ended = state.run(.streamCancelled(session(1), ReplyTiming(duration: .milliseconds(350)), now: at(2_400)))
        let cancelled = state.last(in: c1)!
        #expect(cancelled.text == "Hello, wor")
        #expect(cancelled.status == .cancelled)
        #expect(cancelled.stopReason == StopReason(.cancelled))
        #expect(cancelled.duration == .milliseconds(350))
        #expect(ended == [.persistConversation(state.conversations[c1]!, messages: [cancelled])])
        #expect(state.sessions.isEmpty)
    }

    @Test("a stream that completed before the cancel reached it is complete, because it is")
    func cancelRace() {
        var state = Self.sent()
        state.run(.sessionCancelRequested(session(1)))
        state.run(Chat.replied(1, "all of it", now: at(2_500)))
        #expect(state.last(in: c1)?.status == .complete)
        #expect(state.last(in: c1)?.text == "all of it")
    }

    @Test("a cancelled stream that reports finishing without a stop is cancelled, not a protocol failure")
    func cancelThenCutOff() {
        var state = Self.sent()
        state.run(Chat.batch(1, [.text("part")], now: at(2_100)), .cancelRequested(c1))
        state.run(Chat.finished(1, now: at(2_200)))
        #expect(state.last(in: c1)?.status == .cancelled)
        #expect(state.last(in: c1)?.stopReason == StopReason(.cancelled))
        #expect(state.last(in: c1)?.error == nil)
        #expect(state.last(in: c1)?.text == "part")
    }

    @Test("batches and ends for a session that is over, unknown or superseded change nothing")
    func staleResults() {
        var state = Self.sent()
        state.run(Chat.replied(1, "done", now: at(2_500)))
        let before = state
        #expect(state.run(Chat.batch(1, [.text("late")], now: at(2_600))).isEmpty)
        #expect(state.run(Chat.finished(1, now: at(2_700))).isEmpty)
        #expect(state.run(Chat.batch(7, [.text("who?")], now: at(2_700))).isEmpty)
        #expect(
            state.run(.streamFailed(session(7), ProviderError(.network, "x"), ReplyTiming(), now: at(2_700))).isEmpty)
        #expect(state == before)

        // Cancelled, then regenerated before the cancelled stream reported its end: s1 is superseded.
        state.run(Chat.send("again", in: c1, 2, now: at(3_000)), Chat.batch(2, [.text("old")], now: at(3_100)))
        state.run(.cancelRequested(c1))
        state.run(.regenerateRequested(c1, replyMessageID: reply(3), sessionID: session(3), now: at(3_200)))
        let regenerated = state
        #expect(state.run(Chat.batch(2, [.text(" stale")], now: at(3_300))).isEmpty)
        #expect(state.run(.streamCancelled(session(2), ReplyTiming(), now: at(3_400))).isEmpty)
        #expect(state.transcripts == regenerated.transcripts)
        #expect(state.otherBranches[c1]?.last?.text == "old")
        #expect(Array(state.sessions.keys) == [session(3)])
    }

    @Test("a superseded stream's late batch cannot touch its reply even after its branch is chosen again")
    func supersededAfterRestore() {
        var state = Self.sent()
        state.run(Chat.batch(1, [.text("old")], now: at(2_100)), .cancelRequested(c1))
        state.run(.regenerateRequested(c1, replyMessageID: reply(2), sessionID: session(2), now: at(2_200)))
        state.run(Chat.replied(2, "new", now: at(2_300)))
        state.run(.branchChosen(c1, messageID: reply(1), now: at(2_350)))
        #expect(state.last(in: c1)?.id == reply(1))

        #expect(state.run(Chat.batch(1, [.text(" stale")], now: at(2_400))).isEmpty)
        #expect(state.run(Chat.finished(1, now: at(2_500))).isEmpty)
        #expect(state.last(in: c1)?.text == "old")
        #expect(state.last(in: c1)?.status == .cancelled)
        #expect(state.sessions.isEmpty)
    }
}

@Suite("Checkpoints: a streaming reply is saved at least every second")
struct ChatStateCheckpointTests {
    @Test("a batch saves the reply only when a second has passed since its last save (sent at 10 000)")
    func checkpointTiming() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(9_000)), Chat.send("q", in: c1, 1, now: at(10_000)))
        let table: [(now: Int64, saves: Bool)] = [
            (10_300, false), (10_999, false), (11_000, true), (11_500, false), (11_999, false), (12_000, true),
            (13_500, true), (13_501, false), (14_499, false), (14_500, true),
        ]
        var text = ""
        for (now, saves) in table {
            text += "."
            let effects = state.run(Chat.batch(1, [.text(".")], now: at(now)))
            var saved = state.last(in: c1)!
            saved.text = text
            #expect(effects == (saves ? [.persistMessage(saved)] : []), "batch at \(now)")
            #expect(state.last(in: c1)?.text == text)
        }
    }

    @Test("the tick saves text a stalled stream left unsaved, once; the first batch after a stall saves at once")
    func tick() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(9_000)), Chat.send("q", in: c1, 1, now: at(10_000)))
        state.run(Chat.newConversation(c2, now: at(9_000)), Chat.send("q", in: c2, 2, now: at(10_500)))
        state.run(Chat.batch(1, [.text("a")], now: at(10_600)), Chat.batch(2, [.text("b")], now: at(10_700)))

        #expect(state.run(.checkpointTicked(now: at(10_999))).isEmpty)
        #expect(state.run(.checkpointTicked(now: at(11_000))) == [.persistMessage(state.last(in: c1)!)])
        #expect(state.run(.checkpointTicked(now: at(11_499))).isEmpty)
        #expect(state.run(.checkpointTicked(now: at(11_500))) == [.persistMessage(state.last(in: c2)!)])
        #expect(state.run(.checkpointTicked(now: at(20_000))).isEmpty, "nothing new arrived, nothing to save")

        #expect(state.run(Chat.batch(1, [.text("c")], now: at(20_100))) == [.persistMessage(state.last(in: c1)!)])
        #expect(state.run(Chat.batch(1, [.text("d")], now: at(21_099))).isEmpty)
        #expect(state.run(Chat.batch(1, [.text("e")], now: at(21_100))) == [.persistMessage(state.last(in: c1)!)])
        #expect(state.last(in: c1)?.text == "acde")
    }
}

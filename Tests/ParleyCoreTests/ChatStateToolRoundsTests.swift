import ParleyCore
import Testing

/// A reply that calls a tool: round one asks, the results follow as a `tool` message, round two
/// answers; saved and sent again as the APIs need it.
@Suite("Tool rounds in the chat state: results after the reply that asked, then the next round")
struct ChatStateToolRoundsTests {
    static let call = ToolCall(id: "c1", name: "get_current_time", arguments: #"{"timezone":"UTC"}"#)
    static let result = ToolResult(callID: "c1", name: "get_current_time", content: "12:00")

    /// A conversation whose first reply asked for the clock and ended.
    static func askedForTheClock() -> ChatState {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1)), Chat.send("Time?", in: c1, 1, now: at(2)))
        state.run(
            Chat.batch(1, [.text("Checking."), .toolCall(call), .stop(StopReason(.toolUse))], now: at(3)),
            Chat.finished(1, now: at(4)))
        return state
    }

    static func answered(request: ChatRequest, now: Timestamp = at(5)) -> ChatAction {
        .toolRoundAnswered(
            c1, results: [result], resultsMessageID: MessageID("t1"), replyMessageID: reply(2), sessionID: session(2),
            request: request, now: now)
    }

    @Test("the results follow the reply as a tool message whose text is what the tools said; round two streams")
    func nextRound() {
        var state = Self.askedForTheClock()
        let request = ChatRequest(model: "gpt-4o", messages: [ChatMessage(.user, "Time?")])
        let effects = state.run(Self.answered(request: request))

        let messages = state.transcripts[c1] ?? []
        #expect(messages.map(\.role) == [.user, .assistant, .tool, .assistant])
        #expect(messages[1].status == .complete)
        #expect(messages[2].toolResults == [Self.result])
        #expect(messages[2].text == "12:00", "search finds what tools said")
        #expect(messages[3].status == .pending)
        let starts = effects.compactMap { if case .startStream(let start) = $0 { start } else { nil } }
        #expect(starts.map(\.request) == [request], "the round's own request, signatures and all")
        #expect(starts.map(\.sessionID) == [session(2)])
        #expect(
            effects.savedMessages.map(\.id) == [MessageID("t1"), reply(2)], "results first, then the reply under them")
    }

    @Test("continued later, the calls go with the reply and the results as a tool message")
    func contextCarriesTheRound() {
        var state = Self.askedForTheClock()
        state.run(Self.answered(request: ChatRequest(model: "gpt-4o", messages: [])))
        state.run(Chat.replied(2, "It is noon.", now: at(6)))
        let effects = state.run(Chat.send("Thanks", in: c1, 3, now: at(7)))
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(
            request?.messages == [
                ChatMessage(.user, "Time?"),
                ChatMessage(.assistant, parts: [.text("Checking."), .toolCall(Self.call)]),
                ChatMessage(.tool, parts: [.toolResult(Self.result)]),
                ChatMessage(.assistant, "It is noon."),
                ChatMessage(.user, "Thanks"),
            ])
    }

    @Test("continued later, a reply's thinking goes with the calls it led to (unsigned), and with nothing else")
    func contextCarriesThinkingWithCalls() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1)), Chat.send("Time?", in: c1, 1, now: at(2)))
        state.run(
            Chat.batch(
                1,
                [.thinking("Need the clock."), .text("Checking."), .toolCall(Self.call), .stop(StopReason(.toolUse))],
                now: at(3)),
            Chat.finished(1, now: at(4)))
        state.run(Self.answered(request: ChatRequest(model: "gpt-4o", messages: [])))
        state.run(Chat.batch(2, [.thinking("Got it.")], now: at(5)))
        state.run(Chat.replied(2, "It is noon.", now: at(6)))
        let effects = state.run(Chat.send("Thanks", in: c1, 3, now: at(7)))
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(
            request?.messages[1]
                == ChatMessage(
                    .assistant,
                    parts: [.thinking("Need the clock.", signature: nil), .text("Checking."), .toolCall(Self.call)]))
        #expect(request?.messages[3] == ChatMessage(.assistant, "It is noon."), "thinking without calls stays home")
    }

    @Test("calls never answered (the loop was stopped) are not sent: every API refuses them")
    func unansweredCallsLeftOut() {
        var state = Self.askedForTheClock()
        let effects = state.run(Chat.send("Never mind", in: c1, 2, now: at(5)))
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(request?.messages[1] == ChatMessage(.assistant, "Checking."))
    }

    @Test("results for a reply that asked for nothing, or while a reply streams, are refused")
    func refused() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1)), Chat.send("Hi", in: c1, 1, now: at(2)))
        let request = ChatRequest(model: "m", messages: [])
        state.run(Self.answered(request: request))
        #expect(state.notice == .replyInProgress(c1))
        state.run(Chat.replied(1, "Hello.", now: at(3)))
        state.run(Self.answered(request: request))
        #expect(state.notice == .noToolCallsToAnswer(c1))
        #expect(state.transcripts[c1]?.count == 2)
    }
}

import ParleyCore
import Testing

/// A reply over rounds: the model asks for tools, their results go back, it answers.
@Suite("Tool rounds")
struct ToolRoundsTests {
    let question = ChatRequest(model: "m", messages: [ChatMessage(.user, "What time is it in Tokyo?")])
    let clock = ToolCall(id: "c1", name: "get_current_time", arguments: #"{"timezone":"Asia/Tokyo"}"#)

    @Test("a round that asks for tools runs them; their results and the round go back; then the model answers")
    func twoRounds() {
        var rounds = ToolRounds(question)
        rounds.record([.start(model: "m"), .thinking("Need the clock."), .text("Checking."), .toolCall(clock)])
        rounds.record([.usage(Usage(inputTokens: 9, outputTokens: 4)), .stop(StopReason(.toolUse))])
        #expect(rounds.roundEnded(StopReason(.toolUse)) == .runTools([clock]))

        let next = rounds.answered([ToolResult(callID: "c1", name: "get_current_time", content: "21:00")])
        #expect(rounds.round == 2)
        #expect(next.messages.count == 3)
        #expect(
            next.messages[1].parts == [
                .thinking("Need the clock.", signature: nil), .text("Checking."), .toolCall(clock),
            ])
        #expect(
            next.messages[2]
                == ChatMessage(
                    .tool, parts: [.toolResult(ToolResult(callID: "c1", name: "get_current_time", content: "21:00"))]))

        rounds.record([.text("It is 21:00 in Tokyo.")])
        #expect(rounds.roundEnded(StopReason(.endTurn)) == .finished)
        #expect(rounds.request == next, "the last request is the one the answer came from")
    }

    @Test("a reply without tools is one round")
    func oneRound() {
        var rounds = ToolRounds(question)
        rounds.record([.text("Nine.")])
        #expect(rounds.roundEnded(StopReason(.endTurn)) == .finished)
        #expect(rounds.round == 1)
    }

    @Test("calls in a round cut off by the token limit, an error or a cancel are never run")
    func cutOffRound() {
        var rounds = ToolRounds(question)
        rounds.record([.toolCall(clock)])
        for kind in [StopReason.Kind.maxTokens, .error, .cancelled, .contentFilter] {
            #expect(rounds.roundEnded(StopReason(kind)) == .finished, "\(kind)")
        }
        #expect(rounds.roundEnded(StopReason(.endTurn, raw: "stop")) == .runTools([clock]), "Ollama's stop with calls")
    }

    @Test("after the last round allowed, asking for tools again stops the reply, saying how many rounds there were")
    func roundLimit() {
        var rounds = ToolRounds(question, maxRounds: 2)
        rounds.record([.toolCall(clock)])
        #expect(rounds.roundEnded(StopReason(.toolUse)) == .runTools([clock]))
        _ = rounds.answered([ToolResult(callID: "c1", name: "get_current_time", content: "21:00")])
        rounds.record([.toolCall(clock)])
        #expect(rounds.roundEnded(StopReason(.toolUse)) == .roundLimitReached(2))
    }

    @Test("output over the cap is cut at a character's edge and says so; output under it is untouched")
    func cap() {
        let result = ToolResult(callID: "c", name: "t", content: "aé☕b")
        #expect(result.capped(at: 100) == result)
        #expect(result.capped(at: 5).content == "aé\n[output cut at 5 of 7 bytes]", "☕ (3 bytes) would cross the cap")
        #expect(result.capped(at: 6).content == "aé☕\n[output cut at 6 of 7 bytes]")
    }
}

@Suite("Tool consent: nothing runs unless the user allows it")
struct ToolConsentTests {
    @Test("a trusted server's tools run; others are asked about; with no one to ask, refused with a reason")
    func verdicts() {
        let consent = ToolConsent()
        #expect(consent.verdict(server: "time", tool: "now", trusted: true, canAsk: false) == .run)
        #expect(consent.verdict(server: "time", tool: "now", trusted: false, canAsk: true) == .ask)
        guard case .refuse(let reason) = consent.verdict(server: "time", tool: "now", trusted: false, canAsk: false)
        else {
            Issue.record("a call with no one to ask must be refused")
            return
        }
        #expect(reason.contains("--yes"))
    }

    @Test("--yes runs every call without asking")
    func yes() {
        #expect(ToolConsent(allowsAll: true).verdict(server: "s", tool: "t", trusted: false, canAsk: false) == .run)
    }

    @Test("allowed for the conversation: that tool runs from then on, others are still asked about")
    func forConversation() {
        var consent = ToolConsent()
        let runs = consent.record(.forConversation, server: "time", tool: "now")
        #expect(runs)
        #expect(consent.verdict(server: "time", tool: "now", trusted: false, canAsk: true) == .run)
        #expect(consent.verdict(server: "time", tool: "convert", trusted: false, canAsk: true) == .ask)
        #expect(consent.verdict(server: "other", tool: "now", trusted: false, canAsk: true) == .ask)
    }

    @Test("allowed once or refused: nothing is remembered")
    func onceAndRefused() {
        var consent = ToolConsent()
        let once = consent.record(.once, server: "time", tool: "now")
        let refused = consent.record(.refuse, server: "time", tool: "now")
        #expect(once && !refused)
        #expect(consent.verdict(server: "time", tool: "now", trusted: false, canAsk: true) == .ask)
    }
}

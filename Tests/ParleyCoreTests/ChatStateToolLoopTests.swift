import ParleyCore
import Testing

/// The app's tool loop, as the chat state keeps it: tools offered with each request, a round that
/// asks for them waits for the user's consent, the allowed calls run together, and once every
/// call has its result the next round goes on.
@Suite("The tool loop: offered, asked about, run, answered, or stopped")
struct ChatStateToolLoopTests {
    static let clock = OfferedTool(
        definition: ToolDefinition(name: "get_current_time", description: "The time."), server: "time",
        tool: "get_current_time", trusted: false)
    static let search = OfferedTool(
        definition: ToolDefinition(name: "search", description: "Searches."), server: "docs", tool: "search",
        trusted: true)
    static let catalog = ToolCatalog([
        ToolCatalog.Listing(server: "time", trusted: false, tools: [clock.definition]),
        ToolCatalog.Listing(server: "docs", trusted: true, tools: [search.definition]),
    ])
    static let timeCall = ToolCall(id: "c1", name: "get_current_time", arguments: #"{"timezone":"UTC"}"#)
    static let searchCall = ToolCall(id: "c2", name: "search", arguments: #"{"q":"swift"}"#)

    /// A conversation with the tools listed, whose first reply has just ended asking for `calls`.
    static func asked(for calls: [ToolCall], state: ChatState? = nil) -> (ChatState, [ChatEffect]) {
        var state = state ?? ChatState()
        state.run(
            .toolsListed(catalog, maxRounds: 3), Chat.newConversation(c1, now: at(1)),
            Chat.send("Time?", in: c1, 1, now: at(2)))
        state.run(
            Chat.batch(
                1, [.text("Checking.")] + calls.map(StreamEvent.toolCall) + [.stop(StopReason(.toolUse))], now: at(3)))
        let effects = state.run(Chat.finished(1, now: at(4)))
        return (state, effects)
    }

    static func ran(_ effects: [ChatEffect]) -> [ToolInvocation] {
        effects.flatMap { effect -> [ToolInvocation] in
            if case .runTools(_, let calls) = effect { calls } else { [] }
        }
    }

    /// What the app does once the round is answerable: the loop's results, with new ids.
    static func answered(_ n: Int, in state: ChatState, now: Timestamp = at(6)) -> ChatAction {
        .toolRoundAnswered(
            c1, results: state.toolLoops[c1]?.results ?? [], resultsMessageID: MessageID("t\(n)"),
            replyMessageID: reply(n), sessionID: session(n),
            request: nil, now: now)
    }

    @Test("every request offers the listed tools, and the demo's clock only to the demo")
    func offered() {
        var state = ChatState()
        let demoClock = ToolCatalog.Listing(
            server: "parley", trusted: false, tools: [ToolDefinition(name: "clock", description: "")], provider: "demo")
        state.run(
            .toolsListed(
                ToolCatalog([
                    demoClock, ToolCatalog.Listing(server: "time", trusted: false, tools: [Self.clock.definition]),
                ]), maxRounds: 3))
        let effects = state.run(Chat.newConversation(c1, now: at(1)), Chat.send("Time?", in: c1, 1, now: at(2)))
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(request?.tools.map(\.name) == ["get_current_time"])
        #expect(state.toolLoops[c1] != nil)
    }

    @Test("with no tools listed, a request offers none and no loop is kept")
    func noTools() {
        var state = ChatState()
        let effects = state.run(Chat.newConversation(c1, now: at(1)), Chat.send("Time?", in: c1, 1, now: at(2)))
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(request?.tools == [])
        #expect(state.toolLoops.isEmpty)
    }

    @Test("a call waits for consent: nothing runs, the sidebar says so, and nothing else can be sent meanwhile")
    func waitsForConsent() {
        var (state, effects) = Self.asked(for: [Self.timeCall])
        #expect(Self.ran(effects).isEmpty)
        #expect(state.toolLoops[c1]?.awaitingConsent?.call == Self.timeCall)
        #expect(state.status(of: c1) == .waitingForConsent)
        #expect(state.status(of: c1) == .waitingForConsent)
        #expect(state.transcripts[c1]?.last?.status == .complete, "the round itself is over and saved")
        state.run(Chat.send("Hello?", in: c1, 5, now: at(5)))
        #expect(state.notice == .replyInProgress(c1))
    }

    @Test("allowed once, the call runs; its result makes the round answerable; the next round carries it")
    func allowedOnce() {
        var (state, _) = Self.asked(for: [Self.timeCall])
        let effects = state.run(.toolConsentAnswered(c1, callID: "c1", .once, now: at(5)))
        #expect(Self.ran(effects) == [ToolInvocation(call: Self.timeCall, tool: Self.clock)])
        #expect(state.status(of: c1) == .streaming, "a tool running reads as the reply going on")
        #expect(state.answerableToolRounds.isEmpty)

        let result = ToolResult(callID: "c1", name: "get_current_time", content: "12:00", duration: .milliseconds(12))
        state.run(.toolCallFinished(c1, result))
        #expect(state.answerableToolRounds == [c1])
        let next = state.run(Self.answered(2, in: state))
        let messages = state.transcripts[c1] ?? []
        #expect(messages.map(\.role) == [.user, .assistant, .tool, .assistant])
        #expect(messages[2].toolResults == [result])
        let request = next.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(
            request?.messages.suffix(2) == [
                ChatMessage(.assistant, parts: [.text("Checking."), .toolCall(Self.timeCall)]),
                ChatMessage(.tool, parts: [.toolResult(result)]),
            ])
        #expect(request?.tools.map(\.name) == ["get_current_time", "search"], "the tools stay offered")
        #expect(state.answerableToolRounds.isEmpty)

        // Round two answers: the loop is over.
        state.run(Chat.replied(2, "It is noon.", now: at(7)))
        #expect(state.toolLoops[c1] == nil)
        #expect(state.status(of: c1) == .idle)
    }

    @Test("refused, the model is told so and the round is answered without running anything")
    func refused() {
        var (state, _) = Self.asked(for: [Self.timeCall])
        let effects = state.run(.toolConsentAnswered(c1, callID: "c1", .refuse, now: at(5)))
        #expect(Self.ran(effects).isEmpty)
        #expect(
            state.toolLoops[c1]?.results == [
                ToolResult(
                    callID: "c1", name: "get_current_time", content: ToolConsent.refusal("get_current_time"),
                    isError: true)
            ])
        #expect(state.answerableToolRounds == [c1])
    }

    @Test("a trusted server's call runs at once; an untrusted one in the same round waits, and they run together")
    func trustedAndAsked() {
        var (state, effects) = Self.asked(for: [Self.searchCall, Self.timeCall])
        #expect(Self.ran(effects).isEmpty, "calls of a round run together, once none waits")
        #expect(state.toolLoops[c1]?.calls.first { $0.call.id == "c2" }?.status == .allowed)
        let answered = state.run(.toolConsentAnswered(c1, callID: "c1", .once, now: at(5)))
        #expect(Self.ran(answered).map(\.call.id) == ["c2", "c1"])
    }

    @Test("allowed for the conversation, the tool's later calls run without asking; other conversations still ask")
    func allowedForTheConversation() {
        var (state, _) = Self.asked(for: [Self.timeCall])
        state.run(.toolConsentAnswered(c1, callID: "c1", .forConversation, now: at(5)))
        state.run(.toolCallFinished(c1, ToolResult(callID: "c1", name: "get_current_time", content: "12:00")))
        state.run(Self.answered(2, in: state))
        let again = ToolCall(id: "c3", name: "get_current_time", arguments: "{}")
        state.run(Chat.batch(2, [.toolCall(again), .stop(StopReason(.toolUse))], now: at(7)))
        let effects = state.run(Chat.finished(2, now: at(8)))
        #expect(Self.ran(effects).map(\.call) == [again])

        state.run(Chat.newConversation(c2, now: at(9)))
        state.run(Chat.send("And here?", in: c2, 9, now: at(10)))
        state.run(
            Chat.batch(
                9,
                [
                    .toolCall(ToolCall(id: "c9", name: "get_current_time", arguments: "{}")),
                    .stop(StopReason(.toolUse)),
                ], now: at(11)))
        state.run(Chat.finished(9, now: at(12)))
        #expect(state.status(of: c2) == .waitingForConsent)
    }

    @Test("while one conversation waits for consent, another streams, ends and can be sent to")
    func othersGoOn() {
        var (state, _) = Self.asked(for: [Self.timeCall])
        state.run(Chat.newConversation(c2, now: at(5)), Chat.send("Meanwhile?", in: c2, 5, now: at(6)))
        state.run(Chat.batch(5, [.text("Meanwhile, ")], now: at(7)))
        #expect(state.status(of: c2) == .streaming)
        state.run(Chat.replied(5, "this works.", now: at(8)))
        #expect(state.transcripts[c2]?.last?.text == "Meanwhile, this works.")
        #expect(state.transcripts[c2]?.last?.status == .complete)
        #expect(state.status(of: c2) == .idle)
        #expect(state.status(of: c1) == .waitingForConsent, "the question is still there, where it was asked")
        let next = state.run(Chat.send("And now?", in: c2, 6, now: at(9)))
        #expect(next.contains { if case .startStream = $0 { true } else { false } })
    }

    @Test("a call of a tool that was never offered gets an error for the model, and runs nothing")
    func unknownTool() {
        let (state, effects) = Self.asked(for: [ToolCall(id: "c1", name: "rm_rf", arguments: "{}")])
        #expect(Self.ran(effects).isEmpty)
        #expect(state.toolLoops[c1]?.results.first?.isError == true)
        #expect(state.answerableToolRounds == [c1])
    }

    @Test("Esc while a call waits or runs: it stops, the reply ends there, and the conversation can go on")
    func cancelled() {
        var (waiting, _) = Self.asked(for: [Self.timeCall])
        #expect(waiting.run(.cancelRequested(c1)) == [], "nothing runs yet, so nothing to stop")
        #expect(waiting.toolLoops[c1] == nil)
        #expect(waiting.status(of: c1) == .idle)

        var (running, _) = Self.asked(for: [Self.timeCall])
        running.run(.toolConsentAnswered(c1, callID: "c1", .once, now: at(5)))
        #expect(running.run(.cancelRequested(c1)) == [.cancelTools(c1)])
        #expect(
            running.run(.toolCallFinished(c1, ToolResult(callID: "c1", name: "get_current_time", content: "late")))
                == [])
        #expect(running.answerableToolRounds.isEmpty, "a late result starts no round")
        let effects = running.run(Chat.send("Never mind", in: c1, 6, now: at(6)))
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(request?.messages[1] == ChatMessage(.assistant, "Checking."), "the calls nobody answered are not sent")
    }

    @Test("deleting the conversation stops its calls")
    func deleted() {
        var (state, _) = Self.asked(for: [Self.timeCall])
        state.run(.toolConsentAnswered(c1, callID: "c1", .once, now: at(5)))
        #expect(state.run(.deleteRequested(c1)).contains(.cancelTools(c1)))
        #expect(state.toolLoops.isEmpty)
    }

    @Test("after the last round allowed, a round asking for tools again ends the reply and says why")
    func roundLimit() {
        var (state, _) = Self.asked(for: [Self.searchCall])
        for round in 2...3 {
            state.run(.toolCallFinished(c1, ToolResult(callID: "c2", name: "search", content: "found")))
            state.run(Self.answered(round, in: state, now: at(Int64(round * 10))))
            let call = ToolCall(id: "c2", name: "search", arguments: "{}")
            state.run(
                Chat.batch(round, [.toolCall(call), .stop(StopReason(.toolUse))], now: at(Int64(round * 10 + 1))))
            state.run(Chat.finished(round, now: at(Int64(round * 10 + 2))))
        }
        #expect(state.notice == .toolRoundLimitReached(3))
        #expect(state.toolLoops[c1] == nil)
    }

    @Test("a round cut off (an error, a cancel) runs none of the calls it held")
    func cutOff() {
        var state = ChatState()
        state.run(
            .toolsListed(Self.catalog, maxRounds: 3), Chat.newConversation(c1, now: at(1)),
            Chat.send("Time?", in: c1, 1, now: at(2)))
        state.run(Chat.batch(1, [.toolCall(Self.searchCall)], now: at(3)))
        let effects = state.run(.streamFailed(session(1), ProviderError(.network, "reset"), ReplyTiming(), now: at(4)))
        #expect(Self.ran(effects).isEmpty)
        #expect(state.toolLoops.isEmpty)
    }
}

/// A model that will not take tools (Ollama's "does not support tools"): said once, and the
/// conversation's next replies are asked for without them.
@Suite("A model that refuses tools")
struct ChatStateToolsRefusedTests {
    @Test("the refusal names the model; regenerating sends no tools; other conversations still offer them")
    func refused() {
        var state = ChatState()
        state.run(
            .toolsListed(ChatStateToolLoopTests.catalog, maxRounds: 3), Chat.newConversation(c1, now: at(1)),
            Chat.send("Time?", in: c1, 1, now: at(2)))
        let refusal = ProviderError(
            .invalidRequest, "Ollama: registry.ollama.ai/library/gemma:2b does not support tools", status: 400)
        state.run(.streamFailed(session(1), refusal, ReplyTiming(), now: at(3)))
        #expect(state.notice == .toolsRefused(model: "gpt-4o", refusal))
        let again = state.run(.regenerateRequested(c1, replyMessageID: reply(2), sessionID: session(2), now: at(4)))
        let request = again.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(request?.tools == [])
        #expect(state.toolLoops[c1] == nil)

        let other = state.run(Chat.newConversation(c2, now: at(5)), Chat.send("Time?", in: c2, 3, now: at(6)))
        let offered = other.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(offered?.tools.isEmpty == false)
    }

    @Test("what reads as a refusal of tools, and what does not")
    func classification() {
        let refusals = [
            ProviderError(.invalidRequest, "gemma:2b does not support tools", status: 400),
            ProviderError(.invalidRequest, "tools are not supported for this model", status: 422),
            ProviderError(.server, "tools param requires --jinja flag", status: 500),
        ]
        for error in refusals { #expect(error.refusesTools, "\(error.message)") }
        let others = [
            ProviderError(.invalidRequest, "messages: field required", status: 400),
            ProviderError(.server, "tool server exploded", status: 500),
            ProviderError(.auth, "invalid key: does not support anonymous tools", status: 401),
        ]
        for error in others { #expect(!error.refusesTools, "\(error.message)") }
    }
}

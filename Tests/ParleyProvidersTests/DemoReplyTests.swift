import ParleyCore
import ParleyProviders
import Testing

@Suite("The offline demo's reply")
struct DemoReplyTests {
    @Test("it quotes the prompt, thinks first, then answers in Markdown with a code block")
    func shape() throws {
        let events = DemoReply.events(for: "  What is a monad?\nSecond line")
        #expect(events.first == .start(model: "demo"))
        #expect(events.last == .stop(StopReason(.endTurn, raw: "stop")))

        let thinking = events.compactMap { if case .thinking(let piece) = $0 { piece } else { nil } }.joined()
        let text = events.compactMap { if case .text(let piece) = $0 { piece } else { nil } }.joined()
        #expect(thinking.contains("“What is a monad?”"))
        #expect(text.contains("**Parley's demo provider**"))
        #expect(text.contains("```swift\n"))
        #expect(text.contains("OPENAI_API_KEY"))
        let firstText = try #require(events.firstIndex { if case .text = $0 { true } else { false } })
        let lastThinking = try #require(events.lastIndex { if case .thinking = $0 { true } else { false } })
        #expect(lastThinking < firstText)
    }

    @Test("it streams in small pieces, like a model")
    func pieces() {
        let deltas = DemoReply.events(for: "hello").filter { if case .text = $0 { true } else { false } }
        #expect(deltas.count > 30)
    }

    @Test("its usage is marked estimated, since no model counted it")
    func usage() throws {
        let usage = DemoReply.events(for: "hello").compactMap { if case .usage(let u) = $0 { u } else { nil } }
        #expect(usage.count == 1)
        #expect(try #require(usage.first).estimated)
    }

    @Test("an empty or very long prompt is quoted sensibly")
    func quoting() {
        func thinking(_ prompt: String) -> String {
            DemoReply.events(for: prompt).compactMap { if case .thinking(let p) = $0 { p } else { nil } }.joined()
        }
        #expect(thinking("   ").contains("“nothing in particular”"))
        #expect(thinking(String(repeating: "word ", count: 40)).contains("word word…”"))
    }
}

/// The demo's tool round: offered Parley's clock and asked the time, it calls the clock first,
/// then answers with what the clock said.
@Suite("The offline demo's tool round")
struct DemoToolRoundTests {
    static let clock = ToolDefinition(name: "clock", description: "The current date and time, in UTC.")

    @Test("asked the time with the clock offered, the round calls it and ends as a model ends to have tools run")
    func callsTheClock() {
        let chat = ChatRequest(model: "demo", messages: [ChatMessage(.user, "What time is it?")], tools: [Self.clock])
        let events = DemoReply.events(for: chat)
        let calls = events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } }
        #expect(calls == [ToolCall(id: "call_clock_1", name: "clock", arguments: "{}")])
        #expect(events.last == .stop(StopReason(.toolUse, raw: "tool_calls")))
    }

    @Test("without the clock offered, or not asked the time, it answers at once")
    func answersAtOnce() {
        let unoffered = ChatRequest(model: "demo", messages: [ChatMessage(.user, "What time is it?")])
        let unasked = ChatRequest(model: "demo", messages: [ChatMessage(.user, "Hello")], tools: [Self.clock])
        for chat in [unoffered, unasked] {
            #expect(!DemoReply.events(for: chat).contains { if case .toolCall = $0 { true } else { false } })
        }
    }

    @Test("given the clock's result, the answer says what it said; given its failure, that it goes on without")
    func answersWithTheResult() {
        let call = ToolCall(id: "call_clock_1", name: "clock", arguments: "{}")
        func answer(_ result: ToolResult) -> String {
            let chat = ChatRequest(
                model: "demo",
                messages: [
                    ChatMessage(.user, "What time is it?"), ChatMessage(.assistant, parts: [.toolCall(call)]),
                    ChatMessage(.tool, parts: [.toolResult(result)]),
                ], tools: [Self.clock])
            return DemoReply.events(for: chat).compactMap { if case .text(let text) = $0 { text } else { nil } }
                .joined()
        }
        #expect(
            answer(ToolResult(callID: call.id, name: "clock", content: "2026-12-02T20:00:00 UTC")).hasPrefix(
                "The clock tool says it is **2026-12-02T20:00:00 UTC**: that was a tool round"))
        #expect(
            answer(ToolResult(callID: call.id, name: "clock", content: ToolConsent.refusal("clock"), isError: true))
                .hasPrefix("The clock tool did not answer (“the user refused to run clock; nothing was run”)"))
    }
}

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

import ParleyCore
import Testing

@Suite("A batch folds a window's deltas into as few steps as possible, in order")
struct BatchTests {
    @Test("consecutive text joins, consecutive thinking joins, anything else keeps its place")
    func merging() {
        let call = ToolCall(id: "1", name: "f", arguments: "{}")
        let batch = Batch(events: [
            .thinking("Let me "), .thinking("think."), .text("Hello"), .text(", "), .text("world"),
            .toolCall(call), .text("!"), .usage(Usage(inputTokens: 1)), .stop(StopReason(.endTurn)),
        ])
        #expect(
            batch.events == [
                .thinking("Let me think."), .text("Hello, world"), .toolCall(call), .text("!"),
                .usage(Usage(inputTokens: 1)), .stop(StopReason(.endTurn)),
            ])
        #expect(batch.eventCount == 9)
        #expect(batch.endsReply)
    }

    @Test("text after thinking after text is not reordered")
    func interleaving() {
        let batch = Batch(events: [.text("a"), .thinking("b"), .text("c")])
        #expect(batch.events == [.text("a"), .thinking("b"), .text("c")])
        #expect(!batch.endsReply)
    }
}

@Suite("Conversation titles and ids")
struct ConversationTests {
    @Test("the title is the first non-blank line of the first message, trimmed, at most 60 characters")
    func titles() {
        #expect(Conversation.title(from: "\n  How do lifetimes work?  \nMore") == "How do lifetimes work?")
        #expect(Conversation.title(from: "   \n\t") == "Untitled")
        let long = String(repeating: "é", count: 80)
        #expect(Conversation.title(from: long) == String(repeating: "é", count: 59) + "…")
    }

    @Test("ids are ten readable characters and differ")
    func ids() {
        let ids = (0..<1000).map { _ in ConversationID.random() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { $0.rawValue.count == 10 && $0.rawValue.allSatisfy { $0.isLetter || $0.isNumber } })
        // Every place of an id takes every one of the 32 letters (none of the look-alikes i, l, o,
        // u): each place has random bits of its own.
        for place in 0..<10 {
            let letters = Set(ids.map { Array($0.rawValue)[place] })
            #expect(letters == Set("0123456789abcdefghjkmnpqrstvwxyz"), "place \(place)")
        }
    }

    @Test("timestamps add durations in milliseconds")
    func timestamps() {
        let start = Timestamp(millisecondsSince1970: 1_000)
        #expect(start.adding(.milliseconds(1500)) == Timestamp(millisecondsSince1970: 2_500))
        #expect(start.duration(to: Timestamp(millisecondsSince1970: 3_000)) == .seconds(2))
    }
}

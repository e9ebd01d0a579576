import ParleyCore
import Testing

@testable import ParleyProviders

/// What the user sees from content deltas: the answer text and the thinking, each joined.
private struct Seen: Equatable, CustomStringConvertible {
    var text = ""
    var thinking = ""
    var description: String { "text \(text.debugDescription), thinking \(thinking.debugDescription)" }
}

private func seen(_ deltas: [String]) -> Seen {
    var splitter = ThinkTagSplitter()
    var result = Seen()
    for event in deltas.flatMap({ splitter.split($0) }) + splitter.flush() {
        switch event {
        case .text(let piece): result.text += piece
        case .thinking(let piece): result.thinking += piece
        default: Issue.record("unexpected \(event)")
        }
    }
    return result
}

/// `text` cut into two deltas at every character, and into one delta per character.
private func everyCutting(_ text: String) -> [[String]] {
    let characters = text.map(String.init)
    var cuttings = [[text], characters]
    for cut in 1..<characters.count {
        cuttings.append([characters[..<cut].joined(), characters[cut...].joined()])
    }
    return cuttings
}

@Suite("<think> at the start of content goes to the thinking pane")
struct ThinkTagSplitterTests {
    @Test("a reply starting with <think> is split into thinking and answer")
    func thinkAtStart() {
        #expect(seen(["<think>Let me see.</think>The answer."]) == Seen(text: "The answer.", thinking: "Let me see."))
    }

    @Test("whitespace before <think> does not stop it being a tag")
    func whitespaceBeforeTag() {
        #expect(seen(["\n  <think>hm</think>ok"]) == Seen(text: "ok", thinking: "hm"))
        #expect(seen(["\n", " ", "<think>", "hm", "</think>", "ok"]) == Seen(text: "ok", thinking: "hm"))
    }

    @Test(
        "tags split across deltas at every position give the same split",
        arguments: ["<think>a b</think>\n\nAnswer", " <think>\nthought\n</think>ok", "<think></think>x"])
    func splitTags(_ text: String) {
        let whole = seen([text])
        #expect(!whole.thinking.isEmpty || text.contains("<think></think>"))
        for cutting in everyCutting(text) {
            #expect(seen(cutting) == whole, "cut as \(cutting)")
        }
    }

    @Test("text that merely starts like the tag is the answer, all of it")
    func notATag() {
        #expect(seen(["<thi", "s is html"]) == Seen(text: "<this is html"))
        #expect(seen(["<thinking>plan</thinking> go"]) == Seen(text: "<thinking>plan</thinking> go"))
        #expect(seen(["<thi"]) == Seen(text: "<thi"), "held back, then flushed as text at the end")
        #expect(seen(["<", "t", "h", "i", "n", "k", "!"]) == Seen(text: "<think!"))
        #expect(seen(["Hello <think>x</think>"]) == Seen(text: "Hello <think>x</think>"), "only at the start")
    }

    @Test("a tag after the answer has begun is plain text")
    func tagLater() {
        #expect(seen(["Hi", "<think>x</think>"]) == Seen(text: "Hi<think>x</think>"))
    }

    @Test("with no closing tag, the thinking is flushed as thinking when the stream ends")
    func noClosingTag() {
        #expect(seen(["<think>still thinking", " </thi"]) == Seen(thinking: "still thinking </thi"))
    }

    @Test("blank lines between </think> and the answer belong to neither")
    func blankLinesAfterClose() {
        #expect(seen(["<think>t</think>\n\n", "\n", "Answer\n\nmore"]) == Seen(text: "Answer\n\nmore", thinking: "t"))
        #expect(seen(["<think>t</think>\r\n\r\nA"]) == Seen(text: "A", thinking: "t"))
        #expect(seen(["<think>t</think>  A"]) == Seen(text: "  A", thinking: "t"), "spaces are kept: only line ends")
    }

    @Test("a second <think> inside the thinking is thinking text, and the first </think> closes it")
    func nested() {
        #expect(seen(["<think>a <think> b</think>c</think>"]) == Seen(text: "c</think>", thinking: "a <think> b"))
    }

    @Test("characters around the tags survive: emoji, combining marks and CJK")
    func unicode() {
        let text = "<think>e\u{301}😊</think>日本"
        for cutting in everyCutting(text) {
            #expect(seen(cutting) == Seen(text: "日本", thinking: "e\u{301}😊"))
        }
        #expect(
            seen(["<think>x</think>\u{301}y"]) == Seen(text: "\u{301}y", thinking: "x"),
            "a combining mark right after the tag does not hide it")
    }

    @Test("whitespace-only content with no tag is kept as text")
    func whitespaceOnly() {
        #expect(seen([" ", " ", " "]) == Seen(text: "   "))
    }

    @Test("thinking is handed on as it streams, holding back only what may be a closing tag")
    func streamsThinking() {
        var splitter = ThinkTagSplitter()
        #expect(splitter.split("<think>abc") == [.thinking("abc")])
        #expect(splitter.split("de</th") == [.thinking("de")])
        #expect(splitter.split("ink>") == [])
        #expect(splitter.split("\nAnswer") == [.text("Answer")])
        #expect(splitter.flush() == [])
    }
}

import ParleyCore
import Testing

@testable import ParleyTUI

@Suite("Markdown-lite: what a reply's text looks like on screen")
struct MarkdownTests {
    init() { Glyphs.useUTF8Locale() }

    func render(_ text: String, width: Int = 30) -> [Line] {
        var body = MessageBody(width: width, styled: true, appendOnly: true)
        body.update(text)
        return body.lines
    }

    @Test("headings, bold, italic and inline code lose their markers and keep their styles")
    func inline() {
        let lines = render("# Title\nSome **bold**, *italic* and `code`.")
        #expect(lines.map(\.text) == ["Title", "Some bold, italic and code."])
        #expect(lines[0].runs.first?.style == Style(.heading, [.bold, .underline]))
        let styles = Dictionary(lines[1].runs.map { ($0.text, $0.style) }, uniquingKeysWith: { a, _ in a })
        #expect(styles["bold"] == Style(.normal, [.bold]))
        #expect(styles["italic"] == Style(.normal, [.italic]))
        #expect(styles["code"] == Style(.code))
    }

    @Test("a marker that never closes is text, and snake_case stays as written")
    func unclosed() {
        #expect(render("2 * 3 = 6 and **not yet").map(\.text) == ["2 * 3 = 6 and **not yet"])
        #expect(render("call my_var_name now").map(\.text) == ["call my_var_name now"])
    }

    @Test("a very long line is shown as written, so a wall of markers cannot stall a frame")
    func longLine() {
        let wall = String(repeating: "*a ", count: 5_000)
        let lines = render(wall, width: 80)
        #expect(lines.map(\.text).joined(separator: " ").count >= wall.count - 100)
        #expect(lines.allSatisfy { $0.runs.allSatisfy { $0.style == .plain } })
    }

    @Test("a fenced code block is set apart, with its language, and kept verbatim")
    func codeBlock() {
        let lines = render("Look:\n```rust\nfn main() { **x** }\n```\nDone.", width: 24)
        #expect(
            lines.map(\.text) == [
                "Look:", "┌─ rust ────────────────", "│ fn main() { **x** }", "└───────────────────────", "Done.",
            ])
    }

    @Test("a code block's language holding tabs and control characters still fits its rule (found by the fuzzer)")
    func codeLanguageWithTabs() {
        let text = "s]\n```4\0\t\t\t\t says ed, as cks}stem prompts\u{1}\0\0\0\0\n0"
        for width in [10, 40, 82] {
            let lines = render(text, width: width)
            #expect(lines.allSatisfy { Glyphs.width(of: $0.text) <= width }, "at \(width) columns")
            #expect(lines.contains { $0.text.hasPrefix("┌─ 4") })
        }
    }

    @Test(
        "a combining mark after a control character has a base of its own, wherever the reply was cut (found by the fuzzer)"
    )
    func markAfterControl() {
        let text = "words \0\0\0\u{302B}7 and more"
        var whole = MessageBody(width: 19, styled: true, appendOnly: true)
        whole.update(text)
        var growing = MessageBody(width: 19, styled: true, appendOnly: true)
        growing.update("words \0\0\0\u{302B}")
        growing.update(text)
        #expect(growing.lines == whole.lines)
        #expect(
            whole.lines.map(\.text).joined().contains("␀␀␀ \u{302B}7"), "the mark does not join a control's picture")
    }

    @Test("lists get bullets and hanging indents, quotes a bar, rules a line")
    func blocks() {
        let lines = render("- one two three four\n2. second\n> quoted\n---", width: 12)
        #expect(lines.map(\.text) == ["• one two", "  three four", "2. second", "▎ quoted", "────────────"])
    }

    @Test("a deeply indented list item or paragraph, a quote or code in a narrow pane: every line still fits the pane")
    func narrowPane() {
        let text =
            String(repeating: " ", count: 30) + "- an item with words\n> quoted words here\n```\nlet x = 1\n```\n"
            + String(repeating: " ", count: 20) + "indented text"
        for width in 2...12 {
            let lines = render(text, width: width)
            #expect(lines.allSatisfy { $0.width <= width }, "at \(width): \(lines.map(\.text))")
            #expect(lines.contains { $0.text.contains("an") }, "the item's text is shown")
        }
    }

    @Test("a streaming reply lays out only what is new: growing text gives the same lines as all at once")
    func incremental() {
        let text = "# Plan\n\nFirst **step**\n```swift\nlet x = 1\n```\n- a\n- b and more words here\nend"
        var growing = MessageBody(width: 16, styled: true, appendOnly: true)
        var prefix = ""
        for character in text {
            prefix.append(character)
            growing.update(prefix)
        }
        #expect(growing.lines == render(text, width: 16))
    }

    @Test("a reply grown in pieces of any size, long lines and newlines anywhere in them, shows what all at once does")
    func grownInPieces() {
        let line = String(repeating: "w1 **w2** `w3` ", count: 200)
        let text = [line, "", "- item", line + line, "```", "code", "```", "end"].joined(separator: "\n")
        var growing = MessageBody(width: 23, styled: true, appendOnly: true)
        var cuts = SeededRandom(seed: 11)
        var end = text.startIndex
        while end < text.endIndex {
            end =
                text.index(end, offsetBy: Int.random(in: 1..<900, using: &cuts), limitedBy: text.endIndex)
                ?? text.endIndex
            let shown = String(text[..<end])
            growing.update(shown)
            #expect(growing.lines == render(shown, width: 23), "at \(shown.utf8.count) bytes")
        }
    }

    @Test(
        "a long unfinished line (one-line JSON, long thinking) is wrapped piece by piece, exactly as all at once",
        arguments: [true, false])
    func longLineGrows(styled: Bool) {
        let word = ["{\"key\":", "\"välue\u{301}\",", "日本語", "\tx", "e\u{301}", "👩\u{200D}👧", "- item"]
        var text = "- a list item that is long: "
        var index = 0
        while text.utf8.count < 6_000 {
            text += word[index % word.count] + (index % 3 == 0 ? " " : "")
            index += 1
        }
        // Grown in random pieces, the unfinished line shows exactly the lines it will have once finished.
        var growing = MessageBody(width: 37, styled: styled, appendOnly: true)
        var shown = ""
        var cuts = SeededRandom(seed: 3)
        var checked = 0
        for character in text {
            shown.append(character)
            guard Int.random(in: 0..<4, using: &cuts) == 0 else { continue }
            growing.update(shown)
            if shown.utf8.count > 2_500, Int.random(in: 0..<20, using: &cuts) == 0 {
                var finished = MessageBody(width: 37, styled: styled, appendOnly: true)
                finished.update(shown + "\n")
                #expect(growing.lines == finished.lines, "at \(shown.utf8.count) bytes")
                checked += 1
            }
        }
        #expect(checked > 5)
    }

    @Test("a long unfinished line under a line held as a table's header: the header above it, then its lines")
    func longLineUnderAHeader() {
        let text = "| A | B |\n" + String(repeating: "words that wrap ", count: 400)
        var growing = MessageBody(width: 30, styled: true, appendOnly: true)
        growing.update(String(text.prefix(3_000)))
        growing.update(text)
        var finished = MessageBody(width: 30, styled: true, appendOnly: true)
        finished.update(text + "\n")
        #expect(growing.lines == finished.lines)
        #expect(growing.lines.first?.text == "| A | B |")
    }

    @Test("a long reply's lines are made when shown, in any order, and are those of laying it all out at once")
    func madeWhenShown() {
        let block = """
            ## Part
            Words that wrap **across** lines in a narrow pane, with `code` and *emphasis* in them.
            ```swift
            let x = 1 // a comment that is long enough to wrap in the pane
            ```
            - a list item that also wraps onto a second line
            > a quote

            """
        let text = String(repeating: block, count: 400) + "an unfinished last line"
        var markdown = MarkdownLayout(width: 24)
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { markdown.layout($0) }
        var body = MessageBody(width: 24, styled: true, appendOnly: true)
        body.update(text)
        #expect(body.lineCount == expected.count)
        // From the end back (more source lines than are kept, so some are made twice), then at random.
        for index in (0..<body.lineCount).reversed() where body.line(index) != expected[index] {
            Issue.record("line \(index) differs")
            return
        }
        var random = SeededRandom(seed: 7)
        for _ in 0..<2_000 {
            let index = Int.random(in: 0..<body.lineCount, using: &random)
            #expect(body.line(index) == expected[index])
        }
    }
}

/// Lists, quotes and links as a reader expects them.
@Suite("Markdown-lite: lists, quotes and links")
struct MarkdownBlockTests {
    init() { Glyphs.useUTF8Locale() }

    func render(_ text: String, width: Int = 40) -> [Line] {
        var body = MessageBody(width: width, styled: true, appendOnly: true)
        body.update(text)
        return body.lines
    }

    @Test("nested lists: a bullet by depth, numbers kept as written, tasks as boxes, hanging indents")
    func lists() {
        let text = """
            - fruit
              - apples that are red and sweet
                - gala
            3. third
            7) seventh
            - [ ] to do
            - [x] done
            """
        #expect(
            render(text, width: 24).map(\.text) == [
                "• fruit", "  ◦ apples that are red", "    and sweet", "    ▪ gala", "3. third", "7) seventh",
                "☐ to do", "☑ done",
            ])
    }

    @Test("quotes nest, each level a bar, and hold lists and headings; an empty quote line keeps its bars")
    func quotes() {
        let lines = render("> said:\n> > a nested quote\n>\n> - a point\n> ## Title", width: 30)
        #expect(lines.map(\.text) == ["▎ said:", "▎ ▎ a nested quote", "▎ ", "▎ • a point", "▎ Title"])
        #expect(lines[1].runs.last?.style == Style(.quote, [.italic]))
        #expect(lines[4].runs.last?.style == Style(.heading, [.bold]))
    }

    @Test("links show their address after their text; autolinks and images too; an unclosed link is text")
    func links() {
        let lines = render(
            "See [the docs](https://example.com/docs) or <https://example.com>.\n![a chart](chart.png)\n[not yet](https://ex",
            width: 80)
        #expect(
            lines.map(\.text) == [
                "See the docs (https://example.com/docs) or https://example.com.", "a chart (chart.png)",
                "[not yet](https://ex",
            ])
        let styles = Dictionary(lines[0].runs.map { ($0.text, $0.style) }, uniquingKeysWith: { a, _ in a })
        #expect(styles["the docs"] == Style(.accent, [.underline]))
        #expect(styles[" (https://example.com/docs)"] == Style(.muted))
        #expect(styles["https://example.com"] == Style(.accent, [.underline]))
    }
}

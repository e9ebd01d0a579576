import ParleyCore
import Testing

@testable import ParleyTUI

/// Markdown tables in a reply, laid out as tables at any pane width, as they stream.
@Suite("Tables: columns from their cells, aligned, wrapped within the pane")
struct TableTests {
    init() { Glyphs.useUTF8Locale() }

    static func render(_ text: String, width: Int) -> [String] {
        var body = MessageBody(width: width, styled: true, appendOnly: true)
        body.update(text, final: true)
        return body.lines.map(\.shownText)
    }

    static let languages = """
        | Language | Typed | Since |
        |:---------|:-----:|------:|
        | Swift | **yes** | 2014 |
        | Python | no | 1991 |
        | Go | yes | 2009 |
        """

    @Test("columns are as wide as their widest cell, aligned as the delimiter row says, inline Markdown kept")
    func aligned() {
        #expect(
            Self.render("Compare:\n" + Self.languages + "\n\nThat is all.", width: 60) == [
                "Compare:",
                "Language │ Typed │ Since",
                "─────────┼───────┼──────",
                "Swift    │  yes  │  2014",
                "Python   │  no   │  1991",
                "Go       │  yes  │  2009",
                "",
                "That is all.",
            ])
        var body = MessageBody(width: 60, styled: true, appendOnly: true)
        body.update(Self.languages)
        #expect(body.lines[0].runs.first?.style == Style(.normal, [.bold]), "the header is bold")
        #expect(body.lines[1].runs.allSatisfy { $0.style == Style(.muted) }, "the rule is muted")
        #expect(body.lines[2].runs.contains { $0.text == "yes" && $0.style == Style(.normal, [.bold]) })
        #expect(body.lines[2].runs.contains { $0.text == " │ " && $0.style == Style(.muted) })
    }

    @Test("in a narrow pane the widest columns share the room and their cells wrap; nothing is wider than the pane")
    func narrow() {
        let table = """
            | Option | What it does |
            |---|---|
            | `--thinking` | shows the model's reasoning as it streams, in its own place |
            | `-a FILE` | attaches a file |
            """
        #expect(
            Self.render(table, width: 34) == [
                "Option     │ What it does",
                "───────────┼──────────────────────",
                "--thinking │ shows the model's",
                "           │ reasoning as it",
                "           │ streams, in its own",
                "           │ place",
                "-a FILE    │ attaches a file",
            ])
        for width in 2...80 {
            #expect(Self.render(table, width: width).allSatisfy { Glyphs.width(of: $0) <= width }, "at \(width)")
        }
    }

    @Test("a cell wider than the pane wraps within its column, its neighbours keep theirs")
    func cellWiderThanThePane() {
        let long = String(repeating: "word ", count: 30).dropLast()
        let lines = Self.render("| # | Text | Ok |\n|--:|---|---|\n| 1 | \(long) | ✓ |", width: 40)
        // Columns 1, 31 and 2 wide: the pane's 40 less two gaps.
        #expect(lines[0] == "# │ Text" + String(repeating: " ", count: 27) + " │ Ok")
        #expect(lines[2] == "1 │ " + String(repeating: "word ", count: 6).dropLast() + "   │ ✓")
        #expect(lines.count == 2 + 5)
        #expect(lines.dropFirst(3).allSatisfy { $0.hasPrefix("  │ word") && $0.hasSuffix("│") })
    }

    @Test("CJK and emoji cells are measured in columns: two a character")
    func wideCells() {
        #expect(
            Self.render("| 都市 | 人口 |\n|---|--:|\n| 東京 | 1400万 |\n| Party 🎉 | 2.1M |", width: 40) == [
                "都市     │   人口",
                "─────────┼───────",
                "東京     │ 1400万",
                "Party 🎉 │   2.1M",
            ])
    }

    @Test("as on GitHub: a row with too few cells gets empty ones, cells past the header's are left out, \\| is a pipe")
    func ragged() {
        #expect(
            Self.render("a | b | c\n--|--|--\n1\n1 | 2 | 3 | 4\nx \\| y | z", width: 40) == [
                "a     │ b │ c", "──────┼───┼──", "1     │   │", "1     │ 2 │ 3", "x | y │ z │",
            ])
    }

    @Test("a delimiter row that does not match its header, or a pipe in prose, is text")
    func notTables() {
        #expect(
            Self.render("a | b\n--|--|--\ncats | dogs\nplain text", width: 40) == [
                "a | b", "--|--|--", "cats | dogs", "plain text",
            ])
    }

    @Test("a blank line or another block ends a table; a list item after it is a list item")
    func tableEnds() {
        #expect(
            Self.render("| a |\n|---|\n| 1 |\n- item\n| b |\n|---|\n\nafter", width: 40) == [
                "a", "─", "1", "• item", "b", "─", "", "after",
            ])
    }

    @Test("streamed a character at a time, a reply with tables and code shows at every prefix what it shows whole")
    func everyPrefix() {
        let reply = """
            # Results
            | Model | Score | Notes |
            |:--|--:|:-:|
            | a | 1 | short |
            | bee | 22 | a much longer note that wraps in a narrow pane |
            | 日本語 | 333 | **bold** and `code` |
            ```python
            def f(x):
                '''doc
                string'''
                return x  # done
            ```
            Name | Value
            ---- | -----
            k | v
            > quoted
            """
        for width in [13, 31, 80] {
            var growing = MessageBody(width: width, styled: true, appendOnly: true)
            var prefix = ""
            for character in reply {
                prefix.append(character)
                growing.update(prefix)
                var whole = MessageBody(width: width, styled: true, appendOnly: true)
                whole.update(prefix)
                guard growing.lines == whole.lines else {
                    Issue.record("at \(width) columns, after \(prefix.count) characters")
                    return
                }
            }
            #expect(growing.lines.allSatisfy { $0.width <= width })
            // Ended, its last row (no newline after it) takes its part in sizing the columns.
            growing.update(reply, final: true)
            var whole = MessageBody(width: width, styled: true, appendOnly: true)
            whole.update(reply + "\n")
            #expect(growing.lines == whole.lines)
        }
    }

    @Test("while a row streams the rows above it stay put; a finished row that widens a column moves them once")
    func noJumps() {
        let rows = ["| Name | Note |", "|---|---|", "| a | b |", "| cc | a longer note |"]
        var body = MessageBody(width: 40, styled: true, appendOnly: true)
        // While the delimiter row is written, the header is already a table's.
        body.update(rows[0] + "\n|-")
        #expect(body.lines.map(\.shownText) == ["Name │ Note", "─────┼─────"])
        body.update(rows[0...2].joined(separator: "\n") + "\n")
        let above = body.lines.map(\.shownText)
        #expect(above == ["Name │ Note", "─────┼─────", "a    │ b"])
        var text = rows[0...2].joined(separator: "\n") + "\n"
        for character in rows[3] {
            text.append(character)
            body.update(text)
            #expect(Array(body.lines.map(\.shownText).prefix(3)) == above, "after \(text.count) characters")
        }
        body.update(text + "\n")
        #expect(
            body.lines.map(\.shownText) == ["Name │ Note", "─────┼──────────────", "a    │ b", "cc   │ a longer note"])
    }

    @Test("a table's columns are sized by its first ten thousand rows; a wider cell after them wraps in its column")
    func sizedByItsFirstRows() {
        let rows = String(repeating: "| 1000 | ok |\n", count: TableLines.sizingRows)
        let text = "| N | Note |\n|---|---|\n" + rows + "| last | a note longer than the column |\n"
        let lines = Self.render(text, width: 40)
        #expect(lines[1] == "─────┼─────", "sized by the first rows")
        #expect(
            Array(lines.suffix(9)) == [
                "1000 │ ok", "last │ a", "     │ note", "     │ long", "     │ er", "     │ than", "     │ the",
                "     │ colu", "     │ mn",
            ])
        // One row sooner, it widens the column for every row.
        let sooner = Self.render(
            "| N | Note |\n|---|---|\n" + rows.split(separator: "\n").dropLast().map { $0 + "\n" }.joined()
                + "| last | a note longer than the column |\n", width: 40)
        #expect(sooner[1] == "─────┼──────────────────────────────")
        #expect(sooner.last == "last │ a note longer than the column")
    }
}

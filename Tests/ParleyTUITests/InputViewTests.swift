import ParleyCore
import Testing

@testable import ParleyTUI

/// The message editor with a long message in it: the pane shows the rows around the caret, and
/// a frame costs what it shows, however much was pasted.
@Suite("The message editor with a long message")
struct InputViewTests {
    static func texts(_ rows: [Line]) -> [String] { rows.map(\.text) }

    @Test("thirty lines: the caret's row and the seven before it, the caret at the end of the last")
    func caretAtTheEnd() {
        Glyphs.useUTF8Locale()
        let editor = InputEditor((0..<30).map { "line \($0)" }.joined(separator: "\n"))
        let (rows, caret) = InputView.rows(editor, width: 40)
        #expect(Self.texts(rows) == (22..<30).map { "  line \($0)" })
        #expect(caret == Frame.Position(row: 7, column: 9))
    }

    @Test("the caret near the top: the message's first rows, the prompt on the first")
    func caretNearTheTop() {
        Glyphs.useUTF8Locale()
        var editor = InputEditor((0..<30).map { "line \($0)" }.joined(separator: "\n"))
        for _ in 0..<27 { _ = editor.moveUp() }
        editor.moveToLineStart()
        let (rows, caret) = InputView.rows(editor, width: 40)
        #expect(Self.texts(rows) == ["> line 0"] + (1..<8).map { "  line \($0)" })
        #expect(caret == Frame.Position(row: 2, column: 2))
    }

    @Test("one long line wraps; the caret past a full row goes to the next")
    func wrapping() {
        Glyphs.useUTF8Locale()
        let editor = InputEditor(String(repeating: "x", count: 100))
        let (rows, caret) = InputView.rows(editor, width: 22)
        #expect(
            Self.texts(rows) == ["> " + String(repeating: "x", count: 20)]
                + Array(repeating: "  " + String(repeating: "x", count: 20), count: 4) + ["  "])
        #expect(caret == Frame.Position(row: 5, column: 2))
    }

    @Test("a paste that would make the message longer than it may be is refused whole, and said")
    func tooLong() {
        var app = App()
        app.type("keep this")
        app.send(.pasted(String(repeating: "a", count: InputEditor.capacity)))
        #expect(app.state.editor.text == "keep this")
        #expect(app.state.hint == "Not pasted: a message holds at most 2,000,000 characters.")
    }

    @Test("a pasted file of 100,000 lines: its last lines show, with the caret after them")
    func bigPaste() {
        var app = App(width: 100, height: 40)
        app.send(.pasted((1...100_000).map { "row \($0)" }.joined(separator: "\n")))
        let screen = app.screen
        #expect(screen.contains("row 100000"))
        #expect(screen.contains("row 99993"))
        #expect(!screen.contains("row 99992"), "eight rows, the caret's last")
    }
}

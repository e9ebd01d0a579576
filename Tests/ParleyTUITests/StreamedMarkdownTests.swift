import Testing

@testable import ParleyTUI

/// `parley ask` on a terminal: a reply's Markdown made light as it streams.
@Suite("Markdown made light for a terminal, as it streams")
struct StreamedMarkdownTests {
    typealias Piece = StreamedMarkdown.Piece

    /// The pieces of `text` fed whole, then flushed, with neighbours of one look joined.
    static func light(_ parts: [String]) -> [Piece] {
        var markdown = StreamedMarkdown()
        return joined(parts.flatMap { markdown.feed($0) } + markdown.flush())
    }

    static func joined(_ pieces: [Piece]) -> [Piece] {
        var result: [Piece] = []
        for piece in pieces where !piece.text.isEmpty {
            if let last = result.last, last.look == piece.look {
                result[result.count - 1].text += piece.text
            } else {
                result.append(piece)
            }
        }
        return result
    }

    @Test("headings and **bold** lose their markers and turn bold; `code` is set apart")
    func inline() {
        #expect(
            Self.light(["# Why the sky is blue\nLight **scatters** off `N2` molecules.\n"]) == [
                Piece("Why the sky is blue", .bold), Piece("\nLight ", .plain), Piece("scatters", .bold),
                Piece(" off ", .plain), Piece("N2", .code), Piece(" molecules.\n", .plain),
            ])
    }

    @Test("a fenced block keeps its fences (muted) and its code verbatim, markers and all")
    func fencedCode() {
        #expect(
            Self.light(["Try:\n```swift\nlet a = b ** 2 // `x`\n# not a heading\n```\nDone.\n"]) == [
                Piece("Try:\n", .plain), Piece("```swift", .muted), Piece("\n", .plain),
                Piece("let a = b ** 2 // `x`", .code), Piece("\n", .plain), Piece("# not a heading", .code),
                Piece("\n", .plain), Piece("```", .muted), Piece("\nDone.\n", .plain),
            ])
    }

    @Test("list items get bullets, quotes a bar; what only looks like markup stays as written")
    func lines() {
        #expect(
            Self.light(["- one\n* two\n> quoted\n#hashtag, 2 * 3, a_b, ---\n"]) == [
                Piece("• ", .muted), Piece("one\n", .plain), Piece("• ", .muted), Piece("two\n", .plain),
                Piece("│ ", .muted), Piece("quoted\n#hashtag, 2 * 3, a_b, ---\n", .plain),
            ])
    }

    @Test("bold left open ends with its line; a reply ending mid-marker shows the marker")
    func unclosed() {
        #expect(
            Self.light(["**never closed\nplain", " *"]) == [
                Piece("never closed", .bold), Piece("\nplain *", .plain),
            ])
        #expect(Self.light(["##"]) == [Piece("##", .plain)])
    }

    @Test("cut anywhere, as a stream is, the reply looks the same as whole")
    func everySplit() {
        let reply =
            "## Plan\n\nFirst **do** this, then `that`:\n\n- a **b**\n> c\n```\ncode ** here\n```\n  ~~~py\nx\n  ~~~\nend*"
        let whole = Self.light([reply])
        for offset in 0...reply.count {
            let cut = reply.index(reply.startIndex, offsetBy: offset)
            #expect(Self.light([String(reply[..<cut]), String(reply[cut...])]) == whole, "cut at \(offset)")
        }
        #expect(Self.light(reply.map { String($0) }) == whole, "a character at a time")
    }
}

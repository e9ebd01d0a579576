// libFuzzer target: the transcript's Markdown and wrapping, and `ask`'s streamed Markdown. Any text at any width from 2 columns
// (a wide glyph's): never a crash, no line wider than the pane, and a reply laid out as it grows
// (in pieces) exactly as when it arrives whole. Built and run by Fuzz/build and Fuzz/run (see
// Fuzz/README.md).

@testable import ParleyTUI

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard input.count >= 2 else { return 0 }
    Glyphs.useUTF8Locale()
    let width = Int(input[0]) % 119 + 2
    let styled = input[1] & 1 == 0
    let text = String(decoding: input.dropFirst(2), as: UTF8.self)

    var whole = MessageBody(width: width, styled: styled, appendOnly: true)
    whole.update(text)
    for line in whole.lines where Glyphs.width(of: line.text) > width {
        fatalError("a line of \(Glyphs.width(of: line.text)) columns in a pane of \(width): \(line.text)")
    }
    // Grown in 2 to 9 pieces cut where the control byte says, as a streaming reply grows batch by batch.
    var growing = MessageBody(width: width, styled: styled, appendOnly: true)
    let characters = text.count
    let pieces = Int(input[1] >> 1) % 8 + 2
    for piece in 1...pieces {
        let upTo = piece == pieces ? characters : characters * piece / pieces + Int(input[1]) % 7
        let end = text.index(text.startIndex, offsetBy: min(upTo, characters))
        growing.update(String(text[..<end]))
    }
    if growing.lines != whole.lines { fatalError("grown in \(pieces) pieces at width \(width): different lines") }

    // `parley ask` on a terminal: the same text made light as it streams, in the same pieces,
    // shows exactly the same as when it arrives whole.
    var streamed = StreamedMarkdown()
    var asItCame: [StreamedMarkdown.Piece] = []
    var start = text.startIndex
    for piece in 1...pieces {
        let upTo = piece == pieces ? characters : characters * piece / pieces + Int(input[1]) % 7
        let end = text.index(text.startIndex, offsetBy: min(upTo, characters))
        if end > start { asItCame += streamed.feed(String(text[start..<end])) }
        start = max(start, end)
    }
    asItCame += streamed.flush()
    var atOnce = StreamedMarkdown()
    if joined(asItCame) != joined(atOnce.feed(text) + atOnce.flush()) {
        fatalError("made light in \(pieces) pieces: different from whole")
    }
    return 0
}

/// Neighbouring pieces of one look as one: where a stream is cut does not change what is shown.
private func joined(_ pieces: [StreamedMarkdown.Piece]) -> [StreamedMarkdown.Piece] {
    var result: [StreamedMarkdown.Piece] = []
    for piece in pieces where !piece.text.isEmpty {
        if let last = result.last, last.look == piece.look {
            result[result.count - 1].text += piece.text
        } else {
            result.append(piece)
        }
    }
    return result
}

extension MessageBody {
    /// Every display line, made now.
    fileprivate var lines: [Line] { (0..<lineCount).map(line) }
}

/// A fenced code block of a message's Markdown, found in its source text the way
/// `MarkdownLayout` finds it (a line starting, after spaces, with ``` or ~~~ opens one and the
/// next such line closes it), so what copy mode selects is what the transcript set apart.
struct FencedCode: Equatable, Sendable {
    /// The first word of the opening fence's info string ("swift"), nil when there is none.
    var language: String?
    /// UTF-8 offsets in the message's text: the opening fence's line start, the code (its lines,
    /// without the fences or the newline before the closing fence), and the closing fence's line
    /// start (nil while the block is still open: the code runs to the end).
    var opening: Int
    var code: Range<Int>
    var closing: Int?

    /// The blocks of `text`, in order.
    static func blocks(in text: String) -> [FencedCode] {
        var blocks: [FencedCode] = []
        var open: (language: String?, opening: Int, codeStart: Int)?
        var offset = 0
        // Split at newline bytes, as the layout splits: "\r\n" is one Character, but two lines' end.
        for bytes in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = Substring(bytes)
            let length = bytes.count
            let trimmed = line.drop { $0 == " " }
            if MarkdownLayout.isFence(trimmed) {
                if let block = open {
                    // The newline before the closing fence ends the last line of code, and is not copied.
                    let end = max(block.codeStart, offset - 1)
                    blocks.append(
                        FencedCode(
                            language: block.language, opening: block.opening, code: block.codeStart..<end,
                            closing: offset))
                    open = nil
                } else {
                    let info = trimmed.dropFirst(3).split(whereSeparator: { $0 == " " || $0 == "\t" }).first
                    open = (info.map(String.init), offset, min(text.utf8.count, offset + length + 1))
                }
            }
            offset += length + 1
        }
        if let block = open {
            blocks.append(
                FencedCode(
                    language: block.language, opening: block.opening, code: block.codeStart..<text.utf8.count,
                    closing: nil))
        }
        return blocks
    }

    /// The code as written in `text`, which it was found in.
    func source(in text: String) -> String {
        let utf8 = text.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: code.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: code.upperBound)
        return String(text[start..<end])
    }
}

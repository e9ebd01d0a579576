import ParleyTUI

/// Where one reply's printing goes: straight to the console, or held while the replies before it
/// are printed (`parley ask --compare` shows each reply whole, one after another, while all of
/// them stream at once).
struct AskOutput {
    private enum Piece {
        case output(String)
        case styled([StreamedMarkdown.Piece])
        case error(String, dimmed: Bool)
    }

    /// What waits to be printed; nil once the output is live.
    private var held: [Piece]?

    /// `live`: printed as it comes; otherwise held until `release()`.
    init(live: Bool = true) {
        held = live ? nil : []
    }

    mutating func output(_ text: String) {
        if held != nil { held!.append(.output(text)) } else { Console.output(text) }
    }

    mutating func output(_ pieces: [StreamedMarkdown.Piece]) {
        if held != nil { held!.append(.styled(pieces)) } else { Console.output(pieces) }
    }

    mutating func error(_ text: String, dimmed: Bool = false) {
        if held != nil { held!.append(.error(text, dimmed: dimmed)) } else { Console.error(text, dimmed: dimmed) }
    }

    /// A passing status line ("thinking… 120 tokens"): only live, since held it would be stale.
    func status(_ text: String?) {
        if held == nil { Console.status(text) }
    }

    /// Prints what was held, in order; from now on everything is printed as it comes.
    mutating func release() {
        for piece in held ?? [] {
            switch piece {
            case .output(let text): Console.output(text)
            case .styled(let pieces): Console.output(pieces)
            case .error(let text, let dimmed): Console.error(text, dimmed: dimmed)
            }
        }
        held = nil
    }
}

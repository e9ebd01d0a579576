import ParleyCore

/// What copy mode has chosen: a message of the open conversation, or one of its code blocks.
public struct CopySelection: Equatable, Sendable {
    /// The message's index in the transcript.
    public var message: Int
    /// The chosen code block and its place among the message's (nil: the whole message).
    var block: FencedCode?
    var blockIndex = 0
    var blockCount = 0
}

extension AppState {
    /// Enters copy mode on the focused message (the transcript's cursor, else the last reply).
    mutating func enterCopyMode(layout: TranscriptLayout) -> [AppEffect] {
        let transcript = chat.selectedTranscript
        guard !transcript.isEmpty else {
            show("Nothing to copy yet.")
            return []
        }
        let message =
            messageCursor.flatMap { transcript.indices.contains($0) ? $0 : nil }
            ?? transcript.lastIndex { $0.role == .assistant } ?? transcript.count - 1
        select(CopySelection(message: message), layout: layout)
        return []
    }

    /// Copy mode's own keys (like a prompt's, not rebindable): j/k or ↑/↓ move between messages,
    /// Tab/Shift-Tab between code blocks, Enter or y copies and leaves, Esc leaves.
    mutating func copyModeKey(_ key: Key, selection: CopySelection, layout: TranscriptLayout) -> [AppEffect] {
        let transcript = chat.selectedTranscript
        guard transcript.indices.contains(selection.message) else {
            mode = .normal
            return []
        }
        switch key {
        case .escape, .character("q"):
            mode = .normal
        case .enter, .character("y"):
            mode = .normal
            let message = transcript[selection.message]
            guard let block = selection.block else {
                return copy(message.text, what: message.role == .user ? "your message" : "message")
            }
            let language = block.language.map { ", \(ControlPicture.safe($0))" } ?? ""
            return copy(block.source(in: message.text), what: "code block\(language)")
        case .down, .character("j"), .up, .character("k"):
            let step = key == .down || key == .character("j") ? 1 : -1
            let index = min(transcript.count - 1, max(0, selection.message + step))
            select(CopySelection(message: index), layout: layout)
        case .home, .character("g"):
            select(CopySelection(message: 0), layout: layout)
        case .end, .character("G"):
            select(CopySelection(message: transcript.count - 1), layout: layout)
        case .tab, .character("n"):
            moveToBlock(from: selection, forward: true, layout: layout)
        case .backTab, .character("p"):
            moveToBlock(from: selection, forward: false, layout: layout)
        case .pageUp, .pageDown:
            page(up: key == .pageUp, layout: layout)
        default:
            break
        }
        return []
    }

    /// The next (or previous) code block, in this message or the nearest one with any.
    private mutating func moveToBlock(from selection: CopySelection, forward: Bool, layout: TranscriptLayout) {
        let transcript = chat.selectedTranscript
        let here = FencedCode.blocks(in: transcript[selection.message].text)
        let inHere = selection.block == nil ? (forward ? 0 : -1) : selection.blockIndex + (forward ? 1 : -1)
        if here.indices.contains(inHere) {
            return select(
                CopySelection(
                    message: selection.message, block: here[inHere], blockIndex: inHere, blockCount: here.count),
                layout: layout)
        }
        let others =
            forward
            ? Array(transcript.indices.suffix(from: selection.message + 1))
            : Array(transcript.indices.prefix(upTo: selection.message).reversed())
        for index in others {
            let blocks = FencedCode.blocks(in: transcript[index].text)
            guard let choice = forward ? blocks.indices.first : blocks.indices.last else { continue }
            return select(
                CopySelection(message: index, block: blocks[choice], blockIndex: choice, blockCount: blocks.count),
                layout: layout)
        }
        show(forward ? "No code block further down." : "No code block further up.")
    }

    /// Chooses `selection` and scrolls it into view.
    private mutating func select(_ selection: CopySelection, layout: TranscriptLayout) {
        mode = .copying(selection)
        let view = TranscriptViewport(state: self, layout: layout)
        let message = view.messages[selection.message]
        let line =
            selection.block.map {
                layout.lines(
                    of: message, width: view.width, spaced: selection.message > 0,
                    unfolded: view.isUnfolded(selection.message), fromText: $0.opening, through: $0.closing
                ).lowerBound
            } ?? 0
        reveal(message: selection.message, line: line, layout: layout)
    }

    /// Puts `text` on the clipboard the one way it goes, and says so with a count. Control
    /// characters go as pictures: pasted into a shell, they would be replayed as keys.
    mutating func copy(_ text: String, what: String? = nil) -> [AppEffect] {
        guard !text.isEmpty else {
            show("Nothing to copy.")
            return []
        }
        if case .unavailable(let why) = defaults.clipboard {
            show("Not copied: \(why)")
            return []
        }
        let safe = ControlPicture.safe(text)
        show("Copied \(Figures.grouped(safe.count)) characters\(what.map { " (\($0))" } ?? "").")
        return [.copy(safe, via: defaults.clipboard)]
    }
}

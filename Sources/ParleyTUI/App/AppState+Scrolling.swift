import ParleyCore

extension AppState {
    /// Where everything goes at the current size. The thinking pane is there while it is switched on
    /// and the conversation has any reasoning, whichever message is focused (so it does not come and
    /// go as the cursor moves), as tall as the focused message's reasoning needs.
    public func screenLayout(_ layout: TranscriptLayout) -> ScreenLayout {
        let bare = ScreenLayout(
            size: size, sidebarFocused: focus == .sidebar || isSearching, thinkingLines: nil, inputLines: 1)
        let inputLines = InputView.rows(editor, width: bare.input.width).rows.count
        var thinkingLines: Int?
        if showsThinkingPane {
            thinkingLines =
                focusedMessage.map { layout.thinkingLineCount(of: $0, width: ThinkingView.textWidth(bare.transcript)) }
                ?? 0
        }
        return ScreenLayout(
            size: size, sidebarFocused: focus == .sidebar || isSearching, thinkingLines: thinkingLines,
            inputLines: inputLines)
    }

    /// The pane is switched on and there is reasoning in this conversation to show in it.
    var showsThinkingPane: Bool { showThinking && chat.selectedTranscript.contains { $0.hasThinking } }

    var isSearching: Bool {
        if case .searching = mode { true } else { false }
    }

    func messageContext() -> MessageContext {
        let defaults = defaults
        let chat = chat
        let calls = chat.selectedConversationID.flatMap { chat.toolLoops[$0]?.calls } ?? []
        let baseURL = selectedConversation?.baseURL
        return MessageContext(
            now: now, spinner: spinner, providerLabel: { defaults.label($0) },
            cost: { message in
                guard let usage = message.usage, let provider = message.provider, let model = message.model else {
                    return nil
                }
                return defaults.pricing.pricing(provider: provider, baseURL: baseURL)
                    .cost(of: usage, provider: provider, model: model)
            },
            toolRuns: Dictionary(calls.map { ($0.call.id, $0.status) }, uniquingKeysWith: { first, _ in first }),
            summarized: summarized,
            branch: { message in
                let siblings = chat.siblings(of: message)
                guard siblings.count > 1, let place = siblings.firstIndex(where: { $0.id == message.id }) else {
                    return nil
                }
                return (place + 1, siblings.count)
            })
    }

    /// ↑/↓ (j/k): the sidebar's cursor, the transcript's message cursor, or the thinking pane.
    mutating func move(by step: Int, layout: TranscriptLayout) {
        switch focus {
        case .sidebar:
            let order = chat.order
            guard !order.isEmpty else { return }
            let index = sidebarCursor.flatMap { order.firstIndex(of: $0) } ?? 0
            sidebarCursor = order[min(order.count - 1, max(0, index + step))]
            keepSidebarCursorVisible()
        case .transcript:
            let count = chat.selectedTranscript.count
            guard count > 0 else { return }
            let cursor = min(count - 1, max(0, (messageCursor ?? count - 1) + step))
            messageCursor = cursor
            thinkingTop = nil
            reveal(message: cursor, layout: layout)
        case .thinking:
            thinkingTop = max(0, (thinkingTop ?? thinkingLineCount(layout: layout)) + step)
        case .input:
            break
        }
    }

    /// PgUp/PgDn scroll the focused pane by a page (the transcript unless the sidebar or
    /// thinking pane has focus).
    mutating func page(up: Bool, layout: TranscriptLayout) {
        let screen = screenLayout(layout)
        switch focus {
        case .sidebar:
            let rows = max(1, (screen.sidebar?.height ?? 3) - 2)
            move(by: up ? -rows : rows, layout: layout)
        case .thinking:
            let rows = max(1, (screen.thinking?.height ?? 1) - 1)
            scrollThinking(by: up ? -rows : rows, layout: layout)
        case .transcript, .input:
            let rows = max(1, screen.transcript.height - 1)
            scroll(by: up ? -rows : rows, layout: layout)
        }
    }

    mutating func jump(toTop: Bool, layout: TranscriptLayout) {
        switch focus {
        case .sidebar:
            sidebarCursor = toTop ? chat.order.first : chat.order.last
            keepSidebarCursorVisible()
        case .thinking:
            thinkingTop = toTop ? 0 : nil
        case .transcript, .input:
            if toTop {
                transcriptScroll = .anchored(message: 0, line: 0)
                if focus == .transcript, !chat.selectedTranscript.isEmpty { messageCursor = 0 }
            } else {
                transcriptScroll = .tail
                if focus == .transcript { messageCursor = chat.selectedTranscript.indices.last }
            }
        }
    }

    /// Moves the transcript's top by `delta` lines; reaching the end follows the tail again.
    mutating func scroll(by delta: Int, layout: TranscriptLayout) {
        let transcript = chat.selectedTranscript
        guard !transcript.isEmpty else { return }
        let view = TranscriptViewport(state: self, layout: layout)
        var (message, line) = view.top
        line += delta
        while line < 0 && message > 0 {
            message -= 1
            line += view.lineCount(message)
        }
        if line < 0 { line = 0 }
        while message < transcript.count - 1 && line >= view.lineCount(message) {
            line -= view.lineCount(message)
            message += 1
        }
        transcriptScroll = view.isAtEnd(message: message, line: line) ? .tail : .anchored(message: message, line: line)
    }

    /// Scrolls just enough that message `index`'s first line is in view.
    private mutating func reveal(message index: Int, layout: TranscriptLayout) {
        let view = TranscriptViewport(state: self, layout: layout)
        let (topMessage, topLine) = view.top
        if index < topMessage || (index == topMessage && topLine > 0) {
            transcriptScroll = view.isAtEnd(message: index, line: 0) ? .tail : .anchored(message: index, line: 0)
            return
        }
        // Lines from the view's top to the message's first line.
        var distance = -topLine
        for message in topMessage..<index {
            distance += view.lineCount(message)
            if distance >= view.height { break }
        }
        if distance >= view.height {
            transcriptScroll = view.isAtEnd(message: index, line: 0) ? .tail : .anchored(message: index, line: 0)
        }
    }

    /// Scrolls, when line `line` of message `index` is out of view, so that it shows a third of the
    /// way down (what leads to it above, what follows below): a match found, a block chosen.
    mutating func reveal(message index: Int, line: Int, layout: TranscriptLayout) {
        let view = TranscriptViewport(state: self, layout: layout)
        let (topMessage, topLine) = view.top
        var distance = line - topLine
        if index >= topMessage {
            for message in topMessage..<index {
                distance += view.lineCount(message)
                if distance >= view.height { break }
            }
        }
        guard index < topMessage || distance < 0 || distance >= view.height else { return }
        transcriptScroll = .anchored(message: index, line: line)
        scroll(by: -(view.height / 3), layout: layout)
    }

    /// Keeps the lines in view where they are when the text above them in a message has been
    /// counted: the line that stood for it became many, and the lines below it moved. (A compared
    /// column, or reasoning unfolded in place, may move instead: their scroll is shared, or rare.)
    mutating func keepPlace(_ move: MovedLines, layout: TranscriptLayout) {
        switch move.pane {
        case .transcript:
            let messages = chat.selectedTranscript
            guard case .anchored(let index, let line) = transcriptScroll, messages.indices.contains(index),
                messages[index].id == move.message
            else { return }
            let view = TranscriptViewport(state: self, layout: layout)
            let first = layout.bodyLines(
                of: messages[index], width: view.width, spaced: index > 0, unfolded: view.isUnfolded(index)
            ).lowerBound
            if line > first { transcriptScroll = .anchored(message: index, line: line + move.by) }
        case .thinking:
            if focusedMessage?.id == move.message, let top = thinkingTop, top > 0 { thinkingTop = top + move.by }
        case .unfoldedThinking, .column:
            break
        }
    }

    /// Moves the thinking pane's first line by `delta`: from the first line it shows while it follows
    /// the reasoning.
    mutating func scrollThinking(by delta: Int, layout: TranscriptLayout) {
        let shown = screenLayout(layout).thinking?.height ?? 1
        let top = thinkingTop ?? max(0, thinkingLineCount(layout: layout) - shown)
        thinkingTop = max(0, top + delta)
    }

    /// Moves the sidebar's first row by `delta`, the cursor staying where it is (the next ↑/↓ shows it).
    mutating func scrollSidebar(by delta: Int) {
        sidebarTop = max(0, min(sidebarTop + delta, chat.order.count - sidebarRows))
    }

    private func thinkingLineCount(layout: TranscriptLayout) -> Int {
        guard let message = focusedMessage, let pane = screenLayout(layout).thinking else { return 0 }
        return layout.thinkingLineCount(of: message, width: ThinkingView.textWidth(pane))
    }

    /// How many conversations the sidebar shows at once.
    private var sidebarRows: Int {
        // The sidebar's height does not depend on the panes beside it.
        let sidebar = ScreenLayout(size: size, sidebarFocused: true, thinkingLines: nil, inputLines: 1).sidebar
        return max(1, (sidebar?.height ?? size.height) - 2 - (isSearching ? 2 : 0))
    }

    mutating func keepSidebarCursorVisible() {
        let rows = sidebarRows
        let index = sidebarCursor.flatMap { chat.order.firstIndex(of: $0) } ?? 0
        if index < sidebarTop { sidebarTop = index }
        if index >= sidebarTop + rows { sidebarTop = index - rows + 1 }
        sidebarTop = max(0, min(sidebarTop, max(0, chat.order.count - rows)))
    }
}

/// The transcript pane's geometry for scrolling: which line is at its top, and how many lines
/// each message takes at the pane's width (measured through the layout cache, one message at a
/// time, so scrolling costs what it passes over, not the conversation's length).
struct TranscriptViewport {
    let messages: [Message]
    let layout: TranscriptLayout
    let width: Int
    let height: Int
    let context: MessageContext
    let scroll: TranscriptScroll
    let unfolded: Set<MessageID>

    /// `pane` is the transcript's rectangle when the caller has the screen laid out already.
    init(state: AppState, layout: TranscriptLayout, pane: Rect? = nil) {
        let pane = pane ?? state.screenLayout(layout).transcript
        messages = state.chat.selectedTranscript
        self.layout = layout
        width = ScreenLayout.textWidth(of: pane)
        height = max(1, pane.height)
        context = state.messageContext()
        scroll = state.transcriptScroll
        unfolded = state.unfolded
    }

    func lineCount(_ index: Int) -> Int {
        layout.lineCount(of: messages[index], width: width, spaced: index > 0, unfolded: isUnfolded(index))
    }

    func isUnfolded(_ index: Int) -> Bool { unfolded.contains(messages[index].id) }

    /// The top line as (message, line); for the tail, found by walking back from the end.
    var top: (message: Int, line: Int) {
        guard !messages.isEmpty else { return (0, 0) }
        if case .anchored(let message, let line) = scroll, messages.indices.contains(message) {
            return (message, min(line, max(0, lineCount(message) - 1)))
        }
        var remaining = height
        var index = messages.count - 1
        while true {
            let count = lineCount(index)
            if count >= remaining { return (index, count - remaining) }
            remaining -= count
            if index == 0 { return (0, 0) }
            index -= 1
        }
    }

    /// The message shown `row` lines below the pane's top; nil past the last line.
    func message(atRow row: Int) -> Int? {
        guard row >= 0, !messages.isEmpty else { return nil }
        var (index, line) = top
        var below = row
        while index < messages.count {
            let left = lineCount(index) - line
            if below < left { return index }
            below -= left
            index += 1
            line = 0
        }
        return nil
    }

    /// Whether a view starting at (message, line) shows the conversation's last line.
    func isAtEnd(message: Int, line: Int) -> Bool {
        var shown = -line
        for index in message..<messages.count {
            shown += lineCount(index)
            if shown > height { return false }
        }
        return true
    }
}

import ParleyCore

/// The transcript's laid-out messages, kept between frames (the one cache the views have):
/// a finished message is wrapped once per width; a streaming one grows from where it left off.
/// A message's lines are a blank line (for all but the first), its header, its body and its
/// notes; only the header, a line with a spinner or figures, is made anew each frame.
public final class TranscriptLayout {
    private var bodies: [MessageID: MessageBody] = [:]
    /// Reasoning unfolded in the transcript, at the transcript's width.
    private var unfoldedThoughts: [MessageID: MessageBody] = [:]
    private var thoughts: [MessageID: MessageBody] = [:]
    private var width = 0
    private var thinkingWidth = 0
    /// Bodies with text above their first lines still to count (see `catchUp`).
    private var behind: Set<Behind> = []
    private var comparedColumns: TranscriptLayout?

    private struct Behind: Hashable {
        var message: MessageID
        var cache: Cache
    }

    /// Where a body is kept, and so which pane shows it.
    private enum Cache {
        case bodies, unfoldedThoughts, thoughts

        var pane: MovedLines.Pane {
            switch self {
            case .bodies: .transcript
            case .unfoldedThoughts: .unfoldedThinking
            case .thoughts: .thinking
            }
        }
    }

    public init() {}

    /// Compared replies, laid out at their columns' width: apart, so neither cache is thrown
    /// away for the other's width on every frame.
    var columns: TranscriptLayout {
        if let columns = comparedColumns { return columns }
        let columns = TranscriptLayout()
        comparedColumns = columns
        return columns
    }

    /// How much of the text still to count is counted between two looks at the terminal: about a
    /// millisecond's work in a release build for prose, 20 for a table's rows.
    public static let catchUpSlice = 64 * 1024

    /// Whether a long text's lines above what is shown are still being counted: the loop calls
    /// `catchUp` between frames until they are.
    public var isCatchingUp: Bool { !behind.isEmpty || comparedColumns?.isCatchingUp == true }

    /// Counts about `bytes` more of the text still to count; returns the bodies that are now
    /// whole, each with how far its lines below the line that stood for the text above moved.
    public func catchUp(bytes: Int) -> [MovedLines] {
        guard let next = behind.first else {
            let moved = comparedColumns?.catchUp(bytes: bytes) ?? []
            return moved.map { MovedLines(message: $0.message, pane: .column, by: $0.by) }
        }
        func step(_ bodies: inout [MessageID: MessageBody]) -> Int? {
            guard var body = bodies.removeValue(forKey: next.message) else {
                behind.remove(next)
                return nil
            }
            let moved = body.catchUp(bytes: bytes)
            if !body.isCatchingUp { behind.remove(next) }
            bodies[next.message] = body
            return moved
        }
        let moved: Int? =
            switch next.cache {
            case .bodies: step(&bodies)
            case .unfoldedThoughts: step(&unfoldedThoughts)
            case .thoughts: step(&thoughts)
            }
        return moved.map { [MovedLines(message: next.message, pane: next.cache.pane, by: $0)] } ?? []
    }

    /// Notes a body whose text above is still to count.
    private func track(_ body: MessageBody, of message: MessageID, in cache: Cache) {
        if body.isCatchingUp { behind.insert(Behind(message: message, cache: cache)) }
    }

    /// Lines of `message` at `width`: what the transcript shows and scrolls through. `spaced`
    /// puts a blank line above it, setting it apart from the message before; `unfolded` shows its
    /// reasoning in place, under the "▾ Thought for …" line.
    func lineCount(of message: Message, width: Int, spaced: Bool, unfolded: Bool = false) -> Int {
        (spaced ? 1 : 0) + headerLineCount(message) + unfoldedLineCount(message, width: width, unfolded: unfolded)
            + body(of: message, width: width, unfolded: unfolded).lineCount
            + notes(of: message, width: width, unfolded: unfolded, context: nil).count
    }

    /// Lines `range` of `message` (within 0 ..< lineCount).
    func lines(
        of message: Message, width: Int, context: MessageContext, spaced: Bool, unfolded: Bool = false,
        range: Range<Int>
    ) -> [Line] {
        var above = (spaced ? [Line.empty] : []) + header(message, width: width, context: context, unfolded: unfolded)
        if unfolded && message.hasThinking {
            let thought = unfoldedThinking(of: message, width: width)
            above += (0..<thought.lineCount).map { index in
                Line(
                    [Run("│ ", Style(.thinking))]
                        + thought.line(index).runs.map { Run($0.text, Style(.thinking, [.italic])) })
            }
        }
        let body = body(of: message, width: width, unfolded: unfolded)
        let notes = notes(of: message, width: width, unfolded: unfolded, context: context)
        return range.map { index in
            if index < above.count { return above[index] }
            let inBody = index - above.count
            if inBody < body.lineCount { return body.line(inBody) }
            let inNotes = inBody - body.lineCount
            return inNotes < notes.count ? notes[inNotes] : .empty
        }
    }

    /// Which of `message`'s lines (as `lines` numbers them) show its text: not its header, not its notes.
    func bodyLines(of message: Message, width: Int, spaced: Bool, unfolded: Bool = false) -> Range<Int> {
        let start =
            (spaced ? 1 : 0) + headerLineCount(message) + unfoldedLineCount(message, width: width, unfolded: unfolded)
        return start..<(start + body(of: message, width: width, unfolded: unfolded).lineCount)
    }

    /// The lines showing the source lines from UTF-8 offset `start` of the message's text up to and
    /// including the one at `last` (nil: to the end of its text): a code block from fence to fence.
    func lines(
        of message: Message, width: Int, spaced: Bool, unfolded: Bool = false, fromText start: Int, through last: Int?
    ) -> Range<Int> {
        let body = wholeBody(of: message, width: width, unfolded: unfolded)
        let shift = bodyLines(of: message, width: width, spaced: spaced, unfolded: unfolded).lowerBound
        let first = body.sourceLine(at: start).lines.lowerBound
        let end = last.map { body.sourceLine(at: $0).lines.upperBound } ?? body.lineCount
        return (shift + first)..<(shift + max(first, end))
    }

    /// Where the occurrence of `query` at UTF-8 offset `offset` of the message's text is shown:
    /// its line, and which of the query's occurrences on that line it is (nil when the line shows
    /// it otherwise than written, as Markdown may). Only its source line is looked at.
    func place(
        of query: String, at offset: Int, in message: Message, width: Int, spaced: Bool, unfolded: Bool = false
    ) -> (line: Int, occurrence: Int?) {
        let body = wholeBody(of: message, width: width, unfolded: unfolded)
        let shift = bodyLines(of: message, width: width, spaced: spaced, unfolded: unfolded).lowerBound
        let (start, lines) = body.sourceLine(at: offset)
        let utf8 = body.text.utf8
        guard start <= offset, offset <= utf8.count else { return (shift + lines.lowerBound, nil) }
        let before = body.text[
            utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: offset)]
        var skip = FindText.occurrences(of: query, in: String(before)).count
        for index in lines where index < body.lineCount {
            let shown = FindText.occurrences(of: query, in: body.line(index).text).count
            if skip < shown { return (shift + index, skip) }
            skip -= shown
        }
        return (shift + lines.lowerBound, nil)
    }

    private func body(of message: Message, width: Int, unfolded: Bool = false) -> MessageBody {
        if width != self.width {
            bodies.removeAll()
            unfoldedThoughts.removeAll()
            self.width = width
        }
        // Tools' output is not Markdown: it is shown as it came.
        var body =
            bodies.removeValue(forKey: message.id)
            ?? MessageBody(width: width, styled: message.role == .assistant, appendOnly: message.role == .assistant)
        // A tool message's results are folded to a line each (`notes`), or shown whole.
        body.update(
            message.role == .tool
                ? (unfolded ? Self.output(of: message.toolResults) : "")
                : unfolded ? Self.withFiles(message) : message.text,
            final: message.role == .assistant && message.status != .pending && message.status != .streaming)
        bodies[message.id] = body
        track(body, of: message.id, in: .bodies)
        return body
    }

    /// The body with all its text counted: a place in the text is wanted, which only that knows.
    private func wholeBody(of message: Message, width: Int, unfolded: Bool) -> MessageBody {
        var body = body(of: message, width: width, unfolded: unfolded)
        guard body.isCatchingUp else { return body }
        _ = body.catchUp(bytes: .max)
        bodies[message.id] = body
        behind.remove(Behind(message: message.id, cache: .bodies))
        return body
    }

    /// A user message's text with its text files whole, each under its name.
    private static func withFiles(_ message: Message) -> String {
        ([message.text] + message.attachments.filter { $0.kind == .text }.map { "── \($0.name)\n" + $0.text })
            .filter { !$0.isEmpty }.joined(separator: "\n\n")
    }

    /// Every result's output whole, each under its tool's name.
    private static func output(of results: [ToolResult]) -> String {
        results.map { "── \($0.name)\n" + ($0.content.isEmpty ? "(nothing)" : $0.content) }.joined(separator: "\n\n")
    }

    private func unfoldedLineCount(_ message: Message, width: Int, unfolded: Bool) -> Int {
        unfolded && message.hasThinking ? unfoldedThinking(of: message, width: width).lineCount : 0
    }

    /// Reasoning shown in place, two columns in (its rule and a space).
    private func unfoldedThinking(of message: Message, width: Int) -> MessageBody {
        _ = body(of: message, width: width)  // the same width rule: a new width starts afresh
        var body =
            unfoldedThoughts.removeValue(forKey: message.id)
            ?? MessageBody(width: max(1, width - 2), styled: false, appendOnly: true)
        body.update(message.thinking)
        unfoldedThoughts[message.id] = body
        track(body, of: message.id, in: .unfoldedThoughts)
        return body
    }

    /// The focused reply's reasoning, laid out for the thinking pane at `width`.
    func thinkingLineCount(of message: Message, width: Int) -> Int {
        thinking(of: message, width: width).lineCount
    }

    func thinkingLines(of message: Message, width: Int, range: Range<Int>) -> [Line] {
        let body = thinking(of: message, width: width)
        return range.map { $0 < body.lineCount ? body.line($0) : .empty }
    }

    private func thinking(of message: Message, width: Int) -> MessageBody {
        if width != thinkingWidth {
            thoughts.removeAll()
            thinkingWidth = width
        }
        var body =
            thoughts.removeValue(forKey: message.id) ?? MessageBody(width: width, styled: false, appendOnly: true)
        body.update(message.thinking)
        thoughts[message.id] = body
        track(body, of: message.id, in: .thoughts)
        return body
    }

    /// Lines above the body: the header, and the thinking summary when there was thinking.
    private func headerLineCount(_ message: Message) -> Int {
        message.hasThinking ? 2 : 1
    }

    private func header(_ message: Message, width: Int, context: MessageContext, unfolded: Bool) -> [Line] {
        var lines = [MessageHeader.line(for: message, context: context).truncated(to: width)]
        if message.hasThinking {
            lines.append(
                MessageHeader.thinkingSummary(for: message, context: context, unfolded: unfolded).truncated(to: width))
        }
        return lines
    }

    /// Tool calls, each with how far it has come while its round runs; tool results, a line each
    /// (the tool, whether it worked, how long it took, the start of what it said); the error.
    /// Unfolded, a call shows its whole arguments. `context` nil: only the count is wanted, which
    /// the statuses never change.
    private func notes(of message: Message, width: Int, unfolded: Bool, context: MessageContext?) -> [Line] {
        var lines: [Line] = message.attachments.map { file in
            Line([
                Run("📎 ", Style(.accent)), Run(ControlPicture.safe(file.name), Style(.accent, [.bold])),
                Run(" · \(file.kind.name) · \(Attachment.sizeText(file.size))", Style(.muted)),
            ]).truncated(to: width)
        }
        lines += message.toolResults.map { result in
            let said = ToolText.firstLine(result.content)
            return Line([
                Run(result.isError ? "✗ " : "✓ ", Style(result.isError ? .error : .accent, [.bold])),
                Run(result.name, Style(.accent)),
                Run(result.duration.map { " · " + Figures.milliseconds($0) } ?? "", Style(.muted)),
                Run(" → " + (said ?? "(nothing)"), Style(result.isError ? .error : .muted)),
            ]).truncated(to: width)
        }
        for call in message.toolCalls {
            var line = Line([Run("⚙ ", Style(.accent, [.bold])), Run(call.name, Style(.accent))])
            if let context, let status = context.toolRuns[call.id] {
                for run in ToolCallStatusText.runs(status, context: context) { line.append(run.text, run.style) }
            }
            if unfolded {
                lines.append(line.truncated(to: width))
                for argumentLine in ToolText.unfolded(call.arguments).split(
                    separator: "\n", omittingEmptySubsequences: false)
                {
                    lines += Wrap.lines(
                        [Run(String(argumentLine), Style(.muted))], width: width, firstPrefix: Line("  "),
                        restPrefix: Line("  "))
                }
            } else {
                line.append("  " + ToolText.flattened(call.arguments), Style(.muted))
                lines.append(line.truncated(to: width))
            }
        }
        if let error = message.error, message.status == .failed || message.status == .interrupted {
            lines += Wrap.lines(
                [Run("✗ ", Style(.error, [.bold])), Run(error.message, Style(.error))], width: width,
                restPrefix: Line("  "))
        }
        return lines
    }
}

/// A body whose text above its first lines has been counted: the one line that stood for that
/// text became many, and the lines below it moved by `by`.
public struct MovedLines: Equatable, Sendable {
    public enum Pane: Hashable, Sendable {
        /// The message's text in the transcript.
        case transcript
        /// A reply compared side by side, in its column.
        case column
        /// Its reasoning unfolded in the transcript.
        case unfoldedThinking
        /// Its reasoning in the thinking pane.
        case thinking
    }

    public var message: MessageID
    public var pane: Pane
    public var by: Int
}

/// What a message's header needs besides the message: the clock (for a live reply's elapsed
/// time), the spinner's phase and how providers are called.
struct MessageContext {
    var now: Timestamp
    var spinner: Int
    var providerLabel: (String) -> String
    /// What a reply cost, when it is known.
    var cost: (Message) -> Cost? = { _ in nil }
    /// The open conversation's calls while their round runs, by call id.
    var toolRuns: [String: ToolCallRun.Status] = [:]
    /// Messages a summary replaces in later requests.
    var summarized: Set<MessageID> = []
    /// Where a message with siblings stands among them (1-based) and how many there are.
    var branch: (Message) -> (place: Int, count: Int)? = { _ in nil }
}

extension Message {
    var hasThinking: Bool { !thinking.isEmpty || redactedThinking > 0 }

    /// Enter shows more of it in place: its reasoning, its calls' arguments, its tools' output.
    var canUnfold: Bool {
        hasThinking || !toolCalls.isEmpty || role == .tool || attachments.contains { $0.kind == .text }
    }
}

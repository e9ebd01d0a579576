import ParleyCore

/// How far a tool call has come, after its name in the reply: " · waiting for your consent",
/// " · running 1.2 s ⠋", " · ✓ 12 ms", " · ✗ refused".
enum ToolCallStatusText {
    static func runs(_ status: ToolCallRun.Status, context: MessageContext) -> [Run] {
        switch status {
        case .waitingForConsent:
            return [Run(" · waiting for your consent", Style(.warning, [.bold]))]
        case .allowed:
            return [Run(" · allowed", Style(.muted))]
        case .running(let since):
            let spinner = MessageHeader.spinnerFrames[context.spinner % MessageHeader.spinnerFrames.count]
            return [Run(" · running \(Figures.seconds(since.duration(to: context.now))) \(spinner)", Style(.accent))]
        case .finished(let result) where result.isError:
            let said = ToolText.firstLine(result.content) ?? "failed"
            return [Run(" · ✗ " + said, Style(.error))]
        case .finished(let result):
            return [Run(" · ✓" + (result.duration.map { " " + Figures.milliseconds($0) } ?? ""), Style(.accent))]
        }
    }
}

/// The question a call waiting for consent asks, in the status bar: which tool of which server,
/// with what, and the keys that answer.
enum ConsentPrompt {
    static func line(for question: ToolCallRun, bindings: KeyBindings) -> Line {
        let call = question.call
        let server = question.tool?.server ?? "?"
        let arguments = ToolText.flattened(call.arguments)
        var line = Line("Run \(question.tool?.tool ?? call.name) (\(server))? ", Style(.warning, [.bold]))
        line.append(keys(bindings) + "  ", Style(.accent, [.bold]))
        line.append(arguments, Style(.muted))
        return line
    }

    /// The answers, as the prompt and the hint for other keys say them.
    static func keys(_ bindings: KeyBindings) -> String {
        "y once · a always here · n no" + (bindings.label(.cancelReply).map { " · \($0) stops the reply" } ?? "")
    }
}

/// A tool call's arguments or a tool's output as the transcript glances at them. Only their start
/// is looked at, so a call or an output of megabytes (a model or a server may send one) costs a
/// frame no more than a short one.
enum ToolText {
    /// More than a folded line can show at any width.
    static let glance = 400
    /// The most of a call's arguments shown unfolded.
    static let unfoldedLimit = 16_000

    /// The first line with something on it, at most `glance` characters.
    static func firstLine(_ text: String) -> String? {
        let line = text.drop(while: \.isNewline).prefix(while: { !$0.isNewline }).prefix(glance)
        return line.isEmpty ? nil : String(line)
    }

    /// The start on one line: line breaks and runs of blanks as one space.
    static func flattened(_ text: String) -> String {
        text.prefix(glance).split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Arguments to show whole, or their start and how much there is.
    static func unfolded(_ text: String) -> String {
        guard text.utf8.count > unfoldedLimit else { return text }
        return String(text.prefix(unfoldedLimit)) + "\n… (\(Figures.grouped(text.utf8.count)) bytes in all)"
    }
}

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
            let said = result.content.split(separator: "\n").first.map(String.init) ?? "failed"
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
        let arguments = call.arguments.split(whereSeparator: \.isWhitespace).joined(separator: " ")
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

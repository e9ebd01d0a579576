import ParleyCore

/// The line above each message: who wrote it and how it is going or how it went.
enum MessageHeader {
    static let spinnerFrames = Array("⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏")

    static func line(for message: Message, context: MessageContext) -> Line {
        var line = headline(for: message, context: context)
        if let branch = context.branch(message) {
            line.append(" · ◀ \(branch.place)/\(branch.count) ▶", Style(.accent))
        }
        if context.summarized.contains(message.id) {
            line.append(" · summarized", Style(.muted, [.italic]))
        }
        return line
    }

    private static func headline(for message: Message, context: MessageContext) -> Line {
        var line = Line()
        if message.role == .user {
            line.append("you", Style(.user, [.bold]))
            if message.compaction == .request { line.append(" · compacting the conversation", Style(.accent)) }
            switch message.status {
            case .sending: line.append(" · sending…", Style(.muted))
            case .failed: line.append(" · ✗ not saved", Style(.error))
            default: break
            }
            return line
        }
        if message.role == .tool {
            let count = message.toolResults.count
            line.append("tools", Style(.accent, [.bold]))
            line.append(" · \(count) result\(count == 1 ? "" : "s") sent back", Style(.muted))
            return line
        }
        line.append(message.model.map(Figures.modelName) ?? "assistant", Style(.accent, [.bold]))
        if let provider = message.provider {
            line.append(" · \(context.providerLabel(provider))", Style(.muted))
        }
        if message.reasoning.isExplicit { line.append(" · reasoning \(message.reasoning.name)", Style(.muted)) }
        let spinner = String(spinnerFrames[context.spinner % spinnerFrames.count])
        switch message.status {
        case .pending:
            line.append(" · waiting \(spinner)", Style(.muted))
        case .streaming:
            line.append(" · streaming \(spinner)", Style(.accent))
        case .complete:
            if let usage = message.usage { line.append(" · \(Figures.usage(usage))", Style(.muted)) }
            if let cost = context.cost(message) { line.append(" · \(cost.text)", Style(.muted)) }
            if let duration = message.duration { line.append(" · \(Figures.seconds(duration))", Style(.muted)) }
        case .cancelled:
            line.append(" · cancelled", Style(.warning))
        case .failed:
            line.append(" · ✗ failed", Style(.error, [.bold]))
        case .interrupted:
            line.append(" · interrupted (Parley stopped while it streamed)", Style(.warning))
        case .sending, .sent:
            break
        }
        if message.compaction == .summary, message.status == .complete {
            line.append(" · summary, sent in place of the above", Style(.accent))
        }
        return line
    }

    /// "▸ Thought for 3.2 s (412 tokens)", or how long it has been thinking while it still is;
    /// "▾" when the reasoning is unfolded under it.
    static func thinkingSummary(for message: Message, context: MessageContext, unfolded: Bool = false) -> Line {
        let tokens = Figures.thinkingTokens(message)
        var text = unfolded ? "▾ " : "▸ "
        if message.isLive && message.text.isEmpty {
            let elapsed = message.createdAt.duration(to: context.now)
            text += "Thinking… \(Figures.seconds(elapsed)) (\(tokens))"
        } else if let thought = message.thinkingDuration {
            text += "Thought for \(Figures.seconds(thought)) (\(tokens))"
        } else {
            text += "Thought (\(tokens))"
        }
        if message.redactedThinking > 0 { text += ", \(message.redactedThinking) redacted" }
        return Line(text, Style(.thinking, [.italic]))
    }
}

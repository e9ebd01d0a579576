import ParleyCore
import ParleyStore

/// A saved conversation as people read it: plain text for `parley show`, Markdown for export.
enum TranscriptText {
    static func plain(_ transcript: Transcript, showThinking: Bool, pricing: PricingRules = .presets(.bundled))
        -> String
    {
        let conversation = transcript.conversation
        let pricing = pricing.pricing(provider: conversation.provider, baseURL: conversation.baseURL)
        var out =
            "\(conversation.title)\n\(whereItTalks(conversation)) · \(conversation.id) · "
            + "\(conversation.createdAt.shown)\n"
        if let system = conversation.systemPrompt { out += "\nsystem prompt:\n" + indented(system) }
        for message in transcript.path {
            out += "\n" + header(message, pricing: pricing) + "\n"
            if showThinking, !message.thinking.isEmpty { out += indented(message.thinking) }
            if message.role == .tool {
                for result in message.toolResults {
                    out +=
                        "[\(result.isError ? "tool failed" : "tool result") \(result.name)]\n"
                        + indented(result.content)
                }
            } else if !message.text.isEmpty {
                out += message.text.hasSuffix("\n") ? message.text : message.text + "\n"
            }
            for attachment in message.attachments {
                out += "[attached: \(label(attachment, name: ControlPicture.oneLine(attachment.name)))]\n"
            }
            for call in message.toolCalls { out += "[tool call \(call.name)(\(call.arguments))]\n" }
            if let note = note(message) { out += "[\(note)]\n" }
        }
        return out
    }

    /// With `files`, each attachment links to its file there (an image is shown); without, it is
    /// named.
    static func markdown(_ transcript: Transcript, files: ExportFiles?, pricing: PricingRules = .presets(.bundled))
        -> String
    {
        let pricing = pricing.pricing(
            provider: transcript.conversation.provider, baseURL: transcript.conversation.baseURL)
        let conversation = transcript.conversation
        var out = "# \(conversation.title)\n\n"
        out += "*\(whereItTalks(conversation)) · started \(conversation.createdAt.shown)*\n"
        if let system = conversation.systemPrompt { out += "\n> System: \(system)\n" }
        for message in transcript.path {
            out += "\n## \(header(message, pricing: pricing))\n\n"
            if !message.thinking.isEmpty {
                out += "<details><summary>Thinking</summary>\n\n\(message.thinking)\n\n</details>\n\n"
            }
            if message.role == .tool {
                for result in message.toolResults {
                    let fence = result.content.contains("```") ? "~~~~" : "```"
                    out +=
                        "\n**\(result.name)** \(result.isError ? "failed" : "returned"):\n\n\(fence)\n\(result.content)\n\(fence)\n"
                }
            } else if !message.text.isEmpty {
                out += message.text + "\n"
            }
            if !message.attachments.isEmpty {
                out +=
                    "\n" + message.attachments.map { "- attached: " + markdownLine($0, files: files) + "\n" }.joined()
            }
            for call in message.toolCalls { out += "\n`\(call.name)(\(call.arguments))`\n" }
            if let note = note(message) { out += "\n*\(note)*\n" }
        }
        return out
    }

    /// "notes.md · text · 15 B" with the name as `name` gives it: made safe, escaped or linked.
    private static func label(_ attachment: Attachment, name: String) -> String {
        var named = attachment
        named.name = name
        return named.label
    }

    /// The attachment's label in Markdown: its name escaped, so that no name can add a link, an
    /// image or HTML of its own, and linked to its file when there is one.
    private static func markdownLine(_ attachment: Attachment, files: ExportFiles?) -> String {
        var name = ""
        for character in ControlPicture.oneLine(attachment.name) {
            if markdownPunctuation.contains(character) { name.append("\\") }
            name.append(character)
        }
        guard let link = files?.link(to: attachment) else { return label(attachment, name: name) }
        let image = if case .image = attachment.kind { "!" } else { "" }
        return label(attachment, name: "\(image)[\(name)](\(link))")
    }

    private static let markdownPunctuation = Set("\\`*_[]<>()!|~&#")

    /// "openai · gpt-4o", with the base URL its replies come from when it was saved.
    private static func whereItTalks(_ conversation: Conversation) -> String {
        [conversation.provider, conversation.model, conversation.baseURL].compactMap { $0 }.joined(separator: " · ")
    }

    /// "you", or the model with its provider, usage and cost (when known).
    static func header(_ message: Message, pricing: Pricing) -> String {
        switch message.role {
        case .assistant: break
        case .user: return message.compaction == .request ? "you | compacting the conversation" : "you"
        case .tool: return "tools"
        case .system: return "system"
        }
        var parts = [[message.model, message.provider].compactMap { $0 }.joined(separator: " · ")]
        if message.reasoning.isExplicit { parts.append("reasoning \(message.reasoning.name)") }
        if let usage = message.usage {
            let mark = usage.estimated ? "~" : ""
            parts.append("in \(mark)\(usage.inputTokens) / out \(mark)\(usage.outputTokens) tok")
            if let provider = message.provider, let model = message.model,
                let cost = pricing.cost(of: usage, provider: provider, model: model)
            {
                parts.append(cost.text)
            }
        }
        if message.compaction == .summary { parts.append("summary, sent in place of the messages before it") }
        return parts.filter { !$0.isEmpty }.joined(separator: " | ")
    }

    /// How a message ended, when that is not simply "complete".
    static func note(_ message: Message) -> String? {
        switch message.status {
        case .failed: message.error.map { "failed: \($0.message)" } ?? "failed"
        case .cancelled: "stopped by the user; the text above is what arrived"
        case .interrupted: "interrupted: Parley stopped while this reply streamed; the text above was saved"
        case .pending, .streaming: "still streaming"
        case .sending: "not sent yet"
        case .sent, .complete: nil
        }
    }

    private static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  │ " + $0 }.joined(separator: "\n") + "\n"
    }
}

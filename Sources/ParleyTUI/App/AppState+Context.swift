import ParleyCore

/// A model at an address: whose context window is meant.
public struct ModelAddress: Hashable, Sendable {
    public var provider: String
    public var model: String
    /// Nil: the provider's configured address.
    public var baseURL: String?

    public init(provider: String, model: String, baseURL: String?) {
        self.provider = provider
        self.model = model
        self.baseURL = baseURL
    }
}

extension AppState {
    /// The model the next message goes to: the selected conversation's, else a new one's.
    var selectedModel: ModelAddress {
        selectedConversation.map { ModelAddress(provider: $0.provider, model: $0.model, baseURL: $0.baseURL) }
            ?? ModelAddress(
                provider: defaults.provider, model: defaults.model, baseURL: defaults.baseURLs[defaults.provider])
    }

    /// The window of `model`: what its provider said, else Parley's table, else unknown.
    func contextWindow(of model: ModelAddress) -> ContextWindow? {
        (contextWindows[model] ?? nil) ?? ContextWindow.listed(for: model.model)
    }

    /// Asks once for the window of the model the selected conversation talks to; the answer is
    /// `contextWindowLearned`.
    mutating func learnContextWindow() -> [AppEffect] {
        guard selectedConversation != nil, contextWindows[selectedModel] == nil else { return [] }
        let model = selectedModel
        contextWindows[model] = .some(nil)
        return [.learnContextWindow(model)]
    }

    /// How full the selected conversation's context will be once the message being written (its
    /// text, text files and the system prompt) is sent: the last reply's count, or an estimate of
    /// the whole conversation before any reply counted.
    var fillWithDraft: ContextWindow.Fill {
        let transcript = chat.selectedTranscript
        let draft = Usage.estimatedTokens(in: editor.text) + Self.textTokens(pendingAttachments)
        let window = contextWindow(of: selectedModel)
        if let usage = transcript.last(where: { $0.usage != nil && !$0.isLive })?.usage {
            return ContextWindow.Fill(after: usage, window: window).adding(draft)
        }
        let system = selectedConversation.map(\.systemPrompt) ?? defaults.systemPrompt
        let sent = transcript.reduce(Usage.estimatedTokens(in: system ?? "")) { total, message in
            total + Usage.estimatedTokens(in: message.text) + Self.textTokens(message.attachments)
        }
        return ContextWindow.Fill(used: sent + draft, window: window, estimated: true)
    }

    /// The text files' estimated tokens (images and PDFs are counted by the provider alone).
    private static func textTokens(_ files: [Attachment]) -> Int {
        files.filter { $0.kind == .text }.reduce(0) { $0 + Usage.estimatedTokens(bytes: $1.bytes.count) }
    }

    /// Before a message that would not fit is sent, the user hears what the provider will do with
    /// it; Enter again (the same message) sends it anyway. Nil: send.
    mutating func overflowWarning() -> String? {
        guard let warning = fillWithDraft.warning(defaults.label(selectedModel.provider)), overflowWarned != editor.text
        else { return nil }
        overflowWarned = editor.text
        return warning + " Enter again sends it anyway; /compact summarizes the conversation first."
    }
}

extension AppState {
    /// Adds up what the open conversation's finished replies took and cost (earlier versions of a
    /// regenerated reply too: they were paid for), as `parley stats` does, for its header. Done
    /// when replies end or the conversation changes, never per frame or per streamed batch.
    mutating func countConversationTotals() {
        guard let conversation = selectedConversation else {
            conversationTotals = nil
            summarized = []
            return
        }
        let transcript = chat.selectedTranscript
        summarized = Set(
            Compaction.lastSummary(in: transcript).map { transcript[..<$0].filter { $0.compaction == nil }.map(\.id) }
                ?? [])
        // What the conversation cost: every branch's replies were paid for.
        let branches = chat.selectedConversationID.flatMap { chat.otherBranches[$0] } ?? []
        let replies = (transcript + branches).compactMap {
            reply -> ReplyUsage? in
            guard reply.role == .assistant, !reply.isLive, let usage = reply.usage else { return nil }
            return ReplyUsage(
                conversationID: conversation.id, title: conversation.title, baseURL: conversation.baseURL,
                createdAt: reply.createdAt, provider: reply.provider ?? conversation.provider,
                model: reply.model ?? conversation.model, usage: usage)
        }
        conversationTotals =
            replies.isEmpty
            ? nil : UsageStats.totals(replies, by: .conversation, pricing: defaults.pricing, day: { _ in "" }).total
    }
}

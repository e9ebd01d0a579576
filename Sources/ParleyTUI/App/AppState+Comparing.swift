import ParleyCore

/// Compare in the app: models marked in the model picker (Ctrl-Space) take the next message
/// together; their replies stream side by side (`CompareView`); `[`/`]` move the highlight between
/// columns, `p` goes on with the highlighted one, `s` stops it alone, Esc stops them all.
extension AppState {
    /// The models the next message goes to at once, and the conversation they were chosen for (nil:
    /// the next new one).
    public struct Comparing: Equatable, Sendable {
        public var conversation: ConversationID?
        public var models: [ModelAddress]
    }

    /// The models the next message in the open conversation goes to, when it is to be compared.
    public var comparingHere: [ModelAddress]? {
        guard let comparing, comparing.conversation == chat.selectedConversationID else { return nil }
        return comparing.models
    }

    /// The comparison the open conversation shows in columns: its last prompt went to several
    /// models, and none has been picked yet.
    public var shownComparison: Comparison? {
        guard let id = chat.selectedConversationID, let comparison = chat.comparisons[id],
            let last = chat.selectedTranscript.last,
            comparison.replies.contains(where: { $0.replyMessageID == last.id })
        else { return nil }
        return comparison
    }

    /// The models marked in the picker become the next message's: said, and shown until sent.
    mutating func compareNext(_ items: [Picker.Item], for id: ConversationID?) {
        let target = id.flatMap { chat.conversations[$0] }
        let models = items.compactMap { item -> ModelAddress? in
            guard case .model(let provider, let model) = item else { return nil }
            // The conversation's own provider where it reaches it; another where this launch does.
            let baseURL = provider == target?.provider ? target?.baseURL : defaults.baseURLs[provider]
            return ModelAddress(provider: provider, model: model, baseURL: baseURL)
        }
        comparing = Comparing(conversation: id, models: models)
        show("Your next message goes to \(models.count) models at once: \(Self.spoken(models)).")
    }

    /// Sends the editor's text to every model of `models`, in `id`.
    mutating func sendCompared(_ text: String, to models: [ModelAddress], in id: ConversationID) -> [AppEffect] {
        let replies = models.map { model in
            Comparison.Reply(
                provider: model.provider, model: model.model, baseURL: model.baseURL, replyMessageID: ids.next(),
                sessionID: ids.next())
        }
        let effects = chat(
            .compareRequested(
                id, text: text, attachments: pendingAttachments, userMessageID: ids.next(), replies: replies, now: now))
        if !effects.isEmpty {
            pendingAttachments = []
            comparing = nil
            compareTop = nil
            hint = nil
        }
        return effects
    }

    /// The highlighted column's reply is the one the conversation goes on with.
    mutating func pickColumn() -> [AppEffect] {
        guard let id = chat.selectedConversationID, let comparison = shownComparison,
            let reply = chat.selectedTranscript.last,
            let column = comparison.replies.first(where: { $0.replyMessageID == reply.id })
        else {
            show("Nothing to pick: compare models first (mark them in the model picker with Ctrl-Space).")
            return []
        }
        let effects = chat(.comparePicked(id, messageID: reply.id, now: now))
        guard chat.comparisons[id] == nil else { return effects }
        resetTranscriptView()
        focus = .input
        show("Going on with \(Figures.modelName(column.model)); the others stay as branches.")
        return effects
    }

    /// Stops the highlighted column's reply; the others go on.
    mutating func stopColumn() -> [AppEffect] {
        guard let id = chat.selectedConversationID, shownComparison != nil,
            let reply = chat.selectedTranscript.last, reply.isLive,
            let session = chat.sessions.first(where: {
                $0.value.replyMessageID == reply.id && $0.value.conversationID == id
            })
        else {
            show("That column is not streaming.")
            return []
        }
        return chat(.sessionCancelRequested(session.key))
    }

    /// The columns in the order they were asked for: `[`/`]` move along them, not along siblings'
    /// age.
    func comparedColumns(around message: Message) -> [Message]? {
        guard let id = chat.selectedConversationID, let comparison = shownComparison,
            comparison.replies.contains(where: { $0.replyMessageID == message.id })
        else { return nil }
        return comparison.replies.compactMap { chat.message($0.replyMessageID, in: id) }
    }

    /// Moves every column's first line by `delta` lines (nil: a page of the shortest column, up or
    /// down), from following their ends to a line from the top, and back to following past the
    /// longest's end. The page keys and the wheel both.
    mutating func scrollColumns(by delta: Int?, up: Bool, layout: TranscriptLayout) {
        guard let id = chat.selectedConversationID, let comparison = shownComparison else { return }
        let replies = comparison.replies.compactMap { chat.message($0.replyMessageID, in: id) }
        let panes = CompareView.panes(count: replies.count, in: CompareView.columnArea(screenLayout(layout).transcript))
        let counts = zip(replies, panes).map { reply, pane in
            CompareView.scrollingLineCount(of: reply, in: pane, state: self, layout: layout.columns)
        }
        let rows = max(1, (panes.map(\.height).min() ?? 0) - CompareView.pinnedRows)
        let lastTop = max(0, (counts.max() ?? 0) - rows)
        let top = compareTop ?? lastTop
        let step = delta ?? rows
        compareTop = up ? max(0, top - step) : top + step >= lastTop ? nil : top + step
    }

    static func spoken(_ models: [ModelAddress]) -> String {
        models.map { Figures.modelName($0.model) }.joined(separator: ", ")
    }
}

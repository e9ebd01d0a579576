import ParleyCore

/// The keys of a conversation's branches: `[` and `]` move between a message's siblings, `f`
/// forks the conversation at the focused message, `x` deletes a branch after asking.
extension AppState {
    /// The message the branch keys act on: the focused one when it has siblings, else the nearest
    /// above it that has (so `[` on a reply moves between edits of the message it answers).
    var branchingMessage: Message? {
        let transcript = chat.selectedTranscript
        guard let focused = focusedMessage ?? transcript.last,
            let index = transcript.lastIndex(where: { $0.id == focused.id })
        else { return nil }
        return transcript[...index].last { chat.siblings(of: $0).count > 1 }
    }

    mutating func showBranch(step: Int) -> [AppEffect] {
        guard let id = chat.selectedConversationID, let message = branchingMessage else {
            show(
                "This message has no other branches"
                    + (bindings.label(.regenerate).map { " (\($0) regenerates a reply beside it)." } ?? "."))
            return []
        }
        let siblings = comparedColumns(around: message) ?? chat.siblings(of: message)
        let place = siblings.firstIndex { $0.id == message.id }!
        let next = siblings[(place + step + siblings.count) % siblings.count]
        let cursor = messageCursor
        let effects = chat(.branchChosen(id, messageID: next.id, now: now))
        // The cursor stays on the message whose branch changed, now its sibling.
        if let cursor, chat.selectedTranscript.indices.contains(cursor) { messageCursor = cursor }
        return effects
    }

    mutating func fork() -> [AppEffect] {
        guard let id = chat.selectedConversationID, let message = focusedMessage ?? chat.selectedTranscript.last,
            let index = chat.selectedTranscript.lastIndex(where: { $0.id == message.id })
        else {
            show("Nothing to fork yet.")
            return []
        }
        let copies: [MessageID] = (0...index).map { _ in ids.next() }
        let fork: ConversationID = ids.next()
        let effects = chat(.forkRequested(id, messageID: message.id, fork: fork, messageIDs: copies, now: now))
        guard chat.selectedConversationID == fork else { return effects }
        show("Forked into a new conversation.")
        return effects + open(fork)
    }

    mutating func askToDeleteBranch() -> [AppEffect] {
        guard let id = chat.selectedConversationID, let message = branchingMessage else {
            show("This message has no other branches to delete it from.")
            return []
        }
        mode = .confirmingBranchDelete(id, message.id)
        return []
    }

    mutating func deleteBranch(_ messageID: MessageID, in id: ConversationID, confirmed: Bool) -> [AppEffect] {
        guard confirmed else {
            show("Not deleted.")
            return []
        }
        let effects = chat(.branchDeleteRequested(id, messageID: messageID))
        if !chat.owns(messageID) {
            resetTranscriptView()
            show("Branch deleted.")
        }
        return effects
    }

    /// The opened conversation shows the message's branch: at once when its messages are read,
    /// else when they arrive (`revealLoaded`).
    mutating func reveal(_ messageID: MessageID?) -> [AppEffect] {
        guard let messageID, let id = chat.selectedConversationID else { return [] }
        guard chat.hasTranscript(id) else {
            revealing[id] = messageID
            return []
        }
        return chat(.branchChosen(id, messageID: messageID, now: now))
    }

    /// The search hit waiting for the conversation's messages, now read; shown if it is still open.
    mutating func revealLoaded(_ id: ConversationID) -> [AppEffect] {
        guard let messageID = revealing.removeValue(forKey: id), chat.selectedConversationID == id else { return [] }
        return reveal(messageID)
    }
}

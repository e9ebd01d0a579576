extension ChatState {
    /// The saves that bring the database up to date with `messages` of conversation `id`, and
    /// with its row when `row` is set: updates (the row's with the messages, in one transaction),
    /// or, while the conversation has no row, its creation, which writes the row with every
    /// message it has, on every branch, in one transaction (nothing at all while it has none).
    mutating func saves(in id: ConversationID, row: Bool = false, _ messages: [Message] = []) -> [ChatEffect] {
        guard unsaved.contains(id) else {
            let written = messages.map(Self.written)
            return row
                ? [.persistConversation(conversations[id]!, messages: written)] : written.map { .persistMessage($0) }
        }
        guard let transcript = transcripts[id], !transcript.isEmpty else { return [] }
        unsaved.remove(id)
        let tree = transcript + (otherBranches[id] ?? [])
        return [.createConversation(conversations[id]!, messages: tree.map(Self.written))]
    }

    /// The row a message is written as: a user message that exists was sent with its request.
    static func written(_ message: Message) -> Message {
        guard message.status == .sending else { return message }
        var row = message
        row.status = .sent
        return row
    }
}

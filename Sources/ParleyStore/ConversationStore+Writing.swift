import GRDB
import ParleyCore

extension ConversationStore {
    /// Creates the conversation with its first messages, in one transaction: a conversation is
    /// written together with a message, never alone. The only way a conversation is inserted.
    public func createConversation(_ conversation: Conversation, messages: [Message]) async throws(StoreError) {
        let record = ConversationRecord(conversation)
        try await write { db in
            try record.insert(db)
            for message in messages { try Self.save(message, db) }
        }
    }

    /// Updates the conversation's title, times, provider, model, system prompt and base URL, and
    /// saves `messages` (as `saveMessage` does) in the same transaction. A conversation that is
    /// gone (another Parley deleted it) stays gone: `.noSuchConversation`, and nothing is written.
    public func saveConversation(_ conversation: Conversation, messages: [Message] = []) async throws(StoreError) {
        let id = conversation.id.rawValue
        try await write { db in
            // Never an insert: a conversation another Parley deleted stays deleted. Updated by its
            // row, every column the record encodes, by a statement GRDB keeps between saves.
            guard
                let rowID = try Int64.fetchOne(
                    db.cachedStatement(sql: "SELECT row_id FROM conversations WHERE id = ?"), arguments: [id])
            else { throw StoreError.noSuchConversation(id) }
            var record = ConversationRecord(conversation)
            record.rowID = rowID
            try record.update(db)
            for message in messages { try Self.save(message, db) }
        }
    }

    /// Creates or updates a message — the user's at once, a streaming reply at each checkpoint,
    /// the final reply, a branch when it is chosen — with its attachments. A new message goes
    /// after the others. The conversation's last activity moves up to the message's time. A
    /// message of a conversation that is gone is dropped: `.noSuchConversation`.
    public func saveMessage(_ message: Message) async throws(StoreError) {
        try await write { db in try Self.save(message, db) }
    }

    /// Runs at every checkpoint of a streaming reply, so its statements are compiled once per
    /// connection (`cachedStatement`), not at each save.
    private static func save(_ message: Message, _ db: Database) throws {
        let conversationID = message.conversationID
        guard try Self.conversationExists(conversationID, db) else {
            throw StoreError.noSuchConversation(conversationID.rawValue)
        }
        // A saved message is updated by its row, a new one inserted: GRDB keeps the SQL of both
        // (and the statements) from one save to the next, where an upsert made its SQL anew
        // every time, about a million instructions for the table's 33 columns.
        if let saved = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT \(MessageRecord.savedIndexedColumns) FROM messages WHERE id = ?"),
            arguments: [message.id.rawValue])
        {
            let record = MessageRecord(message, rowID: saved["row_id"], position: saved["position"])
            try record.update(db, columns: record.columnsToUpdate(over: saved))
        } else {
            let last = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT max(position) FROM messages WHERE conversation_id = ?"),
                arguments: [conversationID.rawValue])
            try MessageRecord(message, rowID: nil, position: (last ?? -1) + 1).insert(db)
        }
        try Self.saveAttachments(of: message, db)
        // Only a later time is written: a row that holds it already is not rewritten, nor its entry
        // in the index of conversations by activity (two pages at every checkpoint, else).
        try db.cachedStatement(sql: "UPDATE conversations SET updated_at = ?1 WHERE id = ?2 AND updated_at < ?1")
            .execute(arguments: [message.createdAt.millisecondsSince1970, conversationID.rawValue])
    }

    /// Deletes a branch: the message and every message after it, on every branch below it, with
    /// their search entries and the attachment contents nothing else uses.
    public func deleteBranch(_ id: MessageID) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: """
                    WITH RECURSIVE branch(id) AS (
                        SELECT id FROM messages WHERE id = ?
                        UNION ALL SELECT m.id FROM messages m JOIN branch b ON m.parent_id = b.id
                    )
                    DELETE FROM messages WHERE id IN branch
                    """,
                arguments: [id.rawValue])
        }
    }

    /// Gives the conversation a new title (the user renamed it); its last activity is unchanged.
    public func rename(_ id: ConversationID, to title: String) async throws(StoreError) {
        try await write { db in
            try db.execute(
                sql: "UPDATE conversations SET title = ? WHERE id = ?", arguments: [title.stored, id.rawValue])
            guard db.changesCount == 1 else { throw StoreError.noSuchConversation(id.rawValue) }
        }
    }

    /// Deletes the conversation with all its messages, their search entries, and the attachment
    /// contents no other conversation uses.
    public func delete(_ id: ConversationID) async throws(StoreError) {
        try await write { db in
            try db.execute(sql: "DELETE FROM conversations WHERE id = ?", arguments: [id.rawValue])
            guard db.changesCount == 1 else { throw StoreError.noSuchConversation(id.rawValue) }
        }
    }

    /// Every reply still `pending` or `streaming` becomes `interrupted`, its text kept: run at
    /// open, when no reply can be live (the app that streamed it has stopped). Returns how many.
    @discardableResult
    public func markInterruptedReplies() async throws(StoreError) -> Int {
        try await write { db in try self.markInterruptedReplies(db) }
    }

    func markInterruptedReplies(_ db: Database) throws -> Int {
        try db.execute(sql: "UPDATE messages SET status = 'interrupted' WHERE status IN ('pending', 'streaming')")
        return db.changesCount
    }

    private static func conversationExists(_ id: ConversationID, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM conversations WHERE id = ?"), arguments: [id.rawValue])
            ?? false
    }
}

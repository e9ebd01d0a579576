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
        let record = ConversationRecord(conversation)
        try await write { db in
            // Never an insert: a conversation another Parley deleted stays deleted. By its id
            // (the table's primary key is the row id the search index uses), every column the
            // record encodes.
            let assignments = try record.databaseDictionary.filter { $0.key != "id" }.map { column, value in
                Column(column).set(to: value)
            }
            let changed = try ConversationRecord.filter(Column("id") == record.id).updateAll(db, assignments)
            guard changed == 1 else { throw StoreError.noSuchConversation(record.id) }
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
        let position = try Self.position(for: message, db)
        try MessageRecord(message, position: position).upsert(db)
        try Self.saveAttachments(of: message, db)
        try db.cachedStatement(sql: "UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?")
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

    /// Where the message stands in the order messages were written: its own place when it has
    /// one, else after the rest.
    private static func position(for message: Message, _ db: Database) throws -> Int64 {
        if let existing = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT position FROM messages WHERE id = ?"), arguments: [message.id.rawValue])
        {
            return existing
        }
        let last = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT max(position) FROM messages WHERE conversation_id = ?"),
            arguments: [message.conversationID.rawValue])
        return (last ?? -1) + 1
    }
}

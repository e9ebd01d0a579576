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

    /// Updates the conversation's title, times, provider, model, system prompt and base URL.
    /// A conversation that is gone (another Parley deleted it) stays gone: `.noSuchConversation`.
    public func saveConversation(_ conversation: Conversation) async throws(StoreError) {
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
        }
    }

    /// Creates or updates a message — the user's at once, a streaming reply at each checkpoint,
    /// the final reply — with its attachments and previous versions (which have none). A new
    /// message goes after the others, unless it replaces one (that one is among its previous
    /// versions): then it takes its place. The conversation's last activity moves up to the
    /// message's time. A message of a conversation that is gone is dropped: `.noSuchConversation`.
    public func saveMessage(_ message: Message) async throws(StoreError) {
        try await write { db in try Self.save(message, db) }
    }

    private static func save(_ message: Message, _ db: Database) throws {
        let conversationID = message.conversationID
        guard try Self.conversationExists(conversationID, db) else {
            throw StoreError.noSuchConversation(conversationID.rawValue)
        }
        let versions = Self.flattened(message.previousVersions)
        let position = try Self.position(for: message, replacing: versions, db)
        try MessageRecord(message, versionOf: nil, position: position).upsert(db)
        try Self.saveAttachments(of: message, db)
        try db.execute(
            sql: "DELETE FROM messages WHERE version_of = ? AND id NOT IN (SELECT value FROM json_each(?))",
            arguments: [message.id.rawValue, JSON.array(versions.map { .string($0.id.rawValue) }).serialized()])
        for (index, version) in versions.enumerated() {
            try MessageRecord(version, versionOf: message.id, position: Int64(index)).upsert(db)
        }
        try db.execute(
            sql: "UPDATE conversations SET updated_at = max(updated_at, ?) WHERE id = ?",
            arguments: [message.createdAt.millisecondsSince1970, conversationID.rawValue])
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
        try Bool.fetchOne(db, sql: "SELECT 1 FROM conversations WHERE id = ?", arguments: [id.rawValue]) ?? false
    }

    /// Versions are one list, oldest first: a version that had versions of its own brings them
    /// along just before itself, so nothing is dropped.
    private static func flattened(_ versions: [Message]) -> [Message] {
        versions.flatMap { version in
            var bare = version
            bare.previousVersions = []
            return flattened(version.previousVersions) + [bare]
        }
    }

    private static func position(for message: Message, replacing versions: [Message], _ db: Database) throws -> Int64 {
        let ids = JSON.array(([message] + versions).map { .string($0.id.rawValue) }).serialized()
        if let existing = try Int64.fetchOne(
            db,
            sql: """
                SELECT min(position) FROM messages
                WHERE id IN (SELECT value FROM json_each(?)) AND version_of IS NULL
                """,
            arguments: [ids])
        {
            return existing
        }
        let last = try Int64.fetchOne(
            db, sql: "SELECT max(position) FROM messages WHERE conversation_id = ? AND version_of IS NULL",
            arguments: [message.conversationID.rawValue])
        return (last ?? -1) + 1
    }
}

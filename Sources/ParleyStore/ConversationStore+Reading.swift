import GRDB
import ParleyCore

extension ConversationStore {
    /// Every conversation, newest activity first, with its message count and status.
    public func conversations() async throws(StoreError) -> [ConversationSummary] {
        let liveMeansInterrupted = showsLiveRepliesInterrupted
        return try await read { db in
            // A cursor's rows are read in place, their columns found by name in a table made
            // once (a fetched array's copied rows look each name up anew: 1,000 conversations
            // took 7 ms to decode).
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT c.*,
                        (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count,
                        EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id
                            AND m.status IN ('pending', 'streaming')) AS live,
                        (SELECT m.status FROM messages m WHERE m.conversation_id = c.id
                            ORDER BY m.position DESC LIMIT 1) AS last_status
                    FROM conversations c
                    ORDER BY c.updated_at DESC, c.created_at DESC, c.id
                    """)
            return try Array(
                rows.map { row in
                    let status: ConversationSummary.Status =
                        switch (row["live"] as Bool, (row["last_status"] as String?).flatMap(Message.Status.init)) {
                        case (true, _) where liveMeansInterrupted: .interrupted
                        case (true, _): .live
                        case (false, .failed?): .failed
                        case (false, .interrupted?): .interrupted
                        case (false, .cancelled?): .cancelled
                        default: .idle
                        }
                    return ConversationSummary(
                        conversation: try ConversationRecord(row: row).conversation, messageCount: row["message_count"],
                        status: status)
                })
        }
    }

    /// The conversation with its messages on every branch, in the order they were written, each
    /// with its attachments.
    public func transcript(of id: ConversationID) async throws(StoreError) -> Transcript {
        let path = path
        let liveMeansInterrupted = showsLiveRepliesInterrupted
        let versionsAsBranches = readsVersionsAsBranches
        return try await read { db in
            guard
                let conversation = try ConversationRecord.fetchOne(
                    db, sql: "SELECT * FROM conversations WHERE id = ?", arguments: [id.rawValue])
            else { throw StoreError.noSuchConversation(id.rawValue) }
            let records = try MessageRecord.fetchAll(
                db, sql: "SELECT * FROM messages WHERE conversation_id = ? ORDER BY position",
                arguments: [id.rawValue])
            var attachments = try Self.attachments(of: id, db, path: path)
            let placements = versionsAsBranches ? try VersionsToBranches.placements(db, of: id.rawValue) : [:]
            var messages: [Message] = []
            for var record in records {
                if let placement = placements[record.id] {
                    record.parentID = placement.parentID
                    record.chosenAt = placement.chosenAt
                }
                guard var message = record.message() else {
                    throw StoreError.damaged(path: path, detail: "message \(record.id) has values Parley never writes")
                }
                if liveMeansInterrupted && message.isLive { message.status = .interrupted }
                message.attachments = attachments.removeValue(forKey: record.id) ?? []
                messages.append(message)
            }
            if versionsAsBranches {
                let order = placements.mapValues(\.position)
                messages.sort { order[$0.id.rawValue] ?? 0 < order[$1.id.rawValue] ?? 0 }
            }
            return Transcript(conversation: conversation.conversation, messages: messages)
        }
    }

    /// The conversation whose id is `prefix` or starts with it, like git's short hashes.
    public func findConversation(prefix: String) async throws(StoreError) -> Conversation {
        guard !prefix.isEmpty else { throw .noSuchConversation(prefix) }
        return try await read { db in
            let records = try ConversationRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM conversations WHERE substr(id, 1, length(?1)) = ?1
                    ORDER BY id = ?1 DESC, id LIMIT 6
                    """,
                arguments: [prefix])
            guard let first = records.first else { throw StoreError.noSuchConversation(prefix) }
            guard first.id == prefix || records.count == 1 else {
                throw StoreError.ambiguousPrefix(prefix, matches: records.map { ConversationID($0.id) })
            }
            return first.conversation
        }
    }
}

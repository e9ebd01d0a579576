import GRDB
import ParleyCore

/// One row of `conversations`.
struct ConversationRecord: FetchableRecord, Equatable {
    var id: String
    var title: String
    var createdAt: Int64
    var updatedAt: Int64
    var provider: String
    var model: String
    var systemPrompt: String?

    init(row: Row) {
        id = row["id"]
        title = row["title"]
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        provider = row["provider"]
        model = row["model"]
        systemPrompt = row["system_prompt"]
    }

    init(_ conversation: Conversation) {
        id = conversation.id.rawValue
        title = conversation.title
        createdAt = conversation.createdAt.millisecondsSince1970
        updatedAt = conversation.updatedAt.millisecondsSince1970
        provider = conversation.provider
        model = conversation.model
        systemPrompt = conversation.systemPrompt
    }

    var conversation: Conversation {
        Conversation(
            id: ConversationID(id), title: title, createdAt: Timestamp(millisecondsSince1970: createdAt),
            updatedAt: Timestamp(millisecondsSince1970: updatedAt), provider: provider, model: model,
            systemPrompt: systemPrompt)
    }

    /// Creates the row or updates it in place: never delete-and-insert, which would cascade to
    /// the messages.
    func upsert(_ db: Database) throws {
        // Cached: checkpoints and the benchmark seed run this statement over and over.
        try db.cachedStatement(
            sql: """
                INSERT INTO conversations (id, title, created_at, updated_at, provider, model, system_prompt)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    title = excluded.title, created_at = excluded.created_at, updated_at = excluded.updated_at,
                    provider = excluded.provider, model = excluded.model, system_prompt = excluded.system_prompt
                """
        ).execute(arguments: [id, title, createdAt, updatedAt, provider, model, systemPrompt])
    }
}

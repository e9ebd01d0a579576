import GRDB
import ParleyCore

/// One row of `conversations`. Texts are bound and read with every byte (`StoredText`).
struct ConversationRecord: FetchableRecord, Equatable {
    var id: String
    var title: String
    var createdAt: Int64
    var updatedAt: Int64
    var provider: String
    var model: String
    var systemPrompt: String?
    var baseURL: String?
    var reasoning: String?

    init(row: Row) {
        id = row["id"]
        title = row.text("title")
        createdAt = row["created_at"]
        updatedAt = row["updated_at"]
        provider = row.text("provider")
        model = row.text("model")
        systemPrompt = row.optionalText("system_prompt")
        baseURL = row.optionalText("base_url")
        reasoning = row["reasoning"]
    }

    init(_ conversation: Conversation) {
        id = conversation.id.rawValue
        title = conversation.title
        createdAt = conversation.createdAt.millisecondsSince1970
        updatedAt = conversation.updatedAt.millisecondsSince1970
        provider = conversation.provider
        model = conversation.model
        systemPrompt = conversation.systemPrompt
        baseURL = conversation.baseURL
        reasoning = conversation.reasoning.isExplicit ? conversation.reasoning.name : nil
    }

    var conversation: Conversation {
        Conversation(
            id: ConversationID(id), title: title, createdAt: Timestamp(millisecondsSince1970: createdAt),
            updatedAt: Timestamp(millisecondsSince1970: updatedAt), provider: provider, model: model,
            systemPrompt: systemPrompt, baseURL: baseURL,
            reasoning: reasoning.flatMap(Reasoning.init(parsing:)) ?? .standard)
    }

    private var arguments: StatementArguments {
        [
            id, title.stored, createdAt, updatedAt, provider.stored, model.stored, systemPrompt.stored, baseURL.stored,
            reasoning,
        ]
    }

    /// Creates the row: the one insert of a conversation (see `ChatEffect.createConversation`).
    func insert(_ db: Database) throws {
        // Cached: the benchmark seed runs this statement over and over.
        try db.cachedStatement(
            sql: """
                INSERT INTO conversations (
                    id, title, created_at, updated_at, provider, model, system_prompt, base_url, reasoning)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: arguments)
    }

    /// Updates the row in place; returns false when there is none (another Parley deleted it),
    /// which stays so: a late save never brings a deleted conversation back.
    func update(_ db: Database) throws -> Bool {
        try db.cachedStatement(
            sql: """
                UPDATE conversations SET title = ?2, created_at = ?3, updated_at = ?4, provider = ?5, model = ?6,
                    system_prompt = ?7, base_url = ?8, reasoning = ?9
                WHERE id = ?1
                """
        ).execute(arguments: arguments)
        return db.changesCount == 1
    }
}

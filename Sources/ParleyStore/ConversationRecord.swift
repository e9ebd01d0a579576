import GRDB
import ParleyCore

/// One row of `conversations`. A Codable record; texts are bound and read with every byte
/// (`StoredText`).
struct ConversationRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "conversations"

    /// The table's primary key (the search index points at it): nil until the row is written.
    var rowID: Int64?
    var id: String
    var title: StoredText
    var createdAt: Int64
    var updatedAt: Int64
    var provider: StoredText
    var model: StoredText
    var systemPrompt: StoredText?
    var baseURL: StoredText?
    var reasoning: String?

    /// The columns, as the schema (`StoreSchema`) names them.
    enum CodingKeys: String, CodingKey {
        case id, title, provider, model, reasoning
        case rowID = "row_id"
        case createdAt = "created_at", updatedAt = "updated_at", systemPrompt = "system_prompt", baseURL = "base_url"
    }

    init(_ conversation: Conversation) {
        id = conversation.id.rawValue
        title = StoredText(conversation.title)
        createdAt = conversation.createdAt.millisecondsSince1970
        updatedAt = conversation.updatedAt.millisecondsSince1970
        provider = StoredText(conversation.provider)
        model = StoredText(conversation.model)
        systemPrompt = conversation.systemPrompt.stored
        baseURL = conversation.baseURL.stored
        reasoning = conversation.reasoning.isExplicit ? conversation.reasoning.name : nil
    }

    var conversation: Conversation {
        Conversation(
            id: ConversationID(id), title: title.string, createdAt: Timestamp(millisecondsSince1970: createdAt),
            updatedAt: Timestamp(millisecondsSince1970: updatedAt), provider: provider.string, model: model.string,
            systemPrompt: systemPrompt?.string, baseURL: baseURL?.string,
            reasoning: reasoning.flatMap(Reasoning.init(parsing:)) ?? .standard)
    }
}

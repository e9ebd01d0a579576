import GRDB
import ParleyCore

extension ConversationStore {
    /// Every saved reply with usage since `since` (all of them with nil), earlier versions of
    /// regenerated replies included, in no particular order: what `parley stats` adds up. One
    /// query; not sorted, since totals need no order (sorting 100,000 wide rows took longer than
    /// reading them).
    public func replyUsage(since: Timestamp?) async throws(StoreError) -> [ReplyUsage] {
        let path = path
        return try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.conversation_id, c.title, c.base_url, m.created_at, m.provider, m.model,
                        m.input_tokens, m.output_tokens, m.reasoning_tokens, m.cached_tokens, m.cache_write_tokens,
                        m.stated_cost, m.usage_estimated
                    FROM messages m JOIN conversations c ON c.id = m.conversation_id
                    WHERE m.role = 'assistant' AND m.input_tokens IS NOT NULL AND m.created_at >= ?
                    """,
                arguments: [since?.millisecondsSince1970 ?? Int64.min])
            return try rows.map { row in
                guard let provider = (row["provider"] as StoredText?)?.string,
                    let model = (row["model"] as StoredText?)?.string
                else {
                    throw StoreError.damaged(path: path, detail: "a reply with usage names no provider or model")
                }
                return ReplyUsage(
                    conversationID: ConversationID(row["conversation_id"]), title: (row["title"] as StoredText).string,
                    baseURL: row["base_url"], createdAt: Timestamp(millisecondsSince1970: row["created_at"]),
                    provider: provider, model: model,
                    usage: Usage(
                        inputTokens: row["input_tokens"], outputTokens: row["output_tokens"] ?? 0,
                        reasoningTokens: row["reasoning_tokens"] ?? 0, cachedTokens: row["cached_tokens"] ?? 0,
                        cacheWriteTokens: row["cache_write_tokens"] ?? 0, statedCost: row["stated_cost"],
                        estimated: row["usage_estimated"] ?? false))
            }
        }
    }
}

import GRDB
import ParleyCore

extension ConversationRepository {
    /// Conversations whose title or messages contain every word of `text` (a word also matches
    /// longer words it begins), newest activity first, at most `limit` of them. Each comes with
    /// a snippet from its latest matching message, or its title when only the title matches.
    /// Quotes, operators and other FTS5 syntax in `text` are searched for as plain words.
    public func search(_ text: String, limit: Int = 50) async throws(StoreError) -> [SearchHit] {
        guard let query = Self.ftsQuery(text), limit > 0 else { return [] }
        return try await read { db in
            let conversations = try ConversationRecord.fetchAll(
                db,
                sql: """
                    SELECT * FROM conversations
                    WHERE row_id IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ?1)
                        OR id IN (SELECT conversation_id FROM messages
                            WHERE row_id IN (SELECT rowid FROM message_search WHERE message_search MATCH ?1))
                    ORDER BY updated_at DESC, created_at DESC, id
                    LIMIT ?2
                    """,
                arguments: [query, limit])
            return try conversations.map { record in
                let marks = "'\(Snippet.openMark)', '\(Snippet.closeMark)'"
                let fromMessage = try String.fetchOne(
                    db,
                    sql: """
                        SELECT snippet(message_search, 0, \(marks), '…', 12)
                        FROM message_search JOIN messages m ON m.row_id = message_search.rowid
                        WHERE message_search MATCH ? AND m.conversation_id = ?
                        ORDER BY m.version_of IS NULL DESC, m.position DESC LIMIT 1
                        """,
                    arguments: [query, record.id])
                let fromTitle = {
                    try String.fetchOne(
                        db,
                        sql: """
                            SELECT snippet(conversation_search, 0, \(marks), '…', 12) FROM conversation_search
                            WHERE conversation_search MATCH ? AND rowid = (SELECT row_id FROM conversations WHERE id = ?)
                            """,
                        arguments: [query, record.id])
                }
                let marked = try fromMessage ?? fromTitle() ?? record.title
                return SearchHit(conversation: record.conversation, snippet: Snippet(marked: marked))
            }
        }
    }

    /// Every word quoted as an FTS5 string (inner quotes doubled) and matched as a prefix, so
    /// nothing the user types is read as query syntax. Nil when there is no word to look for.
    static func ftsQuery(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        guard !words.isEmpty else { return nil }
        return words.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"*" }.joined(separator: " ")
    }
}

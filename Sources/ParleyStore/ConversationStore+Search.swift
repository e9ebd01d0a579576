import GRDB
import ParleyCore

extension ConversationStore {
    /// Conversations whose title or messages contain every word of `text` (a word also matches
    /// longer words it begins), newest activity first, at most `limit` of them. Each comes with
    /// a snippet from its latest matching message, or its title when only the title matches.
    /// Quotes, operators and other FTS5 syntax in `text` are searched for as plain words.
    public func search(_ text: String, limit: Int = 50) async throws(StoreError) -> [SearchHit] {
        guard let query = Self.ftsQuery(text), limit > 0 else { return [] }
        return try await read { db in
            // One pass over the full-text hits picks each conversation's latest matching message,
            // on whichever branch; snippets are made for the chosen rows only.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH message_hits AS (
                        SELECT conversation_id, hit_row FROM (
                            SELECT m.conversation_id, m.row_id AS hit_row, row_number() OVER (
                                PARTITION BY m.conversation_id ORDER BY m.position DESC
                            ) AS rank
                            FROM message_search JOIN messages m ON m.row_id = message_search.rowid
                            WHERE message_search MATCH ?1
                        ) WHERE rank = 1
                    )
                    SELECT c.*, h.hit_row, (SELECT id FROM messages WHERE row_id = h.hit_row) AS hit_id
                    FROM conversations c LEFT JOIN message_hits h ON h.conversation_id = c.id
                    WHERE h.hit_row IS NOT NULL
                        OR c.row_id IN (SELECT rowid FROM conversation_search WHERE conversation_search MATCH ?1)
                    ORDER BY c.updated_at DESC, c.created_at DESC, c.id
                    LIMIT ?2
                    """,
                arguments: [query, limit])
            let marks = "'\(Snippet.openMark)', '\(Snippet.closeMark)'"
            return try rows.map { row in
                let record = try ConversationRecord(row: row)
                let hitRow: Int64? = row["hit_row"]
                let table = hitRow == nil ? "conversation_search" : "message_search"
                // As a BLOB, so the snippet's length is SQLite's and not where a NUL byte stands.
                // Column -1: from whichever column matched (a message's text, or its tool calls).
                let marked = try StoredText.fetchOne(
                    db,
                    sql: """
                        SELECT CAST(snippet(\(table), -1, \(marks), '…', 12) AS BLOB) FROM \(table)
                        WHERE \(table) MATCH ? AND rowid = ?
                        """,
                    arguments: [query, hitRow ?? row["row_id"]])
                let snippet = marked.flatMap { $0.string.isEmpty ? nil : $0.string } ?? record.title.string
                return SearchHit(
                    conversation: record.conversation, snippet: Snippet(marked: snippet),
                    messageID: (row["hit_id"] as String?).map(MessageID.init))
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

import GRDB

/// Migration v10's data step: before it, a regenerated reply kept its earlier versions as rows with
/// `version_of` naming it (in `position` order, oldest first), and the conversation was one list of
/// current messages. After it, every message names the one it follows, and each earlier version is
/// a sibling of the reply that replaced it, so a conversation opens on the same path it showed.
/// Raw rows only, as every migration: it must run the same way forever. A database opened to read
/// without migrating is read through the same placements (`ConversationStore.transcript`).
enum VersionsToBranches {
    /// Where a message goes in the tree.
    struct Placement {
        var parentID: String?
        var position: Int64
        /// Set on a reply that had versions, so it stays the one shown.
        var chosenAt: Int64?
    }

    private struct Row {
        var id: String
        var conversationID: String
        var versionOf: String?
        var role: String
        var hasToolCalls: Bool
        var createdAt: Int64
    }

    static func migrate(_ db: Database) throws {
        for (id, placement) in try placements(db) {
            try db.execute(
                sql: "UPDATE messages SET parent_id = ?, position = ?, chosen_at = ?, version_of = NULL WHERE id = ?",
                arguments: [placement.parentID, placement.position, placement.chosenAt, id])
        }
    }

    /// Each message's place in its conversation's tree, of one conversation or of all.
    static func placements(_ db: Database, of conversationID: String? = nil) throws -> [String: Placement] {
        let rows = try GRDB.Row.fetchAll(
            db,
            sql: """
                SELECT id, conversation_id, version_of, role, tool_calls != '[]' AS has_calls, created_at
                FROM messages WHERE ?1 IS NULL OR conversation_id = ?1
                ORDER BY conversation_id, version_of IS NOT NULL, position
                """,
            arguments: [conversationID]
        ).map {
            Row(
                id: $0["id"], conversationID: $0["conversation_id"], versionOf: $0["version_of"], role: $0["role"],
                hasToolCalls: $0["has_calls"], createdAt: $0["created_at"])
        }
        let versions = Dictionary(grouping: rows.filter { $0.versionOf != nil }, by: { $0.versionOf! })
        var placements: [String: Placement] = [:]
        var previous: Row?
        var position: Int64 = 0
        for row in rows where row.versionOf == nil {
            if previous?.conversationID != row.conversationID { position = 0 }
            let follows = previous?.conversationID == row.conversationID ? previous?.id : nil
            // The earlier versions come first, as they were written first.
            var before: Row?
            for version in versions[row.id] ?? [] {
                placements[version.id] = Placement(
                    parentID: parent(of: version, after: before) ?? follows, position: position)
                before = version
                position += 1
            }
            // The version shown stays shown: chosen just after the newest of its siblings was made.
            let newest = (versions[row.id] ?? []).map(\.createdAt).max()
            placements[row.id] = Placement(
                parentID: follows, position: position, chosenAt: newest.map { max($0, row.createdAt) + 1 })
            position += 1
            previous = row
        }
        return placements
    }

    /// A version that was a later round of the same reply (a tool message after the reply that
    /// called tools, the reply after the results) follows the version before it; any other is a
    /// sibling of the reply that replaced it.
    private static func parent(of version: Row, after before: Row?) -> String? {
        guard let before else { return nil }
        let continues =
            (version.role == "tool" && before.role == "assistant" && before.hasToolCalls)
            || (version.role == "assistant" && before.role == "tool")
        return continues ? before.id : nil
    }
}

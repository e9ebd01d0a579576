import GRDB

/// The database's shape, one named migration at a time. Migrations are append-only and never
/// use app types, so an old database upgrades the same way forever.
///
/// Rows have a stable `row_id INTEGER PRIMARY KEY` beside their text `id` because the
/// full-text indexes point at rows by integer, and VACUUM may renumber implicit rowids.
///
/// A conversation's messages are a tree: `parent_id` names the message each follows (NULL for a
/// first message), siblings are its branches, and `chosen_at` is when the user last chose one
/// (NULL: never, so it counts from `created_at`). `position` is the order messages were written
/// in. `version_of` is left from before v10 and always NULL since.
enum StoreSchema {
    /// Written into the file header so a Parley database is told apart from any other SQLite
    /// file ('PRLY').
    static let applicationID: Int32 = 0x5052_4C59

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN thinking_ms INTEGER")
        }
        // Where a conversation's replies are requested; NULL (older rows) means the provider's
        // configured address.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: "ALTER TABLE conversations ADD COLUMN base_url TEXT")
        }
        // The reasoning setting of a conversation's new replies, and the one each reply was asked
        // with: "auto", "off", "low", "medium", "high" or a token budget; NULL (older rows) is auto.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: "ALTER TABLE conversations ADD COLUMN reasoning TEXT")
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN reasoning TEXT")
        }
        // A `tool` message's results (JSON: call_id, name, content, is_error); NULL for every
        // other message, and for every row written before tools.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN tool_results TEXT")
        }
        // Search finds what a reply asked tools for: the index gains the tool calls (their names
        // and arguments), and is built again from the messages.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: v6)
        }
        // The files user messages carry: each content once, by its SHA-256, however many messages
        // (in however many conversations) attach it; a message's links name them in order.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: v7)
        }
        // What a reply cost to make: the input written to the prompt cache, and the cost the
        // provider stated (US dollars); NULL for older rows and where nothing was said.
        migrator.registerMigration("v8") { db in
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN cache_write_tokens INTEGER")
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN stated_cost REAL")
        }
        // A message's part in compacting its conversation ('request' or 'summary'); NULL for the rest.
        migrator.registerMigration("v9") { db in
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN compaction TEXT")
        }
        // A conversation is a tree: the message each follows, and when a branch was last chosen.
        // Earlier versions of a regenerated reply become its siblings (`VersionsToBranches`).
        migrator.registerMigration("v10") { db in
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN parent_id TEXT")
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN chosen_at INTEGER")
            try db.execute(sql: "CREATE INDEX messages_by_parent ON messages(parent_id)")
            try VersionsToBranches.migrate(db)
        }
        // The conversation list's summary of each conversation (its count and last message's
        // status) from the index alone: without it, start-up read every message's row.
        migrator.registerMigration("v11") { db in
            try db.execute(sql: "CREATE INDEX messages_by_position ON messages(conversation_id, position, status)")
        }
        // A reply is indexed for search once it has ended, not at each checkpoint while it streams:
        // every save took the last text out of the index and put the longer one in, so a long
        // reply cost work that grew with the square of its length, and a third of a save's.
        migrator.registerMigration("v12") { db in
            try db.execute(sql: v12)
        }
        return migrator
    }()

    static var knownMigrations: [String] { migrator.migrations }

    /// A content goes when its last link does: the triggers fire for the links a deleted message
    /// takes along (foreign-key cascades fire triggers), so deleting a conversation frees the
    /// files no other message uses. The contents' own table is not WITHOUT ROWID: its rows are
    /// large, which SQLite advises against there.
    private static let v7 = """
        CREATE TABLE attachment_contents (
            sha256 TEXT NOT NULL PRIMARY KEY,
            media_type TEXT NOT NULL,
            bytes BLOB NOT NULL
        );
        CREATE TABLE message_attachments (
            message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES attachment_contents(sha256),
            PRIMARY KEY (message_id, position)
        );
        CREATE INDEX message_attachments_by_content ON message_attachments(sha256);
        CREATE TRIGGER attachment_contents_released AFTER DELETE ON message_attachments
        WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256) BEGIN
            DELETE FROM attachment_contents WHERE sha256 = old.sha256;
        END;
        CREATE TRIGGER attachment_contents_replaced AFTER UPDATE OF sha256 ON message_attachments
        WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256) BEGIN
            DELETE FROM attachment_contents WHERE sha256 = old.sha256;
        END;
        """

    /// Live means `pending` or `streaming`: such a message has no search entry. Interrupting it
    /// at start-up (a change of `status`) indexes it like any that ended.
    private static let v12 = """
        DROP TRIGGER messages_indexed;
        DROP TRIGGER messages_unindexed;
        DROP TRIGGER messages_reindexed;
        INSERT INTO message_search(message_search, rowid, text, tool_calls)
            SELECT 'delete', row_id, text, tool_calls FROM messages WHERE status IN ('pending', 'streaming');
        CREATE TRIGGER messages_indexed AFTER INSERT ON messages
        WHEN new.status NOT IN ('pending', 'streaming') BEGIN
            INSERT INTO message_search(rowid, text, tool_calls) VALUES (new.row_id, new.text, new.tool_calls);
        END;
        CREATE TRIGGER messages_unindexed AFTER DELETE ON messages
        WHEN old.status NOT IN ('pending', 'streaming') BEGIN
            INSERT INTO message_search(message_search, rowid, text, tool_calls)
                VALUES ('delete', old.row_id, old.text, old.tool_calls);
        END;
        CREATE TRIGGER messages_reindexed AFTER UPDATE OF text, tool_calls, status ON messages
        WHEN old.status NOT IN ('pending', 'streaming') OR new.status NOT IN ('pending', 'streaming') BEGIN
            INSERT INTO message_search(message_search, rowid, text, tool_calls)
                SELECT 'delete', old.row_id, old.text, old.tool_calls WHERE old.status NOT IN ('pending', 'streaming');
            INSERT INTO message_search(rowid, text, tool_calls)
                SELECT new.row_id, new.text, new.tool_calls WHERE new.status NOT IN ('pending', 'streaming');
        END;
        """

    private static let v6 = """
        DROP TRIGGER messages_indexed;
        DROP TRIGGER messages_unindexed;
        DROP TRIGGER messages_reindexed;
        DROP TABLE message_search;
        CREATE VIRTUAL TABLE message_search USING fts5(
            text, tool_calls, content='messages', content_rowid='row_id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_indexed AFTER INSERT ON messages BEGIN
            INSERT INTO message_search(rowid, text, tool_calls) VALUES (new.row_id, new.text, new.tool_calls);
        END;
        CREATE TRIGGER messages_unindexed AFTER DELETE ON messages BEGIN
            INSERT INTO message_search(message_search, rowid, text, tool_calls)
                VALUES ('delete', old.row_id, old.text, old.tool_calls);
        END;
        CREATE TRIGGER messages_reindexed AFTER UPDATE OF text, tool_calls ON messages BEGIN
            INSERT INTO message_search(message_search, rowid, text, tool_calls)
                VALUES ('delete', old.row_id, old.text, old.tool_calls);
            INSERT INTO message_search(rowid, text, tool_calls) VALUES (new.row_id, new.text, new.tool_calls);
        END;
        INSERT INTO message_search(message_search) VALUES ('rebuild');
        """

    private static let v1 = """
        CREATE TABLE conversations (
            row_id INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            system_prompt TEXT
        );
        CREATE INDEX conversations_by_activity ON conversations(updated_at DESC, created_at DESC);

        CREATE TABLE messages (
            row_id INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            version_of TEXT REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            role TEXT NOT NULL,
            status TEXT NOT NULL,
            text TEXT NOT NULL,
            thinking TEXT NOT NULL,
            redacted_thinking INTEGER NOT NULL,
            tool_calls TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            provider TEXT,
            model TEXT,
            input_tokens INTEGER,
            output_tokens INTEGER,
            reasoning_tokens INTEGER,
            cached_tokens INTEGER,
            usage_estimated INTEGER,
            stop_reason TEXT,
            stop_raw TEXT,
            error_kind TEXT,
            error_message TEXT,
            error_status INTEGER,
            error_retry_after REAL,
            ttft_ms INTEGER,
            duration_ms INTEGER
        );
        CREATE INDEX messages_in_order ON messages(conversation_id, version_of, position);
        CREATE INDEX messages_by_version ON messages(version_of);
        -- Live replies are few; this keeps start-up's interrupted marking and the list's
        -- status summary from reading every message.
        CREATE INDEX messages_live ON messages(conversation_id) WHERE status IN ('pending', 'streaming');

        CREATE VIRTUAL TABLE conversation_search USING fts5(
            title, content='conversations', content_rowid='row_id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER conversations_indexed AFTER INSERT ON conversations BEGIN
            INSERT INTO conversation_search(rowid, title) VALUES (new.row_id, new.title);
        END;
        CREATE TRIGGER conversations_unindexed AFTER DELETE ON conversations BEGIN
            INSERT INTO conversation_search(conversation_search, rowid, title) VALUES ('delete', old.row_id, old.title);
        END;
        CREATE TRIGGER conversations_reindexed AFTER UPDATE OF title ON conversations BEGIN
            INSERT INTO conversation_search(conversation_search, rowid, title) VALUES ('delete', old.row_id, old.title);
            INSERT INTO conversation_search(rowid, title) VALUES (new.row_id, new.title);
        END;

        CREATE VIRTUAL TABLE message_search USING fts5(
            text, content='messages', content_rowid='row_id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER messages_indexed AFTER INSERT ON messages BEGIN
            INSERT INTO message_search(rowid, text) VALUES (new.row_id, new.text);
        END;
        CREATE TRIGGER messages_unindexed AFTER DELETE ON messages BEGIN
            INSERT INTO message_search(message_search, rowid, text) VALUES ('delete', old.row_id, old.text);
        END;
        CREATE TRIGGER messages_reindexed AFTER UPDATE OF text ON messages BEGIN
            INSERT INTO message_search(message_search, rowid, text) VALUES ('delete', old.row_id, old.text);
            INSERT INTO message_search(rowid, text) VALUES (new.row_id, new.text);
        END;
        """
}

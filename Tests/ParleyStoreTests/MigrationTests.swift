import Foundation
import GRDB
import ParleyCore
import Testing

@testable import ParleyStore

@Suite("Opening and migrating the database")
struct MigrationTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    @Test("A first start creates the folders (0700), the file in WAL mode, and every migration")
    func firstStart() async throws {
        let path = folder.path + "/deeper/parley/parley.sqlite"
        let repository = try ConversationRepository.open(at: path)

        let mode = try FileManager.default.attributesOfItem(atPath: folder.path + "/deeper/parley")[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o700)
        let journal = try await repository.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let applied = try await repository.pool.read { try StoreSchema.migrator.appliedIdentifiers($0) }
        #expect(applied == ["v1", "v2"])
        #expect(try await repository.conversations().isEmpty)
    }

    @Test("Opening again keeps what was saved and migrates nothing twice")
    func reopen() async throws {
        try await folder.open().saveConversation(Sample.conversation("c1"))
        let again = try folder.open()
        #expect(try await again.conversations().map(\.conversation.id) == [ConversationID("c1")])
    }

    @Test("The schema is exactly the one in this snapshot (a change needs a new migration)")
    func schemaSnapshot() async throws {
        let repository = try folder.open()
        let dump = try await repository.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master ORDER BY type, name").map { row in
                "\(row["type"] as String) \(row["name"] as String)\n\((row["sql"] as String?) ?? "-")"
            }.joined(separator: "\n\n")
        }
        #expect(dump == expectedSchema)
        let applicationID = try await repository.pool.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }
        #expect(applicationID == StoreSchema.applicationID)
    }

    @Test("A database from a newer Parley is refused, named, and left as it was")
    func newerSchemaRefused() async throws {
        let repository = try folder.open()
        try await repository.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-future')")
        }
        try repository.pool.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.databasePath))

        let error = #expect(throws: StoreError.self) { try folder.open() }
        #expect(error == .newerVersion(path: folder.databasePath, unknownMigrations: ["v2-future"]))
        #expect(error?.description.contains("newer version of Parley") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == before)
    }

    @Test("Another program's SQLite database is never migrated over")
    func foreignDatabaseRefused() throws {
        let queue = try DatabaseQueue(path: folder.databasePath)
        try queue.write { try $0.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine')") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.databasePath))

        let error = #expect(throws: StoreError.self) { try folder.open() }
        guard case .damaged(let path, _) = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(path == folder.databasePath)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == before)
    }
}

private let expectedSchema = """
    index conversations_by_activity
    CREATE INDEX conversations_by_activity ON conversations(updated_at DESC, created_at DESC)

    index messages_by_version
    CREATE INDEX messages_by_version ON messages(version_of)

    index messages_in_order
    CREATE INDEX messages_in_order ON messages(conversation_id, version_of, position)

    index messages_live
    CREATE INDEX messages_live ON messages(conversation_id) WHERE status IN ('pending', 'streaming')

    index sqlite_autoindex_conversations_1
    -

    index sqlite_autoindex_grdb_migrations_1
    -

    index sqlite_autoindex_messages_1
    -

    table conversation_search
    CREATE VIRTUAL TABLE conversation_search USING fts5(
        title, content='conversations', content_rowid='row_id', tokenize='unicode61 remove_diacritics 2'
    )

    table conversation_search_config
    CREATE TABLE 'conversation_search_config'(k PRIMARY KEY, v) WITHOUT ROWID

    table conversation_search_data
    CREATE TABLE 'conversation_search_data'(id INTEGER PRIMARY KEY, block BLOB)

    table conversation_search_docsize
    CREATE TABLE 'conversation_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB)

    table conversation_search_idx
    CREATE TABLE 'conversation_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID

    table conversations
    CREATE TABLE conversations (
        row_id INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        system_prompt TEXT
    )

    table grdb_migrations
    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)

    table message_search
    CREATE VIRTUAL TABLE message_search USING fts5(
        text, content='messages', content_rowid='row_id', tokenize='unicode61 remove_diacritics 2'
    )

    table message_search_config
    CREATE TABLE 'message_search_config'(k PRIMARY KEY, v) WITHOUT ROWID

    table message_search_data
    CREATE TABLE 'message_search_data'(id INTEGER PRIMARY KEY, block BLOB)

    table message_search_docsize
    CREATE TABLE 'message_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB)

    table message_search_idx
    CREATE TABLE 'message_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID

    table messages
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
    , thinking_ms INTEGER)

    trigger conversations_indexed
    CREATE TRIGGER conversations_indexed AFTER INSERT ON conversations BEGIN
        INSERT INTO conversation_search(rowid, title) VALUES (new.row_id, new.title);
    END

    trigger conversations_reindexed
    CREATE TRIGGER conversations_reindexed AFTER UPDATE OF title ON conversations BEGIN
        INSERT INTO conversation_search(conversation_search, rowid, title) VALUES ('delete', old.row_id, old.title);
        INSERT INTO conversation_search(rowid, title) VALUES (new.row_id, new.title);
    END

    trigger conversations_unindexed
    CREATE TRIGGER conversations_unindexed AFTER DELETE ON conversations BEGIN
        INSERT INTO conversation_search(conversation_search, rowid, title) VALUES ('delete', old.row_id, old.title);
    END

    trigger messages_indexed
    CREATE TRIGGER messages_indexed AFTER INSERT ON messages BEGIN
        INSERT INTO message_search(rowid, text) VALUES (new.row_id, new.text);
    END

    trigger messages_reindexed
    CREATE TRIGGER messages_reindexed AFTER UPDATE OF text ON messages BEGIN
        INSERT INTO message_search(message_search, rowid, text) VALUES ('delete', old.row_id, old.text);
        INSERT INTO message_search(rowid, text) VALUES (new.row_id, new.text);
    END

    trigger messages_unindexed
    CREATE TRIGGER messages_unindexed AFTER DELETE ON messages BEGIN
        INSERT INTO message_search(message_search, rowid, text) VALUES ('delete', old.row_id, old.text);
    END
    """

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
        let store = try ConversationStore.open(at: path)

        let mode = try FileManager.default.attributesOfItem(atPath: folder.path + "/deeper/parley")[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o700)
        let journal = try await store.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        let applied = try await store.database.read { try StoreSchema.migrator.appliedIdentifiers($0) }
        #expect(applied == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12"])
        #expect(try await store.conversations().isEmpty)
    }

    @Test("The database and the files beside it are private (0600), also in a folder open to others")
    func privateFiles() async throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(Set(names).isSuperset(of: ["parley.sqlite", "parley.sqlite-wal", "parley.sqlite-shm"]))
        for name in names { #expect(try Self.mode(folder.path + "/" + name) == 0o600, "\(name)") }
    }

    @Test("An existing database open to others is made private when it is opened, to write or to read")
    func tightened() async throws {
        try folder.open().database.close()
        let opens: [() throws -> ConversationStore] = [
            { try folder.open() }, { try ConversationStore.openForReading(at: folder.databasePath) },
        ]
        for (index, open) in opens.enumerated() {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                try FileManager.default.setAttributes(
                    [.posixPermissions: 0o644], ofItemAtPath: folder.path + "/" + name)
            }
            _ = try open()
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                #expect(try Self.mode(folder.path + "/" + name) == 0o600, "\(name), opening \(index)")
            }
        }
    }

    @Test("Opening a database that needs nothing writes nothing, so a lock held by another program costs no open")
    func openingWritesNothing() async throws {
        let first = try folder.open()
        try await first.createConversation(Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])
        try first.database.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.databasePath))

        let again = try folder.open()
        let wal = try FileManager.default.attributesOfItem(atPath: folder.databasePath + "-wal")[.size] as? Int
        #expect(wal == 0, "no page was written")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == before)
        #expect(try await again.conversations().count == 1)
    }

    @Test("A database from before tool calls were searched (v5) finds them once upgraded, and its text still")
    func upgradeFromV5() async throws {
        try await Self.makeDatabase(
            at: folder.databasePath, upTo: "v5",
            holding: """
                INSERT INTO conversations (id, title, created_at, updated_at, provider, model)
                VALUES ('c1', 'Clocks', 1700000000000, 1700000005000, 'openai', 'gpt-4o');
                INSERT INTO messages (
                    id, conversation_id, position, role, status, text, thinking, redacted_thinking, tool_calls,
                    created_at)
                VALUES ('m1', 'c1', 0, 'assistant', 'complete', 'Checking the penguins.', '', 0,
                    '[{"id":"call_1","name":"get_current_time","arguments":"{\\"timezone\\":\\"Asia/Tokyo\\"}"}]',
                    1700000001000);
                """)
        let upgraded = try folder.open()
        #expect(try await upgraded.search("tokyo").map(\.conversation.id.rawValue) == ["c1"])
        #expect(try await upgraded.search("penguins").map(\.conversation.id.rawValue) == ["c1"])
    }

    @Test("A database whose streaming reply was indexed (v11) leaves it out of search until it ends, then finds it")
    func upgradeFromV11WithLiveReply() async throws {
        try await Self.makeDatabase(
            at: folder.databasePath, upTo: "v11",
            holding: """
                INSERT INTO conversations (id, title, created_at, updated_at, provider, model)
                VALUES ('c1', 'Seals', 1700000000000, 1700000005000, 'openai', 'gpt-4o');
                INSERT INTO messages (
                    id, conversation_id, position, role, status, text, thinking, redacted_thinking, tool_calls,
                    created_at)
                VALUES
                    ('m1', 'c1', 0, 'user', 'sent', 'Penguins?', '', 0, '[]', 1700000001000),
                    ('m2', 'c1', 1, 'assistant', 'streaming', 'Walruses bask', '', 0, '[]', 1700000002000);
                """)
        let queue = try DatabaseQueue(path: folder.databasePath)
        try StoreSchema.migrator.migrate(queue)
        let indexed = { (word: String) in
            try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM message_search(?)", arguments: [word]) }
        }
        #expect(try indexed("walruses") == 0)
        #expect(try indexed("penguins") == 1)
        try queue.close()

        // Opened with nobody streaming: the reply is interrupted, and found by what it said.
        let upgraded = try folder.open()
        #expect(try await upgraded.search("walrus").map(\.conversation.id.rawValue) == ["c1"])
        try await upgraded.saveMessage(
            Message(
                id: MessageID("m2"), conversationID: ConversationID("c1"), role: .assistant, status: .complete,
                text: "Narwhals.", createdAt: Sample.time(2), parentID: MessageID("m1")))
        #expect(try await upgraded.search("narwhals").map(\.conversation.id.rawValue) == ["c1"])
        #expect(try await upgraded.search("walrus").isEmpty)
    }

    @Test("A database from before base URLs (v2, as Parley wrote it) reads unchanged without writing, then upgrades")
    func upgradeFromV2() async throws {
        try await Self.makeDatabase(
            at: folder.databasePath, upTo: "v2",
            holding: """
                INSERT INTO conversations (id, title, created_at, updated_at, provider, model, system_prompt)
                VALUES ('c1', 'Old chat', 1700000000000, 1700000005000, 'openai', 'gpt-4o', 'Be brief.');
                INSERT INTO messages (
                    id, conversation_id, position, role, status, text, thinking, redacted_thinking, tool_calls,
                    created_at, provider, model, thinking_ms)
                VALUES
                    ('m1', 'c1', 0, 'user', 'sent', 'Why?', '', 0, '[]', 1700000001000, NULL, NULL, NULL),
                    ('m2', 'c1', 1, 'assistant', 'complete', 'Because.', 'Hmm.', 0, '[]', 1700000002000,
                        'openai', 'gpt-4o', 250);
                """)
        let v2 = try Data(contentsOf: URL(fileURLWithPath: folder.databasePath))
        let conversation = Conversation(
            id: ConversationID("c1"), title: "Old chat", createdAt: Sample.time(0), updatedAt: Sample.time(5),
            provider: "openai", model: "gpt-4o", systemPrompt: "Be brief.")
        let messages = [
            Sample.message("m1", in: "c1", text: "Why?"),
            Message(
                id: MessageID("m2"), conversationID: ConversationID("c1"), role: .assistant, status: .complete,
                text: "Because.", thinking: "Hmm.", createdAt: Sample.time(2), provider: "openai", model: "gpt-4o",
                thinkingDuration: .milliseconds(250), parentID: MessageID("m1")),
        ]

        let reading = try ConversationStore.openForReading(at: folder.databasePath)
        #expect(
            try await reading.transcript(of: conversation.id)
                == Transcript(conversation: conversation, messages: messages))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == v2)

        let upgraded = try folder.open()
        let applied = try await upgraded.database.read { try StoreSchema.migrator.appliedIdentifiers($0) }
        #expect(applied == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12"])
        #expect(
            try await upgraded.transcript(of: conversation.id)
                == Transcript(conversation: conversation, messages: messages))
    }

    @Test(
        "A database with regenerated replies' versions (v9) reads on the same path, read-only and upgraded, versions as branches"
    )
    func upgradeFromV9() async throws {
        // m2 replaced v1 (regenerated), and was later restored over v2; m4 replaced a tool round
        // (t1 called a tool, t2 its results, t3 the answer) when m3 was edited.
        try await Self.makeDatabase(
            at: folder.databasePath, upTo: "v9",
            holding: """
                INSERT INTO conversations (id, title, created_at, updated_at, provider, model)
                VALUES ('c1', 'Versions', 1700000000000, 1700000009000, 'openai', 'gpt-4o');
                INSERT INTO messages (
                    id, conversation_id, version_of, position, role, status, text, thinking, redacted_thinking,
                    tool_calls, created_at)
                VALUES
                    ('m1', 'c1', NULL, 0, 'user', 'sent', 'Why?', '', 0, '[]', 1700000001000),
                    ('m2', 'c1', NULL, 1, 'assistant', 'complete', 'Because.', '', 0, '[]', 1700000002000),
                    ('v1', 'c1', 'm2', 0, 'assistant', 'complete', 'Walrus.', '', 0, '[]', 1700000001500),
                    ('v2', 'c1', 'm2', 1, 'assistant', 'failed', 'Beca', '', 0, '[]', 1700000003000),
                    ('m3', 'c1', NULL, 2, 'user', 'sent', 'What time is it?', '', 0, '[]', 1700000004000),
                    ('m4', 'c1', NULL, 3, 'assistant', 'complete', 'Noon.', '', 0, '[]', 1700000008000),
                    ('t1', 'c1', 'm4', 0, 'assistant', 'complete', '', '', 0,
                        '[{"id":"call_1","name":"clock","arguments":"{}"}]', 1700000005000),
                    ('t2', 'c1', 'm4', 1, 'tool', 'sent', 'eleven', '', 0, '[]', 1700000006000),
                    ('t3', 'c1', 'm4', 2, 'assistant', 'complete', 'Eleven.', '', 0, '[]', 1700000007000);
                """)
        let reading = try ConversationStore.openForReading(at: folder.databasePath)
        let read = try await reading.transcript(of: ConversationID("c1"))
        #expect(read.path.map(\.id.rawValue) == ["m1", "m2", "m3", "m4"])

        let upgraded = try folder.open()
        let transcript = try await upgraded.transcript(of: ConversationID("c1"))
        #expect(transcript.path.map(\.id.rawValue) == ["m1", "m2", "m3", "m4"])
        #expect(transcript.messages == read.messages)
        let parents = Dictionary(
            uniqueKeysWithValues: transcript.messages.map { ($0.id.rawValue, $0.parentID?.rawValue) })
        #expect(
            parents == [
                "m1": nil, "v1": "m1", "v2": "m1", "m2": "m1", "m3": "m2", "t1": "m3", "t2": "t1", "t3": "t2",
                "m4": "m3",
            ])
        let siblings = ConversationTree.siblings(
            of: transcript.path[1], among: transcript.messages.filter { $0.id != transcript.path[1].id })
        #expect(siblings.map(\.id.rawValue) == ["v1", "m2", "v2"])
        #expect(try await upgraded.search("walrus").first?.messageID == MessageID("v1"))
        let leftOver = try await upgraded.database.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM messages WHERE version_of IS NOT NULL")
        }
        #expect(leftOver == 0)
    }

    @Test("Opening again keeps what was saved and migrates nothing twice")
    func reopen() async throws {
        try await folder.open().createConversation(Sample.conversation("c1"), messages: [])
        let again = try folder.open()
        #expect(try await again.conversations().map(\.conversation.id) == [ConversationID("c1")])
    }

    @Test("The schema is exactly the one in this snapshot (a change needs a new migration)")
    func schemaSnapshot() async throws {
        let store = try folder.open()
        let dump = try await store.database.read { db in
            try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master ORDER BY type, name").map { row in
                "\(row["type"] as String) \(row["name"] as String)\n\((row["sql"] as String?) ?? "-")"
            }.joined(separator: "\n\n")
        }
        #expect(dump == expectedSchema)
        let applicationID = try await store.database.read { try Int32.fetchOne($0, sql: "PRAGMA application_id") }
        #expect(applicationID == StoreSchema.applicationID)
    }

    @Test("A database from a newer Parley is refused, named, and left as it was")
    func newerSchemaRefused() async throws {
        let store = try folder.open()
        try await store.database.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-future')")
        }
        try store.database.close()
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

extension MigrationTests {
    /// A database as an older Parley left it: migrated up to `migration` (in WAL mode, as Parley
    /// writes it), holding what `sql` inserts.
    static func makeDatabase(at path: String, upTo migration: String, holding sql: String) async throws {
        let old = try DatabaseQueue(path: path)
        try await old.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
        try StoreSchema.migrator.migrate(old, upTo: migration)
        try await old.write { try $0.execute(sql: sql) }
        try old.close()
    }

    static func mode(_ path: String) throws -> Int? {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }
}

private let expectedSchema = """
    index conversations_by_activity
    CREATE INDEX conversations_by_activity ON conversations(updated_at DESC, created_at DESC)

    index message_attachments_by_content
    CREATE INDEX message_attachments_by_content ON message_attachments(sha256)

    index messages_by_parent
    CREATE INDEX messages_by_parent ON messages(parent_id)

    index messages_by_position
    CREATE INDEX messages_by_position ON messages(conversation_id, position, status)

    index messages_by_version
    CREATE INDEX messages_by_version ON messages(version_of)

    index messages_in_order
    CREATE INDEX messages_in_order ON messages(conversation_id, version_of, position)

    index messages_live
    CREATE INDEX messages_live ON messages(conversation_id) WHERE status IN ('pending', 'streaming')

    index sqlite_autoindex_attachment_contents_1
    -

    index sqlite_autoindex_conversations_1
    -

    index sqlite_autoindex_grdb_migrations_1
    -

    index sqlite_autoindex_message_attachments_1
    -

    index sqlite_autoindex_messages_1
    -

    table attachment_contents
    CREATE TABLE attachment_contents (
        sha256 TEXT NOT NULL PRIMARY KEY,
        media_type TEXT NOT NULL,
        bytes BLOB NOT NULL
    )

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
    , base_url TEXT, reasoning TEXT)

    table grdb_migrations
    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)

    table message_attachments
    CREATE TABLE message_attachments (
        message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES attachment_contents(sha256),
        PRIMARY KEY (message_id, position)
    )

    table message_search
    CREATE VIRTUAL TABLE message_search USING fts5(
        text, tool_calls, content='messages', content_rowid='row_id', tokenize='unicode61 remove_diacritics 2'
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
    , thinking_ms INTEGER, reasoning TEXT, tool_results TEXT, cache_write_tokens INTEGER, stated_cost REAL, compaction TEXT, parent_id TEXT, chosen_at INTEGER)

    trigger attachment_contents_released
    CREATE TRIGGER attachment_contents_released AFTER DELETE ON message_attachments
    WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256) BEGIN
        DELETE FROM attachment_contents WHERE sha256 = old.sha256;
    END

    trigger attachment_contents_replaced
    CREATE TRIGGER attachment_contents_replaced AFTER UPDATE OF sha256 ON message_attachments
    WHEN NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256) BEGIN
        DELETE FROM attachment_contents WHERE sha256 = old.sha256;
    END

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
    CREATE TRIGGER messages_indexed AFTER INSERT ON messages
    WHEN new.status NOT IN ('pending', 'streaming') BEGIN
        INSERT INTO message_search(rowid, text, tool_calls) VALUES (new.row_id, new.text, new.tool_calls);
    END

    trigger messages_reindexed
    CREATE TRIGGER messages_reindexed AFTER UPDATE OF text, tool_calls, status ON messages
    WHEN old.status NOT IN ('pending', 'streaming') OR new.status NOT IN ('pending', 'streaming') BEGIN
        INSERT INTO message_search(message_search, rowid, text, tool_calls)
            SELECT 'delete', old.row_id, old.text, old.tool_calls WHERE old.status NOT IN ('pending', 'streaming');
        INSERT INTO message_search(rowid, text, tool_calls)
            SELECT new.row_id, new.text, new.tool_calls WHERE new.status NOT IN ('pending', 'streaming');
    END

    trigger messages_unindexed
    CREATE TRIGGER messages_unindexed AFTER DELETE ON messages
    WHEN old.status NOT IN ('pending', 'streaming') BEGIN
        INSERT INTO message_search(message_search, rowid, text, tool_calls)
            VALUES ('delete', old.row_id, old.text, old.tool_calls);
    END
    """

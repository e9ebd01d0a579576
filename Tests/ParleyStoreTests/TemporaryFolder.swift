import Foundation
import GRDB
import ParleyCore
import ParleyTestSupport

@testable import ParleyStore

/// A fresh folder among the tests' own (`ScratchFolders`), removed as soon as the test lets go of
/// it: nothing else here outlives a test, and a suite opens hundreds of databases.
final class TemporaryFolder {
    let path: String

    init() {
        path = ScratchFolders.path("store")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        try? FileManager.default.removeItem(atPath: path)
    }

    var databasePath: String { path + "/parley.sqlite" }

    /// How many bytes the database's write-ahead log holds: what the writes since the last
    /// checkpoint of the log came to.
    func writeAheadLogSize() throws -> Int {
        try FileManager.default.attributesOfItem(atPath: databasePath + "-wal")[.size] as? Int ?? 0
    }

    func open(busyTimeout: Duration = ConversationStore.standardBusyTimeout) throws -> ConversationStore {
        try ConversationStore.open(at: databasePath, busyTimeout: busyTimeout)
    }
}

extension TemporaryFolder {
    /// Saves a conversation of ten long messages, which fill pages of their own (overflow pages),
    /// and returns those pages' numbers: one can be damaged while the header and the schema stay
    /// whole, so that only a check of every page finds it.
    func saveLongMessages(_ store: ConversationStore) async throws -> [Int] {
        let messages = (0..<10).map {
            Sample.message("m\($0)", in: "c1", text: String(repeating: "word\($0) ", count: 2_000), at: Int64($0))
        }
        try await store.createConversation(Sample.conversation("c1"), messages: messages)
        return try await store.database.read { db in try Int.fetchAll(db, sql: DamagedPages.longMessagePages) }
    }

    /// Scribbles over page `page` of the database file, in place; returns the file's new bytes.
    @discardableResult
    func damage(page: Int) throws -> Data { try DamagedPages.damage(page: page, of: databasePath) }
}

/// Another program's connection, allowed to keep a transaction open between accesses.
func lockHolder(_ folder: TemporaryFolder) throws -> DatabaseQueue {
    var configuration = Configuration()
    configuration.allowsUnsafeTransactions = true
    return try DatabaseQueue(path: folder.databasePath, configuration: configuration)
}

/// Builders that keep the stories short: only what a test is about is spelled out.
enum Sample {
    static func time(_ seconds: Int64) -> Timestamp {
        Timestamp(millisecondsSince1970: 1_700_000_000_000 + seconds * 1000)
    }

    static func conversation(_ id: String, title: String = "A chat", at seconds: Int64 = 0) -> Conversation {
        Conversation(
            id: ConversationID(id), title: title, createdAt: time(seconds), provider: "openai", model: "gpt-4o")
    }

    static func message(
        _ id: String, in conversation: String, role: ChatMessage.Role = .user, status: Message.Status = .sent,
        text: String = "hello", at seconds: Int64 = 1
    ) -> Message {
        Message(
            id: MessageID(id), conversationID: ConversationID(conversation), role: role, status: status, text: text,
            createdAt: time(seconds))
    }
}

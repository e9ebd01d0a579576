import Foundation
import GRDB
import ParleyCore
import Testing

@testable import ParleyStore

@Suite("Failures say what happened and lose nothing already saved")
struct FailureTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    @Test("While another program holds the write lock, saving fails as 'in use' and works once it lets go")
    func locked() async throws {
        let store = try folder.open(busyTimeout: .milliseconds(50))
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let other = try lockHolder(folder)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }

        let error = await #expect(throws: StoreError.self) {
            try await store.saveMessage(Sample.message("m1", in: "c1"))
        }
        #expect(error == .inUse(path: folder.databasePath))
        #expect(error?.description == "the database is in use by another program: \(folder.databasePath)")
        #expect(try await store.conversations().count == 1)

        try other.inDatabase { try $0.execute(sql: "ROLLBACK") }
        try await store.saveMessage(Sample.message("m1", in: "c1"))
        #expect(try await store.transcript(of: ConversationID("c1")).messages.count == 1)
    }

    @Test("Opening while another program holds the write lock works: opening writes nothing it need not")
    func lockedAtOpen() async throws {
        let first = try folder.open()
        try await first.createConversation(Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])
        try first.database.close()
        let other = try lockHolder(folder)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        defer { try? other.inDatabase { try $0.execute(sql: "ROLLBACK") } }

        let store = try folder.open(busyTimeout: .milliseconds(50))
        #expect(try await store.conversations().count == 1)
    }

    @Test("A database with a page damaged in the middle is never written: its first write, and reading, say so")
    func damagedPageInTheMiddle() async throws {
        let store = try folder.open()
        let pages = try await folder.saveLongMessages(store)
        // Closed as a Parley closes it: the mark it leaves must not spare the next the check.
        store.close()
        try #require(PageCheckMark.read(for: folder.databasePath) != nil)
        try #require(!pages.isEmpty)
        let bytes = try folder.damage(page: pages[pages.count / 2])

        let writer = try folder.open()
        let writing = await #expect(throws: StoreError.self) {
            try await writer.createConversation(Sample.conversation("c2"), messages: [Sample.message("n1", in: "c2")])
        }
        let reading = #expect(throws: StoreError.self) {
            _ = try ConversationStore.openForReading(at: folder.databasePath)
        }
        for error in [writing, reading] {
            guard case .damaged(let path, _) = error else {
                Issue.record("expected .damaged, got \(String(describing: error))")
                continue
            }
            #expect(path == folder.databasePath)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == bytes)
        let journal = try FileManager.default.attributesOfItem(atPath: folder.databasePath + "-wal")[.size] as? Int
        #expect(journal == 0, "not a page was written")
        writer.close()
        #expect(PageCheckMark.trusted(for: folder.databasePath) == nil, "no mark vouches for a damaged file")
    }

    @Test(
        "A read-only database file is refused with its path",
        .enabled(if: getuid() != 0, "root can write to read-only files"))
    func readOnlyFile() throws {
        try folder.open().database.close()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: folder.databasePath)

        let error = #expect(throws: StoreError.self) { try folder.open() }
        #expect(error == .readOnly(path: folder.databasePath))
        #expect(error?.description == "cannot write to \(folder.databasePath): read-only")
    }

    @Test(
        "A read-only folder is named when the database cannot be created in it",
        .enabled(if: getuid() != 0, "root can write to read-only folders"))
    func readOnlyFolder() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        #expect(throws: StoreError.readOnly(path: folder.path)) { try folder.open() }
    }

    @Test(
        "A data folder that cannot be created names the read-only folder above it",
        .enabled(if: getuid() != 0, "root can write to read-only folders"))
    func readOnlyParent() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        #expect(throws: StoreError.readOnly(path: folder.path)) {
            try ConversationStore.open(at: folder.path + "/parley/parley.sqlite")
        }
    }

    @Test("When SQLite says the database is read-only, saving fails with 'read-only' and keeps what was saved")
    func readOnlyWhileRunning() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        try await store.database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA query_only = 1") }

        await #expect(throws: StoreError.readOnly(path: folder.databasePath)) {
            try await store.saveMessage(Sample.message("m1", in: "c1"))
        }
        #expect(try await store.conversations().count == 1)
    }

    @Test("A file that is not a database is refused with the advice to move it aside, and never written")
    func corruptFile() throws {
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        try garbage.write(to: URL(fileURLWithPath: folder.databasePath))

        let error = #expect(throws: StoreError.self) { try folder.open() }
        guard case .damaged(let path, _) = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(path == folder.databasePath)
        #expect(error?.description.hasPrefix("\(folder.databasePath) is not a Parley database or is damaged") == true)
        #expect(error?.description.hasSuffix("it was left untouched — move it aside to start fresh") == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == garbage)
        #expect(!FileManager.default.fileExists(atPath: folder.databasePath + "-wal"))
    }

    @Test("An empty file becomes a new database; one shorter than SQLite's header is refused and left as it was")
    func emptyAndTruncatedFiles() async throws {
        #expect(FileManager.default.createFile(atPath: folder.databasePath, contents: Data()))
        let store = try folder.open()
        #expect(try await store.conversations().isEmpty)
        store.close()

        let other = TemporaryFolder()
        let stub = Data("SQLite for".utf8)
        try stub.write(to: URL(fileURLWithPath: other.databasePath))
        let error = #expect(throws: StoreError.self) { try other.open() }
        guard case .damaged(let path, let detail) = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(path == other.databasePath)
        #expect(detail == "not a SQLite file")
        #expect(try Data(contentsOf: URL(fileURLWithPath: other.databasePath)) == stub)
    }

    @Test("A Parley database damaged inside is refused and left as it was")
    func damagedInside() throws {
        try folder.open().database.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: folder.databasePath))
        // Keep the 100-byte header; scribble over the schema on page 1 and everything after it.
        for index in 100..<bytes.count { bytes[index] = 0xA5 }
        try bytes.write(to: URL(fileURLWithPath: folder.databasePath))

        let error = #expect(throws: StoreError.self) { try folder.open() }
        guard case .damaged = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == bytes)
    }

    @Test("When the disk fills up, the save fails with 'disk full' and everything saved before is still there")
    func diskFull() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let saved = Sample.message("m1", in: "c1", text: "kept")
        try await store.saveMessage(saved)
        let pages = try await store.database.read { try Int.fetchOne($0, sql: "PRAGMA page_count") ?? 0 }
        try await store.database.writeWithoutTransaction {
            try $0.execute(sql: "PRAGMA max_page_count = \(pages)")
        }

        let huge = Sample.message("m2", in: "c1", text: String(repeating: "lorem ipsum ", count: 100_000), at: 2)
        let error = await #expect(throws: StoreError.self) { try await store.saveMessage(huge) }
        #expect(error == .diskFull)
        #expect(error?.description == "the disk is full; nothing already saved was lost")
        #expect(try await store.transcript(of: ConversationID("c1")).messages == [saved])
    }
}

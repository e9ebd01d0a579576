import Foundation
import GRDB
import ParleyCore
import Testing

@testable import ParleyStore

@Suite("Pages checked once, not at every start: the mark a closing Parley leaves")
struct PageCheckMarkTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    var mark: PageCheckMark? { PageCheckMark.read(for: folder.databasePath) }

    /// Opens the database, saves one message, and closes it, as one `parley ask` does.
    func ask(_ id: String) async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation(id), messages: [Sample.message("\(id)-m", in: id)])
        store.close()
    }

    @Test(
        "The next Parley trusts the files as the last one left them; once anything else changes them, it reads every page again"
    )
    func trustedUntilChangedElsewhere() async throws {
        try await ask("c1")
        let first = try #require(mark)
        #expect(first.files == StoreFileState(folder.databasePath))

        try await ask("c2")
        let second = try #require(mark)
        #expect(second.checkedAt == first.checkedAt, "trusted, not read through again")
        #expect(second.files != first.files, "the mark follows the files as they were left")

        // Another program writes to the database.
        let other = try DatabaseQueue(path: folder.databasePath)
        try await other.write { db in try db.execute(sql: "UPDATE conversations SET title = 'changed'") }
        try other.close()
        #expect(PageCheckMark.trusted(for: folder.databasePath) == nil)

        try await ask("c3")
        let third = try #require(mark)
        #expect(third.checkedAt != first.checkedAt, "read through again")
        #expect(try await folder.open().conversations().count == 3)
    }

    @Test("A mark a day old, or dated in the future, vouches for nothing")
    func trustedForADay() async throws {
        try await ask("c1")
        let left = try #require(mark)
        let path = folder.databasePath
        #expect(PageCheckMark.trusted(for: path, now: left.checkedAt + 60) != nil)
        #expect(PageCheckMark.trusted(for: path, now: left.checkedAt + PageCheckMark.trustedFor) == nil)
        #expect(PageCheckMark.trusted(for: path, now: left.checkedAt - 60) == nil)

        PageCheckMark(files: left.files, checkedAt: left.checkedAt - PageCheckMark.trustedFor).write(for: path)
        try await ask("c2")
        let renewed = try #require(mark)
        #expect(renewed.checkedAt > left.checkedAt - PageCheckMark.trustedFor, "read through again")
    }

    @Test("Of two Parleys writing at once, the one that closes first leaves no mark: the other changed the files since")
    func twoAtOnce() async throws {
        let first = try folder.open()
        let second = try folder.open()
        try await first.createConversation(Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])
        try await second.createConversation(Sample.conversation("c2"), messages: [Sample.message("m2", in: "c2")])
        first.close()
        #expect(mark == nil)
        second.close()
        #expect(mark?.files == StoreFileState(folder.databasePath))
    }

    @Test("Damage no time on the files shows (a failing disk) passes a mark, not the doctor's reading of every page")
    func doctorReadsEveryPage() async throws {
        let store = try folder.open()
        let pages = try await folder.saveLongMessages(store)
        store.close()
        let left = try #require(mark)
        try #require(!pages.isEmpty)
        try folder.damage(page: pages[pages.count / 2])
        // As if the disk had changed the bytes under a mark that still matched.
        PageCheckMark(files: StoreFileState(folder.databasePath), checkedAt: left.checkedAt).write(
            for: folder.databasePath)

        #expect(throws: Never.self) { _ = try ConversationStore.openForReading(at: folder.databasePath) }
        let error = #expect(throws: StoreError.self) {
            _ = try ConversationStore.openForReading(at: folder.databasePath, trustingMark: false)
        }
        guard case .damaged = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
    }
}

import Clocks
import ParleyCore
import Synchronization
import Testing

@testable import ParleyStore

/// Quitting waits for the app's last saves, briefly, and says so when it is slow.
@Suite("Quitting waits for the last saves, and says why when they are slow")
struct SaveQueueTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    static let save = ChatEffect.createConversation(
        Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])

    @Test("saves written at once: quitting returns, saying nothing")
    func quick() async throws {
        let store = try folder.open()
        let told = Atomic(0)
        let saves = SaveQueue(store) { _, _ in }
        saves.save(Self.save)
        let written = await saves.close(
            waitingAtMost: .seconds(5), tellingAfter: .milliseconds(500), clock: TestClock()
        ) {
            told.add(1, ordering: .relaxed)
        }
        #expect(written)
        #expect(told.load(ordering: .relaxed) == 0)
        #expect(try await store.conversations().map(\.conversation.id) == [ConversationID("c1")])
    }

    @Test("while another program holds the database: told once that saving goes on, then quitting goes on without it")
    func heldElsewhere() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c0"), messages: [])
        let other = try lockHolder(folder)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let clock = TestClock()
        let saves = SaveQueue(store) { _, _ in }
        saves.save(Self.save)
        let told = Atomic(0)
        let closing = Task {
            await saves.close(waitingAtMost: .seconds(5), tellingAfter: .milliseconds(500), clock: clock) {
                told.add(1, ordering: .relaxed)
            }
        }
        // Time passes, however slowly the machine gets to the waits.
        let ticking = Task {
            while !Task.isCancelled {
                await clock.advance(by: .milliseconds(100))
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        let written = await closing.value
        ticking.cancel()
        #expect(!written)
        #expect(told.load(ordering: .relaxed) == 1)
        // The other program lets go: the save that was waiting for it is written after all.
        try other.inDatabase { try $0.execute(sql: "COMMIT") }
        while try await store.conversations().count < 2 { try await Task.sleep(for: .milliseconds(1)) }
    }
}

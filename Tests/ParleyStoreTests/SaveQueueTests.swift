import Clocks
import ParleyCore
import Testing

@testable import ParleyStore

/// Quitting waits for the app's last saves, but not for ever.
@Suite("Quitting waits for the last saves, up to a limit")
struct SaveQueueTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    static let save = ChatEffect.createConversation(
        Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])

    @Test("saves written at once: closing returns when they are")
    func quick() async throws {
        let store = try folder.open()
        let saves = SaveQueue(store) { _, _ in }
        saves.save(Self.save)
        #expect(await saves.close(waitingAtMost: .seconds(5), clock: TestClock()))
        #expect(try await store.conversations().map(\.conversation.id) == [ConversationID("c1")])
    }

    @Test(
        "while another program holds the database, closing gives up at the limit; the save is written once it lets go")
    func heldElsewhere() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c0"), messages: [])
        let other = try lockHolder(folder)
        try other.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
        let clock = TestClock()
        let saves = SaveQueue(store) { _, _ in }
        saves.save(Self.save)
        let closing = Task { await saves.close(waitingAtMost: .seconds(5), clock: clock) }
        // Time passes, however slowly the machine gets to the wait.
        let ticking = Task {
            while !Task.isCancelled {
                await clock.advance(by: .milliseconds(100))
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        let written = await closing.value
        ticking.cancel()
        #expect(!written)
        try other.inDatabase { try $0.execute(sql: "COMMIT") }
        while try await store.conversations().count < 2 { try await Task.sleep(for: .milliseconds(1)) }
    }
}

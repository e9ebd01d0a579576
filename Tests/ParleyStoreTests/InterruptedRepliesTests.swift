import Foundation
import GRDB
import ParleyCore
import Testing

@testable import ParleyStore

@Suite("Replies cut off when the app stopped")
struct InterruptedRepliesTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    @Test("On open, every pending or streaming reply becomes interrupted with its text kept")
    func markedAtOpen() async throws {
        let before = try folder.open()
        try await before.createConversation(Sample.conversation("c1"), messages: [])
        let messages = [
            Sample.message("m1", in: "c1", text: "Tell me a story"),
            Sample.message("m2", in: "c1", role: .assistant, status: .complete, text: "Done.", at: 2),
            Sample.message("m3", in: "c1", role: .assistant, status: .streaming, text: "Once upon a", at: 3),
            Sample.message("m4", in: "c1", role: .assistant, status: .pending, text: "", at: 4),
        ]
        for message in messages { try await before.saveMessage(message) }

        // The app is killed mid-stream: nothing more is written; the next start opens the file.
        let after = try folder.open()

        let statuses = try await after.transcript(of: ConversationID("c1")).messages.map(\.status)
        #expect(statuses == [.sent, .complete, .interrupted, .interrupted])
        let texts = try await after.transcript(of: ConversationID("c1")).messages.map(\.text)
        #expect(texts == messages.map(\.text))
        #expect(try await after.conversations().first?.status == .interrupted)
        #expect(try await after.markInterruptedReplies() == 0)
    }

    @Test("Opening looks for live replies in their own index, not through every message")
    func liveRepliesFoundByTheirIndex() async throws {
        let store = try folder.open()
        try await store.createConversation(
            Sample.conversation("c1"),
            messages: (0..<200).map { Sample.message("m\($0)", in: "c1", text: "Message \($0)", at: Int64($0)) })
        let plan = try await store.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + StoreInspection.liveReplies).map {
                $0["detail"] as String
            }
        }
        #expect(plan.contains { $0.contains("USING INDEX messages_live") }, "\(plan)")
        #expect(
            try await store.read { db in try StoreInspection.contents(db, path: store.path) }.hasLiveReplies == false)
    }

    @Test("a reply another running Parley is still streaming is not called interrupted; once it is gone, it is")
    func liveElsewhere() async throws {
        let writer = try folder.open()
        try await writer.createConversation(Sample.conversation("c1"), messages: [])
        try await writer.saveMessage(Sample.message("m1", in: "c1", text: "Tell me a story"))
        try await writer.saveMessage(
            Sample.message("m2", in: "c1", role: .assistant, status: .streaming, text: "Once", at: 2))
        var lease = StreamingLease.take(forDatabaseAt: writer.path)
        #expect(lease != nil)

        // `parley list` in another terminal, while the reply streams.
        let reader = try folder.open()
        #expect(try await reader.conversations().first?.status == .live)

        // The streaming process dies (the kernel drops its lock); the next start marks the reply.
        lease = nil
        // A child another test forked meanwhile shares the lock's file until it runs its program
        // (the descriptor closes on exec): the lock is gone once every copy of it is.
        var waits = 0
        while !StreamingLease.nobodyStreams(intoDatabaseAt: writer.path), waits < 10_000 {
            waits += 1
            try await Task.sleep(for: .milliseconds(1))
        }
        let nextStart = try folder.open()
        #expect(try await nextStart.conversations().first?.status == .interrupted)
    }

    @Test(
        "read without writing, a reply left streaming by a Parley that is gone shows as interrupted; the file is unchanged"
    )
    func interruptedWhenRead() async throws {
        let writer = try folder.open()
        try await writer.createConversation(
            Sample.conversation("c1"),
            messages: [
                Sample.message("m1", in: "c1", text: "Tell me a story"),
                Sample.message("m2", in: "c1", role: .assistant, status: .streaming, text: "Once", at: 2),
            ])
        try writer.database.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: folder.databasePath))

        let reader = try ConversationStore.openForReading(at: folder.databasePath)
        #expect(try await reader.conversations().first?.status == .interrupted)
        let reply = try await reader.transcript(of: ConversationID("c1")).messages.last
        #expect(reply?.status == .interrupted)
        #expect(reply?.text == "Once")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.databasePath)) == before)
    }
}

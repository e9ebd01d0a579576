import Foundation
import GRDB
import ParleyCore
import Testing

@testable import ParleyStore

/// Parley's attachments, not Swift Testing's (one name for the whole test module).
typealias Attachment = ParleyCore.Attachment

@Suite("Attachments are saved once by their content, come back in order, and go when nothing uses them")
struct AttachmentStorageTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    static let notes = Attachment(name: "notes.md", kind: .text, bytes: Array("# Plan\nship it\n".utf8))
    static let shot = Attachment(
        name: "shot.png", kind: .image(.png), bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
    static let paper = Attachment(name: "paper.pdf", kind: .pdf, bytes: Array("%PDF-1.7\n\0binary\u{FF}".utf8))

    static func message(
        _ id: String, in conversation: String, status: Message.Status = .sent, attaching attachments: [Attachment]
    ) -> Message {
        var message = Sample.message(id, in: conversation, status: status)
        message.attachments = attachments
        return message
    }

    /// Rows in the contents table and the links table.
    static func counts(_ store: ConversationStore) async throws -> (contents: Int, links: Int) {
        try await store.database.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM attachment_contents") ?? -1,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM message_attachments") ?? -1
            )
        }
    }

    @Test("A message with a text file, an image and a PDF comes back with all three, in order, byte for byte")
    func roundTrip() async throws {
        let store = try folder.open()
        let message = Self.message("m1", in: "c1", attaching: [Self.notes, Self.shot, Self.paper])
        let reply = Sample.message("m2", in: "c1", role: .assistant, status: .complete, text: "Read them.", at: 2)
        try await store.createConversation(Sample.conversation("c1"), messages: [message, reply])

        let transcript = try await store.transcript(of: ConversationID("c1"))
        #expect(transcript.messages == [message, reply])
    }

    @Test("The same file attached twice in a message and again in another conversation is stored once")
    func storedOnce() async throws {
        let store = try folder.open()
        let first = Self.message("m1", in: "c1", attaching: [Self.notes, Self.notes])
        var renamed = Self.notes
        renamed.name = "copy of notes.md"
        let second = Self.message("n1", in: "c2", attaching: [renamed])
        try await store.createConversation(Sample.conversation("c1"), messages: [first])
        try await store.createConversation(Sample.conversation("c2"), messages: [second])

        let counts = try await Self.counts(store)
        #expect(counts.contents == 1)
        #expect(counts.links == 3)
        #expect(try await store.transcript(of: ConversationID("c1")).messages == [first])
        #expect(try await store.transcript(of: ConversationID("c2")).messages == [second])
    }

    @Test("Deleting a conversation keeps the files another one uses; deleting that one too removes them")
    func deleteCascade() async throws {
        let store = try folder.open()
        try await store.createConversation(
            Sample.conversation("c1"), messages: [Self.message("m1", in: "c1", attaching: [Self.notes, Self.shot])])
        try await store.createConversation(
            Sample.conversation("c2"), messages: [Self.message("n1", in: "c2", attaching: [Self.notes])])

        try await store.delete(ConversationID("c1"))
        let left = try await store.database.read { db in
            try String.fetchAll(db, sql: "SELECT sha256 FROM attachment_contents")
        }
        #expect(left == [Self.notes.sha256])
        #expect(try await store.transcript(of: ConversationID("c2")).messages.first?.attachments == [Self.notes])

        try await store.delete(ConversationID("c2"))
        let counts = try await Self.counts(store)
        #expect(counts.contents == 0)
        #expect(counts.links == 0)
    }

    @Test("Saving a message again (its status changed) keeps its files once; fewer files let the dropped one go")
    func savedAgain() async throws {
        let store = try folder.open()
        let sending = Self.message("m1", in: "c1", status: .sending, attaching: [Self.notes, Self.paper])
        try await store.createConversation(Sample.conversation("c1"), messages: [sending])
        var sent = sending
        sent.status = .sent
        try await store.saveMessage(sent)
        try await store.saveMessage(sent)

        var counts = try await Self.counts(store)
        #expect(counts.contents == 2)
        #expect(counts.links == 2)
        #expect(try await store.transcript(of: ConversationID("c1")).messages == [sent])

        var fewer = sent
        fewer.attachments = [Self.shot]
        try await store.saveMessage(fewer)
        counts = try await Self.counts(store)
        #expect(counts.contents == 1)
        #expect(counts.links == 1)
        #expect(try await store.transcript(of: ConversationID("c1")).messages == [fewer])
    }

    @Test("A saved file of a type Parley does not know reads as a damaged database, not as a guess")
    func unknownType() async throws {
        let store = try folder.open()
        try await store.createConversation(
            Sample.conversation("c1"), messages: [Self.message("m1", in: "c1", attaching: [Self.shot])])
        try await store.database.write { db in
            try db.execute(sql: "UPDATE attachment_contents SET media_type = 'image/bmp'")
        }

        let error = await #expect(throws: StoreError.self) {
            _ = try await store.transcript(of: ConversationID("c1"))
        }
        guard case .damaged(let path, let detail) = error else {
            Issue.record("expected .damaged, got \(String(describing: error))")
            return
        }
        #expect(path == folder.databasePath)
        #expect(detail.contains("image/bmp"))
    }

    @Test("A database from before attachments (v6) keeps its messages, gains the tables, and saves files")
    func upgradeFromV6() async throws {
        try await MigrationTests.makeDatabase(
            at: folder.databasePath, upTo: "v6",
            holding: """
                INSERT INTO conversations (id, title, created_at, updated_at, provider, model)
                VALUES ('c1', 'A chat', 1700000000000, 1700000001000, 'openai', 'gpt-4o');
                INSERT INTO messages (
                    id, conversation_id, position, role, status, text, thinking, redacted_thinking, tool_calls,
                    created_at)
                VALUES ('m1', 'c1', 0, 'user', 'sent', 'hello', '', 0, '[]', 1700000001000);
                """)

        let reading = try ConversationStore.openForReading(at: folder.databasePath)
        #expect(try await reading.transcript(of: ConversationID("c1")).messages == [Sample.message("m1", in: "c1")])

        let upgraded = try folder.open()
        #expect(try await upgraded.transcript(of: ConversationID("c1")).messages == [Sample.message("m1", in: "c1")])
        let tables = try await upgraded.database.read { db in
            try ["attachment_contents", "message_attachments"].filter { try db.tableExists($0) }
        }
        #expect(tables.count == 2)
        let next = Self.message("m2", in: "c1", attaching: [Self.paper])
        try await upgraded.saveMessage(next)
        #expect(
            try await upgraded.transcript(of: ConversationID("c1")).messages == [Sample.message("m1", in: "c1"), next])
    }
}

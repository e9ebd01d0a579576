import ParleyCore
import ParleyStore
import Testing

@Suite("Listing, finding, renaming and deleting conversations")
struct ConversationListTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    @Test("The list shows the newest activity first, with message counts and what needs attention")
    func listOrderAndSummary() async throws {
        let store = try folder.open()
        for (id, created) in [("quiet", 0), ("failing", 10), ("cut", 20), ("busy", 30), ("empty", 5), ("stopped", 1)] {
            try await store.createConversation(Sample.conversation(id, at: Int64(created)), messages: [])
        }
        try await store.saveMessage(Sample.message("q1", in: "quiet", at: 100))
        try await store.saveMessage(Sample.message("f1", in: "failing", at: 40))
        try await store.saveMessage(
            Sample.message("f2", in: "failing", role: .assistant, status: .failed, at: 41))
        try await store.saveMessage(Sample.message("c1", in: "cut", at: 50))
        try await store.saveMessage(
            Sample.message("c2", in: "cut", role: .assistant, status: .interrupted, at: 51))
        try await store.saveMessage(Sample.message("b1", in: "busy", at: 60))
        try await store.saveMessage(
            Sample.message("b2", in: "busy", role: .assistant, status: .streaming, at: 61))

        try await store.saveMessage(Sample.message("s1", in: "stopped", at: 2))
        try await store.saveMessage(
            Sample.message("s2", in: "stopped", role: .assistant, status: .cancelled, at: 3))

        let list = try await store.conversations()

        #expect(list.map(\.conversation.id.rawValue) == ["quiet", "busy", "cut", "failing", "empty", "stopped"])
        #expect(list.map(\.messageCount) == [1, 2, 2, 2, 0, 2])
        #expect(list.map(\.status) == [.idle, .live, .interrupted, .failed, .idle, .cancelled])
        #expect(list[0].conversation.updatedAt == Sample.time(100))
    }

    @Test("A unique id prefix finds its conversation, like git's short hashes")
    func uniquePrefix() async throws {
        let store = try folder.open()
        for id in ["7kq2m9xa4d", "7kq3aaaaaa", "b00000000"] {
            try await store.createConversation(Sample.conversation(id), messages: [])
        }
        #expect(try await store.findConversation(prefix: "7kq2").id.rawValue == "7kq2m9xa4d")
        #expect(try await store.findConversation(prefix: "b00000000").id.rawValue == "b00000000")
    }

    @Test("An ambiguous prefix names the candidates; an unknown or empty one says nothing matches")
    func ambiguousAndUnknownPrefix() async throws {
        let store = try folder.open()
        for id in ["7kq2m9xa4d", "7kq3aaaaaa"] {
            try await store.createConversation(Sample.conversation(id), messages: [])
        }

        let error = await #expect(throws: StoreError.self) { try await store.findConversation(prefix: "7kq") }
        #expect(
            error == .ambiguousPrefix("7kq", matches: [ConversationID("7kq2m9xa4d"), ConversationID("7kq3aaaaaa")]))
        #expect(error?.description.contains("7kq2m9xa4d, 7kq3aaaaaa") == true)
        await #expect(throws: StoreError.noSuchConversation("zz")) {
            try await store.findConversation(prefix: "zz")
        }
        await #expect(throws: StoreError.noSuchConversation("")) { try await store.findConversation(prefix: "") }
        await #expect(throws: StoreError.noSuchConversation("%")) {
            try await store.findConversation(prefix: "%")
        }
    }

    @Test("Renaming changes the title but not the conversation's place in the list")
    func rename() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1", title: "Old", at: 0), messages: [])
        try await store.rename(ConversationID("c1"), to: "New name")
        let renamed = try await store.transcript(of: ConversationID("c1")).conversation
        #expect(renamed.title == "New name")
        #expect(renamed.updatedAt == Sample.time(0))
        await #expect(throws: StoreError.noSuchConversation("c9")) {
            try await store.rename(ConversationID("c9"), to: "x")
        }
    }

    @Test("Deleting a conversation removes its messages, every branch, and their search entries")
    func deleteCascades() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("gone", title: "Walrus facts"), messages: [])
        try await store.createConversation(Sample.conversation("kept", title: "Other"), messages: [])
        try await store.saveMessage(Sample.message("r1", in: "gone", role: .assistant, text: "walrus teeth"))
        try await store.saveMessage(
            Sample.message("r2", in: "gone", role: .assistant, status: .complete, text: "walrus tusks"))
        try await store.saveMessage(Sample.message("k1", in: "kept", text: "no match here"))
        #expect(try await store.search("walrus").count == 1)

        try await store.delete(ConversationID("gone"))

        #expect(try await store.conversations().map(\.conversation.id.rawValue) == ["kept"])
        #expect(try await store.search("walrus").isEmpty)
        await #expect(throws: StoreError.noSuchConversation("gone")) {
            try await store.transcript(of: ConversationID("gone"))
        }
        // The ids are free again: nothing of the old conversation is left behind.
        try await store.createConversation(Sample.conversation("gone"), messages: [])
        try await store.saveMessage(Sample.message("r1", in: "gone"))
        #expect(try await store.transcript(of: ConversationID("gone")).messages.map(\.id.rawValue) == ["r1"])
        await #expect(throws: StoreError.noSuchConversation("gone2")) {
            try await store.delete(ConversationID("gone2"))
        }
    }

    @Test("A reply's end is one save: the conversation's row and the reply land together, each message reported saved")
    func rowWithMessages() async throws {
        let store = try folder.open()
        var conversation = Sample.conversation("c1", title: "Plans")
        let question = Sample.message("m1", in: "c1", text: "Plans for Kyoto?")
        try await store.createConversation(conversation, messages: [question])

        conversation.title = "Kyoto plans"
        conversation.updatedAt = Sample.time(9)
        let reply = Sample.message("m2", in: "c1", role: .assistant, status: .complete, text: "Day one…", at: 9)
        let outcome = await store.perform(.persistConversation(conversation, messages: [reply]))

        #expect(outcome.reports == [.persisted(reply.id)])
        #expect(outcome.failure == nil)
        let saved = try await store.transcript(of: conversation.id)
        #expect(saved.conversation.title == "Kyoto plans")
        #expect(saved.messages.map(\.text) == ["Plans for Kyoto?", "Day one…"])
        #expect(try await store.search("Day").map(\.messageID) == [reply.id])
    }

    @Test("A late save of a conversation another Parley deleted is dropped: the delete wins, no ghost comes back")
    func deleteWins() async throws {
        let here = try folder.open()
        let elsewhere = try folder.open()
        var conversation = Sample.conversation("c1", title: "Plans")
        let question = Sample.message("m1", in: "c1", text: "Plans for Kyoto?")
        try await here.createConversation(conversation, messages: [question])
        try await elsewhere.delete(conversation.id)

        conversation.updatedAt = Sample.time(9)
        let reply = Sample.message("m2", in: "c1", role: .assistant, status: .complete, text: "Day one…", at: 9)
        await #expect(throws: StoreError.noSuchConversation("c1")) { try await here.saveConversation(conversation) }
        await #expect(throws: StoreError.noSuchConversation("c1")) { try await here.saveMessage(reply) }
        #expect(
            await here.perform(.persistConversation(conversation, messages: [reply])).reports == [
                .conversationDeletedElsewhere(conversation.id)
            ])
        #expect(await here.perform(.persistMessage(reply)).reports == [.conversationDeletedElsewhere(conversation.id)])
        #expect(try await here.conversations().isEmpty)
        #expect(try await here.search("Day").isEmpty)
        #expect(await here.perform(.deleteConversation(conversation.id)).reports.isEmpty, "deleted already: done")
    }
}

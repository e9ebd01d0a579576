import ParleyCore
import ParleyStore
import Testing

@Suite("Searching every conversation")
struct SearchTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    /// Three conversations: one about penguins in the title only, one with penguins in a
    /// message, one about something else; the message one is the most recent.
    private func store() async throws -> ConversationStore {
        let store = try folder.open()
        try await store.createConversation(
            Sample.conversation("title", title: "Penguin migration", at: 0), messages: [])
        try await store.createConversation(Sample.conversation("body", title: "Birds", at: 10), messages: [])
        try await store.createConversation(Sample.conversation("other", title: "Taxes", at: 5), messages: [])
        try await store.saveMessage(
            Sample.message(
                "b1", in: "body", role: .assistant, status: .complete,
                text: "Emperor penguins huddle together through the Antarctic winter to stay warm.", at: 20))
        try await store.saveMessage(Sample.message("o1", in: "other", text: "How do deductions work?", at: 6))
        return store
    }

    @Test("A word in a title or a message finds its conversations, newest first, with a snippet")
    func titleAndBodyHits() async throws {
        let store = try await store()
        let hits = try await store.search("penguin")
        #expect(hits.map(\.conversation.id.rawValue) == ["body", "title"])
        #expect(
            hits[0].snippet.marked() == "Emperor [penguins] huddle together through the Antarctic winter to stay warm.")
        #expect(hits[1].snippet.marked() == "[Penguin] migration")
        #expect(hits[0].snippet.highlights.map { String(hits[0].snippet.text[$0]) } == ["penguins"])
    }

    @Test("Every word must match, accents are ignored, and a word finds longer words it begins")
    func wordsAndAccents() async throws {
        let store = try await store()
        try await store.saveMessage(Sample.message("o2", in: "other", text: "Le café est fermé", at: 7))
        #expect(try await store.search("antarctic emperor").map(\.conversation.id.rawValue) == ["body"])
        #expect(try await store.search("antarctic taxes").isEmpty)
        #expect(try await store.search("cafe ferme").map(\.conversation.id.rawValue) == ["other"])
        #expect(try await store.search("deduct").map(\.conversation.id.rawValue) == ["other"])
    }

    @Test("What a reply asked a tool for is found by its name and arguments, with a snippet from the call")
    func toolCalls() async throws {
        let store = try await store()
        var asked = Sample.message("b2", in: "body", role: .assistant, status: .complete, text: "Checking.", at: 30)
        asked.toolCalls = [ToolCall(id: "call_1", name: "get_current_time", arguments: #"{"timezone":"Asia/Tokyo"}"#)]
        try await store.saveMessage(asked)
        let hits = try await store.search("tokyo")
        #expect(hits.map(\.conversation.id.rawValue) == ["body"])
        #expect(hits.first?.snippet.marked().contains("[Tokyo]") == true)
        #expect(try await store.search("get_current_time").map(\.conversation.id.rawValue) == ["body"])
    }

    @Test("No hit, or nothing to search for, gives an empty result")
    func noHits() async throws {
        let store = try await store()
        #expect(try await store.search("giraffe").isEmpty)
        #expect(try await store.search("   ").isEmpty)
    }

    @Test(
        "FTS syntax in the query is searched as plain text, never an error",
        arguments: [
            "\"", "penguin\"", "NEAR(penguin", "penguin OR taxes", "*", "-penguin", "title:penguin", "AND", "(", "^",
            "'; DROP",
            "penguin + emperor",
        ])
    func specialCharactersAreSafe(query: String) async throws {
        let store = try await store()
        let hits = try await store.search(query)
        // Operators are not obeyed: "penguin OR taxes" needs all three words, which nothing has.
        #expect(!hits.contains { $0.conversation.id.rawValue == "other" })
    }

    @Test("A renamed title is found by its new words only, and an edited message by its new text")
    func indexFollowsEdits() async throws {
        let store = try await store()
        try await store.rename(ConversationID("title"), to: "Walrus colonies")
        #expect(try await store.search("walrus").map(\.conversation.id.rawValue) == ["title"])
        #expect(try await store.search("penguin").map(\.conversation.id.rawValue) == ["body"])
        try await store.saveMessage(
            Sample.message("b1", in: "body", role: .assistant, status: .complete, text: "Rewritten.", at: 20))
        #expect(try await store.search("penguin").isEmpty)
    }

    @Test("A streaming reply is found once it ends or is interrupted, by its last text only")
    func liveRepliesAreFoundOnceEnded() async throws {
        let store = try await store()
        for (seconds, text) in [(Int64(30), "Walruses bask"), (31, "Walruses bask on floating ice")] {
            try await store.saveMessage(
                Sample.message("b2", in: "body", role: .assistant, status: .streaming, text: text, at: seconds))
            #expect(try await store.search("walrus").isEmpty)
        }
        try await store.saveMessage(
            Sample.message("b2", in: "body", role: .assistant, status: .complete, text: "Walruses rest.", at: 32))
        #expect(try await store.search("walrus").map(\.conversation.id.rawValue) == ["body"])
        #expect(try await store.search("floating").isEmpty)

        try await store.saveMessage(
            Sample.message("o2", in: "other", role: .assistant, status: .streaming, text: "Narwhals", at: 40))
        #expect(try await store.search("narwhals").isEmpty)
        #expect(try await store.markInterruptedReplies() == 1)
        #expect(try await store.search("narwhals").map(\.conversation.id.rawValue) == ["other"])
    }

    @Test("A reply deleted while it streams, and one deleted after it ended, leave search consistent")
    func deletingLiveAndEndedReplies() async throws {
        let store = try await store()
        try await store.saveMessage(
            Sample.message("b2", in: "body", role: .assistant, status: .streaming, text: "Walruses", at: 30))
        try await store.deleteBranch(MessageID("b2"))
        try await store.deleteBranch(MessageID("b1"))
        #expect(try await store.search("walrus").isEmpty)
        #expect(try await store.search("emperor").isEmpty)
        #expect(try await store.search("penguin").map(\.conversation.id.rawValue) == ["title"])
    }

    @Test("At most `limit` conversations come back")
    func limit() async throws {
        let store = try await store()
        #expect(try await store.search("penguin", limit: 1).map(\.conversation.id.rawValue) == ["body"])
    }
}

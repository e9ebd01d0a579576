import ParleyCore
import ParleyStore
import Testing

@Suite("Messages come back exactly as they were saved")
struct MessageRoundTripTests {
    /// Lives as long as the test: Swift Testing makes one suite value per test.
    let folder = TemporaryFolder()

    @Test(
        "A reply with every field set — tool calls, estimated usage, raw stop, error, timings, reasoning, summary, unicode"
    )
    func everyField() async throws {
        let store = try folder.open()
        let conversation = Conversation(
            id: ConversationID("c1"), title: "Ünïcødé 🎉 chat", createdAt: Sample.time(0),
            updatedAt: Sample.time(5), provider: "anthropic", model: "claude", systemPrompt: "Be brief.\nAlways.",
            reasoning: .budget(8000))
        try await store.createConversation(conversation, messages: [])
        let reply = Message(
            id: MessageID("m2"), conversationID: conversation.id, role: .assistant, status: .failed,
            text: "Partial answer — 日本語, emoji 👩‍👩‍👧 and a quote \" and a backslash \\", thinking: "Let me think…",
            redactedThinking: 2,
            toolCalls: [
                ToolCall(id: "call_1", name: "weather", arguments: #"{"city":"Zürich"}"#),
                ToolCall(id: "call_2", name: "time", arguments: "not json at all {"),
            ],
            createdAt: Sample.time(3), provider: "anthropic", model: "claude-sonnet", reasoning: .effort(.high),
            usage: Usage(inputTokens: 12, outputTokens: 40, reasoningTokens: 7, cachedTokens: 3, estimated: true),
            stopReason: StopReason(.error, raw: "overloaded_error"),
            error: ProviderError(.overloaded, "Overloaded, try later", status: 529, retryAfter: 2.5),
            timeToFirstToken: .milliseconds(310), duration: .milliseconds(1200), thinkingDuration: .milliseconds(250),
            compaction: .summary)

        try await store.saveMessage(reply)

        let transcript = try await store.transcript(of: conversation.id)
        #expect(transcript.conversation == conversation)
        #expect(transcript.messages == [reply])
    }

    @Test(
        "Texts holding NUL bytes (first, in the middle, last, many) come back whole, and search finds the words after them"
    )
    func nulBytes() async throws {
        let store = try folder.open()
        var conversation = Sample.conversation("c1", title: "Ti\0tle\0")
        conversation.systemPrompt = "\0Be brief.\0"
        try await store.createConversation(conversation, messages: [])
        var messages: [Message] = []
        for (index, text) in ["\0first", "mid\0dle", "last\0", "\0\0many\0\0zeros\0\0", "\0"].enumerated() {
            var message = Sample.message(
                "m\(index)", in: "c1", role: .assistant, status: .failed, text: text, at: Int64(index + 1))
            message.thinking = "think\0ing \(index)"
            message.model = "mo\0del"
            message.stopReason = StopReason(.error, raw: "ra\0w")
            message.error = ProviderError(.server, "server \0said")
            message.toolCalls = [ToolCall(id: "call\0", name: "na\0me", arguments: "{\"a\":\"\0\"}")]
            try await store.saveMessage(message)
            messages.append(message)
        }

        conversation.updatedAt = Sample.time(5)
        let transcript = try await store.transcript(of: conversation.id)
        #expect(transcript.conversation == conversation)
        #expect(transcript.messages == messages)
        #expect(try await store.conversations().map(\.conversation) == [conversation])
        for word in ["dle", "zeros", "tle"] {
            #expect(try await store.search(word).map(\.conversation.id) == [conversation.id], "\(word)")
        }
    }

    @Test("A message with nothing optional set comes back with nothing set")
    func minimalMessage() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let message = Sample.message("m1", in: "c1", text: "")
        try await store.saveMessage(message)
        #expect(try await store.transcript(of: ConversationID("c1")).messages == [message])
    }

    @Test("Saving a streaming reply again updates it in place and keeps its place in the conversation")
    func checkpointsUpsert() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let question = Sample.message("m1", in: "c1", text: "Why?")
        var reply = Sample.message("m2", in: "c1", role: .assistant, status: .streaming, text: "Be", at: 2)
        try await store.saveMessage(question)
        try await store.saveMessage(reply)
        reply.text = "Because."
        reply.status = .complete
        try await store.saveMessage(reply)
        try await store.saveMessage(question)

        #expect(try await store.transcript(of: ConversationID("c1")).messages == [question, reply])
    }

    @Test("Saving a message again writes whatever changed: its parent and its status too")
    func resavedMessageChanges() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let first = Sample.message("m1", in: "c1")
        let second = Sample.message("m2", in: "c1", at: 2)
        var reply = Sample.message("r1", in: "c1", role: .assistant, status: .streaming, text: "Be", at: 3)
        reply.parentID = first.id
        for message in [first, second, reply] { try await store.saveMessage(message) }
        reply.parentID = second.id
        reply.status = .cancelled
        try await store.saveMessage(reply)

        #expect(try await store.transcript(of: ConversationID("c1")).messages == [first, second, reply])
    }

    @Test(
        "A streaming reply's checkpoint writes its own row's page and nothing else: not the indexes', not the conversation's"
    )
    func checkpointWritesOnePage() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [Sample.message("m1", in: "c1")])
        var reply = Sample.message("m2", in: "c1", role: .assistant, status: .streaming, text: "One", at: 2)
        reply.parentID = MessageID("m1")
        try await store.saveMessage(reply)
        let before = try folder.writeAheadLogSize()
        reply.text += " two"
        try await store.saveMessage(reply)

        // A page is written to the log as a frame: its 24-byte header and the page's 4,096 bytes.
        #expect(try folder.writeAheadLogSize() - before == 24 + 4_096)
        #expect(try await store.transcript(of: ConversationID("c1")).messages.last == reply)
    }

    @Test("A tree round-trips: every branch with its parent, and the path is the branch chosen last")
    func treeRoundTrip() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let question = Sample.message("m1", in: "c1")
        var first = Sample.message("r1", in: "c1", role: .assistant, status: .complete, text: "One", at: 2)
        first.parentID = question.id
        var followUp = Sample.message("m3", in: "c1", text: "And?", at: 3)
        followUp.parentID = first.id
        var second = Sample.message("r2", in: "c1", role: .assistant, status: .cancelled, text: "Tw", at: 4)
        second.parentID = question.id
        for message in [question, first, followUp, second] { try await store.saveMessage(message) }

        var transcript = try await store.transcript(of: ConversationID("c1"))
        #expect(transcript.messages == [question, first, followUp, second])
        #expect(transcript.path.map(\.id.rawValue) == ["m1", "r2"])
        #expect(try await store.conversations().first?.messageCount == 4)

        // Choosing the first reply again is saved with it, and keeps its place.
        first.chosenAt = Sample.time(5)
        try await store.saveMessage(first)
        transcript = try await store.transcript(of: ConversationID("c1"))
        #expect(transcript.messages == [question, first, followUp, second])
        #expect(transcript.path.map(\.id.rawValue) == ["m1", "r1", "m3"])
    }

    @Test("Deleting a branch takes the message and everything below it, with their search entries")
    func deleteBranch() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        let question = Sample.message("m1", in: "c1")
        var first = Sample.message("r1", in: "c1", role: .assistant, status: .complete, text: "walrus", at: 2)
        first.parentID = question.id
        var followUp = Sample.message("m3", in: "c1", text: "tusks?", at: 3)
        followUp.parentID = first.id
        var second = Sample.message("r2", in: "c1", role: .assistant, status: .complete, text: "Two", at: 4)
        second.parentID = question.id
        for message in [question, first, followUp, second] { try await store.saveMessage(message) }

        try await store.deleteBranch(first.id)

        #expect(try await store.transcript(of: ConversationID("c1")).messages == [question, second])
        #expect(try await store.search("walrus").isEmpty)
        #expect(try await store.search("tusks").isEmpty)
    }

    @Test("A hundred replies checkpointing at once are all saved, each with its last text")
    func concurrentCheckpoints() async throws {
        let store = try folder.open()
        try await store.createConversation(Sample.conversation("c1"), messages: [])
        try await withThrowingTaskGroup { group in
            for stream in 0..<100 {
                group.addTask {
                    for length in 1...3 {
                        try await store.saveMessage(
                            Sample.message(
                                "r\(stream)", in: "c1", role: .assistant, status: length == 3 ? .complete : .streaming,
                                text: String(repeating: "x", count: length)))
                    }
                }
            }
            try await group.waitForAll()
        }
        let messages = try await store.transcript(of: ConversationID("c1")).messages
        #expect(messages.count == 100)
        #expect(messages.allSatisfy { $0.text == "xxx" && $0.status == .complete })
        #expect(Set(messages.map(\.id)).count == 100)
    }

    @Test("A conversation is written with its first messages in one transaction: when one fails, nothing is left")
    func creationIsOneTransaction() async throws {
        let store = try folder.open()
        let question = Sample.message("m1", in: "c1")
        let stray = Sample.message("m2", in: "elsewhere", at: 2)
        await #expect(throws: StoreError.noSuchConversation("elsewhere")) {
            try await store.createConversation(Sample.conversation("c1"), messages: [question, stray])
        }
        #expect(try await store.conversations().isEmpty)

        let reply = Sample.message("m2", in: "c1", role: .assistant, status: .complete, text: "hi", at: 2)
        #expect(
            await store.perform(.createConversation(Sample.conversation("c1"), messages: [question, reply]))
                .reports
                == [.persisted(question.id), .persisted(reply.id)])
        #expect(try await store.transcript(of: ConversationID("c1")).messages == [question, reply])
    }

    @Test("A message for a conversation that does not exist is refused with the conversation's id")
    func unknownConversation() async throws {
        let store = try folder.open()
        await #expect(throws: StoreError.noSuchConversation("nope")) {
            try await store.saveMessage(Sample.message("m1", in: "nope"))
        }
    }
}

@Suite("Tool rounds are saved and read back whole")
struct ToolRoundStorageTests {
    let folder = TemporaryFolder()

    @Test(
        "a signed call, the tool message's results (one failed) and the next round come back as saved; search finds tool output"
    )
    func toolRound() async throws {
        let store = try folder.open()
        let conversation = Sample.conversation("c1")
        try await store.createConversation(conversation, messages: [])
        var asked = Sample.message("m1", in: "c1", role: .assistant, status: .complete, text: "Checking.", at: 1)
        asked.toolCalls = [
            ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Köln"}"#, signature: "c2ln")
        ]
        let results = Message(
            id: MessageID("m2"), conversationID: conversation.id, role: .tool, status: .sent,
            text: "no such city\n\ndrizzly, 21 °C",
            toolResults: [
                ToolResult(callID: "call_1", name: "get_weather", content: "no such city", isError: true),
                ToolResult(callID: "call_2", name: "get_weather", content: "drizzly, 21 °C"),
            ],
            createdAt: Sample.time(2))
        let answer = Sample.message("m3", in: "c1", role: .assistant, status: .complete, text: "Sunny.", at: 3)
        for message in [asked, results, answer] { try await store.saveMessage(message) }

        #expect(try await store.transcript(of: conversation.id).messages == [asked, results, answer])
        let hits = try await store.search("drizzly")
        #expect(hits.map(\.conversation.id) == [conversation.id])
        #expect(hits.first?.snippet.text.contains("drizzly") == true)
    }
}

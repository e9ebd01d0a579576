import GRDB
import ParleyCore

extension ConversationStore {
    /// Adds `conversations` conversations of `messagesEach` messages
    /// (alternating user and complete assistant replies of a few sentences) in one transaction,
    /// through the same rows and search triggers real saves use. Activity times count up from
    /// `start`, one second per message. Returns the ids made, oldest first.
    @discardableResult
    package func seedForBenchmark(conversations: Int, messagesEach: Int, start: Timestamp) async throws(StoreError)
        -> [ConversationID]
    {
        try await write { db in
            var ids: [ConversationID] = []
            var time = start
            for number in 0..<conversations {
                let id = ConversationID.random()
                let conversation = Conversation(
                    id: id, title: "Benchmark conversation \(number)", createdAt: time,
                    updatedAt: time.adding(.seconds(max(messagesEach - 1, 0))), provider: "demo", model: "demo")
                try ConversationRecord(conversation).insert(db)
                var parent: MessageID?
                for index in 0..<messagesEach {
                    let isUser = index % 2 == 0
                    let message = Message(
                        id: .random(), conversationID: id, role: isUser ? .user : .assistant,
                        status: isUser ? .sent : .complete,
                        text: "Message \(index) of conversation \(number): " + Self.benchmarkSentences,
                        createdAt: time, provider: isUser ? nil : "demo", model: isUser ? nil : "demo",
                        usage: isUser ? nil : Usage(inputTokens: 40, outputTokens: 60),
                        stopReason: isUser ? nil : StopReason(.endTurn, raw: "stop"), parentID: parent)
                    try MessageRecord(message, position: Int64(index)).upsert(db)
                    parent = message.id
                    time = time.adding(.seconds(1))
                }
                ids.append(id)
            }
            return ids
        }
    }

    private static let benchmarkSentences =
        "Streaming replies arrive in batches every fifty milliseconds. The store keeps a checkpoint every second, "
        + "and search finds any word of any message in an instant."
}

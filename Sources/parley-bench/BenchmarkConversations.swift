import ParleyCore
import ParleyStore

/// The saved conversations the database benchmark opens, written as a user's are: each
/// conversation with its messages through `createConversation`, so the same rows and search
/// triggers fill.
enum BenchmarkConversations {
    /// Adds `conversations` conversations of `messagesEach` messages (alternating user and complete
    /// assistant replies of a few sentences, each following the one before). Activity times count up
    /// from `start`, one second per message.
    static func seed(
        _ store: ConversationStore, conversations: Int, messagesEach: Int, start: Timestamp
    ) async throws(StoreError) {
        var time = start
        for number in 0..<conversations {
            let id = ConversationID.random()
            let conversation = Conversation(
                id: id, title: "Benchmark conversation \(number)", createdAt: time,
                updatedAt: time.adding(.seconds(max(messagesEach - 1, 0))), provider: "demo", model: "demo")
            var messages: [Message] = []
            for index in 0..<messagesEach {
                let isUser = index % 2 == 0
                messages.append(
                    Message(
                        id: .random(), conversationID: id, role: isUser ? .user : .assistant,
                        status: isUser ? .sent : .complete,
                        text: "Message \(index) of conversation \(number): " + sentences,
                        createdAt: time, provider: isUser ? nil : "demo", model: isUser ? nil : "demo",
                        usage: isUser ? nil : Usage(inputTokens: 40, outputTokens: 60),
                        stopReason: isUser ? nil : StopReason(.endTurn, raw: "stop"), parentID: messages.last?.id))
                time = time.adding(.seconds(1))
            }
            try await store.createConversation(conversation, messages: messages)
        }
    }

    private static let sentences =
        "Streaming replies arrive in batches every fifty milliseconds. The store keeps a checkpoint every second, "
        + "and search finds any word of any message in an instant."
}

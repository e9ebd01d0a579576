import ParleyCore

/// A reply the relay passed on, as `parley serve --save` keeps it: the conversation the client
/// sent (each request carries its whole history) and the reply, to be saved as a conversation of
/// its own that `parley list` and the app show.
public struct RelayedReply: Equatable, Sendable {
    public var route: RelayRoute
    /// What was asked of the provider (its model, the system prompt and the messages).
    public var chat: ChatRequest
    /// The reply's events in order.
    public var events: [StreamEvent]
    public var duration: Duration

    public init(route: RelayRoute, chat: ChatRequest, events: [StreamEvent], duration: Duration) {
        self.route = route
        self.chat = chat
        self.events = events
        self.duration = duration
    }

    /// The conversation and its messages, the reply last, with the ids (`messageID` of each
    /// message's place) and time given: the caller's, so this stays a function of its input.
    /// Titled by the first user message, as the app titles one.
    public func conversation(id: ConversationID, messageID: (Int) -> MessageID, at time: Timestamp) -> (
        Conversation, [Message]
    ) {
        let provider = route.choice.preset.name
        let firstQuestion = chat.messages.first { $0.role == .user }?.content ?? ""
        let conversation = Conversation(
            id: id, title: Conversation.title(from: firstQuestion), createdAt: time, provider: provider,
            model: chat.model, systemPrompt: chat.system,
            baseURL: route.choice.preset.isDemo ? nil : route.choice.endpoint.baseURL, reasoning: chat.reasoning)
        var messages = chat.messages.enumerated().map { place, sent in
            Message(
                id: messageID(place), conversationID: id, role: sent.role,
                status: sent.role == .user ? .sent : .complete,
                text: sent.content, thinking: sent.thinking, toolCalls: sent.toolCalls, toolResults: sent.toolResults,
                attachments: sent.attachments, createdAt: time)
        }
        let reply = ChatMessage(replyOf: events)
        let failure = events.lazy.compactMap { if case .error(let error) = $0 { error } else { nil } }.first
        let stop = events.lazy.compactMap { if case .stop(let reason) = $0 { reason } else { nil } }.last
        let status: Message.Status =
            failure != nil ? .failed : stop?.kind == .cancelled ? .cancelled : .complete
        messages.append(
            Message(
                id: messageID(chat.messages.count),
                conversationID: id, role: .assistant, status: status, text: reply.content, thinking: reply.thinking,
                redactedThinking: events.filter { $0 == .redactedThinking }.count, toolCalls: reply.toolCalls,
                createdAt: time, provider: provider, model: chat.model, reasoning: chat.reasoning,
                usage: events.lazy.compactMap { if case .usage(let usage) = $0 { usage } else { nil } }.last,
                stopReason: stop, error: failure, duration: duration))
        return (conversation, messages)
    }
}

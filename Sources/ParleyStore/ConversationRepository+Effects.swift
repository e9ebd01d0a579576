import ParleyCore

extension ConversationRepository {
    /// Carries out one of the chat store's save effects and returns what the store must hear
    /// about it: a message saved, or the failure with its reason. Effects that are not saves, and
    /// saves that succeed with nothing to confirm, return nil. The one way `parley ask` and the
    /// app turn the reducer's descriptions into writes.
    public func perform(_ effect: ChatEffect) async -> (ChatAction?, failure: StoreError?) {
        do {
            switch effect {
            case .persistConversation(let conversation):
                try await saveConversation(conversation)
                return (nil, nil)
            case .persistMessage(let message):
                try await saveMessage(message)
                return (.persisted(message.id), nil)
            case .deleteConversation(let id):
                try await delete(id)
                return (nil, nil)
            case .startStream, .cancelStream:
                return (nil, nil)
            }
        } catch {
            switch effect {
            case .persistConversation(let conversation):
                return (.conversationPersistFailed(conversation.id, reason: error.description), error)
            case .persistMessage(let message):
                return (.persistFailed(message.id, reason: error.description), error)
            case .deleteConversation(let id):
                return (.deleteFailed(id, reason: error.description), error)
            case .startStream, .cancelStream:
                return (nil, error)
            }
        }
    }
}

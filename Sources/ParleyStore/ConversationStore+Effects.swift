import ParleyCore

extension ConversationStore {
    /// Carries out one of the chat state's save effects and returns what the store must hear
    /// about it: the messages saved, or the failure with its reason; a save that finds its
    /// conversation gone says so (another Parley deleted it). Effects that are not saves return
    /// nothing. The one way `parley ask` and the app turn the reducer's descriptions into writes.
    public func perform(_ effect: ChatEffect) async -> (reports: [ChatAction], failure: StoreError?) {
        do {
            switch effect {
            case .createConversation(let conversation, let messages):
                try await createConversation(conversation, messages: messages)
                return (messages.map { .persisted($0.id) }, nil)
            case .persistConversation(let conversation, let messages):
                try await saveConversation(conversation, messages: messages)
                return (messages.map { .persisted($0.id) }, nil)
            case .persistMessage(let message):
                try await saveMessage(message)
                return ([.persisted(message.id)], nil)
            case .deleteConversation(let id):
                try await delete(id)
                return ([], nil)
            case .deleteBranch(_, let messageID):
                try await deleteBranch(messageID)
                return ([], nil)
            case .startStream, .cancelStream, .runTools, .cancelTools:
                return ([], nil)
            }
        } catch {
            return (Self.reports(error, of: effect), error)
        }
    }

    private static func reports(_ error: StoreError, of effect: ChatEffect) -> [ChatAction] {
        switch (effect, error) {
        case (.persistConversation(let conversation, _), .noSuchConversation):
            [.conversationDeletedElsewhere(conversation.id)]
        case (.persistMessage(let message), .noSuchConversation):
            [.conversationDeletedElsewhere(message.conversationID)]
        // Deleted already, by another Parley: what was asked for is done.
        case (.deleteConversation, .noSuchConversation):
            []
        case (.createConversation(let conversation, _), _):
            [.conversationNotCreated(conversation.id, reason: error.description)]
        // The row and the messages were one transaction: none of them was written.
        case (.persistConversation(let conversation, let messages), _):
            [.conversationPersistFailed(conversation.id, reason: error.description)]
                + messages.map { .persistFailed($0.id, reason: error.description) }
        case (.persistMessage(let message), _):
            [.persistFailed(message.id, reason: error.description)]
        case (.deleteConversation(let id), _), (.deleteBranch(let id, _), _):
            [.deleteFailed(id, reason: error.description)]
        case (.startStream, _), (.cancelStream, _), (.runTools, _), (.cancelTools, _):
            []
        }
    }
}

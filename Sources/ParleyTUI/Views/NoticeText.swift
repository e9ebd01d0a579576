import ParleyCore

/// The chat state's notices in plain words, with what to do next.
enum NoticeText {
    static func describe(_ notice: ChatNotice, in chat: ChatState) -> String {
        switch notice {
        case .unknownConversation: "That conversation no longer exists."
        case .emptyMessage: "Type a message first."
        case .emptyTitle: "A title cannot be empty."
        case .emptyModel: "Choose a provider and a model."
        case .transcriptNotLoaded: "The conversation is still loading; send again in a moment."
        case .replyInProgress: "A reply is streaming here: wait for it, or Esc stops it."
        case .nothingToRegenerate: "Nothing to regenerate yet."
        case .nothingToCompact: "Nothing to compact: no reply since the last summary."
        case .nothingToEdit: "No message to edit yet."
        case .nothingToResend: "That message was already saved."
        case .noToolCallsToAnswer: "The last reply asked for no tools."
        case .unknownMessage: "That message is gone."
        case .onlyBranch: "That message has no other branch: there is nothing to go on with if it goes."
        case .compareModelCount(let count):
            "Compare takes \(Comparison.models.lowerBound) to \(Comparison.models.upperBound) models; \(count) were chosen."
        case .notCompared: "That reply is not one of the compared ones."
        case .idInUse: "Could not create it (an id clash); try again."
        case .saveFailed(let reason): "Not saved: \(reason)"
        case .deletedElsewhere(let title): "“\(title)” was deleted by another Parley; its reply was not saved."
        case .savingUnavailable(let reason): "New replies are not being saved: \(reason)"
        case .providerUnavailable(let reason): reason
        case .deleteFailed(_, let reason): "Not deleted: \(reason)"
        case .orphanMessagesDropped(let count): "\(count) saved messages had no conversation and were skipped."
        case .reasoningRefused(let model, let setting, let refusal):
            "\(model) refused reasoning “\(setting.name)”, so it was asked again without (this conversation is "
                + "back on auto): \(refusal.message)"
        case .toolServerFailed(let server, let reason):
            "The tools of \(server) are not offered: \(reason)"
        case .toolRoundLimitReached(let limit):
            "The model asked for tools again after \(limit) rounds; the reply stops there ([tools] max_rounds)."
        case .toolsRefused(let model, let refusal):
            "\(model) does not take tools, so this conversation's next replies go without them "
                + "(regenerating asks again without): \(refusal.message)"
        }
    }
}

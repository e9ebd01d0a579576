/// Why a request was refused or what went wrong in the background, in the user's terms; the
/// status bar shows it until it is dismissed or replaced.
public enum ChatNotice: Equatable, Sendable {
    case unknownConversation(ConversationID)
    case emptyMessage
    case emptyTitle
    /// A model choice named no provider or no model.
    case emptyModel
    /// The conversation's earlier messages are still being read; sending now would leave them out.
    case transcriptNotLoaded(ConversationID)
    /// Send, regenerate, edit and deleting a branch wait until the conversation's reply ends (Esc cancels it).
    case replyInProgress(ConversationID)
    case nothingToRegenerate(ConversationID)
    /// No finished reply since the last summary: compacting would summarize nothing new.
    case nothingToCompact(ConversationID)
    case nothingToEdit(ConversationID)
    case nothingToResend(MessageID)
    /// Tool results came for a conversation whose last reply asked for no tools.
    case noToolCallsToAnswer(ConversationID)
    /// A branch request named a message that is not in the conversation (or not on its current path).
    case unknownMessage(MessageID)
    /// Deleting a branch needs a sibling to go on with: this message is the only one where it stands.
    case onlyBranch(MessageID)
    /// Compare takes two to four models (`Comparison.models`); this many were chosen.
    case compareModelCount(Int)
    /// The message picked is not one of the conversation's compared replies.
    case notCompared(MessageID)
    /// A request reused an id that is already taken; nothing was changed.
    case idInUse(String)
    case saveFailed(reason: String)
    /// Another Parley deleted the conversation while this one still had it (its reply unsaved).
    case deletedElsewhere(title: String)
    /// Nothing new can be saved, and why (said once at start-up).
    case savingUnavailable(reason: String)
    /// The provider new conversations use cannot be used as set up, and why (said at start-up).
    case providerUnavailable(reason: String)
    case deleteFailed(ConversationID, reason: String)
    /// Loaded messages whose conversation was not loaded (the database should make this impossible).
    case orphanMessagesDropped(count: Int)
    /// `model` refused the reasoning `setting`; the reply was asked for without it, and the
    /// conversation is back on the default.
    case reasoningRefused(model: String, setting: Reasoning, ProviderError)
    /// A configured MCP server did not start or list its tools; replies go on without them.
    case toolServerFailed(server: String, reason: String)
    /// The model asked for tools again after the last round allowed; the reply stopped there.
    case toolRoundLimitReached(Int)
    /// `model` refused the tools it was offered; the conversation's next replies go without them.
    case toolsRefused(model: String, ProviderError)
}

extension ChatNotice {
    /// Whether it stays until dismissed: a state that goes on (nothing can be saved, the provider
    /// has no key, a message is not saved) rather than news that is over once read.
    public var lasts: Bool {
        switch self {
        case .savingUnavailable, .providerUnavailable, .saveFailed: true
        default: false
        }
    }
}

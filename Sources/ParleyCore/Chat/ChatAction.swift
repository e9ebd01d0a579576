/// Everything that can happen to the chat state: the user's requests, stream results and
/// database results. Time and new ids come in the action, so the reducer stays a pure function.
public enum ChatAction: Equatable, Sendable {
    // MARK: Start-up

    /// What the database held at start-up. Replies found `pending`/`streaming` died with the last
    /// run and become `interrupted`, their partial text kept.
    case loaded(conversations: [Conversation], messages: [Message])
    /// The app's start: every conversation, without its messages (read when it is opened), and
    /// the status the database knows for it so the list shows failed and interrupted ones.
    case listLoaded([Conversation], statuses: [ConversationID: ConversationRow.Status])
    /// A listed conversation's messages, read when it was opened. Ignored once they are known.
    case transcriptLoaded(ConversationID, messages: [Message])

    // MARK: Conversations

    /// The conversation lives in memory until something is sent in it: its row is written with its
    /// first message, so an empty conversation never reaches the database.
    case newConversationRequested(
        ConversationID, provider: String, model: String, systemPrompt: String?, baseURL: String? = nil,
        reasoning: Reasoning = .standard, now: Timestamp)
    case renameRequested(ConversationID, title: String)
    /// Deleting a conversation whose reply is streaming cancels that stream.
    case deleteRequested(ConversationID)
    case selected(ConversationID?)
    /// The model picker's choice: the conversation's next replies come from `provider` and `model`.
    /// Allowed while a reply streams: that reply keeps the model its request went to, and the change
    /// applies to the next one. Saved at once; the conversation keeps its place in the list. `baseURL`
    /// is where that provider is reached (nil: its configured address); it replaces the saved one
    /// when given or when the provider changes.
    case modelChosen(ConversationID, provider: String, model: String, baseURL: String? = nil)
    /// The preset picker's choice: the system prompt the conversation's next replies are given (nil,
    /// or only blanks, for none). Like `modelChosen`, allowed while a reply streams and saved at once.
    case systemPromptChosen(ConversationID, String?)
    /// How much the conversation's next replies reason (a key and the model picker). Like
    /// `modelChosen`, allowed while a reply streams and saved at once.
    case reasoningChosen(ConversationID, Reasoning)

    // MARK: Sending

    /// The user sent `text`, with files: it appears at once as `sending`, with a `pending` reply
    /// under it. Attachments were checked (`Attachment.checked`) when they were read.
    case sendRequested(
        ConversationID, text: String, attachments: [Attachment] = [], userMessageID: MessageID,
        replyMessageID: MessageID, sessionID: SessionID,
        now: Timestamp)
    /// The user sent `text` to several models at once (`Comparison`, two to four): one user message,
    /// and under it one `pending` reply per model, streaming together. No tools are offered: a
    /// tool round is answered on one path, and there are several.
    case compareRequested(
        ConversationID, text: String, attachments: [Attachment] = [], userMessageID: MessageID,
        replies: [Comparison.Reply], now: Timestamp)
    /// The compared reply the conversation goes on with: its branch becomes the path and its model the
    /// conversation's; replies of the others still streaming stop (they stay, as branches).
    case comparePicked(ConversationID, messageID: MessageID, now: Timestamp)
    /// A new reply beside the last one, as its sibling: the old reply stays on its own branch, and
    /// whatever becomes of the new one (failed, cancelled), `branchChosen` brings the old one back.
    case regenerateRequested(ConversationID, replyMessageID: MessageID, sessionID: SessionID, now: Timestamp)
    /// Ask the model for a summary of the conversation so far, to be sent in place of it from then
    /// on (`Compaction`): a user message and a reply, like any turn.
    case compactRequested(
        ConversationID, userMessageID: MessageID, replyMessageID: MessageID, sessionID: SessionID, now: Timestamp)
    /// A user message's text (`edited`, else the last user message's), edited, is sent as a new
    /// message beside it (its sibling) with a new reply; the old message and everything after it
    /// stay on their branch.
    case editAndResendRequested(
        ConversationID, text: String, edited: MessageID? = nil, userMessageID: MessageID,
        replyMessageID: MessageID, sessionID: SessionID, now: Timestamp)
    /// The tools the last reply called were run (or refused): their results follow it as a `tool`
    /// message, and the next round's reply streams under them from `request` (made by
    /// `ToolRounds`, which keeps what the transcript does not: the round's signed thinking). Nil
    /// `request`: the conversation's own tool loop makes it (the app, once `answerableToolRounds`
    /// lists the conversation).
    case toolRoundAnswered(
        ConversationID, results: [ToolResult], resultsMessageID: MessageID, replyMessageID: MessageID,
        sessionID: SessionID, request: ChatRequest?, now: Timestamp)

    // MARK: Tools

    /// The tools the configured servers offer, and the most rounds a reply may take.
    case toolsListed(ToolCatalog, maxRounds: Int)
    /// A configured server could not be started or listed; replies go on without its tools.
    case toolServerFailed(server: String, reason: String)
    /// The user's answer to a call waiting for consent.
    case toolConsentAnswered(ConversationID, callID: String, ToolConsent.Answer, now: Timestamp)
    /// A call asked for by `runTools` ended (ran, failed or timed out).
    case toolCallFinished(ConversationID, ToolResult)
    /// A user message whose save failed is saved again (the model already received it with its request).
    case resendRequested(MessageID)
    /// The path goes through the message (a sibling of one on the path, or deeper in a branch): the
    /// rest of the path follows its branch (at each fork the branch chosen last, else the newest).
    /// Allowed while a reply streams: it goes on streaming into its own branch. Saved, so the
    /// conversation opens on it again.
    case branchChosen(ConversationID, messageID: MessageID, now: Timestamp)
    /// The message and everything after it on every branch are deleted; the path goes on along the
    /// sibling chosen last. Only a message with siblings (a branch), and none streaming.
    case branchDeleteRequested(ConversationID, messageID: MessageID)
    /// A new conversation `fork` holding copies of the current path up to and including `messageID`
    /// (with `messageIDs`, one new id per copied message), opened at once.
    case forkRequested(
        ConversationID, messageID: MessageID, fork: ConversationID, messageIDs: [MessageID], now: Timestamp)
    /// Esc: stop the conversation's streaming reply, keeping what arrived. The reply shows `cancelled` at
    /// once; text already on its way still lands. If the stream completed before the cancel reached it,
    /// the reply ends `complete`, because it is.
    case cancelRequested(ConversationID)
    case sessionCancelRequested(SessionID)

    // MARK: Streams

    case batchArrived(SessionID, Batch, now: Timestamp)
    case streamFinished(SessionID, ReplyTiming, now: Timestamp)
    /// Failures include timeouts (`ProviderError.Kind.timeout`).
    case streamFailed(SessionID, ProviderError, ReplyTiming, now: Timestamp)
    case streamCancelled(SessionID, ReplyTiming, now: Timestamp)
    /// The runtime's periodic tick while any reply streams: saves replies whose unsaved text is a second
    /// old even when no batch arrives to trigger it (a stalled stream).
    case checkpointTicked(now: Timestamp)

    // MARK: Database results

    case persisted(MessageID)
    /// The message's save failed. How the message ended is unchanged (a reply that streamed whole
    /// is complete, a user message that went out is sent): a failed save is its own notice.
    case persistFailed(MessageID, reason: String)
    case conversationPersistFailed(ConversationID, reason: String)
    /// The conversation's row and first messages could not be written (a full disk): it stays in
    /// memory only, and its next save tries to create it again.
    case conversationNotCreated(ConversationID, reason: String)
    /// A save found the conversation gone: another Parley deleted it. The delete wins: it leaves
    /// the list, its streams are cancelled, and nothing more of it is saved.
    case conversationDeletedElsewhere(ConversationID)
    case deleteFailed(ConversationID, reason: String)
    /// The database cannot be written (read-only, damaged, full): said once, not per save.
    case savingUnavailable(reason: String)
    /// The provider new conversations use cannot be reached as set up (no key): the app opens all
    /// the same, and says so once, at start-up; sending with it says so again.
    case providerUnavailable(reason: String)

    case noticeDismissed
}

/// How long a reply took, as the streaming service measured it.
public struct ReplyTiming: Equatable, Sendable {
    public var timeToFirstToken: Duration?
    public var duration: Duration?

    public init(timeToFirstToken: Duration? = nil, duration: Duration? = nil) {
        self.timeToFirstToken = timeToFirstToken
        self.duration = duration
    }
}

/// The chat state's whole state: one value, changed only by `reduce(_:)`, which returns what the
/// runtime must do. Nothing in here reads a clock or makes an id; both come in the actions.
public struct ChatState: Equatable, Sendable {
    public internal(set) var conversations: [ConversationID: Conversation] = [:]
    /// Each conversation's current path, in order: what is shown, sent and counted.
    public internal(set) var transcripts: [ConversationID: [Message]] = [:]
    /// Each conversation's messages off its current path: the other branches (`ConversationTree`).
    public internal(set) var otherBranches: [ConversationID: [Message]] = [:]
    public internal(set) var selectedConversationID: ConversationID?
    /// Every stream the runtime is running, until its end is reported — superseded ones included,
    /// so a stream's end always finds its entry.
    public internal(set) var sessions: [SessionID: LiveSession] = [:]
    /// Conversations whose reply ended while another one was selected.
    public internal(set) var unread: Set<ConversationID> = []
    /// Messages whose last save failed, with the reason.
    public internal(set) var saveFailures: [MessageID: String] = [:]
    public internal(set) var notice: ChatNotice?
    /// Conversation ids, newest activity first (ties by id). Kept sorted as activity happens (a find, a
    /// binary search and one move: O(n) per send or reply end, never per frame), so listing never sorts.
    public internal(set) var order: [ConversationID] = []
    /// Bumped each time a conversation starts a stream: only the session holding the current
    /// generation may change the conversation, so a superseded stream's late batches are dropped.
    var generations: [ConversationID: Int] = [:]
    /// Conversations listed at start-up whose messages have not been read yet, with the status the
    /// database gave them.
    public internal(set) var unloadedTranscripts: [ConversationID: ConversationRow.Status] = [:]
    /// Which conversation each message belongs to, on its current path or off it.
    var owners: [MessageID: ConversationID] = [:]
    /// Conversations with no row in the database: made in memory (Ctrl-N), or whose first save
    /// failed. The row is written together with their messages once they have some.
    public internal(set) var unsaved: Set<ConversationID> = []
    /// The tools replies are offered (the configured MCP servers', and the demo's clock).
    public internal(set) var tools = ToolCatalog()
    public internal(set) var maxToolRounds = ToolRounds.standardMaxRounds
    /// Replies that may still call tools, by conversation: from the request that offered them
    /// until the reply's last round ends.
    public internal(set) var toolLoops: [ConversationID: ToolLoop] = [:]
    /// What the user allowed in each conversation ("this tool, for this conversation").
    var toolConsents: [ConversationID: ToolConsent] = [:]
    /// Conversations whose model refused the tools it was offered: their replies go without.
    public internal(set) var toolsRefused: Set<ConversationID> = []
    /// Conversations whose last prompt went to several models, until one is picked or the next turn
    /// begins. Not saved: read again, the replies are siblings like any others.
    public internal(set) var comparisons: [ConversationID: Comparison] = [:]

    public init() {}

    public mutating func reduce(_ action: ChatAction) -> [ChatEffect] {
        switch action {
        case .loaded(let conversations, let messages):
            load(conversations, messages)
            return []
        case .listLoaded(let conversations, let statuses):
            let fresh = conversations.filter { self.conversations[$0.id] == nil }
            load(fresh, [])
            for conversation in fresh { unloadedTranscripts[conversation.id] = statuses[conversation.id] ?? .idle }
            return []
        case .transcriptLoaded(let id, let messages):
            loadTranscript(id, messages)
            return []
        case .newConversationRequested(
            let id, let provider, let model, let systemPrompt, let baseURL, let reasoning, let now):
            return createConversation(
                id, provider: provider, model: model, systemPrompt: systemPrompt, baseURL: baseURL,
                reasoning: reasoning, now: now)
        case .renameRequested(let id, let title):
            return rename(id, to: title)
        case .deleteRequested(let id):
            return delete(id)
        case .selected(let id):
            select(id)
            return []
        case .modelChosen(let id, let provider, let model, let baseURL):
            return choose(provider: provider, model: model, baseURL: baseURL, for: id)
        case .systemPromptChosen(let id, let systemPrompt):
            return choose(systemPrompt: systemPrompt, for: id)
        case .reasoningChosen(let id, let reasoning):
            return choose(reasoning: reasoning, for: id)
        case .sendRequested(
            let id, let text, let attachments, let userMessageID, let replyMessageID, let sessionID, let now):
            return send(
                text, attachments: attachments, in: id, userMessageID: userMessageID, reply: replyMessageID,
                session: sessionID, now: now)
        case .compareRequested(let id, let text, let attachments, let userMessageID, let replies, let now):
            return compare(
                text, attachments: attachments, in: id, userMessageID: userMessageID, replies: replies, now: now)
        case .comparePicked(let id, let messageID, let now):
            return pick(messageID, in: id, now: now)
        case .regenerateRequested(let id, let replyMessageID, let sessionID, let now):
            return regenerate(in: id, reply: replyMessageID, session: sessionID, now: now)
        case .compactRequested(let id, let userMessageID, let replyMessageID, let sessionID, let now):
            return compact(id, userMessageID: userMessageID, reply: replyMessageID, session: sessionID, now: now)
        case .editAndResendRequested(
            let id, let text, let edited, let userMessageID, let replyMessageID, let sessionID, let now):
            return editAndResend(
                text, in: id, edited: edited, userMessageID: userMessageID, reply: replyMessageID, session: sessionID,
                now: now)
        case .toolRoundAnswered(let id, let results, let resultsID, let replyID, let sessionID, let request, let now):
            return answer(
                results, in: id, resultsMessage: resultsID, reply: replyID, session: sessionID, request: request,
                now: now)
        case .toolsListed(let catalog, let maxRounds):
            tools = catalog
            maxToolRounds = max(1, maxRounds)
            return []
        case .toolServerFailed(let server, let reason):
            notice = .toolServerFailed(server: server, reason: reason)
            return []
        case .toolConsentAnswered(let id, let callID, let answer, let now):
            return consent(answer, to: callID, in: id, now: now)
        case .toolCallFinished(let id, let result):
            return toolFinished(result, in: id)
        case .resendRequested(let messageID):
            return resend(messageID)
        case .branchChosen(let id, let messageID, let now):
            return choose(branch: messageID, in: id, now: now)
        case .branchDeleteRequested(let id, let messageID):
            return deleteBranch(messageID, in: id)
        case .forkRequested(let id, let messageID, let fork, let messageIDs, let now):
            return self.fork(id, through: messageID, into: fork, messageIDs: messageIDs, now: now)
        case .cancelRequested(let id):
            let current = sessions.filter { $0.value.conversationID == id && isCurrent($0.value) }
            return current.keys.sorted().flatMap { cancel($0) } + cancelTools(in: id)
        case .sessionCancelRequested(let sessionID):
            return cancel(sessionID)
        case .batchArrived(let sessionID, let batch, let now):
            return fold(batch, from: sessionID, now: now)
        case .streamFinished(let sessionID, let timing, let now):
            return end(sessionID, .finished, timing, now: now)
        case .streamFailed(let sessionID, let error, let timing, let now):
            return end(sessionID, .failed(error), timing, now: now)
        case .streamCancelled(let sessionID, let timing, let now):
            return end(sessionID, .cancelled, timing, now: now)
        case .checkpointTicked(let now):
            return checkpoints(now: now)
        case .persisted(let messageID):
            confirmSaved(messageID)
            return []
        case .persistFailed(let messageID, let reason):
            recordSaveFailure(messageID, reason: reason)
            return []
        case .conversationPersistFailed(_, let reason):
            notice = .saveFailed(reason: reason)
            return []
        case .conversationNotCreated(let id, let reason):
            recordCreationFailure(id, reason: reason)
            return []
        case .conversationDeletedElsewhere(let id):
            return deletedElsewhere(id)
        case .savingUnavailable(let reason):
            notice = .savingUnavailable(reason: reason)
            return []
        case .providerUnavailable(let reason):
            notice = .providerUnavailable(reason: reason)
            return []
        case .deleteFailed(let id, let reason):
            notice = .deleteFailed(id, reason: reason)
            return []
        case .noticeDismissed:
            notice = nil
            return []
        }
    }
}

/// A stream the runtime is running for one reply.
public struct LiveSession: Equatable, Sendable {
    public var conversationID: ConversationID
    public var replyMessageID: MessageID
    public var generation: Int
    /// When the reply was last handed to the database, for the checkpoint policy.
    public var lastSavedAt: Timestamp
    public var hasUnsavedChanges = false
    public var cancelRequested = false

    public init(conversationID: ConversationID, replyMessageID: MessageID, generation: Int, lastSavedAt: Timestamp) {
        self.conversationID = conversationID
        self.replyMessageID = replyMessageID
        self.generation = generation
        self.lastSavedAt = lastSavedAt
    }
}

extension ChatState {
    /// The one place that refuses a request: records why and changes nothing else.
    mutating func refuse(_ why: ChatNotice) -> [ChatEffect] {
        notice = why
        return []
    }

    func isCurrent(_ session: LiveSession) -> Bool {
        generations[session.conversationID] == session.generation
    }

    /// Where `id` sits in its conversation's transcript; replies are nearly always last, so search from the end.
    func index(of id: MessageID, in conversationID: ConversationID) -> Int? {
        transcripts[conversationID]?.lastIndex { $0.id == id }
    }

    /// Changes the message wherever it is in its conversation's tree: a reply keeps streaming into
    /// its own branch when the user has switched to another. Nil when there is no such message.
    @discardableResult
    mutating func change<Result>(
        _ messageID: MessageID, in id: ConversationID, _ body: (inout Message) -> Result
    ) -> Result? {
        if let index = index(of: messageID, in: id) { return body(&transcripts[id]![index]) }
        guard let index = otherBranches[id]?.lastIndex(where: { $0.id == messageID }) else { return nil }
        return body(&otherBranches[id]![index])
    }

    /// A reply streams (on any branch), or its round's tools are being asked about or run.
    public func hasLiveReply(_ id: ConversationID) -> Bool {
        transcripts[id]?.last?.isLive ?? false || otherBranches[id]?.contains(where: \.isLive) == true
            || toolLoops[id]?.calls.isEmpty == false
    }
}

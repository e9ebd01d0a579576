import Foundation
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming

/// One `parley ask` turn kept in the chat state, so it is saved exactly as the app saves a turn:
/// the conversation with the user message at once, the reply when it starts, at least every
/// second while it streams and when it ends. Without a store (`--no-save`) nothing is written.
struct AskTurn {
    private var state = ChatState()
    private let store: ConversationStore?
    /// Tells other Parley processes that this reply is alive while it streams.
    private let lease: StreamingLease?
    let conversationID: ConversationID
    /// The round under way's session: each round of a reply that calls tools is a session of its own.
    private(set) var sessionID = SessionID.random()
    /// Another Parley deleted the conversation meanwhile: nothing more of it is saved.
    private(set) var deletedElsewhere = false

    /// A new conversation with `provider`, `model`, `baseURL` and `reasoning`, or the continuation
    /// of `transcript`, which from now on talks to them (and keeps its own reasoning setting when
    /// `reasoning` is nil).
    init(
        store: ConversationStore?, continuing transcript: Transcript?, provider: String, model: String,
        baseURL: String?, systemPrompt: String?, reasoning: Reasoning?
    ) async {
        self.store = store
        lease = store.flatMap { StreamingLease.take(forDatabaseAt: $0.path) }
        if let transcript {
            conversationID = transcript.conversation.id
            await apply(.loaded(conversations: [transcript.conversation], messages: transcript.messages))
            await apply(.modelChosen(conversationID, provider: provider, model: model, baseURL: baseURL))
            if let reasoning { await apply(.reasoningChosen(conversationID, reasoning)) }
        } else {
            conversationID = ConversationID.random()
            await apply(
                .newConversationRequested(
                    conversationID, provider: provider, model: model, systemPrompt: systemPrompt, baseURL: baseURL,
                    reasoning: reasoning ?? .standard, now: Self.now))
        }
    }

    /// Sends `text` with its files: saves it, and returns the request to stream (earlier messages as
    /// context).
    mutating func send(_ text: String, attachments: [Attachment] = []) async -> ChatRequest? {
        let effects = await apply(
            .sendRequested(
                conversationID, text: text, attachments: attachments, userMessageID: .random(),
                replyMessageID: .random(),
                sessionID: sessionID, now: Self.now))
        for case .startStream(let start) in effects { return start.request }
        return nil
    }

    /// Sends `text` with its files to several models at once (`Comparison`): saves it with a reply
    /// per model, and returns each reply's stream to start, in the models' order; empty when refused.
    mutating func compare(
        _ text: String, attachments: [Attachment] = [],
        with models: [(provider: String, model: String, baseURL: String?)]
    ) async -> [StreamStart] {
        let replies = models.map { chosen in
            Comparison.Reply(
                provider: chosen.provider, model: chosen.model, baseURL: chosen.baseURL, replyMessageID: .random(),
                sessionID: .random())
        }
        let effects = await apply(
            .compareRequested(
                conversationID, text: text, attachments: attachments, userMessageID: .random(), replies: replies,
                now: Self.now))
        return effects.compactMap { effect in
            if case .startStream(let start) = effect { start } else { nil }
        }
    }

    /// Asks for a summary of the conversation (`Compaction`): saves the request, and returns the
    /// request to stream; nil when there is nothing to summarize.
    mutating func compact() async -> ChatRequest? {
        let effects = await apply(
            .compactRequested(
                conversationID, userMessageID: .random(), replyMessageID: .random(), sessionID: sessionID,
                now: Self.now))
        for case .startStream(let start) in effects { return start.request }
        return nil
    }

    /// The round's calls were answered: the results are kept after the reply that asked, and the
    /// next round (streaming `request`) gets a reply and a session of its own.
    mutating func answered(_ results: [ToolResult], request: ChatRequest) async {
        sessionID = .random()
        await apply(
            .toolRoundAnswered(
                conversationID, results: results, resultsMessageID: .random(), replyMessageID: .random(),
                sessionID: sessionID, request: request, now: Self.now))
    }

    /// What arrived, kept to be saved. Not saving (`--no-save`), nothing is kept: what is printed
    /// is gone from memory, however long the reply runs.
    mutating func received(_ batch: Batch, in session: SessionID) async {
        guard store != nil else { return }
        await apply(.batchArrived(session, batch, now: Self.now))
    }

    /// The reply is over: its end is saved as the app saves it.
    mutating func ended(_ end: SessionEnd, in session: SessionID) async {
        await apply(SessionUpdate.ended(session, end).action(now: Self.now))
    }

    /// Why the turn, now ended, is not wholly saved; nil when it is (a save that failed and a
    /// later one that succeeded leaves nothing to say), and when nothing was to be saved.
    var notSavedBecause: String? {
        guard store != nil, !deletedElsewhere else { return nil }
        let messages = state.transcripts[conversationID] ?? []
        return messages.lazy.compactMap { state.saveFailures[$0.id] }.first
    }

    /// Reduces `action`, runs its database effects and reports their outcome back to the store.
    /// A failed save is never fatal to the reply; a deletion by another Parley is told at once.
    @discardableResult
    private mutating func apply(_ action: ChatAction) async -> [ChatEffect] {
        let effects = state.reduce(action)
        guard let store else { return effects }
        for effect in effects {
            for report in await store.perform(effect).reports {
                let wasThere = state.conversations[conversationID] != nil
                _ = state.reduce(report)
                if wasThere && state.conversations[conversationID] == nil {
                    deletedElsewhere = true
                    Console.error("this conversation was deleted by another Parley; the reply was not saved\n")
                }
            }
        }
        return effects
    }

    static var now: Timestamp { .current }
}

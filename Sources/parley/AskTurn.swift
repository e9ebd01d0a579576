import Foundation
import ParleyCore
import ParleyProviders
import ParleyStore

/// One `parley ask` turn kept in the chat store, so it is saved exactly as the app saves a turn:
/// the user message at once, the reply when it starts, at least every second while it streams
/// and when it ends. Without a library (`--no-save`) nothing is written.
struct AskTurn {
    private var state = ChatState()
    private let library: ConversationRepository?
    /// Tells other Parley processes that this reply is alive while it streams.
    private let lease: StreamingLease?
    let conversationID: ConversationID
    let sessionID = SessionID.random()
    /// Why saving failed, once it has (the reply goes on; the user is told once).
    private(set) var saveProblem: String?

    /// A new conversation with `provider` and `model`, or the continuation of `transcript`.
    init(
        library: ConversationRepository?, continuing transcript: Transcript?, provider: String, model: String,
        systemPrompt: String?
    ) async {
        self.library = library
        lease = library.flatMap { StreamingLease.take(forDatabaseAt: $0.path) }
        if let transcript {
            conversationID = transcript.conversation.id
            await apply(.loaded(conversations: [transcript.conversation], messages: transcript.messages))
        } else {
            conversationID = ConversationID.random()
            await apply(
                .newConversationRequested(
                    conversationID, provider: provider, model: model, systemPrompt: systemPrompt, now: Self.now))
        }
    }

    /// Sends `text`: saves it, and returns the request to stream (earlier messages as context).
    mutating func send(_ text: String) async -> ChatRequest? {
        let effects = await apply(
            .sendRequested(
                conversationID, text: text, userMessageID: .random(), replyMessageID: .random(),
                sessionID: sessionID, now: Self.now))
        for case .startStream(let start) in effects { return start.request }
        return nil
    }

    mutating func received(_ batch: Batch) async {
        await apply(.batchArrived(sessionID, batch, now: Self.now))
    }

    mutating func ended(stop: StopReason?, error: ProviderError?, metrics: ReplyMetrics) async {
        let timing = ReplyTiming(timeToFirstToken: metrics.ttft, duration: metrics.duration)
        if stop?.kind == .cancelled {
            await apply(.streamCancelled(sessionID, timing, now: Self.now))
        } else if let error {
            await apply(.streamFailed(sessionID, error, timing, now: Self.now))
        } else {
            await apply(.streamFinished(sessionID, timing, now: Self.now))
        }
    }

    /// Reduces `action`, runs its database effects and reports their outcome back to the store.
    /// A failed save is remembered (and shown once), never fatal to the reply.
    @discardableResult
    private mutating func apply(_ action: ChatAction) async -> [ChatEffect] {
        let effects = state.reduce(action)
        guard let library else { return effects }
        for effect in effects {
            let (report, failure) = await library.perform(effect)
            if let failure, saveProblem == nil {
                saveProblem = failure.description
                Console.error("warning: this conversation is not being saved: \(failure.description)\n")
            }
            if let report { _ = state.reduce(report) }
        }
        return effects
    }

    static var now: Timestamp { .current }
}

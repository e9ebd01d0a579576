import ParleyCore
import ParleyProviders

/// One streamed request's lifecycle as a value: each transition takes what happened (and when,
/// as the time since the session started) and returns what its owner must do. No I/O, no clock.
///
/// ```
/// connecting ──content──▶ streaming ──reply ends──▶ finished | failed | timedOut | cancelled
///      └──── cancel / time limit / size limit ──▶ stopping ──reply ends──▶ cancelled | timedOut | failed
/// ```
/// A stopped reply still winds down through its stream (usage, `stop(cancelled)`), so
/// `stopping` keeps delivering events until the reply's end; only then is the session over.
public struct StreamSession: Sendable {
    public enum State: Equatable, Sendable {
        case connecting
        case streaming
        case stopping(StopRequest)
        case finished
        case failed(ProviderError)
        case cancelled
        case timedOut(ProviderError)

        public var isEnded: Bool {
            switch self {
            case .connecting, .streaming, .stopping: false
            case .finished, .failed, .cancelled, .timedOut: true
            }
        }
    }

    public enum StopRequest: Equatable, Sendable {
        case cancel
        /// The session ran longer than its limit.
        case timeLimit(Duration)
        /// The reply brought more text and thinking than its limit, in bytes.
        case sizeLimit(Int)
    }

    public enum Event: Equatable, Sendable {
        /// The reply begins to show (`ReplyUpdate.shown`): the session's time to first token.
        case replyShown(timeToFirstToken: Duration)
        case received(StreamEvent)
        /// The reply is over (its `finished` update).
        case replyFinished(ReplyMetrics)
        case cancelRequested
        case timeLimitReached(Duration)
    }

    public enum Action: Equatable, Sendable {
        case none
        /// Hand the event to the batcher.
        case deliver(StreamEvent)
        /// Hand the event to the batcher, then stop the reply: it passed its size limit.
        case deliverAndCancel(StreamEvent)
        /// Stop the reply and close its connection; its last events follow.
        case cancelReply
        case end(SessionEnd)
    }

    public let id: SessionID
    public let conversationID: ConversationID
    /// The most text and thinking the reply may bring, in UTF-8 bytes.
    public let replyLimit: Int
    public private(set) var state = State.connecting
    public private(set) var metrics = SessionMetrics()
    /// The reply's error event, which decides how it ended.
    private var failure: ProviderError?
    private var stopReason: StopReason?
    private var lastContent: Duration?

    public init(id: SessionID, conversationID: ConversationID, replyLimit: Int = .max) {
        self.id = id
        self.conversationID = conversationID
        self.replyLimit = replyLimit
    }

    public mutating func handle(_ event: Event, at elapsed: Duration) -> Action {
        guard !state.isEnded else { return .none }
        metrics.duration = elapsed
        switch (event, state) {
        case (.replyShown(let timeToFirstToken), _):
            metrics.timeToFirstToken = timeToFirstToken
            return .none
        case (.received(let streamEvent), _):
            record(streamEvent, at: elapsed)
            if state == .connecting, streamEvent.isContent { state = .streaming }
            if metrics.textBytes > replyLimit, state == .connecting || state == .streaming {
                state = .stopping(.sizeLimit(replyLimit))
                return .deliverAndCancel(streamEvent)
            }
            return .deliver(streamEvent)
        case (.replyFinished(let reply), _):
            metrics.bytes = reply.bytes
            metrics.chunks = reply.chunks
            metrics.attempts = reply.attempts
            state = endState
            return .end(SessionEnd(outcome: outcome, metrics: metrics))
        case (.cancelRequested, .connecting), (.cancelRequested, .streaming):
            state = .stopping(.cancel)
            return .cancelReply
        case (.timeLimitReached(let limit), .connecting), (.timeLimitReached(let limit), .streaming):
            state = .stopping(.timeLimit(limit))
            return .cancelReply
        case (.cancelRequested, _), (.timeLimitReached, _):
            return .none
        }
    }

    private mutating func record(_ event: StreamEvent, at elapsed: Duration) {
        metrics.events += 1
        switch event {
        case .text(let text), .thinking(let text): metrics.textBytes += text.utf8.count
        case .usage(let usage): metrics.usage = usage
        case .error(let error): failure = error
        case .stop(let reason): stopReason = reason
        default: break
        }
        guard event.isContent else { return }
        if let lastContent { metrics.gaps.record(elapsed - lastContent) }
        lastContent = elapsed
    }

    private var endState: State {
        switch state {
        case .stopping(.cancel): return .cancelled
        case .stopping(.timeLimit(let limit)): return .timedOut(Self.timeLimitError(limit))
        case .stopping(.sizeLimit(let limit)): return .failed(Self.sizeLimitError(limit))
        default:
            guard let failure else { return stopReason?.kind == .cancelled ? .cancelled : .finished }
            switch failure.kind {
            case .timeout: return .timedOut(failure)
            case .cancelled: return .cancelled
            default: return .failed(failure)
            }
        }
    }

    private var outcome: SessionEnd.Outcome {
        switch state {
        case .failed(let error): .failed(error)
        case .timedOut(let error): .timedOut(error)
        case .cancelled: .cancelled
        default: .finished
        }
    }

    static func sizeLimitError(_ limit: Int) -> ProviderError {
        let megabytes = limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes"
        // The reply, not the network or its format, is what went wrong: no retry, no hint to add.
        return ProviderError(
            .provider,
            "the reply passed its limit of \(megabytes) of text and was stopped there ([streaming] max_reply_mb)")
    }

    static func timeLimitError(_ limit: Duration) -> ProviderError {
        ProviderError(.timeout, "the reply took longer than its limit of \(limit)")
    }
}

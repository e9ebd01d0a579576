import ParleyCore

/// What the streaming service tells the store, in order for each session: batches, then one end.
public enum SessionUpdate: Equatable, Sendable {
    case batch(SessionID, Batch)
    /// The session is over; nothing more comes for it. Its last batch came before this.
    case ended(SessionID, SessionEnd)
}

extension SessionUpdate {
    /// What the chat state hears of this update: the one mapping from a session's word to the
    /// store's, which the app and `parley ask` share.
    public func action(now: Timestamp) -> ChatAction {
        switch self {
        case .batch(let id, let batch):
            return .batchArrived(id, batch, now: now)
        case .ended(let id, let end):
            let timing = ReplyTiming(timeToFirstToken: end.metrics.timeToFirstToken, duration: end.metrics.duration)
            switch end.outcome {
            case .finished: return .streamFinished(id, timing, now: now)
            case .cancelled: return .streamCancelled(id, timing, now: now)
            case .failed(let error), .timedOut(let error): return .streamFailed(id, error, timing, now: now)
            }
        }
    }
}

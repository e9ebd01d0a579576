import ParleyCore

/// What the streaming service tells the store, in order for each session: batches, then one end.
public enum SessionUpdate: Equatable, Sendable {
    case batch(SessionID, Batch)
    /// The session is over; nothing more comes for it. Its last batch came before this.
    case ended(SessionID, SessionEnd)
}

import ParleyCore

/// Where a reply hands what it decoded, on the reply's own task: the streaming service's session,
/// or whatever else follows the reply. It is the reply's one consumer.
///
/// The reply's body loop calls `receive` with what one piece of the body held and then waits in
/// `readyForMore` before it asks the body for the next piece. AsyncHTTPClient reads the socket only
/// while the loop asks, so the receiver paces the reading: a session waits until just before the
/// end of its batch window (what arrives meanwhile waits in the socket, and is read in one go in
/// time for the window's batch, which leaves once the reply has `caughtUp`: a few wake-ups a
/// window rather than one a token), and a receiver whose consumer is behind waits for room, so
/// the TCP window fills and the server waits. The wait never counts as the server stalling.
public protocol ReplyReceiver: AnyObject, Sendable {
    /// Events in order, `retrying` notices, and `finished` last (after which nothing comes). Never waits.
    func receive(_ updates: [ReplyUpdate])
    /// A piece of the body came in and is decoded when this returns. A receiver that paces the
    /// reading by how soon pieces come times them from here, not from `receive` (decoding a large
    /// piece takes time), and may hold the piece here until just before it would be shown anyway
    /// (its batch window's end): the wait never counts as the server stalling. A stopped reply
    /// returns at once.
    func pieceArrived() async
    /// Returns when the reply may read on; called after every `receive` but the last of the reply,
    /// one that ends it (a stop, an error) or a retry notice. A stopped reply (its task cancelled)
    /// must return at once.
    func readyForMore() async
    /// The reply has been handed everything the server sent so far: the next piece must come from
    /// the server. Told just before the reply waits for it, on the reply's task; never waits. A
    /// session whose reading waited for its window's end hands the window's batch over soon after
    /// (`SessionRunner.settle`), rather than at the window's end.
    func caughtUp()
}

extension ReplyReceiver {
    /// Most receivers pace the reading by what they were handed, not by when it came.
    public func pieceArrived() async {}
    /// Most receivers hand on what they were given at once, not once the reply has caught up.
    public func caughtUp() {}
}

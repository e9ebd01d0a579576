/// How long each stage of a reply may take before the reply fails as a `timeout` and its
/// connection is closed.
public struct TransportTimeouts: Equatable, Sendable {
    /// Opening the connection (TCP and TLS).
    public var connect: Duration
    /// From sending the request to the first byte of the body, waiting for the headers included:
    /// a model that is still loading, or a server that accepted the request and went quiet.
    public var firstByte: Duration
    /// Between two pieces of the body once it has begun: a stream that stalled.
    public var idle: Duration

    public init(connect: Duration = .seconds(10), firstByte: Duration = .seconds(30), idle: Duration = .seconds(60)) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
    }
}

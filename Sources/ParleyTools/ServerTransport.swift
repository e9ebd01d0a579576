import MCP

/// What `MCPServer` needs of a transport beyond the SDK's `Transport`: whether it can still be
/// used, what a failure of its own means, and ways to give up on a request or on the server.
protocol ServerTransport: Transport {
    /// No longer usable (the child ended; the HTTP session is gone): the next use starts anew.
    nonisolated var isClosed: Bool { get }

    /// What `error`, from a request made `during` something, says about the server, when it is
    /// this transport's to explain (the child ended, the HTTP status); nil when it is not.
    func explain(_ error: any Error, during activity: Activity) async -> ToolServerFailure.Reason?

    /// Stops what the server is doing for request `id`, as far as the transport can.
    func abandon(_ id: ID) async

    /// Gives up on the server: the child is killed, the HTTP session dropped.
    nonisolated func kill()

    /// The protocol version agreed, which some transports send with every request.
    func agreed(_ version: String) async
}

/// What Parley was waiting for, for messages.
enum Activity: Sendable {
    case starting, listing
    case calling(String)

    var words: String {
        switch self {
        case .starting: "its start"
        case .listing: "listing its tools"
        case .calling(let tool): tool
        }
    }
}

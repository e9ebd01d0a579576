import Foundation

/// How messages reach a server and come back: a child's stdin and stdout, or HTTP.
protocol ServerTransport: Actor {
    /// One JSON-RPC message, sent as the transport frames it.
    func send(_ message: Data) async throws

    /// The server's messages, one JSON-RPC message each; ends (with an error) when no more can come.
    nonisolated func receive() -> AsyncThrowingStream<Data, any Error>

    /// Lets the server go, in order (stdin closed; the HTTP session ended), and waits for it.
    func disconnect() async

    /// No longer usable (the child ended; the HTTP session is gone): the next use starts anew.
    nonisolated var isClosed: Bool { get }

    /// What `error`, from a request made `during` something, says about the server, when it is
    /// this transport's to explain (the child ended, the HTTP status); nil when it is not.
    func explain(_ error: any Error, during activity: Activity) async -> ToolServerFailure.Reason?

    /// Stops what the server is doing for request `id`, as far as the transport can.
    func abandon(_ id: Int) async

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

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ParleyCore

/// A server already running at a Streamable HTTP endpoint, on AsyncHTTPClient. (The SDK's own
/// HTTP transport, evaluated, reads event streams on Apple's systems only: on Linux it hands a
/// whole event stream over as if it were one message.)
///
/// Every message is a POST. The server answers a notification with 202, and a request with one
/// JSON message or with an event stream of messages (its own requests and notifications may
/// come before the answer). The session id it gives at `initialize` goes with every later
/// request, and so does the agreed protocol version. Each request's POST is a task of its own,
/// so one given up on is cancelled (its connection closed) without touching the others.
actor HTTPTransport: ServerTransport {
    private let endpoint: URL
    private let headers: [String: String]
    private let messageLimit: Int
    private nonisolated let messages: AsyncThrowingStream<Data, any Error>
    private nonisolated let incoming: AsyncThrowingStream<Data, any Error>.Continuation
    private nonisolated let closed = OutputEnd()
    private var sessionID: String?
    private var version: String?
    /// The POSTs of requests under way, by JSON-RPC id.
    private var exchanges: [String: Task<Void, any Error>] = [:]

    /// What went wrong with an exchange, for `explain`.
    struct Failure: Error, CustomStringConvertible {
        enum Problem {
            case unreachable(String)
            case status(Int, String)
            /// 404 to a request with a session id: the server has dropped the session.
            case sessionEnded
            case tooLarge
            case notMCP(String)
            /// The connection closed before the answer was whole.
            case dropped(String)
        }

        var problem: Problem
        var description: String { "\(problem)" }
    }

    init(endpoint: URL, headers: [String: String], messageLimit: Int) {
        self.endpoint = endpoint
        self.headers = headers
        self.messageLimit = messageLimit
        (messages, incoming) = AsyncThrowingStream<Data, any Error>.makeStream()
    }

    /// Redirects are not followed: the headers (a bearer token, often) must not go elsewhere. A
    /// refused connection is said at once, not retried until the connect timeout. A thread of
    /// its own: tool calls wait for no one else's traffic (in the whole test suite, sharing the
    /// process's event loops, connecting to a local server was seen to take over 10 s).
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10))
        return HTTPClient(
            eventLoopGroup: MultiThreadedEventLoopGroup(numberOfThreads: 1), configuration: configuration)
    }()

    // MARK: Sending and receiving

    /// Ends the session, as the protocol asks of a client that is done with it (if the server
    /// does not answer soon, it is left to expire).
    func disconnect() async {
        close()
        guard let sessionID else { return }
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .DELETE
        request.headers = requestHeaders(session: sessionID)
        _ = try? await Self.client.execute(request, timeout: .seconds(2))
    }

    func send(_ data: Data) async throws {
        guard !isClosed else { throw Failure(problem: .sessionEnded) }
        let id = Self.requestID(in: data)
        let exchange = Task { try await post(data) }
        if let id { exchanges[id] = exchange }
        defer { if let id { exchanges[id] = nil } }
        try await exchange.value
    }

    nonisolated func receive() -> AsyncThrowingStream<Data, any Error> { messages }

    // MARK: ServerTransport

    nonisolated var isClosed: Bool { closed.hasEnded }

    func explain(_ error: any Error, during activity: Activity) async -> ToolServerFailure.Reason? {
        guard let failure = error as? Failure else { return nil }
        switch failure.problem {
        case .unreachable(let detail): return .unreachable(url: endpoint.absoluteString, detail: detail)
        case .status(let status, let detail): return .httpStatus(status, detail: detail)
        case .sessionEnded: return .sessionEnded
        case .tooLarge: return .messageTooLarge(limit: messageLimit)
        case .notMCP(let detail): return .notMCP(detail: detail)
        case .dropped(let detail):
            return .crashed(during: activity.words, ending: "closed the connection (\(detail))", stderr: [])
        }
    }

    func abandon(_ id: Int) async {
        exchanges.removeValue(forKey: "\(id)")?.cancel()
    }

    nonisolated func kill() {
        closed.mark()
        Task { await close() }
    }

    func agreed(_ version: String) async {
        self.version = version
    }

    // MARK: Exchanges

    private func close() {
        closed.mark()
        for exchange in exchanges.values { exchange.cancel() }
        exchanges = [:]
        incoming.finish(throwing: Failure(problem: .sessionEnded))
    }

    private func requestHeaders(session: String?) -> HTTPHeaders {
        var fields = HTTPHeaders(headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        fields.replaceOrAdd(name: "Accept", value: "application/json, text/event-stream")
        if let session { fields.replaceOrAdd(name: "Mcp-Session-Id", value: session) }
        if let version { fields.replaceOrAdd(name: "MCP-Protocol-Version", value: version) }
        return fields
    }

    /// One message POSTed, and the server's answer (if any) handed on as it comes.
    private func post(_ body: Data) async throws {
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers = requestHeaders(session: sessionID)
        request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let sentWithSession = sessionID != nil
        let response: HTTPClientResponse
        do {
            response = try await Self.execute(request)
        } catch {
            throw Failure(problem: .unreachable(Self.words(for: error)))
        }
        if let session = response.headers.first(name: "Mcp-Session-Id") { sessionID = session }
        switch response.status.code {
        case 200..<300:
            break
        case 404 where sentWithSession:
            close()
            throw Failure(problem: .sessionEnded)
        default:
            let excerpt = (try? await response.body.collect(upTo: 4096)).map { String(buffer: $0) } ?? ""
            let said = excerpt.split(whereSeparator: \.isNewline).first.map { ": " + $0 } ?? ""
            throw Failure(problem: .status(Int(response.status.code), response.status.reasonPhrase + said))
        }
        let contentType = response.headers.first(name: "Content-Type")?.lowercased() ?? ""
        do {
            if contentType.hasPrefix("text/event-stream") {
                var events = EventStreamMessages(limit: messageLimit)
                for try await buffer in response.body {
                    let messages = try buffer.withUnsafeReadableBytes { bytes throws(MessageLines.Problem) in
                        try events.take(bytes)
                    }
                    for message in messages { incoming.yield(message) }
                }
            } else if contentType.hasPrefix("application/json") {
                let whole = try await response.body.collect(upTo: messageLimit)
                // (A notification's 202 may say JSON and carry nothing.)
                if whole.readableBytes > 0 { incoming.yield(Data(whole.readableBytesView)) }
            } else if try await response.body.collect(upTo: 4096).readableBytes > 0 {
                throw Failure(
                    problem: .notMCP("it answered with \(contentType.isEmpty ? "no content type" : contentType)"))
            }
        } catch let failure as Failure {
            throw failure
        } catch is MessageLines.Problem, is NIOTooManyBytesError {
            throw Failure(problem: .tooLarge)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Failure(problem: .dropped(Self.words(for: error)))
        }
    }

    /// Sends `request`, once more when a kept-alive connection turned out closed before it could
    /// be written on (the server closed it as idle just then): nothing reached the server, so
    /// nothing is done twice.
    private static func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        do {
            return try await client.execute(request, deadline: .distantFuture, logger: nil)
        } catch ChannelError.ioOnClosedChannel {
            return try await client.execute(request, deadline: .distantFuture, logger: nil)
        }
    }

    /// The id of a request (a notification or an answer has none), as `abandon` is given it.
    private static func requestID(in message: Data) -> String? {
        guard let json = try? JSON.parse(message), json["method"] != nil, let id = json["id"] else { return nil }
        return id.int.map(String.init)
    }

    /// A connection failure in a few words: "connection refused", "connect timeout".
    private static func words(for error: any Error) -> String {
        let text = String(describing: error)
        for (needle, words) in [
            ("refused", "connection refused"), ("connectTimeout", "no connection within 10 s"),
            ("NXDOMAIN", "host not found"), ("remoteConnectionClosed", "the server closed the connection"),
        ] where text.contains(needle) {
            return words
        }
        return text
    }
}

import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import ParleyProviders
import Synchronization

/// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that answers each request with
/// the `ScriptedResponse` a test chooses. It knows nothing of the client, so it serves the
/// transport in-process and `parley ask` run as a subprocess alike.
///
///     try await TestServer.serving({ request in .replay(body) }) { server in … }
///
/// `serving` awaits the server's shutdown when the test is done with it, also when it failed.
public final class TestServer: Sendable {
    /// "http://127.0.0.1:PORT", no trailing slash.
    public let baseURL: String
    public let port: Int
    private let listener: any Channel
    private let state: TestServerState

    private init(listener: any Channel, port: Int, state: TestServerState) {
        self.listener = listener
        self.port = port
        self.baseURL = "http://127.0.0.1:\(port)"
        self.state = state
    }

    /// How a server compresses every response body, whatever the client accepts.
    public enum Compression: String, Sendable {
        case gzip, deflate
    }

    /// Starts a server, runs `body` with it and awaits its shutdown, whether `body` returns or throws.
    @discardableResult
    public static func serving<T>(
        compressing compression: Compression? = nil,
        _ respond: @escaping @Sendable (RecordedRequest) -> ScriptedResponse,
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        let server = try await start(compressing: compression, respond)
        let result: T
        do {
            result = try await body(server)
        } catch {
            try? await server.shutdown()
            throw error
        }
        try await server.shutdown()
        return result
    }

    /// Starts listening; `respond` runs on the server's event loop for every complete request.
    /// With `compression`, every body is compressed so, a piece per step of its script (each
    /// flushed, as a streaming server does), whether the client asked for it or not.
    public static func start(
        compressing compression: Compression? = nil,
        _ respond: @escaping @Sendable (RecordedRequest) -> ScriptedResponse
    ) async throws -> TestServer {
        let state = TestServerState(respond: respond)
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                state.opened(channel)
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline()
                    if let compression {
                        try pipeline.addHandler(AcceptEncodingOverride(compression))
                        try pipeline.addHandler(HTTPResponseCompressor())
                    }
                    try pipeline.addHandler(ScriptedResponder(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = listener.localAddress?.port else {
            try? await listener.close()
            throw ChannelError.unknownLocalAddress
        }
        return TestServer(listener: listener, port: port, state: state)
    }

    /// A port where connections are never accepted: its queue is filled at once, so a client's
    /// connection attempt hangs in the handshake until the client gives up (connect timeouts).
    public static func startUnreachable() async throws -> TestServer {
        let state = TestServerState { _ in ScriptedResponse(body: [.stall]) }
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 1)
            .serverChannelOption(.autoRead, value: false)
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = listener.localAddress?.port else {
            try? await listener.close()
            throw ChannelError.unknownLocalAddress
        }
        // The kernel completes handshakes for a few connections nobody accepts (backlog + 1);
        // once those fill the queue, later attempts get no answer at all. A loaded machine may be
        // slow to complete one, so a slow attempt does not end the filling until the queue is
        // known to be full: only an attempt that fails after enough have succeeded does.
        let filler = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(1))
        var filled = 0
        for _ in 0..<8 {
            if let channel = try? await filler.connect(host: "127.0.0.1", port: port).get() {
                state.opened(channel)
                filled += 1
            } else if filled >= 2 {
                break
            }
        }
        return TestServer(listener: listener, port: port, state: state)
    }

    /// Every request received so far, in order of arrival.
    public var requests: [RecordedRequest] { state.requests }

    /// How many client connections have closed so far (by either side).
    public var connectionsClosed: Int { state.connectionsClosed }

    /// Body bytes the server has written to its sockets (those the kernel accepted), over all
    /// connections: what a client that stopped reading let through.
    public var bodyBytesWritten: Int { state.counts.bodyBytesWritten }

    /// Connections whose response is waiting for the client to read before it writes more.
    public var writersWaiting: Int { state.counts.writersWaiting }

    /// Waits until `isMet` holds for the server's counts: true then, false if the waiting task is
    /// cancelled first (as a test past its suite's time limit is), or after `limit` when one is
    /// given. Give none where the suite has a time limit: a loaded machine may take long, and a
    /// test is about whether it happens.
    public func waitUntil(
        within limit: Duration? = nil, _ isMet: @escaping @Sendable (TestServerCounts) -> Bool
    ) async -> Bool {
        await state.wait(within: limit, until: isMet)
    }

    /// Waits until at least `count` connections have closed (see `waitUntil`).
    public func waitForConnectionsClosed(_ count: Int, within limit: Duration? = nil) async -> Bool {
        await state.wait(within: limit) { $0.connectionsClosed >= count }
    }

    /// Waits until at least `count` requests have arrived (see `waitUntil`).
    public func waitForRequests(_ count: Int, within limit: Duration? = nil) async -> Bool {
        await state.wait(within: limit) { $0.requests >= count }
    }

    /// Stops listening and closes every connection, stalled ones included.
    public func shutdown() async throws {
        try await listener.close()
        for channel in state.openChannels {
            try? await channel.close()
            // Its close is counted by a callback registered before this wait: counted on return.
            try? await channel.closeFuture.get()
        }
    }
}

/// What a test can wait for on a `TestServer`.
public struct TestServerCounts: Sendable {
    public var requests: Int
    public var connectionsClosed: Int
    /// See `TestServer.bodyBytesWritten`.
    public var bodyBytesWritten: Int
    /// See `TestServer.writersWaiting`.
    public var writersWaiting: Int
}

/// What the server's connections share: the script, the requests and the connection counts.
final class TestServerState: Sendable {
    typealias Counts = TestServerCounts

    private struct Waiter {
        var isMet: @Sendable (Counts) -> Bool
        var continuation: CheckedContinuation<Bool, Never>
    }

    private struct Inner {
        var requests: [RecordedRequest] = []
        var open: [ObjectIdentifier: any Channel] = [:]
        var closed = 0
        var bodyBytesWritten = 0
        var writersWaiting = 0
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0

        var counts: Counts {
            Counts(
                requests: requests.count, connectionsClosed: closed, bodyBytesWritten: bodyBytesWritten,
                writersWaiting: writersWaiting)
        }

        /// Removes and returns the waiters whose condition now holds.
        mutating func metWaiters() -> [CheckedContinuation<Bool, Never>] {
            let met = waiters.filter { $0.value.isMet(counts) }
            for key in met.keys { waiters[key] = nil }
            return met.values.map(\.continuation)
        }
    }

    let respond: @Sendable (RecordedRequest) -> ScriptedResponse
    private let inner = Mutex(Inner())

    init(respond: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) {
        self.respond = respond
    }

    var requests: [RecordedRequest] { inner.withLock { $0.requests } }
    var counts: Counts { inner.withLock { $0.counts } }
    var connectionsClosed: Int { inner.withLock { $0.closed } }
    var openChannels: [any Channel] { inner.withLock { Array($0.open.values) } }

    func record(method: String, target: String, headers: [HTTPHeader], body: [UInt8]) -> RecordedRequest {
        let (request, met) = inner.withLock { inner in
            let request = RecordedRequest(
                number: inner.requests.count + 1, method: method, target: target, headers: headers, body: body)
            inner.requests.append(request)
            return (request, inner.metWaiters())
        }
        for continuation in met { continuation.resume(returning: true) }
        return request
    }

    func opened(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        inner.withLock { $0.open[id] = channel }
        channel.closeFuture.whenComplete { _ in self.closed(id) }
    }

    func bodyWritten(_ count: Int) {
        update { $0.bodyBytesWritten += count }
    }

    func writerWaiting(_ waiting: Bool) {
        update { $0.writersWaiting += waiting ? 1 : -1 }
    }

    private func update(_ change: (inout Inner) -> Void) {
        let met = inner.withLock { inner in
            change(&inner)
            return inner.metWaiters()
        }
        for continuation in met { continuation.resume(returning: true) }
    }

    private func closed(_ id: ObjectIdentifier) {
        let met = inner.withLock { inner in
            inner.open[id] = nil
            inner.closed += 1
            return inner.metWaiters()
        }
        for continuation in met { continuation.resume(returning: true) }
    }

    /// Resumes with true as soon as `isMet` holds, or with false when the waiting task is
    /// cancelled or `limit` (when given) has passed.
    func wait(within limit: Duration?, until isMet: @escaping @Sendable (Counts) -> Bool) async -> Bool {
        guard let limit else { return await wait(until: isMet) }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait(until: isMet) }
            group.addTask {
                try? await Task.sleep(for: limit)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func wait(until isMet: @escaping @Sendable (Counts) -> Bool) async -> Bool {
        let id = inner.withLock { inner in
            defer { inner.nextWaiter += 1 }
            return inner.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = inner.withLock { inner -> Bool? in
                    if isMet(inner.counts) { return true }
                    if Task.isCancelled { return false }
                    inner.waiters[id] = Waiter(isMet: isMet, continuation: continuation)
                    return nil
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let cancelled = inner.withLock { $0.waiters.removeValue(forKey: id) }
            cancelled?.continuation.resume(returning: false)
        }
    }
}

/// Makes every request look as if it accepted `compression`, so the compressor after it
/// compresses every response: a server that compresses unasked.
final class AcceptEncodingOverride: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private let compression: TestServer.Compression

    init(_ compression: TestServer.Compression) {
        self.compression = compression
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data) else { return context.fireChannelRead(data) }
        head.headers.replaceOrAdd(name: "Accept-Encoding", value: compression.rawValue)
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}

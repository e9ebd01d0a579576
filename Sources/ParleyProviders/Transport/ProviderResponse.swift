import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// What a provider answered: the status and headers, and the body, read only as it is asked for.
///
/// AsyncHTTPClient's own response body reads one piece ahead of its reader. A reply that waits
/// for the end of its batch window after each piece (`ReplyReceiver`) was so woken once more a
/// window, for a piece it would not look at until the window ended: a fifth of a reply's
/// wake-ups and about a tenth of `parley ask`'s CPU (measured). Read through the client's
/// delegate API, the socket is read only when the reader asks for the next piece and the
/// client holds none back.
struct ProviderResponse: Sendable {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: ResponseBody

    /// Sends `request` and returns when the response's head has come. Cancelling the waiting task
    /// stops the request.
    static func start(_ request: HTTPClient.Request, on client: HTTPClient) async throws -> ProviderResponse {
        let reader = ResponseReader()
        // From here the body owns the request: dropped before its end, it stops it.
        let body = ResponseBody(reader)
        reader.start(request, on: client)
        let head = try await reader.head()
        return ProviderResponse(status: head.status, headers: head.headers, body: body)
    }
}

/// A response's body, a piece at a time. Dropping it before its end stops the request and closes
/// the connection, as AsyncHTTPClient's own body does.
final class ResponseBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    fileprivate let reader: ResponseReader

    fileprivate init(_ reader: ResponseReader) { self.reader = reader }

    deinit { reader.cancel() }

    func makeAsyncIterator() -> Iterator { Iterator(body: self) }

    /// The next piece (every part the client holds, joined), nil at the end; `caughtUp` is called
    /// first when the client holds none and the reader must wait for the server.
    func next(caughtUp: () -> Void) async throws -> ByteBuffer? { try await reader.next(caughtUp: caughtUp) }

    struct Iterator: AsyncIteratorProtocol {
        let body: ResponseBody

        func next() async throws -> ByteBuffer? { try await body.reader.next(caughtUp: {}) }
    }
}

/// The delegate AsyncHTTPClient hands the response to, on the reply thread's event loop.
///
/// The client reads on only when the future returned for a piece completes, so each piece's
/// promise is kept until the reader asks for the piece after it: never while the reader is busy
/// with it or waiting for its batch window to end.
private final class ResponseReader: HTTPClientResponseDelegate, Sendable {
    typealias Response = Void

    private struct State {
        var task: HTTPClient.Task<Void>?
        var cancelled = false
        var head: Result<HTTPResponseHead, any Error>?
        var headWaiter: CheckedContinuation<HTTPResponseHead, any Error>?
        /// A piece the client handed over that the reader has not taken yet.
        var piece: ByteBuffer?
        /// The last piece's promise: fulfilled when the reader asks for the next piece.
        var readOn: EventLoopPromise<Void>?
        var pieceWaiter: CheckedContinuation<ByteBuffer?, any Error>?
        /// The body's end: all of it came, or the request failed (a cancel is a failure).
        var end: Result<Void, any Error>?

        /// The piece the client handed over, else the end (nil: all came), if either is here.
        mutating func takeReady() -> Result<ByteBuffer?, any Error>? {
            if let piece {
                self.piece = nil
                return .success(piece)
            }
            return end.map { end in end.map { nil } }
        }
    }

    private let state = Mutex(State())

    func start(_ request: HTTPClient.Request, on client: HTTPClient) {
        // The clients' group is the reply thread's one loop, so the delegate runs there either way.
        // Not `.delegateAndChannel(on:)`: a request that requires its loop made the pool open a
        // connection of its own beside the idle one (the transport stories count connections).
        let task = client.execute(request: request, delegate: self, eventLoop: .indifferent)
        let cancelled = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }

    /// Stops the request, if it still runs; a reader waiting is then answered with the error.
    func cancel() {
        let task = state.withLock { state in
            state.cancelled = true
            return state.end == nil ? state.task : nil
        }
        task?.cancel()
    }

    func head() async throws -> HTTPResponseHead {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let head = state.withLock { state in
                    if state.head == nil { state.headWaiter = continuation }
                    return state.head
                }
                if let head { continuation.resume(with: head) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The most parts are joined to: what one read of the socket brings at most (NIO's receive
    /// buffer), so a piece is no larger than before, and a reader's limits hold as they did.
    private static let largestPiece = 65_536

    /// Every part the client holds, joined: what one read of the socket brought, as a rule (a
    /// server writes a part a token, and a read in time for a batch window brings dozens), so the
    /// reply decodes and hands them on in one step, not one a part. Waits for the server only
    /// when the client holds none, and then returns the first part that comes alone: taking the
    /// rest would let the client read the socket on at once, before a session could hold that
    /// part, and the socket with it, until its window nearly ends (`ReplyReceiver.pieceArrived`).
    /// (Tried: at 2,000 tokens a second, text then reached the screen a median of 31 ms after the
    /// server wrote it, not 25.)
    func next(caughtUp: () -> Void) async throws -> ByteBuffer? {
        if let held = joinHeld() { return try held.get() }
        // The client holds nothing more: the next piece must come from the socket, and all the
        // server sent so far has been handed over.
        caughtUp()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state in
                    let ready = state.takeReady()
                    if ready == nil { state.pieceWaiter = continuation }
                    return ready
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            cancel()
        }
    }

    /// The parts the client holds, joined (up to `largestPiece`); else the end, if it is here.
    /// Nil when there is neither: the client is reading the socket.
    private func joinHeld() -> Result<ByteBuffer?, any Error>? {
        var joined: ByteBuffer?
        while let held = handOver() {
            guard case .success(var part?) = held else {
                // The end (or the failure) comes after what came before it.
                return joined.map { .success($0) } ?? held
            }
            guard let size = joined?.readableBytes else {
                joined = part
                continue
            }
            guard size + part.readableBytes <= Self.largestPiece else {
                // The next piece's start; its promise stays the client's to wait on.
                state.withLock { $0.piece = part }
                break
            }
            joined?.writeBuffer(&part)
        }
        return joined.map { .success($0) }
    }

    /// A part the client holds, or the end, if either is here; else lets the client read on
    /// and takes the part it held back, if it did. Nil when it holds none: it reads the socket.
    private func handOver() -> Result<ByteBuffer?, any Error>? {
        enum Step {
            case ready(Result<ByteBuffer?, any Error>)
            case readOn(EventLoopPromise<Void>)
            case reading
        }
        let step = state.withLock { state -> Step in
            if let ready = state.takeReady() { return .ready(ready) }
            defer { state.readOn = nil }
            return state.readOn.map { .readOn($0) } ?? .reading
        }
        switch step {
        case .ready(let ready): return ready
        case .reading: return nil
        case .readOn(let promise):
            // On the event loop the client hands over a part it still holds before this returns:
            // taken at once, without suspending (which would cost a trip through the loop's queue).
            promise.succeed()
            return state.withLock { $0.takeReady() }
        }
    }

    // MARK: The client's side, on the event loop

    func didReceiveHead(task: HTTPClient.Task<Void>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let waiter = state.withLock { state in
            state.head = .success(head)
            defer { state.headWaiter = nil }
            return state.headWaiter
        }
        waiter?.resume(returning: head)
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Void>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let promise = task.eventLoop.makePromise(of: Void.self)
        let waiter = state.withLock { state in
            state.readOn = promise
            defer { state.pieceWaiter = nil }
            if state.pieceWaiter == nil { state.piece = buffer }
            return state.pieceWaiter
        }
        waiter?.resume(returning: buffer)
        return promise.futureResult
    }

    func didReceiveError(task: HTTPClient.Task<Void>, _ error: any Error) {
        finish(.failure(error))
    }

    func didFinishRequest(task: HTTPClient.Task<Void>) throws {
        finish(.success(()))
    }

    private func finish(_ end: Result<Void, any Error>) {
        let (headWaiter, pieceWaiter, readOn) = state.withLock { state in
            if state.end == nil { state.end = end }
            if state.head == nil { state.head = .failure(Self.headless(end)) }
            defer {
                state.headWaiter = nil
                state.pieceWaiter = nil
                state.readOn = nil
            }
            return (state.headWaiter, state.pieceWaiter, state.readOn)
        }
        headWaiter?.resume(throwing: Self.headless(end))
        pieceWaiter?.resume(with: end.map { nil })
        // Every promise is kept: the client no longer waits for it.
        readOn?.succeed()
    }

    /// What a waiter for the head hears when the request ended without one.
    private static func headless(_ end: Result<Void, any Error>) -> any Error {
        if case .failure(let error) = end { return error }
        return HTTPClientError.remoteConnectionClosed
    }
}

import Foundation
import Logging
import ParleyCore

/// JSON-RPC 2.0 over a server's transport: requests with ids and their answers, notifications,
/// and the server's own requests (a ping is answered; anything else gets "method not found",
/// since Parley offers the server nothing: no sampling, no roots). When the transport's messages
/// end, every request still waiting fails with the reason, at once.
actor RPCConnection {
    let transport: any ServerTransport
    private let logger: Logger
    private var nextID = 1
    private var pending: [Int: CheckedContinuation<JSON, any Error>] = [:]
    /// Requests given up on before they were even sent.
    private var cancelled: Set<Int> = []
    /// Why no more answers can come, once none can.
    private var ended: (any Error)?

    /// An error the server answered with.
    struct Refusal: Error {
        var code: Int
        var message: String
    }

    /// A message that is not JSON-RPC at all; the connection ends on it.
    struct Garbled: Error {
        var excerpt: String
    }

    private init(transport: any ServerTransport, logger: Logger) {
        self.transport = transport
        self.logger = logger
    }

    /// A connection reading `transport`'s messages from now on.
    static func open(_ transport: any ServerTransport, logger: Logger) -> RPCConnection {
        let connection = RPCConnection(transport: transport, logger: logger)
        Task { await connection.read() }
        return connection
    }

    /// Sends request `method`: its id (to cancel it by) and the task that ends with its result.
    func request(_ method: String, _ params: JSON = [:]) -> (id: Int, answer: Task<JSON, any Error>) {
        let id = nextID
        nextID += 1
        let message: JSON = ["jsonrpc": "2.0", "id": .number(Double(id)), "method": .string(method), "params": params]
        let answer = Task { try await exchange(id, message) }
        return (id, answer)
    }

    func notify(_ method: String, _ params: JSON = [:]) async throws {
        try await transport.send(
            Data(JSON.object(["jsonrpc": "2.0", "method": .string(method), "params": params]).serializedBytes()))
    }

    /// Gives up on request `id` and tells the server, which may stop working on it.
    func cancel(_ id: Int, reason: String) async throws {
        if let continuation = pending.removeValue(forKey: id) {
            continuation.resume(throwing: CancellationError())
        } else {
            cancelled.insert(id)
        }
        try await notify("notifications/cancelled", ["requestId": .number(Double(id)), "reason": .string(reason)])
    }

    /// Ends the connection: waiting requests fail, and the transport lets the server go.
    func close() async {
        finish(CancellationError())
        await transport.disconnect()
    }

    private func exchange(_ id: Int, _ message: JSON) async throws -> JSON {
        if let ended { throw ended }
        if cancelled.remove(id) != nil { throw CancellationError() }
        let bytes = Data(message.serializedBytes())
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = continuation
            Task {
                do {
                    try await transport.send(bytes)
                } catch {
                    pending.removeValue(forKey: id)?.resume(throwing: error)
                }
            }
        }
    }

    private func read() async {
        do {
            for try await data in transport.receive() {
                guard let message = try? JSON.parse(data) else {
                    throw Garbled(excerpt: String(decoding: data.prefix(80), as: UTF8.self))
                }
                for one in message.array ?? [message] { handle(one) }
            }
            finish(CancellationError())
        } catch let garbled as Garbled {
            logger.warning("stopped: it sent something that is not JSON")
            transport.kill()
            finish(garbled)
        } catch {
            finish(error)
        }
    }

    private func handle(_ message: JSON) {
        if let method = message["method"]?.string {
            // A notification (progress, log lines) needs nothing; a request needs an answer.
            guard let id = message["id"] else { return }
            let answer: JSON =
                method == "ping"
                ? ["jsonrpc": "2.0", "id": id, "result": [:]]
                : [
                    "jsonrpc": "2.0", "id": id,
                    "error": ["code": -32601, "message": .string("Method not found: \(method)")],
                ]
            let transport = transport
            Task { try? await transport.send(Data(answer.serializedBytes())) }
            return
        }
        guard let id = message["id"]?.int, let continuation = pending.removeValue(forKey: id) else { return }
        if let error = message["error"] {
            continuation.resume(
                throwing: Refusal(
                    code: error["code"]?.int ?? 0, message: error["message"]?.string ?? "\(error.serialized())"))
        } else {
            continuation.resume(returning: message["result"] ?? .null)
        }
    }

    private func finish(_ error: any Error) {
        ended = ended ?? error
        let waiting = pending
        pending = [:]
        for continuation in waiting.values { continuation.resume(throwing: error) }
    }
}

import ParleyCore
import ParleyProviders
import ParleyStreaming
import Synchronization

/// A reply the test writes by hand: events go in when the test says, and cancelling is recorded.
/// It hands them to its receiver as a transport's body loop does: what one `send` gave as one
/// piece, each piece once the receiver is ready for more.
final class ScriptedReply: Sendable {
    private enum Piece {
        /// What one piece of the body decoded to.
        case updates([ReplyUpdate])
        /// A piece came in: what the next `updates` hold, once decoded.
        case arrived
        /// Everything the server sent so far has been handed over.
        case caughtUp
    }

    private let pieces: AsyncStream<Piece>
    private let input: AsyncStream<Piece>.Continuation
    private let cancels = Mutex(0)
    private let arrivals = Mutex(0)
    private let caughtUps = Mutex(0)

    init() {
        (pieces, input) = AsyncStream.makeStream(of: Piece.self)
    }

    var cancelCount: Int { cancels.withLock { $0 } }

    /// How many `arrive()`s the receiver has been told of.
    var arrivalCount: Int { arrivals.withLock { $0 } }

    /// How many `caughtUp()`s the receiver has been told of: each one after the receiver was ready
    /// for what came before it.
    var caughtUpCount: Int { caughtUps.withLock { $0 } }

    func send(_ events: StreamEvent...) {
        input.yield(.updates(events.map { .event($0) }))
    }

    /// A piece came in, as a transport tells it before decoding it; the next `send` is what it held.
    func arrive() {
        input.yield(.arrived)
    }

    /// The reply has read all the server sent so far, as a transport tells it before it waits.
    func caughtUp() {
        input.yield(.caughtUp)
    }

    /// Its first content, told as a transport tells it: shown, `after` its request was sent.
    func show(after timeToFirstToken: Duration, _ events: StreamEvent...) {
        input.yield(.updates([.shown(timeToFirstToken: timeToFirstToken)] + events.map { .event($0) }))
    }

    func finish(_ metrics: ReplyMetrics = ReplyMetrics(duration: .zero, chunks: 3, bytes: 300, attempts: 1)) {
        input.yield(.updates([.finished(metrics)]))
        input.finish()
    }

    /// Cancelling stops the reply the way a `ReplyStream` does: usage, a cancelled stop, finished.
    func start(in service: StreamingService, as id: SessionID, conversation: ConversationID = ConversationID("c")) {
        let reply = ReplyStream { [self] receiver in
            // The hand-over runs in a task of its own, which a cancel does not end: the reply
            // still ends with what the cancel sends.
            let handOver = Task {
                for await piece in pieces {
                    switch piece {
                    case .arrived:
                        await receiver.pieceArrived()
                        arrivals.withLock { $0 += 1 }
                    case .caughtUp:
                        receiver.caughtUp()
                        caughtUps.withLock { $0 += 1 }
                    case .updates(let updates):
                        receiver.receive(updates)
                        if case .finished = updates.last { return }
                        await receiver.readyForMore()
                    }
                }
            }
            return Task {
                await withTaskCancellationHandler {
                    await handOver.value
                } onCancel: {
                    cancelled()
                }
            }
        }
        service.start(id, conversation: conversation, reply: reply)
    }

    private func cancelled() {
        let first = cancels.withLock { count in
            count += 1
            return count == 1
        }
        guard first else { return }
        send(.usage(Usage(estimated: true)), .stop(StopReason(.cancelled)))
        finish()
    }
}

/// Collects trace events.
final class TraceLog: Sendable {
    private let events = Mutex<[TraceEvent]>([])
    var all: [TraceEvent] { events.withLock { $0 } }
    var hook: @Sendable (TraceEvent) -> Void { { [self] event in events.withLock { $0.append(event) } } }
}

extension StreamingService {
    func events(of id: SessionID) -> Int? {
        activeSessions.first { $0.id == id }?.metrics.events
    }
}

extension SessionUpdate {
    var batch: Batch? {
        if case .batch(_, let batch) = self { batch } else { nil }
    }

    var end: SessionEnd? {
        if case .ended(_, let end) = self { end } else { nil }
    }

    var session: SessionID {
        switch self {
        case .batch(let id, _), .ended(let id, _): id
        }
    }
}

import ParleyCore
import ParleyProviders
import Synchronization

/// One relayed reply: its stream, the pipe its updates come through, the keep-alive ticker and
/// its slot. `end()` (at the latest when the run is let go) stops all of it, once.
final class ReplyRun: Sendable {
    let stream: ReplyStream
    let pipe = ReplyPipe()
    private let ticker: Task<Void, Never>
    private let replies: RunningReplies
    private let ended = Atomic(false)
    private let shutDown = Atomic(false)
    /// The reply's events, kept to be saved (`--save`); nil when nothing is saved.
    private let kept: Mutex<[StreamEvent]?>

    /// Starts `stream` into the pipe, with a tick every `keepAlive` of `clock`, in the place it
    /// took among `replies`.
    init(
        stream: ReplyStream, keepAlive: Duration, clock: any Clock<Duration>, replies: RunningReplies, keeping: Bool
    ) {
        self.stream = stream
        self.replies = replies
        kept = Mutex(keeping ? [] : nil)
        let pipe = pipe
        ticker = Task {
            while (try? await clock.sleep(for: keepAlive)) != nil { pipe.tick() }
        }
        replies.hold(self)
        stream.run(into: pipe)
    }

    deinit { end() }

    /// Stops the reply (closing its connection when it is still open) and frees its slot.
    func end() {
        guard !ended.exchange(true, ordering: .acquiringAndReleasing) else { return }
        ticker.cancel()
        stream.cancel()
        replies.release(self)
    }

    /// The relay stops and the grace period is over: the reply is cancelled, and its client told
    /// why (`stoppedForShutdown`).
    func stopForShutdown() {
        shutDown.store(true, ordering: .releasing)
        stream.cancel()
    }

    var stoppedForShutdown: Bool { shutDown.load(ordering: .acquiring) }

    /// Keeps what `updates` say of the reply, when it is to be saved.
    func keep(_ updates: [ReplyUpdate]) {
        kept.withLock { kept in
            for case .event(let event) in updates { kept?.append(event) }
        }
    }

    /// The events kept so far; nil when the reply is not saved.
    var events: [StreamEvent]? { kept.withLock { $0 } }

    /// The failure of a reply that failed before any of it came: the response's status is then
    /// the provider's (429 with its Retry-After…), not a stream that begins well and breaks.
    static func failureBeforeContent(_ updates: [ReplyUpdate]) -> RelayError? {
        for update in updates {
            guard case .event(let event) = update else { continue }
            if event.isContent { return nil }
            if case .error(let failure) = event { return RelayError(upstream: failure) }
        }
        return nil
    }
}

import ParleyCore

/// Gathers one session's deltas into `Batch`es for the store: a THROTTLE with a fixed window
/// (50 ms by default), not a debounce.
///
/// A debounce would wait for silence, so a fast, steady stream would freeze the screen until
/// the model paused. Here deltas accumulate and are delivered at most once per window while
/// anything is pending: the first delta after a quiet spell arms the one timer, which fires
/// one window later and delivers everything gathered meanwhile; a steady stream therefore
/// flows every window. A stop or an error is delivered at once with what is pending, without
/// waiting for the window (a cancelled reply ends with a stop, so cancel flushes at once too).
/// A quiet session has no timer armed: idle means no wake-ups.
///
/// Time is a parameter, as the session's time (how long since it started): the batcher is a
/// value that says when to wake it; its owner keeps the clock and the single timer. (No clock's
/// instant type in it: a session's state is the same type whatever drives it, so the runner's
/// lock and state are not generic values looked up at every piece of a reply.)
public struct ChunkBatcher: Sendable {
    public enum Action: Equatable, Sendable {
        /// Nothing to do yet; a timer is already armed or nothing is pending.
        case none
        /// Arm the session's one timer for `deadline` and call `timerFired(at:)` then.
        case armTimer(deadline: Duration)
        /// Hand this batch over now (and drop any armed timer: it has nothing left to do).
        case deliver(Batch)
    }

    public let window: Duration
    private var pending = PendingBatch()
    /// When the armed timer fires; nil while none is armed.
    public private(set) var deadline: Duration?

    public init(window: Duration = .milliseconds(50)) {
        self.window = window
    }

    public mutating func receive(_ event: StreamEvent, at now: Duration) -> Action {
        pending.append(event)
        switch event {
        case .stop, .error: return flush()
        default:
            guard deadline == nil else { return .none }
            let deadline = now + window
            self.deadline = deadline
            return .armTimer(deadline: deadline)
        }
    }

    /// The timer armed for `deadline` fired. A timer that outlived a flush finds nothing to do.
    public mutating func timerFired(at deadline: Duration) -> Action {
        guard self.deadline == deadline else { return .none }
        return flush()
    }

    /// Everything pending, now: the reply ended or broke off.
    public mutating func flush() -> Action {
        deadline = nil
        guard !pending.isEmpty else { return .none }
        defer { pending = PendingBatch() }
        return .deliver(pending.batch)
    }

    public var isPending: Bool { !pending.isEmpty }

    /// UTF-8 bytes of the text and thinking gathered and not delivered yet.
    public var pendingBytes: Int { pending.textBytes }
}

/// A `Batch` being gathered: the open run of text (or thinking) grows in place, so a window of
/// thousands of deltas costs linear time rather than copying the run at every delta.
struct PendingBatch: Sendable {
    private var sealed: [StreamEvent] = []
    private var run: (thinking: Bool, text: String)?
    private var count = 0
    /// UTF-8 bytes of the text and thinking appended.
    private(set) var textBytes = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ event: StreamEvent) {
        count += 1
        switch event {
        case .text(let text):
            textBytes += text.utf8.count
            extendRun(thinking: false, with: text)
        case .thinking(let text):
            textBytes += text.utf8.count
            extendRun(thinking: true, with: text)
        default:
            sealRun()
            sealed.append(event)
        }
    }

    var batch: Batch {
        var copy = self
        copy.sealRun()
        // No two neighbours are text (or thinking) any more, so the batch joins nothing again.
        var batch = Batch(events: copy.sealed)
        batch.eventCount = count
        return batch
    }

    private mutating func extendRun(thinking: Bool, with text: String) {
        if run?.thinking == thinking {
            run?.text += text
        } else {
            sealRun()
            run = (thinking, text)
        }
    }

    private mutating func sealRun() {
        guard let run else { return }
        sealed.append(run.thinking ? .thinking(run.text) : .text(run.text))
        self.run = nil
    }
}

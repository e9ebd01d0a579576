import ParleyCore
import Synchronization

/// Enforces the first-byte and idle timeouts of one try with a single task that sleeps until
/// the current deadline and re-checks it, so a piece of the body costs only a clock read and
/// an uncontended lock, never a task or a timer.
final class Watchdog<C: Clock<Duration>>: Sendable {
    private struct State {
        var deadline: C.Instant
        /// Whether the body has begun: which timeout the deadline is.
        var bodyStarted = false
        var armed = true
    }

    private enum Verdict {
        case extended, disarmed
        case expired(ProviderError)
    }

    private let clock: C
    private let idle: Duration
    private let firstByteError: ProviderError
    private let idleError: ProviderError
    private let state: Mutex<State>

    init(clock: C, timeouts: TransportTimeouts, host: String) {
        self.clock = clock
        self.idle = timeouts.idle
        self.idleError = ProviderError(.timeout, "the stream stalled: no data for \(timeouts.idle.spoken)")
        self.firstByteError = ProviderError(.timeout, "no response from \(host) within \(timeouts.firstByte.spoken)")
        self.state = Mutex(State(deadline: clock.now.advanced(by: timeouts.firstByte)))
    }

    /// A piece of the body arrived: the next must come within the idle timeout.
    func bodyArrived() {
        let deadline = clock.now.advanced(by: idle)
        state.withLock { state in
            state.deadline = deadline
            state.bodyStarted = true
        }
    }

    /// The try is over; a deadline passing from now on means nothing.
    func disarm() {
        state.withLock { $0.armed = false }
    }

    /// Sleeps until a deadline passes unmet, then stops the reply with its timeout error.
    /// Returns early when its task is cancelled.
    func watch(_ control: ReplyControl) async {
        while true {
            // The first piece of the body replaces the first-byte deadline with the idle one,
            // which may be sooner: never sleep past one idle period.
            let deadline = state.withLock { $0.deadline }
            let wake = min(deadline, clock.now.advanced(by: idle))
            do {
                try await clock.sleep(until: wake, tolerance: nil)
            } catch {
                return
            }
            let now = clock.now
            let verdict: Verdict = state.withLock { state in
                guard state.armed else { return .disarmed }
                // The body moved the deadline while this task slept.
                guard state.deadline <= now else { return .extended }
                state.armed = false
                return .expired(state.bodyStarted ? idleError : firstByteError)
            }
            switch verdict {
            case .extended: continue
            case .disarmed: return
            case .expired(let error):
                control.stop(.timedOut(error))
                return
            }
        }
    }
}

extension Duration {
    /// "300 ms", "30 s", "1.5 s": how a timeout reads in a message.
    var spoken: String {
        let milliseconds = wholeMilliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds / 100) / 10) s"
    }
}

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
        /// The body loop is waiting for the consumer, not for the server: no deadline runs.
        var paused = false
    }

    private enum Verdict {
        case extended, disarmed
        case expired(ProviderError)
    }

    /// How late a wake-up must be to mean the process did not run: far beyond the delays of a
    /// loaded machine.
    private static var lateWake: Duration { .seconds(1) }

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

    /// A piece of the body arrived (and its receiver let it be decoded): the next must come within
    /// the idle timeout; a pause ends.
    func bodyArrived() {
        let deadline = clock.now.advanced(by: idle)
        state.withLock { state in
            state.deadline = deadline
            state.bodyStarted = true
            state.paused = false
        }
    }

    /// The body loop waits for a slow consumer: that time is not the server's to account for.
    func pause() {
        state.withLock { $0.paused = true }
    }

    /// The consumer made room: the next piece must come within the idle timeout from now.
    func resume() {
        let deadline = clock.now.advanced(by: idle)
        state.withLock { state in
            state.deadline = deadline
            state.paused = false
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
            // which may be sooner: never sleep past one idle period. While paused no deadline
            // runs: look again one idle period later (`resume` sets a fresh deadline).
            let (deadline, paused) = state.withLock { ($0.deadline, $0.paused) }
            let nextIdle = clock.now.advanced(by: idle)
            let wake = paused ? nextIdle : min(deadline, nextIdle)
            do {
                try await clock.sleep(until: wake, tolerance: nil)
            } catch {
                return
            }
            let now = clock.now
            let verdict: Verdict = state.withLock { state in
                guard state.armed else { return .disarmed }
                // Woken long after the time asked for, this process did not run meanwhile: it was
                // stopped (Ctrl-Z), or this thread was busy (`parley ask` prints on it, and a paused
                // terminal holds the write). What the server sent meanwhile waits unread in the
                // socket, so the time is not the server's: it gets a fresh idle period from now.
                if wake.duration(to: now) > Self.lateWake {
                    state.deadline = max(state.deadline, now.advanced(by: idle))
                    return .extended
                }
                // The body moved the deadline while this task slept, or the loop is waiting for
                // the consumer.
                guard state.deadline <= now, !state.paused else { return .extended }
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

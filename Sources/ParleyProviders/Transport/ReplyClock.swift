import NIOCore
import Synchronization

/// The continuous clock, with its sleeps kept by the reply thread's event loop.
///
/// A task sleeping on `ContinuousClock` is woken by the dispatch timer thread, which wakes a pool
/// thread, which hands the task back to the reply thread: three threads for every batch window
/// of every reply. A sleep kept by the event loop ends inside the loop's own wait, and the task
/// resumes right there.
public struct ReplyClock: Clock {
    public typealias Duration = Swift.Duration
    public typealias Instant = ContinuousClock.Instant

    public init() {}

    public var now: Instant { ContinuousClock.now }
    public var minimumResolution: Duration { ContinuousClock().minimumResolution }

    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let delay = now.duration(to: deadline)
        guard delay > .zero else { return }
        let sleeper = Sleeper()
        try await withTaskCancellationHandler {
            // Unchecked: the sleeper resumes it exactly once (a checked one costs an allocation of
            // its own at every sleep, two a batch window).
            try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
                do {
                    // A callback, not `scheduleTask`: no promise and future to make for each sleep.
                    let timer = try ReplyThread.shared.loop.scheduleCallback(in: TimeAmount(delay), handler: sleeper)
                    sleeper.start(continuation, timer: timer)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            sleeper.end(CancellationError())
        }
    }
}

/// One sleep: its continuation is resumed exactly once, by the timer or by a cancel, whichever
/// comes first, and a cancel that comes before the sleep began ends it as soon as it begins.
private final class Sleeper: NIOScheduledCallbackHandler, Sendable {
    private enum State {
        case starting
        case sleeping(UnsafeContinuation<Void, any Error>, NIOScheduledCallback)
        case ended((any Error)?)
    }

    private let state = Mutex(State.starting)

    func start(_ continuation: UnsafeContinuation<Void, any Error>, timer: NIOScheduledCallback) {
        let endedEarly = state.withLock { state -> (any Error)?? in
            if case .ended(let error) = state { return .some(error) }
            state = .sleeping(continuation, timer)
            return .none
        }
        guard let error = endedEarly else { return }
        timer.cancel()
        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
    }

    func handleScheduledCallback(eventLoop: some EventLoop) {
        end(nil)
    }

    /// Told of a cancel of ours (the sleep has ended already) and of a timer the loop dropped as it
    /// shut down: the sleep ends then too, rather than never (its continuation is unchecked).
    func didCancelScheduledCallback(eventLoop: some EventLoop) {
        end(CancellationError())
    }

    func end(_ error: (any Error)?) {
        let previous = state.withLock { state in
            let previous = state
            if case .ended = state {} else { state = .ended(error) }
            return previous
        }
        guard case .sleeping(let continuation, let timer) = previous else { return }
        if let error {
            timer.cancel()
            continuation.resume(throwing: error)
        } else {
            continuation.resume()
        }
    }
}

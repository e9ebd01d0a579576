import Synchronization

/// A value settled once, by whichever of several racers offers one first, and awaited by one
/// waiter. A request waits for an answer that may never come, so it races its deadline and the
/// caller's cancellation through this; the loser is left behind (and a request that lost is
/// then cancelled by its id).
final class FirstOf<Value: Sendable>: Sendable {
    private enum State {
        case empty
        case waiting(CheckedContinuation<Value, Never>)
        case settled(Value)
        case taken
    }

    private let state = Mutex(State.empty)

    init() {}

    /// Settles the value unless it is already settled.
    func offer(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>? = state.withLock { state in
            switch state {
            case .empty:
                state = .settled(value)
                return nil
            case .waiting(let continuation):
                state = .taken
                return continuation
            case .settled, .taken:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    /// The first value offered, once there is one. One waiter only.
    func value() async -> Value {
        await withCheckedContinuation { continuation in
            let settled: Value? = state.withLock { state in
                guard case .settled(let value) = state else {
                    state = .waiting(continuation)
                    return nil
                }
                state = .taken
                return value
            }
            if let settled { continuation.resume(returning: settled) }
        }
    }
}

/// How waiting for a request ended.
enum Waited<Value: Sendable>: Sendable {
    case answered(Result<Value, any Error>)
    case timedOut
    /// The waiting task was cancelled (Esc during a call).
    case cancelled
}

extension Task where Failure == any Error {
    /// This task's result, unless `timeout` passes or the waiting task is cancelled first; the
    /// task itself is not waited for in those cases.
    func value(within timeout: Duration, clock: any Clock<Duration>) async -> Waited<Success> {
        let first = FirstOf<Waited<Success>>()
        Task<Void, Never> { first.offer(.answered(await self.result)) }
        let timer = Task<Void, Never> {
            do {
                try await clock.sleep(for: timeout)
                first.offer(.timedOut)
            } catch {}
        }
        let outcome = await withTaskCancellationHandler {
            await first.value()
        } onCancel: {
            first.offer(.cancelled)
        }
        timer.cancel()
        return outcome
    }
}

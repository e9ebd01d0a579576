import Synchronization

/// The tasks the app's effects start, each under the job it does (`Key`): a job is cancelled by
/// its key, a job started again replaces (and cancels) the one before, and quitting stops them
/// all and waits for them. A task leaves the set when it ends.
///
/// A job's result and a cancel race; `claim` settles it. Whichever comes first of `claim(ticket)`
/// (the job is about to act on what it found) and `cancel(key)` wins, and the other learns it
/// lost: so a reply still waiting for its key either starts or is told cancelled, never both.
final class EffectTasks<Key: Hashable & Sendable>: Sendable {
    /// What a job holds to claim its result.
    struct Ticket: Sendable {
        let key: Key
        fileprivate let number: Int
    }

    private struct Running {
        var number: Int
        var task: Task<Void, Never>
    }

    private struct State {
        var running: [Key: Running] = [:]
        var issued = 0
        var stopped = false
    }

    private let state = Mutex(State())

    /// Starts `job` under `key`, cancelling one already running there. After `stop()` nothing starts.
    func start(_ key: Key, _ job: @escaping @Sendable (Ticket) async -> Void) {
        let replaced: Task<Void, Never>? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.issued += 1
            let ticket = Ticket(key: key, number: state.issued)
            // Made under the lock: the task's own `claim` waits for it, so it always finds itself.
            let task = Task {
                await job(ticket)
                self.claim(ticket)
            }
            return state.running.updateValue(Running(number: ticket.number, task: task), forKey: key)?.task
        }
        replaced?.cancel()
    }

    /// Takes `ticket`'s job out of the set: true when it was still wanted, false when it was
    /// cancelled or replaced meanwhile (what it found must then be dropped). `act`, run only when
    /// it was wanted, runs before any cancel of its key can be told the job has ended: what it
    /// starts is there for that cancel to stop. It must not use these tasks.
    @discardableResult
    func claim(_ ticket: Ticket, then act: () -> Void = {}) -> Bool {
        state.withLock { state in
            guard state.running[ticket.key]?.number == ticket.number else { return false }
            state.running[ticket.key] = nil
            act()
            return true
        }
    }

    /// Cancels the job under `key`: true when one was running (and had not claimed its result).
    @discardableResult
    func cancel(_ key: Key) -> Bool {
        guard let running = state.withLock({ $0.running.removeValue(forKey: key) }) else { return false }
        running.task.cancel()
        return true
    }

    /// Cancels every job, refuses new ones, and returns when the cancelled tasks have ended.
    func stop() async {
        let tasks = state.withLock { state in
            state.stopped = true
            defer { state.running = [:] }
            return state.running.values.map(\.task)
        }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }
}

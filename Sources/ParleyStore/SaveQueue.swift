import ParleyCore
import Synchronization

/// The app's saves, written one at a time in the order they were asked for (a reply's checkpoint
/// never lands after its final save), off the thread that asks: `save` never waits. Each save's
/// outcome is told to `report` as `ConversationStore.perform` gives it.
public final class SaveQueue: Sendable {
    private let pending: AsyncStream<ChatEffect>.Continuation
    private let writer: Task<Void, Never>

    /// - Parameter report: told, after each save, what the chat state must hear and why it failed.
    public init(
        _ store: ConversationStore,
        report: @escaping @Sendable (_ actions: [ChatAction], _ failure: StoreError?) -> Void
    ) {
        let (effects, pending) = AsyncStream.makeStream(of: ChatEffect.self)
        self.pending = pending
        writer = Task {
            for await effect in effects {
                let (actions, failure) = await store.perform(effect)
                report(actions, failure)
            }
        }
    }

    /// Queues one of the chat state's save effects (others are ignored).
    public func save(_ effect: ChatEffect) {
        pending.yield(effect)
    }

    /// Takes no more saves and returns when those asked for are written (or have failed), or
    /// when `limit` has passed (a database locked by another program must not keep the app from
    /// quitting): true when every save was carried out.
    public func close(waitingAtMost limit: Duration, clock: any Clock<Duration> = ContinuousClock()) async -> Bool {
        pending.finish()
        let writer = writer
        let outcome = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let settle: @Sendable (Bool) -> Void = { written in outcome.withLock { $0.take() }?.resume(returning: written) }
        return await withCheckedContinuation { continuation in
            outcome.withLock { $0 = continuation }
            let timer = Task {
                try? await clock.sleep(for: limit)
                settle(false)
            }
            Task {
                await writer.value
                settle(true)
                timer.cancel()
            }
        }
    }
}

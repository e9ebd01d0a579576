import Foundation
import Synchronization

/// Ctrl-C while a reply streams: the first stops the reply (its connection closes and what
/// arrived is kept); a second one exits at once.
final class InterruptWatcher {
    private final class Presses: Sendable {
        private let count = Atomic(0)
        func record() -> Int { count.add(1, ordering: .relaxed).newValue }
    }

    private let source: any DispatchSourceSignal

    init(onFirst: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let presses = Presses()
        source.setEventHandler {
            if presses.record() == 1 { onFirst() } else { _exit(130) }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

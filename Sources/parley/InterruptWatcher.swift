import Foundation
import Synchronization

/// Ctrl-C while a reply streams: the first stops the reply (its connection closes and what
/// arrived is kept); a second one exits at once.
final class InterruptWatcher: Sendable {
    private let source: any DispatchSourceSignal
    private let count = Mutex(0)

    init(onFirst: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [count] in
            let seen = count.withLock { value in
                value += 1
                return value
            }
            if seen == 1 { onFirst() } else { _exit(130) }
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

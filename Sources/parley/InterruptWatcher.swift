import Foundation
import Synchronization

/// Ctrl-C while a reply streams: the first stops the reply (its connection closes and what
/// arrived is kept); a second one exits at once.
///
/// A handler of its own (`sigaction`) that writes a byte to a pipe, read by a thread of its own:
/// not a dispatch signal source, which on Linux relies on SIGINT staying ignored and blocked in
/// every thread, and lost it once an MCP server had been started (a child process) before it.
final class InterruptWatcher {
    private final class Presses: Sendable {
        private let count = Atomic(0)
        func record() -> Int { count.add(1, ordering: .relaxed).newValue }
    }

    private let pipe: (read: Int32, write: Int32)

    init(onFirst: @escaping @Sendable () -> Void) {
        var ends: [Int32] = [-1, -1]
        guard Foundation.pipe(&ends) == 0 else {
            pipe = (-1, -1)
            return
        }
        pipe = (ends[0], ends[1])
        InterruptPipe.write.store(ends[1], ordering: .sequentiallyConsistent)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = Foundation.write(InterruptPipe.write.load(ordering: .relaxed), &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        let reading = ends[0]
        let presses = Presses()
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while Foundation.read(reading, &byte, 1) == 1 {
                if presses.record() == 1 { onFirst() } else { _exit(130) }
            }
            close(reading)
        }
    }

    /// Ctrl-C ends the process again; the reading thread ends with the pipe.
    func stop() {
        signal(SIGINT, SIG_DFL)
        guard pipe.write >= 0 else { return }
        InterruptPipe.write.store(-1, ordering: .sequentiallyConsistent)
        close(pipe.write)
    }
}

/// Where the handler writes: an atomic, which a signal handler may read.
private enum InterruptPipe {
    static let write = Atomic<Int32>(-1)
}

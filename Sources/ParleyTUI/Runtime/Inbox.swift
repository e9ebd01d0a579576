import CNCurses
import Glibc
import Synchronization

/// Where events wait for the run loop: any thread posts (a lock and an append), and one byte in
/// a pipe wakes the loop from poll(). Several posts before the loop wakes cost one wake-up.
final class Inbox: Sendable {
    private let events = Mutex<[AppEvent]>([])
    /// Read end, write end.
    let pipe: (read: Int32, write: Int32)

    init() {
        var fds: [Int32] = [-1, -1]
        Glibc.pipe(&fds)
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        pipe = (fds[0], fds[1])
    }

    deinit {
        close(pipe.read)
        close(pipe.write)
    }

    func post(_ event: AppEvent) {
        let wasEmpty = events.withLock { events in
            events.append(event)
            return events.count == 1
        }
        if wasEmpty { wake() }
    }

    func wake() {
        var byte: UInt8 = 1
        _ = write(pipe.write, &byte, 1)
    }

    /// Everything posted so far, in order.
    func take() -> [AppEvent] {
        events.withLock { events in
            defer { events.removeAll(keepingCapacity: true) }
            return events
        }
    }

    /// Empties the pipe after a wake-up.
    func drainWakeups() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(pipe.read, &buffer, buffer.count) > 0 {}
    }
}

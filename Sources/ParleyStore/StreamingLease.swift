import Foundation

/// Held by a process for as long as it streams replies into the database at a path.
///
/// A reply found `streaming` when the database is opened is only dead if no running Parley is
/// still writing it: `parley list` in one terminal must not call the reply that `parley ask` (or
/// the app) is streaming in another "interrupted". Streaming processes hold a shared `flock` on a
/// file beside the database; opening marks replies interrupted only when it can take that lock
/// exclusively. The kernel releases the lock when a process dies, kill -9 included.
public final class StreamingLease: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// Takes a shared lease on the database at `path`; nil when its lock file cannot be made
    /// (a read-only folder: then nothing can be saved there anyway).
    public static func take(forDatabaseAt path: String) -> StreamingLease? {
        let descriptor = open(lockPath(path), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        guard flock(descriptor, LOCK_SH) == 0 else {
            close(descriptor)
            return nil
        }
        return StreamingLease(descriptor: descriptor)
    }

    /// True when no process holds a lease on the database at `path` (this one included). Without
    /// `creatingLockFile`, a missing lock file means nobody streams (nobody could take a lease).
    static func nobodyStreams(intoDatabaseAt path: String, creatingLockFile: Bool = true) -> Bool {
        let descriptor =
            creatingLockFile
            ? open(lockPath(path), O_RDWR | O_CREAT | O_CLOEXEC, 0o600) : open(lockPath(path), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return true }
        defer { close(descriptor) }
        return flock(descriptor, LOCK_EX | LOCK_NB) == 0
    }

    static func lockPath(_ path: String) -> String { path + "-streaming.lock" }
}

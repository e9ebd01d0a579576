import Foundation

/// Serializes creating and migrating the database across processes. Every Parley opening the
/// database holds a shared `flock` on a file beside it while it looks at it; one that must create
/// or migrate it holds the lock exclusively, so no other Parley sees a half-made database (and
/// calls it damaged) or migrates it a second time. The kernel releases the lock when a process
/// dies. Where the lock file cannot be made (a read-only folder) nothing can be created anyway,
/// and no lock is taken.
final class SetupLock {
    private var descriptor: Int32

    /// Takes the shared lock, waiting for a Parley that is creating or migrating the database.
    /// A reader makes no lock file: where there is none, nobody is making the database.
    init(forDatabaseAt path: String, creatingLockFile: Bool = true) {
        let file = path + "-setup.lock"
        var descriptor = creatingLockFile ? open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o600) : -1
        if descriptor < 0 { descriptor = open(file, O_RDONLY | O_CLOEXEC) }
        self.descriptor = descriptor
        lock(LOCK_SH)
    }

    deinit { release() }

    /// Lets go of the lock (also when the lock is deinitialized).
    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    /// Waits until no other Parley looks at the database. Not atomic (flock drops the shared lock
    /// first): whoever holds it exclusively must look again.
    func makeExclusive() { lock(LOCK_EX) }

    private func lock(_ operation: Int32) {
        guard descriptor >= 0 else { return }
        while flock(descriptor, operation) != 0 && errno == EINTR {}
    }
}

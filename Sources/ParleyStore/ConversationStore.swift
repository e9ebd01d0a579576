import Foundation
import GRDB
import ParleyCore
import Synchronization

/// Conversations and their messages on disk, in one SQLite file in WAL mode.
///
/// Opening is synchronous: it happens once, before the app's loop starts, and either yields a
/// ready, migrated database or a `StoreError` saying why not. Every other method is `async` and
/// runs on GRDB's connection queue, so callers on the UI executor or the cooperative pool never
/// block on disk. Each method is one transaction: it happens completely or not at all.
///
/// Several Parleys may use one database at once. Opening writes only what must be written (a new
/// database, a migration, replies a stopped Parley left streaming), and creating and migrating
/// are done by one of them at a time (`SetupLock`). A write waits up to `busyTimeout` for
/// another's write lock: SQLite's busy handler retries until then.
///
/// A damaged file is never written to: before its first write, each process checks every page
/// (`PRAGMA quick_check`, once: 0.2 s for 100,000 messages, 44 MB, so not at open, which must
/// not hold up the app's first frame), unless the files are exactly as a Parley that checked them
/// left them, less than a day ago (`PageCheckMark`, left by `close`).
public final class ConversationStore: Sendable {
    /// The database file.
    public let path: String
    let database: DatabaseQueue
    /// Opened to read only, with replies left pending or streaming by a Parley that is gone, which
    /// reads present as interrupted (nothing may be written to mark them).
    let showsLiveRepliesInterrupted: Bool
    /// Opened to read only, from before conversations were trees (v10): its replies' versions are
    /// read as branches, as the migration will make them (`VersionsToBranches`).
    let readsVersionsAsBranches: Bool
    /// The check before the first write, and whether the files have changed only by this store since.
    private let pages = Mutex(PageCheck())

    private init(
        path: String, database: DatabaseQueue, showsLiveRepliesInterrupted: Bool = false,
        readsVersionsAsBranches: Bool = false
    ) {
        self.path = path
        self.database = database
        self.showsLiveRepliesInterrupted = showsLiveRepliesInterrupted
        self.readsVersionsAsBranches = readsVersionsAsBranches
    }

    /// How long a write waits for another Parley's write lock before failing with `.inUse`:
    /// long enough for a hundred Parleys saving at once on a slow disk.
    public static let standardBusyTimeout: Duration = .seconds(60)

    /// Opens the database at `path` to read and write, creating it (and its folders, mode 0700)
    /// when missing and migrating it; replies left pending or streaming by a Parley that is gone
    /// become interrupted (see `StreamingLease`).
    ///
    /// A file that is not a Parley database or comes from a newer Parley is refused before
    /// anything is written to it (a damaged one at its first write). The database's files are
    /// made private (0600).
    public static func open(at path: String, busyTimeout: Duration = standardBusyTimeout) throws(StoreError)
        -> ConversationStore
    {
        try StoreFiles.createFolder(of: path)
        let lock = SetupLock(forDatabaseAt: path)
        defer { lock.release() }
        if try StoreInspection.fileIsNew(path, writing: true) {
            lock.makeExclusive()
            // Another Parley may have created it while this one waited.
            if try StoreInspection.fileIsNew(path, writing: true) { try StoreFiles.createDatabase(path) }
        }
        StoreFiles.makePrivate(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout.fractionalSeconds)
        do {
            let store = ConversationStore(
                path: path, database: try DatabaseQueue(path: path, configuration: configuration))
            try store.setUp(holding: lock)
            return store
        } catch {
            throw StoreError(error, path: path).naming(folderOf: path)
        }
    }

    /// Writes only what must be: the schema of a new database, migrations (both by one Parley at
    /// a time, under `lock` taken exclusively), and the end of replies left streaming by a Parley
    /// that is gone.
    private func setUp(holding lock: SetupLock) throws {
        var inspection = try database.read { db in try StoreInspection.contents(db, path: path) }
        if inspection.needsSetup {
            lock.makeExclusive()
            // Another Parley may have set it up while this one waited.
            inspection = try database.read { db in try StoreInspection.contents(db, path: path) }
        }
        if inspection.needsSetup {
            try database.writeWithoutTransaction { db in
                try checkPagesOnce(db)
                try tracked { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            }
            try tracked { try StoreSchema.migrator.migrate(database) }
        }
        if inspection.hasLiveReplies && StreamingLease.nobodyStreams(intoDatabaseAt: path) {
            try database.writeWithoutTransaction { db in
                try checkPagesOnce(db)
                try tracked {
                    try db.inTransaction {
                        _ = try markInterruptedReplies(db)
                        return .commit
                    }
                }
            }
        }
    }

    /// Opens the database at `path` without writing anything: for reading where it cannot be
    /// written (a read-only file or folder, a full disk). No database yet reads as an empty one.
    /// Its pages are checked: a damaged file is named here, since no write will check it; unless
    /// a mark vouches for the files as they are and `trustingMark` (`parley doctor`, asked to say
    /// whether the database is whole, reads every page).
    public static func openForReading(at path: String, trustingMark: Bool = true) throws(StoreError)
        -> ConversationStore
    {
        let lock = SetupLock(forDatabaseAt: path, creatingLockFile: false)
        defer { lock.release() }
        guard try !StoreInspection.fileIsNew(path, writing: false) else { return try empty(path) }
        StoreFiles.makePrivate(path)
        do {
            let database = try ReadingConnection.open(path, busyTimeout: standardBusyTimeout)
            let inspection = try database.read { db in
                let inspection = try StoreInspection.contents(db, path: path)
                if !inspection.isNew && (!trustingMark || PageCheckMark.trusted(for: path) == nil) {
                    try StoreInspection.checkPages(db, path: path)
                }
                return inspection
            }
            guard !inspection.isNew else { return try empty(path) }
            return ConversationStore(
                path: path, database: database,
                showsLiveRepliesInterrupted: inspection.hasLiveReplies
                    && StreamingLease.nobodyStreams(intoDatabaseAt: path, creatingLockFile: false),
                readsVersionsAsBranches: !inspection.hasBranches)
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// An empty database in memory, for reading where none exists yet.
    private static func empty(_ path: String) throws(StoreError) -> ConversationStore {
        do {
            let database = try DatabaseQueue()
            try StoreSchema.migrator.migrate(database)
            return ConversationStore(path: path, database: database)
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// Runs `body` in one write transaction, naming any failure in the user's terms; the
    /// process's first write checks the pages first, outside the transaction (no lock held).
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.writeWithoutTransaction { db in
                try self.checkPagesOnce(db)
                var result: T?
                try self.tracked {
                    try db.inTransaction {
                        result = try body(db)
                        return .commit
                    }
                }
                return result!
            }
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// The check a first write waits for, run now: the app runs it in the background at start-up,
    /// so that it can say at once that a damaged database will not be written.
    public func checkBeforeWriting() async throws(StoreError) {
        do {
            try await database.writeWithoutTransaction { db in try self.checkPagesOnce(db) }
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// Runs `PRAGMA quick_check` the first time (unless a mark vouches for the files as they
    /// are), and gives its verdict every time.
    private func checkPagesOnce(_ db: Database) throws {
        if let verdict = pages.withLock({ $0.verdict }) {
            _ = try verdict.get()
            return
        }
        let check: PageCheck
        if let mark = PageCheckMark.trusted(for: path) {
            check = PageCheck(verdict: .success(mark.checkedAt), known: mark.files)
        } else {
            do {
                try StoreInspection.checkPages(db, path: path)
                check = PageCheck(verdict: .success(Date().timeIntervalSince1970), known: StoreFileState(path))
            } catch {
                check = PageCheck(verdict: .failure(StoreError(error, path: path)))
            }
        }
        pages.withLock { $0 = check }
        _ = try check.verdict?.get()
    }

    /// Runs `write`, a change to the files, keeping count of whether they changed only by this store.
    private func tracked<T>(_ write: () throws -> T) rethrows -> T {
        let before = StoreFileState(path)
        defer {
            let after = StoreFileState(path)
            pages.withLock { $0.wrote(from: before, to: after) }
        }
        return try write()
    }

    /// Closes the database. When its pages were checked and every change to its files since was
    /// this store's, it leaves a mark of them as they are now (`PageCheckMark`), so that the next
    /// Parley need not check every page again. Nothing may use the store afterwards.
    public func close() {
        let before = StoreFileState(path)
        do {
            try database.close()
        } catch {
            return
        }
        let check = pages.withLock { $0 }
        guard case .success(let checkedAt) = check.verdict, check.known == before else { return }
        PageCheckMark(files: StoreFileState(path), checkedAt: checkedAt).write(for: path)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await database.read(body)
        } catch {
            throw StoreError(error, path: path)
        }
    }
}

extension StoreError {
    /// SQLite reports a folder it cannot create files in as "unable to open"; say which folder.
    fileprivate func naming(folderOf path: String) -> StoreError {
        guard case .failed = self else { return self }
        let folder = (path as NSString).deletingLastPathComponent
        return access(folder.isEmpty ? "." : folder, W_OK) == 0 ? self : .readOnly(path: folder)
    }
}

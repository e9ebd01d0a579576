import Foundation
import GRDB
import ParleyCore

/// What a look at the database found before the store uses it, read before anything is
/// written: a file that is not a Parley database or comes from a newer Parley is refused while
/// it is still untouched, and so is a damaged one (`checkPages`: at open to read, before the
/// first write to write). The rest says what opening must do.
struct StoreInspection {
    /// No database yet: no file, an empty one, or one SQLite made with nothing put in.
    var isNew = false
    /// Migrations this Parley knows that the database has not had.
    var needsMigration = false
    /// Replies still pending or streaming: interrupted, unless a running Parley streams them.
    var hasLiveReplies = false
    /// Its conversations are trees (v10): before, a reply's versions hung under it.
    var hasBranches = true

    /// Creating or migrating: done by one Parley at a time (`SetupLock`).
    var needsSetup: Bool { isNew || needsMigration }

    /// The file before SQLite opens it: true when there is no database in it yet. To write, the
    /// file and its folder must be writable (SQLite makes `-wal` and `-shm` beside the database).
    static func fileIsNew(_ path: String, writing: Bool) throws(StoreError) -> Bool {
        let parent = (path as NSString).deletingLastPathComponent
        let folder = parent.isEmpty ? "." : parent
        var status = stat()
        let exists = stat(path, &status) == 0
        if writing {
            guard !exists || access(path, W_OK) == 0 else { throw .readOnly(path: path) }
            guard access(folder, W_OK) == 0 else { throw .readOnly(path: folder) }
        }
        guard exists, status.st_size > 0 else { return true }
        try requireSQLiteHeader(path)
        return false
    }

    /// What the database holds, through `db`, which has written nothing yet.
    static func contents(_ db: Database, path: String) throws -> StoreInspection {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master")
        if applicationID == 0 && tables.isEmpty { return StoreInspection(isNew: true) }
        guard applicationID == StoreSchema.applicationID else {
            throw StoreError.damaged(path: path, detail: "another program's database")
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let unknown = applied.filter { !StoreSchema.knownMigrations.contains($0) }
        guard unknown.isEmpty else { throw StoreError.newerVersion(path: path, unknownMigrations: unknown) }
        let live = try Bool.fetchOne(db, sql: liveReplies)
        return StoreInspection(
            needsMigration: !Set(applied).isSuperset(of: StoreSchema.knownMigrations), hasLiveReplies: live ?? false,
            hasBranches: applied.contains("v10"))
    }

    /// Whether any reply is pending or streaming, from the index of live replies (kept for this):
    /// left to itself, SQLite read the whole index of messages by position instead, which covers
    /// the status too (1.8 ms at every start with 40,000 messages, against 0.01).
    static let liveReplies =
        "SELECT EXISTS (SELECT 1 FROM messages INDEXED BY messages_live WHERE status IN ('pending', 'streaming'))"

    /// `PRAGMA quick_check`: every page's structure (not the indexes' agreement with their
    /// tables, which `integrity_check` adds at several times the cost).
    static func checkPages(_ db: Database, path: String) throws {
        let problems = try String.fetchAll(db, sql: "PRAGMA quick_check")
        guard problems == ["ok"] else {
            throw StoreError.damaged(path: path, detail: problems.first ?? "quick_check found a problem")
        }
    }

    /// The first 16 bytes, read with the system's own calls: Foundation's file handle and file
    /// attributes each asked the runtime about a conformance it had not seen yet, at every start,
    /// and each such question walks every conformance record in the binary.
    private static func requireSQLiteHeader(_ path: String) throws(StoreError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .failed(path: path, detail: "cannot read the file") }
        defer { close(descriptor) }
        let expected = Array("SQLite format 3\0".utf8)
        var header = [UInt8](repeating: 0, count: expected.count)
        let count = read(descriptor, &header, header.count)
        guard count == expected.count, header == expected else {
            throw .damaged(path: path, detail: "not a SQLite file")
        }
    }
}

/// A connection that cannot write. SQLite reads a WAL database through an index in its `-shm`
/// file, which it makes at the first read; where it cannot (a read-only folder without one, a
/// full disk), the file is read as immutable instead: as it is on disk, without locks.
enum ReadingConnection {
    static func open(_ path: String, busyTimeout: Duration) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout.fractionalSeconds)
        do {
            let connection = try DatabaseQueue(path: path, configuration: configuration)
            _ = try connection.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") }
            return connection
        } catch let error as DatabaseError where cannotMakeIndex.contains(error.resultCode) {
            let uri = "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
            return try DatabaseQueue(path: uri + "?immutable=1", configuration: configuration)
        }
    }

    private static let cannotMakeIndex: [ResultCode] = [.SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_READONLY]
}

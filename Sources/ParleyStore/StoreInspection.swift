import Foundation
import GRDB

/// Looks at an existing file before the repository opens it for writing, because opening in
/// WAL mode and migrating both write: a file that is not a Parley database, is damaged, or
/// comes from a newer Parley must be refused while it is still untouched.
enum StoreInspection {
    static func check(_ path: String) throws(StoreError) {
        guard FileManager.default.fileExists(atPath: path) else {
            try requireWritable(folder: (path as NSString).deletingLastPathComponent)
            return
        }
        guard access(path, W_OK) == 0 else { throw .readOnly(path: path) }
        try requireWritable(folder: (path as NSString).deletingLastPathComponent)
        guard try !isEmpty(path) else { return }
        try requireSQLiteHeader(path)
        do {
            // The default journal mode and reads only: this connection writes nothing.
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            try queue.inDatabase { db in try checkContents(db, path: path) }
        } catch {
            throw StoreError(error, path: path)
        }
    }

    /// SQLite needs to create its `-wal` and `-shm` files beside the database.
    private static func requireWritable(folder: String) throws(StoreError) {
        let folder = folder.isEmpty ? "." : folder
        guard access(folder, W_OK) == 0 else { throw .readOnly(path: folder) }
    }

    private static func isEmpty(_ path: String) throws(StoreError) -> Bool {
        do {
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber
            return size?.intValue == 0
        } catch {
            throw .failed(path: path, detail: error.localizedDescription)
        }
    }

    private static func requireSQLiteHeader(_ path: String) throws(StoreError) {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw .failed(path: path, detail: "cannot read the file")
        }
        defer { try? file.close() }
        let header = (try? file.read(upToCount: 16)) ?? Data()
        guard header == Data("SQLite format 3\0".utf8) else {
            throw .damaged(path: path, detail: "not a SQLite file")
        }
    }

    private static func checkContents(_ db: Database, path: String) throws {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master")
        if applicationID == 0 && tables.isEmpty { return }
        guard applicationID == StoreSchema.applicationID else {
            throw StoreError.damaged(path: path, detail: "another program's database")
        }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        let unknown = applied.filter { !StoreSchema.knownMigrations.contains($0) }
        guard unknown.isEmpty else { throw StoreError.newerVersion(path: path, unknownMigrations: unknown) }
    }
}

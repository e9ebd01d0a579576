import Foundation
import GRDB
import ParleyCore

/// Conversations and their messages on disk, in one SQLite file in WAL mode.
///
/// Opening is synchronous: it happens once, before the app's loop starts, and either yields a
/// ready, migrated database or a `StoreError` saying why not. Every other method is `async`
/// and runs on GRDB's own connections (a pool: one writer, concurrent readers), so callers on
/// the UI executor or the cooperative pool never block on disk. Each method is one
/// transaction: it happens completely or not at all.
public final class ConversationRepository: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    private init(path: String, pool: DatabasePool) {
        self.path = path
        self.pool = pool
    }

    /// Opens (creating it and its folders, mode 0700, when missing) and migrates the database at
    /// `path`, then marks replies that were streaming when the app last stopped as interrupted.
    ///
    /// Replies left `pending`/`streaming` by a process that is gone become `interrupted` (see
    /// `StreamingLease`). A file that is not a Parley database, or is damaged, is refused before anything is
    /// written to it; so is one from a newer Parley. `busyTimeout` is how long to wait for
    /// another program's write lock before giving up with `.inUse`.
    public static func open(at path: String, busyTimeout: Duration = .seconds(3)) throws(StoreError)
        -> ConversationRepository
    {
        try createFolder(of: path)
        try StoreInspection.check(path)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout.fractionalSeconds)
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try StoreSchema.migrator.migrate(pool)
            let repository = ConversationRepository(path: path, pool: pool)
            if StreamingLease.nobodyStreams(intoDatabaseAt: path) {
                _ = try pool.write { db in try repository.markInterruptedReplies(db) }
            }
            return repository
        } catch {
            throw StoreError(error, path: path).naming(folderOf: path)
        }
    }

    private static func createFolder(of path: String) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            var existing = folder
            while !existing.isEmpty && existing != "/" && !FileManager.default.fileExists(atPath: existing) {
                existing = (existing as NSString).deletingLastPathComponent
            }
            if !existing.isEmpty && access(existing, W_OK) != 0 { throw .readOnly(path: existing) }
            throw .failed(path: folder, detail: "cannot create the folder: \(error.localizedDescription)")
        }
    }

    /// Runs `body` in one write transaction, naming any failure in the user's terms.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StoreError(error, path: path)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        do {
            return try await pool.read(body)
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

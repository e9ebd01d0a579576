import Foundation

/// The database's files on disk: the database itself, SQLite's `-wal` and `-shm` beside it, and
/// Parley's lock files and page check mark. They hold every conversation, so only their owner may
/// read them.
enum StoreFiles {
    static let suffixes = ["", "-wal", "-shm", "-setup.lock", "-streaming.lock", "-checked"]

    /// Makes the folder (mode 0700, with its parents) when it is missing.
    static func createFolder(of path: String) throws(StoreError) {
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

    /// Creates the empty database file, mode 0600, when there is none: SQLite gives the `-wal`
    /// and `-shm` files it makes the database file's mode.
    static func createDatabase(_ path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            close(descriptor)
        } else if errno != EEXIST {
            throw .failed(path: path, detail: "cannot create the file: \(String(cString: strerror(errno)))")
        }
    }

    /// Takes every permission of group and others off the database's files that have some (made
    /// by an older Parley, or by hand). Best effort: a file someone else owns is left as it is.
    static func makePrivate(_ path: String) {
        for file in suffixes.map({ path + $0 }) {
            var status = stat()
            guard stat(file, &status) == 0, status.st_mode & 0o077 != 0 else { continue }
            _ = chmod(file, status.st_mode & 0o700)
        }
    }
}

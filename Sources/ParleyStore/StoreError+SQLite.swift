import GRDB

extension StoreError {
    /// Names a SQLite failure in the user's terms. `path` is the database file; `folder` is
    /// named instead when SQLite could not create its files there.
    init(_ error: any Error, path: String) {
        if let error = error as? StoreError {
            self = error
            return
        }
        if error is CancellationError {
            self = .cancelled
            return
        }
        guard let error = error as? DatabaseError else {
            self = .failed(path: path, detail: "\(error)")
            return
        }
        let detail = error.message ?? "SQLite error \(error.resultCode.rawValue)"
        // SQLite cannot make the WAL index of a database it opens when the disk has no room.
        if error.extendedResultCode == .SQLITE_IOERR_SHMSIZE {
            self = .diskFull
            return
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self = .inUse(path: path)
        case .SQLITE_READONLY:
            self = .readOnly(path: path)
        case .SQLITE_FULL:
            self = .diskFull
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            self = .damaged(path: path, detail: detail)
        default:
            self = .failed(path: path, detail: detail)
        }
    }
}

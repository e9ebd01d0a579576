import ParleyCore

/// Why the store could not do what was asked, in words a user can act on. Whatever the
/// failure, everything saved before it is still in the database.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Another program holds the write lock for longer than the busy timeout.
    case inUse(path: String)
    /// The file or its folder cannot be written.
    case readOnly(path: String)
    case diskFull
    /// Not a SQLite file, another program's database, or damaged: it is never written to.
    case damaged(path: String, detail: String)
    /// Written by a newer Parley: it has migrations this version does not know.
    case newerVersion(path: String, unknownMigrations: [String])
    /// Neither PARLEY_HOME, XDG_DATA_HOME nor HOME is set.
    case noDataFolder
    case noSuchConversation(String)
    /// An id prefix matched more than one conversation (the first few matches, sorted).
    case ambiguousPrefix(String, matches: [ConversationID])
    /// The task asking for the work was cancelled before the work began.
    case cancelled
    /// Any other SQLite or file-system failure, with its own words.
    case failed(path: String, detail: String)

    public var description: String {
        switch self {
        case .inUse(let path):
            "the database is in use by another program: \(path)"
        case .readOnly(let path):
            "cannot write to \(path): read-only"
        case .diskFull:
            "the disk is full; nothing already saved was lost"
        case .damaged(let path, let detail):
            "\(path) is not a Parley database or is damaged (\(detail)); it was left untouched — "
                + "move it aside to start fresh"
        case .newerVersion(let path, let unknown):
            "\(path) was written by a newer version of Parley (schema \(unknown.joined(separator: ", "))); "
                + "update Parley to open it"
        case .noDataFolder:
            "cannot tell where to keep conversations: set PARLEY_HOME, XDG_DATA_HOME or HOME"
        case .noSuchConversation(let prefix):
            "no conversation has an id starting with \"\(prefix)\""
        case .ambiguousPrefix(let prefix, let matches):
            "\"\(prefix)\" matches several conversations (\(matches.map(\.rawValue).joined(separator: ", "))); "
                + "type more of the id"
        case .cancelled:
            "the database work was cancelled"
        case .failed(let path, let detail):
            "the database \(path) failed: \(detail)"
        }
    }
}

import Foundation

/// The database's files as they stand on disk: the database and its `-wal`, each by device,
/// inode, size, and the times of its last change of contents and of status (the latter no program
/// can set back). Whatever writes to either changes it. An empty `-wal` counts as none: SQLite
/// makes one at the first read after the last connection closed and took it away.
struct StoreFileState: Equatable {
    let text: String

    init(_ path: String) {
        text = [path, path + "-wal"].map(Self.describe).joined(separator: " ")
    }

    init(text: String) { self.text = text }

    private static func describe(_ file: String) -> String {
        var status = stat()
        guard stat(file, &status) == 0, status.st_size > 0 else { return "-" }
        return "\(status.st_dev):\(status.st_ino):\(status.st_size):"
            + "\(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec):\(status.st_ctim.tv_sec).\(status.st_ctim.tv_nsec)"
    }
}

/// Left beside the database (`-checked`) by a Parley that closes it: its files as that Parley left
/// them, and when their pages were last read through (`PRAGMA quick_check`). The next Parley that
/// finds them exactly so need not read every page again before writing: a check costs time that
/// grows with the database (45 ms for 40,000 messages, 47 MB, at every `parley ask`).
///
/// A mark is left only when every change to the files since the check was this Parley's own (or
/// made by Parleys that left the files as the mark says): a file changed by anything else (another
/// program, a copy put back, a Parley that stopped before it closed the database) is read through
/// again. A mark a day old is not trusted either, so damage nothing saw happen (a failing disk)
/// is found within a day, as it was before at the next start.
struct PageCheckMark: Equatable {
    var files: StoreFileState
    /// Seconds since 1970.
    var checkedAt: Double

    /// How long a check is trusted.
    static let trustedFor: Double = 86_400

    static func path(for database: String) -> String { database + "-checked" }

    /// The mark beside the database at `path` when it vouches for its files as they are now.
    static func trusted(for path: String, now: Double = Date().timeIntervalSince1970) -> PageCheckMark? {
        guard let mark = read(for: path), mark.files == StoreFileState(path),
            mark.checkedAt <= now, now - mark.checkedAt < trustedFor
        else { return nil }
        return mark
    }

    static func read(for path: String) -> PageCheckMark? {
        guard let data = FileManager.default.contents(atPath: Self.path(for: path)),
            let text = String(data: data, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard fields.count >= 2, let checkedAt = Double(fields[0]) else { return nil }
        return PageCheckMark(files: StoreFileState(text: String(fields[1])), checkedAt: checkedAt)
    }

    /// Writes the mark in place of any other, whole or not at all (a new file renamed over the
    /// old). Best effort: where it cannot be written, the next Parley checks the pages.
    func write(for path: String) {
        let final = Self.path(for: path)
        let draft = final + ".new"
        // The string's own bytes: made into `Data`, they cost a scan of every conformance in the
        // binary (Data's initializer asks whether the bytes are contiguous by a dynamic cast).
        var contents = "\(checkedAt)\n\(files.text)\n"
        let descriptor = open(draft, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        let (written, size) = contents.withUTF8 { (Glibc.write(descriptor, $0.baseAddress, $0.count), $0.count) }
        close(descriptor)
        guard written == size, rename(draft, final) == 0 else {
            unlink(draft)
            return
        }
    }
}

/// What a store knows of its pages: the verdict of the check before its first write, and whether
/// every change to the files since was its own (what a mark needs).
struct PageCheck {
    /// Once checked: when the pages were last read through (by this process, or by the Parley
    /// whose mark it trusted), or why they are refused.
    var verdict: Result<Double, StoreError>?
    /// The files as this store last left them (at its check, or after its last write); nil once
    /// anything else has changed them.
    var known: StoreFileState?

    /// A write of this store's took the files from `before` to `after`.
    mutating func wrote(from before: StoreFileState, to after: StoreFileState) {
        known = known == before ? after : nil
    }
}

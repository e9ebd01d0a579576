import Foundation
import ParleyCore

/// Files read from disk as attachments: the only place Parley reads a file the user names.
enum AttachmentFile {
    /// `path` (a leading `~/` means the home folder) as an attachment named after its last part,
    /// checked against `limits`. A file over the limit is refused by its size, before it is read.
    static func read(_ path: String, limits: AttachmentLimits, home: String? = nil) throws(AttachmentProblem)
        -> Attachment
    {
        let full = expanded(path, home: home)
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else { throw .notFound(path) }
        guard !isFolder.boolValue else { throw .folder(path) }
        let name = (full as NSString).lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
        guard size <= limits.fileBytes else { throw .fileTooLarge(name, size: size, limit: limits.fileBytes) }
        guard let handle = FileHandle(forReadingAtPath: full) else {
            throw .unreadable(path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            // One byte past the limit tells a file that grew after it was measured.
            bytes = Array(try handle.read(upToCount: limits.fileBytes + 1) ?? Data())
        } catch {
            throw .unreadable(path, reason: (error as NSError).localizedDescription)
        }
        return try Attachment.checked(name: name, bytes: bytes, limits: limits)
    }

    /// Standard input as an attachment ("standard input"), when a prompt was given too.
    static func standardInput(limits: AttachmentLimits) throws(AttachmentProblem) -> Attachment {
        let data = (try? FileHandle.standardInput.read(upToCount: limits.fileBytes + 1)) ?? nil
        return try Attachment.checked(name: "standard input", bytes: Array(data ?? Data()), limits: limits)
    }

    static func expanded(_ path: String, home: String?) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = home ?? ProcessEnvironment.variables["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}

import Foundation
import ParleyCore
import ParleyStore

/// The attached files of a conversation as `export --with-files` writes them into a folder: each
/// once, under a name of its own made from the name it was attached with. Names come from the
/// database and are not trusted: none can leave the folder, hide a control character, or
/// overwrite another file of the same export.
struct ExportFiles {
    /// The folder as the user gave it: links start with it, so they are relative when it is.
    let folder: String
    /// The files to write, in the order they first appear in the conversation.
    private var files: [(fileName: String, bytes: [UInt8])] = []
    /// The file name given to each attachment, by its content and name.
    private var fileNames: [String: String] = [:]
    /// The names taken, lowercased: two names differing only in case are one file on some disks.
    private var taken: Set<String> = []

    init(folder: String, transcript: Transcript) {
        self.folder = folder
        for attachment in transcript.path.flatMap(\.attachments) {
            let key = Self.key(attachment)
            guard fileNames[key] == nil else { continue }
            let fileName = unusedName(Self.safeName(attachment.name))
            fileNames[key] = fileName
            taken.insert(fileName.lowercased())
            files.append((fileName, attachment.bytes))
        }
    }

    /// The attachment's file, as a Markdown link destination: the folder and the file name,
    /// percent-encoded so that spaces, parentheses or a colon cannot end or redirect the link.
    func link(to attachment: Attachment) -> String? {
        fileNames[Self.key(attachment)].map { fileName in
            (folder.hasSuffix("/") ? folder : folder + "/") + fileName
        }.map { $0.addingPercentEncoding(withAllowedCharacters: Self.linkSafe) ?? $0 }
    }

    /// Writes every file into the folder, made if missing (not when there is nothing to write). A file already there by the same name
    /// is replaced: exporting again into the same folder gives the same result. Each write
    /// replaces the name rather than writing through it, so a link planted there is not followed.
    func write() throws(CommandFailure) {
        guard !files.isEmpty else { return }
        let folderURL = URL(fileURLWithPath: folder, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
            for file in files {
                try Data(file.bytes).write(to: folderURL.appendingPathComponent(file.fileName), options: .atomic)
            }
        } catch {
            throw .failed("cannot write the attached files to \(folder): \(error.localizedDescription)")
        }
    }

    private static func key(_ attachment: Attachment) -> String { attachment.sha256 + "/" + attachment.name }

    /// The last part of `name` (after any `/`) with control characters made `_`; a name that is
    /// empty, `.` or `..` becomes `attachment`; a long one is cut to fit a file system's limit.
    private static func safeName(_ name: String) -> String {
        let last = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let scalars = last.unicodeScalars.map { scalar -> Unicode.Scalar in
            ControlPicture.isUnsafe(scalar) || scalar == "\n" || scalar == "\t" ? "_" : scalar
        }
        var safe = String(String.UnicodeScalarView(scalars))
        if safe.isEmpty || safe == "." || safe == ".." { safe = "attachment" }
        let (stem, suffix) = split(safe)
        var shortened = ""
        var room = maximumNameBytes - suffix.utf8.count
        for character in stem {
            room -= character.utf8.count
            guard room >= 0 else { break }
            shortened.append(character)
        }
        return shortened + suffix
    }

    /// `name`, or `name-2`, `name-3`… (before its extension) when an earlier file took it.
    private func unusedName(_ name: String) -> String {
        guard taken.contains(name.lowercased()) else { return name }
        let (stem, suffix) = Self.split(name)
        var number = 2
        while taken.contains("\(stem)-\(number)\(suffix)".lowercased()) { number += 1 }
        return "\(stem)-\(number)\(suffix)"
    }

    /// "notes" and ".md" of "notes.md"; a leading dot (".env") starts no extension.
    private static func split(_ name: String) -> (stem: String, suffix: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
            name.distance(from: dot, to: name.endIndex) <= 16
        else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// Under the 255 bytes file systems allow, with room for a `-2`.
    private static let maximumNameBytes = 200

    private static let linkSafe = CharacterSet(
        charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
}

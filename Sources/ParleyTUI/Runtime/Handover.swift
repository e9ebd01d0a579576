import CNCurses
import Glibc
import ParleyCore

/// The terminal lent to a program the user named, with text in a private temporary file: the
/// message being written opened in `$VISUAL`/`$EDITOR` (what is saved comes back), or the
/// conversation in `$PAGER`. The file is removed afterwards, whatever happened.
enum Handover {
    /// Opens `text` in `editor`; what it saved is `composed`, a failure `handOverFailed`.
    static func compose(_ text: String, editor: String, screen: Screen) -> AppEvent {
        guard let path = temporaryFile(holding: text, suffix: ".md") else {
            return .handOverFailed("No temporary file could be made for the editor (is TMPDIR writable?).")
        }
        defer { unlink(path) }
        let status = screen.lend(to: editor, file: path)
        guard status == 0 else { return .handOverFailed(failure(editor, status) + ": the message is as it was.") }
        guard let saved = contents(of: path) else {
            return .handOverFailed("The editor's file could not be read back: the message is as it was.")
        }
        // Editors end a file with a newline the user did not mean to send.
        return .composed(saved.hasSuffix("\n") ? String(saved.dropLast()) : saved)
    }

    /// Shows `text` in `pager`; nil when it went well.
    static func page(_ text: String, pager: String, screen: Screen) -> AppEvent? {
        guard let path = temporaryFile(holding: text, suffix: ".txt") else {
            return .handOverFailed("No temporary file could be made for the pager (is TMPDIR writable?).")
        }
        defer { unlink(path) }
        let status = screen.lend(to: pager, file: path)
        return status == 0 ? nil : .handOverFailed(failure(pager, status) + ".")
    }

    /// "`vim` exited with status 1", naming the program as the user knows it (not its whole path).
    private static func failure(_ command: String, _ status: Int32) -> String {
        let program = command.split(separator: " ").first.flatMap { $0.split(separator: "/").last } ?? "editor"
        let name = ControlPicture.safe(String(program))
        return status < 0 ? "`\(name)` could not be started" : "`\(name)` exited with status \(status)"
    }

    /// A new file only the user can read, in `$TMPDIR` (else /tmp), holding `text`.
    static func temporaryFile(holding text: String, suffix: String) -> String? {
        let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/parley-XXXXXX\(suffix)".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, Int32(suffix.utf8.count)) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                unlink(path)
                return nil
            }
            written += count
        }
        return path
    }

    /// The file's text, as much as a message holds; nil when it cannot be read.
    static func contents(of path: String) -> String? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= InputEditor.capacity * 4 {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A pager for commands that print (`parley show` on a terminal), with no screen of Parley's own.
public enum Pager {
    /// Shows `text` in `command` (given a file's path); false when it could not be shown there
    /// (the caller then prints it).
    public static func show(_ text: String, with command: String) -> Bool {
        guard let path = Handover.temporaryFile(holding: text, suffix: ".txt") else { return false }
        defer { unlink(path) }
        return parley_run_in_terminal(command, path) == 0
    }
}

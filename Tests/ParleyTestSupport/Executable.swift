import Foundation

/// A script a test runs as a program (an editor, a key command, a clipboard command).
///
/// Written through a descriptor that closes on exec: one opened without `O_CLOEXEC` (as
/// Foundation's writes open theirs) is inherited by every child another test spawns meanwhile
/// (tmux, parley, servers), and while any of them lives, running the script fails with "Text
/// file busy" (ETXTBSY). A loaded run of the whole suite saw exactly that.
public enum Executable {
    public static func write(_ text: String, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        // The mode whatever the umask.
        guard fchmod(descriptor, 0o755) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            bytes = bytes.dropFirst(written)
        }
    }
}

import Foundation

/// Unbuffered writes to stdout and stderr: a streamed reply must appear as it arrives.
enum Console {
    static let outputIsTerminal = isatty(STDOUT_FILENO) == 1
    static let errorIsTerminal = isatty(STDERR_FILENO) == 1

    static func output(_ text: String) { write(text, to: STDOUT_FILENO) }
    static func error(_ text: String) { write(text, to: STDERR_FILENO) }

    private static func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            // A closed pipe (`parley ask … | head`) is not worth a crash or an error of our own.
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }
}

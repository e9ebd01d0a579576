import Foundation
import Logging
import ParleyCore

/// `$XDG_STATE_HOME/parley/parley.log` (`PARLEY_HOME/parley.log` when set): what went wrong, for
/// diagnosis after the fact — failed replies by kind and status, saves that failed, servers found.
/// Never message text or keys. Each line is one `write` to a file opened for appending, so
/// concurrent Parley processes never interleave their lines (and no lock is held while
/// writing); a log that cannot be written is skipped, never an error of its own.
final class LogFile: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        _ = Foundation.close(descriptor)
    }

    static func open(environment: [String: String]) -> LogFile? {
        guard let path = StateLocation.path("parley.log", environment: environment) else { return nil }
        var descriptor = openForAppending(path)
        if descriptor < 0, errno == ENOENT {
            // The first run: its folder is made then. (Asked of every start, Foundation's
            // attribute dictionary cost a search through every protocol conformance, 0.6 M
            // instructions, for a folder that is there.)
            let folder = (path as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            descriptor = openForAppending(path)
        }
        return descriptor >= 0 ? LogFile(descriptor: descriptor) : nil
    }

    private static func openForAppending(_ path: String) -> Int32 {
        Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
    }

    func write(_ line: String) {
        let bytes = Array(line.utf8)
        bytes.withUnsafeBytes { _ = Foundation.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Sends every `Logger` in the process to `file` (or nowhere, when it cannot be opened).
    static func bootstrap(environment: [String: String]) {
        let file = open(environment: environment)
        LoggingSystem.bootstrap { label in
            guard let file else { return SwiftLogNoOpLogHandler() }
            return FileLogHandler(label: label, file: file)
        }
    }
}

/// One log line: `2026-12-01T09:30:00Z warning parley: the reply failed kind=auth status=401`.
struct FileLogHandler: LogHandler {
    let label: String
    let file: LogFile
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let details = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let time = Date().ISO8601Format()
        // A provider's words may hold escape sequences and line breaks: `cat parley.log` must
        // neither obey the one nor be fooled by the other into reading a forged line.
        file.write(ControlPicture.oneLine("\(time) \(event.level) \(label): \(event.message)\(details)") + "\n")
    }
}

/// The one logger the command line writes through.
let log = Logger(label: "parley")

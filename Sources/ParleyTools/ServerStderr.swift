import Foundation
import Logging
import Subprocess

/// A stdio server's stderr, read as it comes, so that a chatty server never blocks on a full
/// pipe: each line goes to the log (Parley's own, `parley.log`), and the last few are kept to
/// say why the server failed.
enum ServerStderr {
    static let keptLines = 8
    /// Longer lines are cut: one line of the log is one line of the server's.
    static let lineLimit = 2000
    /// A server that never stops talking fills no disk: past this, its words are read and dropped.
    static let loggedLimit = 1 << 20

    /// Reads `stream` to its end; returns its last lines.
    static func drain(_ stream: SubprocessOutputSequence, logger: Logger) async -> [String] {
        var reader = Reader(logger: logger)
        do {
            for try await buffer in stream {
                buffer.withUnsafeBytes { reader.take($0) }
            }
        } catch {
            // A read that fails ends the drain as the end of the stream does.
        }
        reader.endLine()
        return reader.tail
    }

    private struct Reader {
        let logger: Logger
        var tail: [String] = []
        var line: [UInt8] = []
        var logged = 0

        mutating func take(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress else { return }
            var start = 0
            while let found = memchr(base + start, 0x0A, bytes.count - start) {
                let newline = base.distance(to: found)
                keep(UnsafeRawBufferPointer(start: base + start, count: newline - start))
                endLine()
                start = newline + 1
            }
            keep(UnsafeRawBufferPointer(start: base + start, count: bytes.count - start))
        }

        private mutating func keep(_ bytes: UnsafeRawBufferPointer) {
            let room = max(0, ServerStderr.lineLimit - line.count)
            line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes.prefix(room)))
        }

        mutating func endLine() {
            defer { line.removeAll(keepingCapacity: true) }
            let text = String(decoding: line, as: UTF8.self).trimmingSuffix(while: \.isWhitespace)
            guard !text.isEmpty else { return }
            tail.append(text)
            if tail.count > ServerStderr.keptLines { tail.removeFirst() }
            guard logged < ServerStderr.loggedLimit else { return }
            logged += line.count
            logger.info("stderr: \(text)")
            if logged >= ServerStderr.loggedLimit {
                logger.notice("stderr: more than \(ServerStderr.loggedLimit >> 20) MB; the rest is not logged")
            }
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> String {
        var text = self[...]
        while let last = text.last, predicate(last) { text = text.dropLast() }
        return String(text)
    }
}

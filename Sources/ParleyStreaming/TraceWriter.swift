import ParleyCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends trace events to a file as JSON lines (`PARLEY_TRACE=FILE`). Each line is written
/// with one `write` to a file opened for appending, so lines from concurrent sessions never
/// interleave, and no lock is held while writing.
public final class TraceWriter: Sendable {
    public struct OpenError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write the trace to \(path): \(reason)" }
    }

    private let descriptor: Int32

    public init(path: String) throws(OpenError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OpenError(path: path, reason: String(cString: strerror(errno))) }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Tracing must never disturb the app: a line that cannot be written is dropped.
    public func write(_ event: TraceEvent) {
        let line = event.json.serializedBytes() + [UInt8(ascii: "\n")]
        line.withUnsafeBytes { bytes in _ = systemWrite(descriptor, bytes.baseAddress, bytes.count) }
    }

    /// The hook to pass to `StreamingService`.
    public var hook: @Sendable (TraceEvent) -> Void {
        { [self] event in write(event) }
    }
}

/// `write(2)`, which the writer's own `write` hides.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #else
        Darwin.write(descriptor, bytes, count)
    #endif
}

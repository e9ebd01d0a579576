/// Incremental newline-delimited JSON framing (Ollama's native API): one JSON text per line.
/// Blank lines are skipped, a CR before the LF is dropped, and a last line without a newline
/// is still delivered by `finish()`.
public struct NDJSONDecoder: Sendable {
    private var line: [UInt8] = []

    public init() {}

    public mutating func decode(_ bytes: some Collection<UInt8>) throws(FramingError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == 0x0A {
                takeLine(into: &lines)
            } else {
                guard line.count < FramingError.maxFrameBytes else { throw .tooLong }
                line.append(byte)
            }
        }
        return lines
    }

    public mutating func finish() -> [[UInt8]] {
        var lines: [[UInt8]] = []
        takeLine(into: &lines)
        return lines
    }

    private mutating func takeLine(into lines: inout [[UInt8]]) {
        defer { line.removeAll(keepingCapacity: true) }
        if line.last == 0x0D { line.removeLast() }
        guard line.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else { return }
        lines.append(line)
    }
}

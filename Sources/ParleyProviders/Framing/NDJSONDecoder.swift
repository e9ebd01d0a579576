/// Incremental newline-delimited JSON framing (Ollama's native API): one JSON text per line.
/// Blank lines are skipped, a CR before the LF is dropped, and a last line without a newline
/// is still delivered by `finish()`.
public struct NDJSONDecoder: Sendable {
    /// The start of a line whose newline has not arrived yet.
    private var partialLine: [UInt8] = []

    public init() {}

    public mutating func decode(_ bytes: some Collection<UInt8>) throws(FramingError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        try decode(bytes, into: &lines)
        return lines
    }

    /// Appends the lines `bytes` complete to `lines`. When a line turns out to be too long,
    /// the lines before it are already in `lines` when the error is thrown.
    public mutating func decode(_ bytes: some Collection<UInt8>, into lines: inout [[UInt8]]) throws(FramingError) {
        let outcome = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(FramingError) in try decode(buffer: buffer, into: &lines) }
        }
        if let outcome { return try outcome.get() }
        try Array(bytes).withUnsafeBufferPointer { buffer in
            Result { () throws(FramingError) in try decode(buffer: buffer, into: &lines) }
        }.get()
    }

    public mutating func finish() -> [[UInt8]] {
        var lines: [[UInt8]] = []
        take(partialLine[...], into: &lines)
        partialLine.removeAll()
        return lines
    }

    private mutating func decode(buffer: UnsafeBufferPointer<UInt8>, into lines: inout [[UInt8]])
        throws(FramingError)
    {
        var start = 0
        while let newline = buffer[start...].firstIndex(of: 0x0A) {
            let line = buffer[start..<newline]
            if partialLine.isEmpty {
                guard line.count <= FramingError.maxFrameBytes else { throw .tooLong }
                take(line, into: &lines)
            } else {
                try holdPartial(line)
                take(partialLine[...], into: &lines)
                partialLine.removeAll(keepingCapacity: true)
            }
            start = newline + 1
        }
        try holdPartial(buffer[start...])
    }

    private mutating func holdPartial(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) throws(FramingError) {
        guard partialLine.count + bytes.count <= FramingError.maxFrameBytes else { throw .tooLong }
        partialLine.append(contentsOf: bytes)
    }

    private func take<Line: BidirectionalCollection<UInt8>>(_ line: Line, into lines: inout [[UInt8]]) {
        var line = line[...]
        if line.last == 0x0D { line = line.dropLast() }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        lines.append(Array(line))
    }
}

/// A gzip body that inflates to far more than it weighs, written directly as deflate's fixed
/// Huffman codes (one line copied over and over by 258-byte back-references), so that a test
/// gets tens of MiB of event-stream comment lines from a few hundred KiB without compressing
/// anything. Only the start matters: its trailer is never reached, so it is left zero.
public enum GzipBomb {
    /// `: xxx…\n` lines of 1 KiB, repeated until `inflatedSize` bytes.
    public static func commentLines(inflatingTo inflatedSize: Int) -> [UInt8] {
        let line = [UInt8(ascii: ":")] + [UInt8](repeating: UInt8(ascii: "x"), count: 1022) + [0x0A]
        var bits = BitWriter()
        bits.write(1, count: 1)  // the last block
        bits.write(1, count: 2)  // fixed Huffman codes
        for byte in line { bits.writeCode(0x30 + UInt32(byte), length: 8) }  // literals 0…143
        var written = line.count
        while written < inflatedSize {
            bits.writeCode(0xC5, length: 8)  // length symbol 285: 258 bytes
            bits.writeCode(19, length: 5)  // distance symbol 19: 769…1024
            bits.write(1024 - 769, count: 8)  // its extra bits: 1024 back
            written += 258
        }
        bits.writeCode(0, length: 7)  // end of block
        let header: [UInt8] = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF]
        return header + bits.flushed + [UInt8](repeating: 0, count: 8)
    }

    /// Deflate's bit order: values least significant bit first, Huffman codes most significant first.
    private struct BitWriter {
        var bytes: [UInt8] = []
        private var pending: UInt64 = 0
        private var pendingCount = 0

        mutating func write(_ value: UInt32, count: Int) {
            pending |= UInt64(value) << pendingCount
            pendingCount += count
            while pendingCount >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                pendingCount -= 8
            }
        }

        mutating func writeCode(_ code: UInt32, length: Int) {
            var reversed: UInt32 = 0
            for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
            write(reversed, count: length)
        }

        /// The bits so far, the last byte padded with zeros.
        var flushed: [UInt8] { pendingCount > 0 ? bytes + [UInt8(truncatingIfNeeded: pending)] : bytes }
    }
}

import ParleyCore
import ParleyProviders

/// Decodes `bytes` fed to a fresh decoder in pieces cut at `cuts` (sorted byte offsets), then ends
/// the body; `contentType` is the response's, as the transport gives it.
public func decodeReply(
    _ bytes: [UInt8], format: WireFormat, provider: String = "Test", estimatedInputTokens: Int = 0,
    contentType: String? = nil, cuts: [Int] = []
) -> [StreamEvent] {
    var decoder = ReplyDecoder(format: format, provider: provider, estimatedInputTokens: estimatedInputTokens)
    decoder.contentType = contentType
    var events: [StreamEvent] = []
    var start = 0
    for cut in cuts where cut > start && cut < bytes.count {
        events += decoder.decode(bytes[start..<cut])
        start = cut
    }
    events += decoder.decode(bytes[start...])
    return events + decoder.finish()
}

/// The ways a body is cut for "byte boundaries mean nothing" tests: every single offset for
/// small bodies (at most `exhaustiveLimit` bytes), one byte at a time, and `randomSplits`
/// seeded random multi-cuts. Returns a description of the first cutting whose events differ
/// from decoding the body whole, or nil when every cutting agrees.
public func firstSplitDisagreement(
    _ bytes: [UInt8], format: WireFormat, provider: String = "Test", contentType: String? = nil,
    exhaustiveLimit: Int = 4096, randomSplits: Int = 64, seed: UInt64 = 0x5EED
) -> String? {
    let whole = decodeReply(bytes, format: format, provider: provider, contentType: contentType)
    func check(_ cuts: [Int], _ label: @autoclosure () -> String) -> String? {
        let events = decodeReply(bytes, format: format, provider: provider, contentType: contentType, cuts: cuts)
        guard events != whole else { return nil }
        return "\(label()): got \(events) instead of \(whole)"
    }
    if bytes.count <= exhaustiveLimit {
        for offset in 1..<max(bytes.count, 1) {
            if let failure = check([offset], "split at byte \(offset)") { return failure }
        }
    }
    if let failure = check(Array(0..<bytes.count), "one byte at a time") { return failure }
    var generator = SeededGenerator(seed: seed)
    for round in 0..<randomSplits where bytes.count > 1 {
        let count = Int.random(in: 1...min(64, bytes.count - 1), using: &generator)
        let cuts = (0..<count).map { _ in Int.random(in: 1..<bytes.count, using: &generator) }.sorted()
        if let failure = check(cuts, "random cuts #\(round) at \(cuts)") { return failure }
    }
    return nil
}

/// SplitMix64: reproducible randomness, so a failing cut can be replayed.
/// Reproducible randomness for tests: the same seed, the same cuts and pauses.
public typealias SeededGenerator = SeededRandom

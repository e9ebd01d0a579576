/// Inter-chunk gaps in fixed memory: 112 logarithmic buckets (four per doubling, from 1 µs up
/// to about 4 minutes, everything longer in the last), so a reply of any length costs the same
/// and a percentile is exact to within its bucket (25%). The largest gap is kept exactly.
public struct GapHistogram: Equatable, Sendable {
    static let bucketCount = 112
    private var counts = [Int](repeating: 0, count: bucketCount)
    public private(set) var count = 0
    public private(set) var max: Duration?

    public init() {}

    public mutating func record(_ gap: Duration) {
        counts[Self.bucket(of: gap)] += 1
        count += 1
        max = Swift.max(max ?? gap, gap)
    }

    /// Both histograms' gaps together.
    public mutating func add(_ other: GapHistogram) {
        for bucket in counts.indices { counts[bucket] += other.counts[bucket] }
        count += other.count
        max = [max, other.max].compactMap { $0 }.max()
    }

    /// The gap that `fraction` (0...1) of the gaps do not exceed, as its bucket's upper bound
    /// (capped by the largest gap seen); nil before the first gap.
    public func percentile(_ fraction: Double) -> Duration? {
        guard count > 0, let max else { return nil }
        let rank = Swift.max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for (bucket, bucketCount) in counts.enumerated() {
            seen += bucketCount
            if seen >= rank { return Swift.min(Self.upperBound(of: bucket), max) }
        }
        return max
    }

    static func bucket(of gap: Duration) -> Int {
        let micros = Swift.max(1, microseconds(gap))
        // Four buckets per power of two: the exponent, then the next two bits after the top one.
        let exponent = Int.bitWidth - 1 - micros.leadingZeroBitCount
        let fraction = exponent >= 2 ? (micros >> (exponent - 2)) & 0b11 : (micros << (2 - exponent)) & 0b11
        return Swift.min(bucketCount - 1, exponent * 4 + fraction)
    }

    static func upperBound(of bucket: Int) -> Duration {
        guard bucket < bucketCount - 1 else { return .seconds(Int64.max / 2) }
        let exponent = bucket / 4
        let fraction = bucket % 4
        // The bucket holds [2^e (1 + f/4), 2^e (1 + (f+1)/4)) microseconds.
        let upper = (1 << exponent) * (4 + fraction + 1) / 4
        return .microseconds(Swift.max(1, upper))
    }

    private static func microseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        guard seconds < Int64(Int.max / 2_000_000) else { return Int.max / 2 }
        return Int(seconds) * 1_000_000 + Int(attoseconds / 1_000_000_000_000)
    }
}

/// A wall-clock instant in milliseconds since 1970. Pure code is handed `now`; only the
/// runtime reads the clock.
public struct Timestamp: Hashable, Comparable, Sendable {
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) { self.millisecondsSince1970 = millisecondsSince1970 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    public func adding(_ duration: Duration) -> Timestamp {
        Timestamp(millisecondsSince1970: millisecondsSince1970 + duration.wholeMilliseconds)
    }

    public func duration(to later: Timestamp) -> Duration {
        .milliseconds(later.millisecondsSince1970 - millisecondsSince1970)
    }
}

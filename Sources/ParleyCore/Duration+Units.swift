extension Duration {
    /// Whole milliseconds, rounded down: how durations are stored, printed and put in messages.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds with their fraction, for rates and fractional times (traces).
    public var fractionalSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

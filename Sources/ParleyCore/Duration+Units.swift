extension Duration {
    /// Whole milliseconds, rounded down: how durations are stored, printed and put in messages.
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }

    /// Seconds with their fraction, for rates and fractional times (traces).
    public var fractionalSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// "300 ms", "30 s", "1.5 s": how a timeout reads in a message.
    public var spoken: String {
        let milliseconds = wholeMilliseconds
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds / 100) / 10) s"
    }
}

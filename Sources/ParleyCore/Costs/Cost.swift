/// What a reply cost, and who says so.
public struct Cost: Equatable, Sendable {
    public enum Source: String, Equatable, Sendable {
        /// The provider stated it with the reply (OpenRouter).
        case provider
        /// Usage times the price table's prices for the model.
        case priceTable = "price_table"
        /// A model on the user's own machine: nothing to pay.
        case local
    }

    public var dollars: Double
    public var source: Source

    public init(dollars: Double, source: Source) {
        self.dollars = dollars
        self.source = source
    }

    /// "$0.0123", "$1.20", "<$0.0001", "local".
    public var text: String {
        if source == .local { return "local" }
        if dollars == 0 { return "$0" }
        if dollars < 0.0001 { return "<$0.0001" }
        let digits = dollars < 1 ? 4 : 2
        let scale = digits == 4 ? 10_000 : 100
        let units = Int((dollars * Double(scale)).rounded())
        let fraction = String(units % scale)
        return "$\(units / scale).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}

/// How much a model should reason before it answers, as the user sets it with `--reasoning`, the
/// config or the app. Each wire format asks for it in its own fields; a model that refuses them
/// is asked again without (see `ReasoningRefusal`).
public enum Reasoning: Hashable, Sendable {
    /// Parley's default: only what costs nothing extra. The model reasons as it would anyway, and
    /// its thoughts (or their summary) are asked for where the API can send them; nothing billed on
    /// top, such as Anthropic's extended thinking or a higher effort, is switched on.
    case standard
    /// As little reasoning as the model allows, and none shown.
    case off
    case effort(Effort)
    /// At most this many tokens of reasoning. APIs that take an effort get the nearest one.
    case budget(Int)

    public enum Effort: String, CaseIterable, Sendable {
        case low, medium, high
    }

    /// The words `--reasoning` and the config accept, as help and errors list them.
    public static let spelling = "auto, off, low, medium, high, or a token budget such as 8000 or 8k"

    /// The smallest budget any API takes (Anthropic's minimum).
    public static let smallestBudget = 1024

    /// Reads "auto", "off", "low", "medium", "high", "8000" or "8k"; nil for anything else.
    public init?(parsing text: String) {
        let word = text.trimmed.lowercased()
        switch word {
        case "auto", "default": self = .standard
        case "off", "none": self = .off
        default:
            if let effort = Effort(rawValue: word) {
                self = .effort(effort)
                return
            }
            let thousands = word.hasSuffix("k")
            guard let number = Int(thousands ? String(word.dropLast()) : word), number > 0 else { return nil }
            let (tokens, overflow) = thousands ? number.multipliedReportingOverflow(by: 1000) : (number, false)
            guard !overflow, tokens >= Self.smallestBudget else { return nil }
            self = .budget(tokens)
        }
    }

    /// How it is written back: in the config, the reply header and the picker ("high", "8000").
    public var name: String {
        switch self {
        case .standard: "auto"
        case .off: "off"
        case .effort(let effort): effort.rawValue
        case .budget(let tokens): String(tokens)
        }
    }

    /// Whether the user asked for something beyond the default, which a model may refuse.
    public var isExplicit: Bool { self != .standard }

    /// The effort nearest a budget, for APIs that take only an effort.
    public var effort: Effort? {
        switch self {
        case .standard, .off: nil
        case .effort(let effort): effort
        case .budget(let tokens): tokens < 4096 ? .low : tokens < 16384 ? .medium : .high
        }
    }

    /// The budget for an effort, for APIs that take only a token budget: within what every
    /// thinking model accepts (Gemini 2.5 Flash takes at most 24576).
    public var budget: Int? {
        switch self {
        case .standard, .off: nil
        case .effort(.low): 2048
        case .effort(.medium): 8192
        case .effort(.high): 24576
        case .budget(let tokens): tokens
        }
    }
}

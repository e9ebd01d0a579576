import ParleyCore
import ParleyProviders
import Testing

/// What a recorded stream must decode to, stated per file.
struct FixtureExpectation: Sendable, CustomTestStringConvertible {
    var file: String
    var format: WireFormat
    /// The model named in `start`, when the stream names one.
    var model: String?
    var text: ExpectedText
    var thinking: ExpectedText = .exact("")
    var redactedThinking = 0
    var toolCalls: [ToolCall] = []
    /// How many thinking signatures and signed tool calls the stream carries (the signatures
    /// themselves are long opaque strings: checked to arrive whole, not pasted here).
    var signatures = 0
    var usage: Usage
    var stop: StopReason
    /// The kind of the one error event, for streams that fail.
    var error: ProviderError.Kind?

    var testDescription: String { file }
}

/// Long replies are stated by their ends and length (in Unicode scalars, as any tool counts
/// them) rather than pasted whole.
enum ExpectedText: Sendable, Equatable {
    case exact(String)
    case summary(prefix: String, suffix: String, scalars: Int)

    func matches(_ actual: String) -> Bool {
        switch self {
        case .exact(let text): actual == text
        case .summary(let prefix, let suffix, let scalars):
            actual.hasPrefix(prefix) && actual.hasSuffix(suffix) && actual.unicodeScalars.count == scalars
        }
    }
}

/// Everything one decoded reply said, gathered for comparison.
struct DecodedReply: Equatable {
    var model: String?
    var text = ""
    var thinking = ""
    var redactedThinking = 0
    var thinkingSignatures: [String] = []
    var toolCalls: [ToolCall] = []
    var usage: [Usage] = []
    var stops: [StopReason] = []
    var errors: [ProviderError] = []

    init(_ events: [StreamEvent]) {
        for event in events {
            switch event {
            case .start(let model): self.model = model
            case .text(let piece): text += piece
            case .thinking(let piece): thinking += piece
            case .redactedThinking: redactedThinking += 1
            case .thinkingSignature(let signature): thinkingSignatures.append(signature)
            case .toolCall(let call): toolCalls.append(call)
            case .usage(let reported): usage.append(reported)
            case .stop(let reason): stops.append(reason)
            // Only the transport says this, between tries; a recorded stream never should.
            case .error(let failure), .reasoningRefused(let failure): errors.append(failure)
            }
        }
    }
}

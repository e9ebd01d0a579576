/// What a provider's stream means, whatever its wire format.
///
/// Provider adapters turn bytes into these; everything downstream (the streaming service,
/// the store, `parley ask`) sees only this vocabulary. A well-formed stream, once normalized,
/// is: one `start`, any number of text/thinking/tool-call events, at most one `error`,
/// one `usage`, and exactly one `stop` last; perhaps one `reasoningRefused` before them all.
public enum StreamEvent: Equatable, Sendable {
    /// The model refused the reasoning setting it was asked for (`error` says how) and the reply
    /// was asked for again without it.
    case reasoningRefused(ProviderError)
    /// The reply has begun; `model` is the model the provider says it is using, when it says.
    case start(model: String?)
    case text(String)
    case thinking(String)
    /// The provider's signature of the thinking just streamed (Anthropic `signature_delta`, a
    /// Gemini `thoughtSignature` on a thought or text part): opaque, and sent back unchanged with
    /// that thinking when the conversation goes on, as those APIs require during a tool loop.
    case thinkingSignature(String)
    /// Reasoning the provider withheld (Anthropic `redacted_thinking`); its content is opaque.
    case redactedThinking
    /// A complete tool call, its arguments assembled from every delta.
    case toolCall(ToolCall)
    case usage(Usage)
    case error(ProviderError)
    case stop(StopReason)
}

extension StreamEvent {
    /// Something the user sees as the reply itself (text, thinking, a tool call), as opposed to its
    /// bookkeeping: what time to first token waits for, and once one is shown a try is not repeated.
    public var isContent: Bool {
        switch self {
        case .text, .thinking, .redactedThinking, .toolCall: true
        case .reasoningRefused, .start, .thinkingSignature, .usage, .error, .stop: false
        }
    }
}

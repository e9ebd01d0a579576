import ParleyCore

/// A question put to the server before a reply that asks for reasoning: can this model reason?
/// A model that cannot is sent the request without the setting, with the same notice as a refusal,
/// instead of a request bound to fail first.
public struct ReasoningCheck: Sendable {
    var request: ProviderRequest
    /// The refusal the answer amounts to; nil when the model can reason, or the answer does not say.
    var refusal: @Sendable (_ answer: [UInt8]) -> ProviderError?
}

extension WireFormat {
    /// The check `chat`'s reasoning setting calls for before it is sent: only Ollama says what a
    /// model can do (`/api/show`), and only a setting that turns reasoning on needs asking about.
    func reasoningCheck(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ReasoningCheck? {
        switch (self, chat.reasoning) {
        case (.ollama, .effort), (.ollama, .budget): OllamaAdapter.reasoningCheck(model: chat.model, endpoint: endpoint)
        default: nil
        }
    }
}

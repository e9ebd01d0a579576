import ParleyCore

/// A question put to the server before a reply: can this model reason? A model that cannot is
/// sent the request without the setting the user chose, with the same notice as a refusal, instead
/// of a request bound to fail first; one that can may be asked for its thoughts on their own.
public struct ReasoningCheck: Sendable {
    enum Outcome: Equatable, Sendable {
        /// The request as it is: the answer allows it, or says nothing.
        case asIs
        /// The model cannot do what the setting asks: sent without it, after this notice.
        case refused(ProviderError)
        /// The model reasons: this request asks for its thoughts.
        case instead(ProviderRequest)
    }

    var request: ProviderRequest
    var outcome: @Sendable (_ answer: [UInt8]) -> Outcome
}

extension WireFormat {
    /// The check `chat` calls for before it is sent: only Ollama says what a model can do
    /// (`/api/show`).
    func reasoningCheck(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ReasoningCheck? {
        self == .ollama ? OllamaAdapter.reasoningCheck(for: chat, endpoint: endpoint) : nil
    }
}

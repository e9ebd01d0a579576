import ParleyCore

extension ProviderChoice {
    /// Starts `chat` with this provider: the offline demo, or an HTTP request through `transport`.
    public func startReply(_ chat: ChatRequest, transport: ProviderTransport = ProviderTransport()) -> ReplyStream {
        guard let format = preset.format else { return DemoProvider.stream(chat) }
        let decoder = ReplyDecoder(
            format: format, provider: preset.displayName, estimatedInputTokens: chat.estimatedInputTokens)
        return transport.stream(
            format.request(for: chat, endpoint: endpoint), decoder: decoder,
            target: ReplyTarget(providerName: preset.displayName, keyVariable: endpoint.keyVariable))
    }
}

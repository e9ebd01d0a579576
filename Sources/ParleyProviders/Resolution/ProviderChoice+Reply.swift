import ParleyCore

extension ProviderChoice {
    /// How this provider's replies are priced (`PricingRules`).
    public func pricing(_ prices: PriceTable) -> Pricing {
        PricingRules.presets(prices).pricing(provider: preset.name, baseURL: endpoint.baseURL)
    }

    /// Starts `chat` with this provider: the offline demo, or an HTTP request through `transport`.
    public func startReply(_ chat: ChatRequest, transport: ProviderTransport = ProviderTransport()) -> ReplyStream {
        guard let format = preset.format else { return DemoProvider.stream(chat) }
        let decoder = ReplyDecoder(
            format: format, provider: label, estimatedInputTokens: chat.estimatedInputTokens)
        if let refusal = format.refusal(of: chat, dialect: endpoint.dialect) {
            return ReplyStream.failed(refusal, decoder: decoder)
        }
        let request = format.request(for: chat, endpoint: endpoint)
        // The request again without the reasoning it asks for, for a server that refuses it. A
        // request holds the whole conversation: built a second time only when it asks for some.
        var withoutReasoning: ProviderRequest?
        if chat.reasoning.isExplicit {
            var plain = chat
            plain.reasoning = .standard
            let built = format.request(for: plain, endpoint: endpoint)
            withoutReasoning = built == request ? nil : built
        }
        return transport.stream(
            request, withoutReasoning: withoutReasoning,
            reasoningCheck: format.reasoningCheck(for: chat, endpoint: endpoint), decoder: decoder,
            target: ReplyTarget(providerName: label, keyVariable: endpoint.keyVariable))
    }
}

import ParleyCore

extension ModelCatalog {
    /// The context window of `choice`'s model: what its provider's own endpoint says (OpenRouter,
    /// Groq, Mistral and vLLM in their models list, Gemini's model page, Ollama's `/api/show`,
    /// llama.cpp's `/props`, LM Studio's `/api/v0/models`), else Parley's table of well-known
    /// models, else nil. A provider that does not answer only costs the first: the meter is a
    /// help, not a reason to stop anyone.
    public static func contextWindow(
        of choice: ProviderChoice, timeout: Duration = .seconds(10), clock: any Clock<Duration> = ContinuousClock()
    ) async -> ContextWindow? {
        let overflow = choice.preset.contextOverflow
        if let question = WindowQuestion(choice) {
            let target = ReplyTarget(providerName: choice.label, keyVariable: choice.endpoint.keyVariable)
            if let answer = try? await fetch(question.request, target: target, timeout: timeout, clock: clock),
                let tokens = question.read(answer.body)
            {
                return ContextWindow(tokens: tokens, source: .provider, overflow: overflow)
            }
        }
        return ContextWindow.listed(for: choice.model).map {
            ContextWindow(tokens: $0.tokens, source: $0.source, overflow: overflow)
        }
    }
}

/// How one provider is asked for a model's context window, and how its answer is read.
struct WindowQuestion {
    var request: ProviderRequest
    /// The window in the answer's body; nil when it says none.
    var read: @Sendable ([UInt8]) -> Int?

    init?(_ choice: ProviderChoice) {
        let endpoint = choice.endpoint
        let model = choice.model
        switch (choice.preset.format, choice.preset.builtIn) {
        case (.ollama?, _):
            // What the model takes, capped by `context_tokens`: Parley asks for no more (`num_ctx`).
            request = ProviderRequest(
                url: endpoint.url("/api/show"), json: ["model": .string(model)], accept: "application/json",
                headers: endpoint.bearerAuthorization, endpoint: endpoint)
            read = { body in
                let most = Self.ollamaModelWindow(body)
                return endpoint.mostContextTokens.map { cap in most.map { min($0, cap) } ?? cap } ?? most
            }
        case (.gemini?, _):
            let name = model.hasPrefix("models/") ? String(model.dropFirst(7)) : model
            request = Self.get(
                endpoint.url("/v1beta/models/\(name)"),
                endpoint.apiKey.map { [HTTPHeader("x-goog-api-key", $0)] } ?? [], endpoint)
            read = { body in Self.number(in: body, at: ["inputTokenLimit"]) }
        case (.openAIChat?, "llamacpp"):
            request = Self.get(Self.root(of: endpoint) + "/props", endpoint.bearerAuthorization, endpoint)
            read = { body in
                Self.number(in: body, at: ["default_generation_settings", "n_ctx"])
                    ?? Self.number(in: body, at: ["n_ctx"])
            }
        case (.openAIChat?, "lmstudio"):
            request = Self.get(
                Self.root(of: endpoint) + "/api/v0/models/\(model)", endpoint.bearerAuthorization, endpoint)
            read = { body in
                Self.number(in: body, at: ["loaded_context_length"])
                    ?? Self.number(in: body, at: ["max_context_length"])
            }
        case (.openAIChat?, _), (.openAIResponses?, _):
            request = ModelCatalog.request(format: .openAIChat, endpoint: endpoint)
            read = { body in Self.listedWindow(body, model: model) }
        case (.anthropic?, _), (nil, _):
            // Anthropic's models list gives no window; the demo has none.
            return nil
        }
    }

    private static func get(_ url: String, _ headers: [HTTPHeader], _ endpoint: ProviderEndpoint) -> ProviderRequest {
        ProviderRequest(
            url: url, method: "GET",
            headers: [HTTPHeader("Accept", "application/json")] + headers + endpoint.extraHeaders,
            body: [])
    }

    /// The server's own address, without the `/v1` its OpenAI-compatible API is under.
    static func root(of endpoint: ProviderEndpoint) -> String {
        var base = endpoint.url("")
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base
    }

    /// A whole positive number at `path` in a JSON body.
    static func number(in body: [UInt8], at path: [String]) -> Int? {
        guard var value = try? JSON.parse(body) else { return nil }
        for key in path {
            guard let inner = value[key] else { return nil }
            value = inner
        }
        return value.int.flatMap { $0 > 0 ? $0 : nil }
    }

    /// `model_info["<architecture>.context_length"]` of Ollama's `/api/show`.
    static func ollamaModelWindow(_ body: [UInt8]) -> Int? {
        guard let info = (try? JSON.parse(body))?["model_info"]?.object else { return nil }
        return info.first { $0.key.hasSuffix(".context_length") }?.value.int.flatMap { $0 > 0 ? $0 : nil }
    }

    /// The model's entry in an OpenAI-compatible models list, by the field its server uses:
    /// `context_length` (OpenRouter; `top_provider.context_length` when only that is set),
    /// `context_window` (Groq), `max_model_len` (vLLM), `max_context_length` (Mistral).
    static func listedWindow(_ body: [UInt8], model: String) -> Int? {
        guard let entries = (try? JSON.parse(body))?["data"]?.array,
            let entry = entries.first(where: { $0["id"]?.string == model })
        else { return nil }
        let fields: [JSON?] = [
            entry["context_length"], entry["top_provider"]?["context_length"], entry["context_window"],
            entry["max_model_len"], entry["max_context_length"],
        ]
        return fields.lazy.compactMap { $0?.int }.first { $0 > 0 }
    }
}

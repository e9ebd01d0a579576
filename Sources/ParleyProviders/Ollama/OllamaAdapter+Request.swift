import ParleyCore

extension OllamaAdapter {
    /// `POST {host}/api/chat` streaming NDJSON. A local server needs no key; one behind a proxy
    /// may, so a key that is set is sent as a bearer token. JSON output is `"format": "json"`.
    /// `options.num_ctx` is always set (`ContextWindow.requested`). Tools are OpenAI Chat's shape;
    /// a call's arguments are an object, and a result a `tool` message naming its tool
    /// (`tool_name`), as Ollama answers calls by name.
    ///
    /// By default `think` is not sent here: `think: true` makes Ollama refuse a model without
    /// thinking (HTTP 400 "… does not support thinking"); whether the model thinks is asked first
    /// (`reasoningCheck`), and one that does is sent `think: true` so its thoughts come in
    /// `message.thinking`. Left out, a thinking model still thinks, its thoughts in `<think>` tags
    /// in the content, and both reach the thinking pane. Off is `think: false` (which any model
    /// accepts); an effort is `think: true`, or the level itself for gpt-oss, which takes levels.
    static func request(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ProviderRequest {
        var body: JSONObject = [
            "model": .string(chat.model),
            "messages": .array(chat.messagesWithSystemFirst(.ollama)),
            "stream": true,
        ]
        // The context is sized to the conversation: Ollama's own default (2,048 or 4,096 tokens)
        // drops the start of a longer one without a word.
        let tools = chat.tools.isEmpty ? 0 : Usage.estimatedTokens(in: chat.functionTools.serialized())
        var options: JSONObject = [
            "num_ctx": .number(
                Double(
                    ContextWindow.requested(
                        promptTokens: chat.estimatedInputTokens + tools, replyTokens: chat.maxTokens,
                        most: endpoint.mostContextTokens)))
        ]
        if let maxTokens = chat.maxTokens { options["num_predict"] = .number(Double(maxTokens)) }
        if let temperature = chat.temperature { options["temperature"] = .number(temperature) }
        body["options"] = .object(options)
        if chat.responseFormat == .json { body["format"] = "json" }
        if !chat.tools.isEmpty { body["tools"] = chat.functionTools }
        switch chat.reasoning {
        case .standard: break
        case .off: body["think"] = false
        case .effort, .budget:
            let takesLevels = chat.model.lowercased().hasPrefix("gpt-oss")
            body["think"] = takesLevels ? .string(chat.reasoning.effort?.rawValue ?? "medium") : true
        }
        return ProviderRequest(
            url: endpoint.url("/api/chat"), json: .object(body), accept: "application/x-ndjson",
            headers: endpoint.bearerAuthorization,
            endpoint: endpoint)
    }
}

extension OllamaAdapter {
    /// `POST {host}/api/show` lists a model's `capabilities` (Ollama 0.6.4 and later). With the
    /// default setting a model with "thinking" is sent `think: true`, so its thoughts come apart
    /// from its answer (gpt-oss, which always reasons and sends them apart, is left as it is); a
    /// setting that turns reasoning on is not sent to a model without it, which would refuse it.
    /// An older Ollama, which lists no capabilities, is not second-guessed; off needs no asking.
    static func reasoningCheck(for chat: ChatRequest, endpoint: ProviderEndpoint) -> ReasoningCheck? {
        let model = chat.model
        let outcome: @Sendable (_ names: [String]) -> ReasoningCheck.Outcome
        switch chat.reasoning {
        case .off:
            return nil
        case .standard:
            guard !model.lowercased().hasPrefix("gpt-oss") else { return nil }
            var thinking = chat
            thinking.reasoning = .effort(.medium)  // `think: true`: a level only gpt-oss takes
            let withThoughts = request(for: thinking, endpoint: endpoint)
            outcome = { names in names.contains("thinking") ? .instead(withThoughts) : .asIs }
        case .effort, .budget:
            outcome = { names in
                names.contains("thinking")
                    ? .asIs
                    : .refused(
                        ProviderError(
                            .invalidRequest,
                            "\(model) does not think: Ollama lists what it can do as \(names.joined(separator: ", "))",
                            status: 400))
            }
        }
        let show = ProviderRequest(
            url: endpoint.url("/api/show"), json: ["model": .string(model)], accept: "application/json",
            headers: endpoint.bearerAuthorization, endpoint: endpoint)
        return ReasoningCheck(request: show) { answer in
            guard let shown = try? JSON.parse(answer), let capabilities = shown["capabilities"]?.array else {
                return .asIs
            }
            return outcome(capabilities.compactMap(\.string))
        }
    }
}

import ParleyCore

/// Gemini `streamGenerateContent?alt=sse`: every event is a whole `GenerateContentResponse`
/// holding the next parts of the first candidate (`{text}`, `{text, thought: true}`,
/// `{functionCall}`), cumulative `usageMetadata`, and at last a `finishReason`. There is no end
/// marker: the body's end is the reply's end. A server that did not stream answers with one
/// `GenerateContentResponse` (`generateContent`), or an array of them (`streamGenerateContent`
/// without `alt=sse`): each is read as an event.
struct GeminiAdapter: StreamAdapter {
    /// Function calls reported so far: they number the calls that come without an id, and a
    /// plain `STOP` after any of them means the model is waiting for tool results.
    private var toolCallCount = 0
    private(set) var isFinished = false
    let provider: String

    init(provider: String) { self.provider = provider }

    mutating func adapt(_ record: WireRecord) -> [StreamEvent] {
        guard case .event(let event) = record else { return [] }
        let response: JSON
        do {
            response = try JSON.parse(event.data)
        } catch {
            isFinished = true
            return [.error(.malformed(provider, "\(error)"))]
        }
        return adapt(response: response)
    }

    mutating func adapt(document: JSON) -> [StreamEvent] {
        let responses = document.array ?? [document]
        guard
            responses.allSatisfy({
                $0["candidates"] != nil || $0["promptFeedback"] != nil || $0["error"] != nil
                    || $0["usageMetadata"] != nil
            })
        else {
            isFinished = true
            return [.error(.notAReply(provider, document))]
        }
        var events: [StreamEvent] = []
        for response in responses where !isFinished { events += adapt(response: response) }
        return events
    }

    private mutating func adapt(response: JSON) -> [StreamEvent] {
        if let error = response["error"], !error.isNull {
            isFinished = true
            return [.error(ProviderError(errorPayload: response, status: nil, provider: provider))]
        }

        var events: [StreamEvent] = []
        if let model = response["modelVersion"]?.string { events.append(.start(model: model)) }
        if let candidate = response["candidates"]?[0] {
            for part in candidate["content"]?["parts"]?.array ?? [] { events += report(part) }
            if let reason = candidate["finishReason"]?.string { events.append(.stop(stopReason(reason))) }
        } else if let blocked = response["promptFeedback"]?["blockReason"]?.string {
            // The prompt itself was refused: no candidate will come.
            events.append(.stop(StopReason(.contentFilter, raw: blocked)))
        }
        if let usage = Self.usage(in: response) { events.append(.usage(usage)) }
        return events
    }

    /// A part's `thoughtSignature` is kept with what it signs: a call's on the call, any other's
    /// as the signature of the thinking so far.
    private mutating func report(_ part: JSON) -> [StreamEvent] {
        let signature = part["thoughtSignature"]?.string
        if let call = part["functionCall"], call.object != nil {
            defer { toolCallCount += 1 }
            let id = call["id"]?.string.flatMap { $0.isEmpty ? nil : $0 } ?? "call_\(toolCallCount)"
            let arguments = call["args"].flatMap { $0.isNull ? nil : $0.serialized() } ?? "{}"
            return [
                .toolCall(
                    ToolCall(id: id, name: call["name"]?.string ?? "", arguments: arguments, signature: signature))
            ]
        }
        var events: [StreamEvent] = []
        if let text = part["text"]?.string {
            events.append(part["thought"]?.bool == true ? .thinking(text) : .text(text))
        }
        if let signature { events.append(.thinkingSignature(signature)) }
        return events
    }

    private func stopReason(_ raw: String) -> StopReason {
        switch raw {
        case "STOP": StopReason(toolCallCount > 0 ? .toolUse : .endTurn, raw: raw)
        case "MAX_TOKENS": StopReason(.maxTokens, raw: raw)
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY":
            StopReason(.contentFilter, raw: raw)
        default: StopReason(.endTurn, raw: raw)
        }
    }

    /// Gemini counts tool-use prompt tokens (search grounding) apart from the prompt, and
    /// thinking apart from the candidates; Parley's input and output include both.
    static func usage(in response: JSON) -> Usage? {
        guard let metadata = response["usageMetadata"], metadata.object != nil else { return nil }
        let thoughts = metadata["thoughtsTokenCount"]?.int ?? 0
        return Usage(
            inputTokens: (metadata["promptTokenCount"]?.int ?? 0) + (metadata["toolUsePromptTokenCount"]?.int ?? 0),
            outputTokens: (metadata["candidatesTokenCount"]?.int ?? 0) + thoughts,
            reasoningTokens: thoughts,
            cachedTokens: metadata["cachedContentTokenCount"]?.int ?? 0)
    }
}

import ParleyCore

/// OpenAI Chat Completions `chat.completion.chunk` events, and the many servers that copy them:
/// content as a string or as Mistral's array of typed parts; reasoning as `reasoning_content`
/// (DeepSeek, llama.cpp, vLLM, xAI) or `reasoning` (OpenRouter, Groq); tool calls streamed as
/// deltas keyed by index; usage on the finish chunk, on an include_usage chunk with no choices,
/// on every chunk, or under `x_groq`; errors as an `error` member or an `event: error`.
struct OpenAIChatAdapter: StreamAdapter {
    private var toolCalls: [Int: ToolCall] = [:]
    private(set) var isFinished = false
    let provider: String

    init(provider: String) { self.provider = provider }

    mutating func adapt(_ frame: Frame) -> [StreamEvent] {
        guard case .event(let event) = frame else { return [] }
        if event.data == "[DONE]" {
            isFinished = true
            return flushToolCalls()
        }
        let chunk: JSON
        do {
            chunk = try JSON.parse(event.data)
        } catch {
            isFinished = true
            return [.error(.malformed(provider, "\(error)"))]
        }
        if event.type == "error" || chunk["error"].map({ !$0.isNull }) == true {
            let usage = Self.usage(in: chunk).map { [StreamEvent.usage($0)] } ?? []
            return usage + [.error(ProviderError(errorPayload: chunk, status: nil, provider: provider))]
        }

        var events: [StreamEvent] = [.start(model: chunk["model"]?.string)]
        if let choice = chunk["choices"]?[0] {
            let delta = choice["delta"] ?? .null
            if let reasoning = delta["reasoning_content"]?.string ?? delta["reasoning"]?.string {
                events.append(.thinking(reasoning))
            }
            switch delta["content"] {
            case .string(let text): events.append(.text(text))
            case .array(let parts): events += parts.flatMap(Self.contentPart)
            default: break
            }
            for (position, call) in (delta["tool_calls"]?.array ?? []).enumerated() {
                accumulate(call, at: call["index"]?.int ?? position)
            }
            if let reason = choice["finish_reason"]?.string {
                events += flushToolCalls()
                events.append(.stop(Self.stopReason(reason)))
            }
        }
        if let usage = Self.usage(in: chunk) { events.append(.usage(usage)) }
        return events
    }

    mutating func finish() -> [StreamEvent] { flushToolCalls() }

    private mutating func accumulate(_ delta: JSON, at index: Int) {
        var call = toolCalls[index] ?? ToolCall(id: "", name: "", arguments: "")
        if let id = delta["id"]?.string, !id.isEmpty { call.id = id }
        if let name = delta["function"]?["name"]?.string { call.name += name }
        if let arguments = delta["function"]?["arguments"]?.string { call.arguments += arguments }
        toolCalls[index] = call
    }

    private mutating func flushToolCalls() -> [StreamEvent] {
        defer { toolCalls.removeAll() }
        return toolCalls.keys.sorted().map { .toolCall(toolCalls[$0]!) }
    }

    /// Mistral's content parts: `{type:"text",text}` and `{type:"thinking",thinking:[{type:"text",text}]}`.
    private static func contentPart(_ part: JSON) -> [StreamEvent] {
        switch part["type"]?.string {
        case "text":
            return part["text"]?.string.map { [.text($0)] } ?? []
        case "thinking":
            let pieces = part["thinking"]?.array?.compactMap { $0["text"]?.string } ?? []
            return pieces.map(StreamEvent.thinking)
        default:
            return []
        }
    }

    static func stopReason(_ raw: String) -> StopReason {
        switch raw {
        case "stop", "eos", "end_turn": StopReason(.endTurn, raw: raw)
        case "length", "max_tokens": StopReason(.maxTokens, raw: raw)
        case "tool_calls", "function_call", "tool_use": StopReason(.toolUse, raw: raw)
        case "content_filter": StopReason(.contentFilter, raw: raw)
        case "stop_sequence": StopReason(.stopSequence, raw: raw)
        default: StopReason(.endTurn, raw: raw)
        }
    }

    static func usage(in chunk: JSON) -> Usage? {
        guard let usage = chunk["usage"].flatMap({ $0.isNull ? nil : $0 }) ?? chunk["x_groq"]?["usage"],
            usage["prompt_tokens"] != nil || usage["completion_tokens"] != nil
        else { return nil }
        return Usage(
            inputTokens: usage["prompt_tokens"]?.int ?? 0,
            outputTokens: usage["completion_tokens"]?.int ?? 0,
            reasoningTokens: usage["completion_tokens_details"]?["reasoning_tokens"]?.int ?? 0,
            cachedTokens: usage["prompt_tokens_details"]?["cached_tokens"]?.int
                ?? usage["prompt_cache_hit_tokens"]?.int ?? 0)
    }
}

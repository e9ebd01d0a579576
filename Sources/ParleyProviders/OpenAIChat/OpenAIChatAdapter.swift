import ParleyCore

/// OpenAI Chat Completions `chat.completion.chunk` events, and the many servers that copy them:
/// - content as a string, or as Mistral's array of typed parts (`text`, `thinking`); a
///   `refusal` is shown as text, since it is what the model said instead of an answer;
/// - reasoning as `reasoning_content` (DeepSeek, llama.cpp, vLLM, xAI) or `reasoning`
///   (OpenRouter, Groq); some servers send both with the same text, so only one is taken;
/// - tool calls streamed as deltas keyed by `index`, reported once each when the finish reason,
///   `[DONE]` or the end of the body arrives; calls without an index (Mistral) are told apart by
///   their position in the delta and by a new `id`;
/// - usage on the finish chunk, on an include_usage chunk with no choices, on every chunk (xAI),
///   or under `x_groq`; each report is a complete snapshot, the latest wins;
/// - errors as a non-null `error` member or an `event: error`; either ends the reply.
/// Only the first choice (`index` 0) is the reply. Unknown event types are skipped.
/// A whole `chat.completion` (from a server that did not stream) is read as one chunk whose
/// choices carry their whole `message` instead of a `delta`.
struct OpenAIChatAdapter: StreamAdapter {
    /// Calls being assembled, in the order they began.
    private var toolCalls: [ToolCall] = []
    /// The provider's tool-call index → the call's place in `toolCalls`.
    private var toolCallSlots: [Int: Int] = [:]
    private var reportedToolCalls = false
    /// Whether the reply's start was reported: every chunk names the model, but only the first
    /// start counts (`ReplyNormalizer`), so the others are not made.
    private var started = false
    private(set) var isFinished = false
    let provider: String

    init(provider: String) { self.provider = provider }

    mutating func adapt(_ record: WireRecord) -> [StreamEvent] {
        guard !isFinished, case .event(let event) = record, event.type == "message" || event.type == "error" else {
            return []
        }
        if event.data == "[DONE]" {
            isFinished = true
            return flushToolCalls()
        }
        let chunk: JSON
        do {
            chunk = try JSON.parse(event.data)
        } catch {
            isFinished = true
            return [.error(.malformed(provider, error.description))]
        }
        return adapt(chunk: chunk, isErrorEvent: event.type == "error")
    }

    mutating func adapt(document: JSON) -> [StreamEvent] {
        isFinished = true
        guard var completion = document.object, completion["choices"] != nil || completion["error"] != nil else {
            return [.error(.notAReply(provider, document))]
        }
        completion["choices"] = completion["choices"]?.array.map { choices in
            .array(
                choices.map { choice in
                    guard var members = choice.object else { return choice }
                    members["delta"] = members["message"]
                    return .object(members)
                })
        }
        return adapt(chunk: .object(completion), isErrorEvent: false) + flushToolCalls()
    }

    private mutating func adapt(chunk: JSON, isErrorEvent: Bool) -> [StreamEvent] {
        guard chunk.object != nil else {
            isFinished = true
            return [.error(.malformed(provider, "a chunk is not a JSON object"))]
        }
        if isErrorEvent || chunk["error"].map({ !$0.isNull }) == true {
            isFinished = true
            let usage = Self.usage(in: chunk).map { [StreamEvent.usage($0)] } ?? []
            return flushToolCalls() + usage + [
                .error(ProviderError(errorPayload: chunk, status: nil, provider: provider))
            ]
        }

        // Room for a chunk's usual events (the first one's start, text, a stop) in one allocation:
        // a token's chunk otherwise grew the list once, and cost an allocation more.
        var events: [StreamEvent] = []
        events.reserveCapacity(4)
        if !started {
            started = true
            events.append(.start(model: chunk["model"]?.string))
        }
        if let choice = chunk["choices"]?.array?.first(where: { ($0["index"]?.int ?? 0) == 0 }) {
            let delta = choice["delta"] ?? .null
            let reasoning = delta["reasoning_content"]?.string.flatMap { $0.isEmpty ? nil : $0 }
            if let reasoning = reasoning ?? delta["reasoning"]?.string, !reasoning.isEmpty {
                events.append(.thinking(reasoning))
            }
            switch delta["content"] {
            case .string(let text): events.append(.text(text))
            case .array(let parts): events += parts.flatMap(Self.contentPart)
            default: break
            }
            if let refusal = delta["refusal"]?.string { events.append(.text(refusal)) }
            for (position, call) in (delta["tool_calls"]?.array ?? []).enumerated() {
                accumulate(call, at: call["index"]?.int ?? position)
            }
            if let reason = choice["finish_reason"]?.string {
                events += flushToolCalls()
                events.append(.stop(stopReason(reason)))
            }
        }
        if let usage = Self.usage(in: chunk) { events.append(.usage(usage)) }
        return events
    }

    mutating func finish() -> [StreamEvent] { flushToolCalls() }

    private mutating func accumulate(_ delta: JSON, at index: Int) {
        let id = delta["id"]?.string ?? ""
        let slot: Int
        if let existing = toolCallSlots[index],
            id.isEmpty || toolCalls[existing].id.isEmpty || toolCalls[existing].id == id
        {
            slot = existing
        } else {
            // A first delta, or a new id where another call was: a call of its own.
            slot = toolCalls.count
            toolCallSlots[index] = slot
            toolCalls.append(ToolCall(id: "", name: "", arguments: ""))
        }
        if !id.isEmpty { toolCalls[slot].id = id }
        if let name = delta["function"]?["name"]?.string { toolCalls[slot].name += name }
        if let arguments = delta["function"]?["arguments"]?.string { toolCalls[slot].arguments += arguments }
    }

    private mutating func flushToolCalls() -> [StreamEvent] {
        defer {
            toolCalls.removeAll()
            toolCallSlots.removeAll()
        }
        reportedToolCalls = reportedToolCalls || !toolCalls.isEmpty
        return toolCalls.map(StreamEvent.toolCall)
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

    /// Some servers (Ollama) finish a turn that called tools with "stop": the turn still ended
    /// so the tools can run, which is what `toolUse` tells the caller.
    private func stopReason(_ raw: String) -> StopReason {
        let reason = Self.stopReason(raw)
        return reason.kind == .endTurn && reportedToolCalls ? StopReason(.toolUse, raw: raw) : reason
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

    /// OpenAI counts reasoning inside completion_tokens; xAI does not, which shows in
    /// total_tokens being prompt + completion + reasoning. Either way outputTokens includes it.
    /// Cached input: OpenAI's `cached_tokens`, DeepSeek's `prompt_cache_hit_tokens`, llama.cpp's
    /// `timings.cache_n` (the prompt's tokens it kept from the last request); OpenRouter states
    /// cache writes and the cost.
    static func usage(in chunk: JSON) -> Usage? {
        guard let usage = chunk["usage"].flatMap({ $0.isNull ? nil : $0 }) ?? chunk["x_groq"]?["usage"],
            usage["prompt_tokens"] != nil || usage["completion_tokens"] != nil
        else { return nil }
        let input = usage["prompt_tokens"]?.int ?? 0
        let completion = usage["completion_tokens"]?.int ?? 0
        let reasoning = usage["completion_tokens_details"]?["reasoning_tokens"]?.int ?? 0
        let reasoningLeftOut = reasoning > 0 && usage["total_tokens"]?.int == input + completion + reasoning
        return Usage(
            inputTokens: input,
            outputTokens: completion + (reasoningLeftOut ? reasoning : 0),
            reasoningTokens: reasoning,
            cachedTokens: max(
                usage["prompt_tokens_details"]?["cached_tokens"]?.int ?? 0, usage["prompt_cache_hit_tokens"]?.int ?? 0,
                chunk["timings"]?["cache_n"]?.int ?? 0),
            cacheWriteTokens: usage["prompt_tokens_details"]?["cache_write_tokens"]?.int ?? 0,
            statedCost: usage["cost"]?.double)
    }
}

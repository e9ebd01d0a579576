import ParleyCore

/// Anthropic Messages events. `message_start` names the model and the prompt's usage; the reply
/// comes in content blocks by index (`text`, `thinking`, `redacted_thinking`, `tool_use`), each
/// opened by `content_block_start`, grown by `content_block_delta` and closed by
/// `content_block_stop`; `message_delta` gives the stop reason and cumulative usage;
/// `message_stop` ends the reply. The JSON's own `type` is read, not the SSE `event:` line.
/// Blocks Parley does not show (server tool use, search results, compaction) are skipped with
/// their deltas. A whole `message` (from a server that did not stream) is read as the events
/// that stream it: its start, each content block opened and closed, and its stop.
struct AnthropicAdapter: StreamAdapter {
    private enum Block: Sendable {
        case text, thinking
    }

    private var blocks: [Int: Block] = [:]
    /// Tool calls being assembled, by block index; reported when their block closes.
    private var toolCalls: [Int: ToolCall] = [:]
    /// Usage counts under Anthropic's names. `message_delta` repeats some of `message_start`'s
    /// and adds others, so reports are merged field by field, the later value winning.
    private var usage: [String: Int] = [:]
    private(set) var isFinished = false
    let provider: String

    init(provider: String) { self.provider = provider }

    mutating func adapt(_ record: WireRecord) -> [StreamEvent] {
        guard case .event(let event) = record else { return [] }
        let payload: JSON
        do {
            payload = try JSON.parse(event.data)
        } catch {
            isFinished = true
            return [.error(.malformed(provider, "\(error)"))]
        }
        return adapt(payload: payload)
    }

    mutating func adapt(document message: JSON) -> [StreamEvent] {
        switch message["type"]?.string {
        case "message": break
        case "error": return adapt(payload: message)
        default:
            isFinished = true
            return [.error(.notAReply(provider, message))]
        }
        var events = adapt(payload: ["type": "message_start", "message": message])
        for (index, block) in (message["content"]?.array ?? []).enumerated() {
            let position = JSON.number(Double(index))
            events += adapt(payload: ["type": "content_block_start", "index": position, "content_block": block])
            // A stream sends a tool's input in deltas after an empty start; a whole message has it here.
            if let input = block["input"], input.object?.isEmpty == false {
                toolCalls[index]?.arguments = input.serialized()
            }
            events += adapt(payload: ["type": "content_block_stop", "index": position])
        }
        events += adapt(
            payload: [
                "type": "message_delta", "delta": ["stop_reason": message["stop_reason"] ?? .null],
                "usage": message["usage"] ?? .null,
            ])
        return events + adapt(payload: ["type": "message_stop"])
    }

    private mutating func adapt(payload: JSON) -> [StreamEvent] {
        switch payload["type"]?.string {
        case "message_start":
            let message = payload["message"]
            mergeUsage(message?["usage"])
            return [.start(model: message?["model"]?.string)]
        case "content_block_start":
            return openBlock(payload)
        case "content_block_delta":
            return applyDelta(payload)
        case "content_block_stop":
            return closeBlock(payload)
        case "message_delta":
            mergeUsage(payload["usage"])
            var events: [StreamEvent] = []
            if let reason = payload["delta"]?["stop_reason"]?.string { events.append(.stop(Self.stopReason(reason))) }
            if let usage = normalizedUsage { events.append(.usage(usage)) }
            return events
        case "message_stop":
            isFinished = true
            return []
        case "error":
            // Anthropic sends nothing after an error event: the reply is over.
            isFinished = true
            return [.error(ProviderError(errorPayload: payload, status: nil, provider: provider))]
        default:
            return []
        }
    }

    private mutating func openBlock(_ payload: JSON) -> [StreamEvent] {
        guard let index = payload["index"]?.int, let block = payload["content_block"] else { return [] }
        blocks[index] = nil
        toolCalls[index] = nil
        switch block["type"]?.string {
        case "text":
            blocks[index] = .text
            return [.text(block["text"]?.string ?? "")]
        case "thinking":
            blocks[index] = .thinking
            return [.thinking(block["thinking"]?.string ?? "")]
        case "redacted_thinking":
            return [.redactedThinking]
        case "tool_use":
            toolCalls[index] = ToolCall(
                id: block["id"]?.string ?? "", name: block["name"]?.string ?? "", arguments: "")
            return []
        default:
            return []
        }
    }

    private mutating func applyDelta(_ payload: JSON) -> [StreamEvent] {
        guard let index = payload["index"]?.int, let delta = payload["delta"] else { return [] }
        switch delta["type"]?.string {
        case "text_delta" where blocks[index] == .text:
            return [.text(delta["text"]?.string ?? "")]
        case "thinking_delta" where blocks[index] == .thinking:
            return [.thinking(delta["thinking"]?.string ?? "")]
        case "signature_delta" where blocks[index] == .thinking:
            return delta["signature"]?.string.map { [.thinkingSignature($0)] } ?? []
        case "input_json_delta":
            toolCalls[index]?.arguments += delta["partial_json"]?.string ?? ""
            return []
        default:
            return []
        }
    }

    /// A tool call is reported only here, once its arguments are whole: a call cut off mid-way
    /// must never look runnable.
    private mutating func closeBlock(_ payload: JSON) -> [StreamEvent] {
        guard let index = payload["index"]?.int else { return [] }
        blocks[index] = nil
        guard var call = toolCalls.removeValue(forKey: index) else { return [] }
        // A tool without parameters gets no input_json_delta with content at all.
        if call.arguments.isEmpty { call.arguments = "{}" }
        return [.toolCall(call)]
    }

    private static let usageFields = [
        "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
    ]

    private mutating func mergeUsage(_ reported: JSON?) {
        for field in Self.usageFields {
            if let count = reported?[field]?.int { usage[field] = count }
        }
    }

    /// Anthropic's `input_tokens` excludes tokens read from or written to the prompt cache;
    /// Parley's input counts every token of the prompt.
    private var normalizedUsage: Usage? {
        guard !usage.isEmpty else { return nil }
        let cacheRead = usage["cache_read_input_tokens"] ?? 0
        let input = (usage["input_tokens"] ?? 0) + cacheRead + (usage["cache_creation_input_tokens"] ?? 0)
        return Usage(
            inputTokens: input, outputTokens: usage["output_tokens"] ?? 0, cachedTokens: cacheRead,
            cacheWriteTokens: usage["cache_creation_input_tokens"] ?? 0)
    }

    static func stopReason(_ raw: String) -> StopReason {
        switch raw {
        case "end_turn", "pause_turn": StopReason(.endTurn, raw: raw)
        case "max_tokens", "model_context_window_exceeded": StopReason(.maxTokens, raw: raw)
        case "tool_use": StopReason(.toolUse, raw: raw)
        case "stop_sequence": StopReason(.stopSequence, raw: raw)
        case "refusal": StopReason(.contentFilter, raw: raw)
        default: StopReason(.endTurn, raw: raw)
        }
    }
}

import ParleyCore

/// OpenAI Responses API events (`response.*`): from OpenAI with `event:` lines and no end marker,
/// from OpenRouter as data-only JSON ending in `[DONE]`, so the JSON `type` decides, never the
/// SSE event name. Text and reasoning (summaries, or raw reasoning text) arrive as deltas; a
/// function call is announced by `output_item.added`, grows by argument deltas and is reported
/// once its arguments are final; usage and the finish come with `response.completed`,
/// `response.incomplete` or `response.failed`. A whole `response` object (from a server that did
/// not stream) gives the same events from its output items and status.
struct OpenAIResponsesAdapter: StreamAdapter {
    /// Function calls announced but not yet reported, in the order they were announced.
    private var pendingCalls: [(key: String, call: ToolCall)] = []
    private var reportedCalls: Set<String> = []
    /// The reasoning part the last thinking came from, so a new part starts on its own paragraph.
    private var lastThinkingPart: String?
    private(set) var isFinished = false
    let provider: String

    init(provider: String) { self.provider = provider }

    mutating func adapt(_ record: WireRecord) -> [StreamEvent] {
        guard case .event(let sse) = record else { return [] }
        if sse.data == "[DONE]" {
            isFinished = true
            return flushCalls()
        }
        let event: JSON
        do {
            event = try JSON.parse(sse.data)
        } catch {
            isFinished = true
            return [.error(.malformed(provider, "\(error)"))]
        }
        return adapt(event: event)
    }

    /// Each output item as its stream would have said it, then the status as its final event.
    mutating func adapt(document response: JSON) -> [StreamEvent] {
        guard let output = response["output"]?.array else {
            isFinished = true
            let failure = response["error"].flatMap { $0.isNull ? nil : $0 }
            return [
                .error(
                    failure != nil
                        ? ProviderError(errorPayload: response, status: nil, provider: provider)
                        : .notAReply(provider, response))
            ]
        }
        var events: [StreamEvent] = response["model"]?.string.map { [.start(model: $0)] } ?? []
        for (position, item) in output.enumerated() {
            let id = JSON.string(item["id"]?.string ?? "\(position)")
            switch item["type"]?.string {
            case "reasoning":
                for (part, texts) in [("summary", item["summary"]), ("content", item["content"])] {
                    for (index, text) in (texts?.array ?? []).enumerated() {
                        let piece: JSON = ["item_id": id, "delta": text["text"] ?? .null]
                        events += thinking(piece, part: part, index: .number(Double(index)))
                    }
                }
                events += Self.reasoningItem(item)
            case "message":
                for part in item["content"]?.array ?? [] {
                    if let text = part["text"]?.string ?? part["refusal"]?.string { events.append(.text(text)) }
                }
            case "function_call":
                events += completeCall(item: item, key: "#\(position)")
            default:
                break
            }
        }
        let status: String =
            switch response["status"]?.string {
            case "incomplete": "response.incomplete"
            case "failed": "response.failed"
            default: "response.completed"
            }
        return events + adapt(event: ["type": .string(status), "response": response])
    }

    private mutating func adapt(event: JSON) -> [StreamEvent] {
        let response = event["response"] ?? .null
        let start: [StreamEvent] = response["model"]?.string.map { [.start(model: $0)] } ?? []

        switch event["type"]?.string {
        case "response.output_text.delta", "response.refusal.delta":
            return start + [.text(event["delta"]?.string ?? "")]
        case "response.reasoning_summary_text.delta":
            return start + thinking(event, part: "summary", index: event["summary_index"])
        case "response.reasoning_text.delta":
            return start + thinking(event, part: "content", index: event["content_index"])
        case "response.output_item.added":
            announceCall(event)
            return start
        case "response.function_call_arguments.delta":
            appendArguments(event)
            return start
        case "response.function_call_arguments.done":
            return start + completeCall(key: Self.callKey(event), arguments: event["arguments"]?.string)
        case "response.output_item.done":
            let item = event["item"] ?? .null
            return start + Self.reasoningItem(item) + completeCall(item: item, key: Self.callKey(event))
        case "response.completed", "response.incomplete":
            isFinished = true
            let calls = flushCalls()
            let usage = Self.usage(in: response).map { [StreamEvent.usage($0)] } ?? []
            let stop = Self.stopReason(event["type"]?.string, response: response, calledTool: !reportedCalls.isEmpty)
            return start + calls + usage + [.stop(stop)]
        case "response.failed":
            isFinished = true
            let usage = Self.usage(in: response).map { [StreamEvent.usage($0)] } ?? []
            let failure = response["error"].flatMap { $0.isNull ? nil : $0 }
            let error =
                failure.map { ProviderError(errorPayload: $0, status: nil, provider: provider) }
                ?? ProviderError(.provider, "\(provider): the response failed")
            return start + flushCalls() + usage + [.error(error), .stop(StopReason(.error, raw: "failed"))]
        case "error":
            return start + [.error(ProviderError(errorPayload: event, status: nil, provider: provider))]
        default:
            return start
        }
    }

    mutating func finish() -> [StreamEvent] { flushCalls() }

    /// Consecutive reasoning parts (summary parts, or reasoning text parts) are separate
    /// paragraphs in the provider's own view, so they are joined with a blank line.
    private mutating func thinking(_ event: JSON, part: String, index: JSON?) -> [StreamEvent] {
        guard let delta = event["delta"]?.string, !delta.isEmpty else { return [] }
        let identity = "\(event["item_id"]?.string ?? "")/\(part)/\(index?.int ?? 0)"
        defer { lastThinkingPart = identity }
        if let last = lastThinkingPart, last != identity { return [.thinking("\n\n" + delta)] }
        return [.thinking(delta)]
    }

    private mutating func announceCall(_ event: JSON) {
        guard let item = event["item"], item["type"]?.string == "function_call", let key = Self.callKey(event),
            !reportedCalls.contains(key), !pendingCalls.contains(where: { $0.key == key })
        else { return }
        pendingCalls.append((key, Self.toolCall(from: item)))
    }

    private mutating func appendArguments(_ event: JSON) {
        guard let key = Self.callKey(event), let position = pendingCalls.firstIndex(where: { $0.key == key }),
            let delta = event["delta"]?.string
        else { return }
        pendingCalls[position].call.arguments += delta
    }

    /// `function_call_arguments.done` gives the final arguments of an announced call.
    private mutating func completeCall(key: String?, arguments: String?) -> [StreamEvent] {
        guard let key, let position = pendingCalls.firstIndex(where: { $0.key == key }) else { return [] }
        var call = pendingCalls.remove(at: position).call
        if let arguments { call.arguments = arguments }
        reportedCalls.insert(key)
        return [.toolCall(call)]
    }

    /// A finished reasoning item's id, as the signature of the thinking before it: within a tool
    /// loop the next request must carry the item back with the calls it led to, and the stored
    /// response gives the rest by id.
    private static func reasoningItem(_ item: JSON) -> [StreamEvent] {
        guard item["type"]?.string == "reasoning", let id = item["id"]?.string, !id.isEmpty else { return [] }
        return [.thinkingSignature(id)]
    }

    /// `output_item.done` holds the whole call: it completes one whose arguments had no `done`,
    /// or one never announced.
    private mutating func completeCall(item: JSON, key: String?) -> [StreamEvent] {
        guard item["type"]?.string == "function_call", let key, !reportedCalls.contains(key) else { return [] }
        var call = Self.toolCall(from: item)
        if let position = pendingCalls.firstIndex(where: { $0.key == key }) {
            let announced = pendingCalls.remove(at: position).call
            if call.id.isEmpty { call.id = announced.id }
            if call.name.isEmpty { call.name = announced.name }
            if item["arguments"]?.string == nil { call.arguments = announced.arguments }
        }
        reportedCalls.insert(key)
        return [.toolCall(call)]
    }

    /// Calls still being assembled when the response (or the body) ends are reported as they stand.
    private mutating func flushCalls() -> [StreamEvent] {
        defer { pendingCalls.removeAll() }
        for pending in pendingCalls { reportedCalls.insert(pending.key) }
        return pendingCalls.map { .toolCall($0.call) }
    }

    /// Every event about one output item names its position in the output; some also name the item.
    private static func callKey(_ event: JSON) -> String? {
        if let index = event["output_index"]?.int { return "#\(index)" }
        return (event["item_id"] ?? event["item"]?["id"])?.string
    }

    private static func toolCall(from item: JSON) -> ToolCall {
        ToolCall(
            id: item["call_id"]?.string ?? item["id"]?.string ?? "",
            name: item["name"]?.string ?? "",
            arguments: item["arguments"]?.string ?? "")
    }

    static func stopReason(_ type: String?, response: JSON, calledTool: Bool) -> StopReason {
        guard type == "response.incomplete" else {
            return StopReason(calledTool ? .toolUse : .endTurn, raw: response["status"]?.string ?? "completed")
        }
        let reason = response["incomplete_details"]?["reason"]?.string
        switch reason {
        case "max_output_tokens": return StopReason(.maxTokens, raw: reason)
        case "content_filter": return StopReason(.contentFilter, raw: reason)
        default: return StopReason(.endTurn, raw: reason ?? response["status"]?.string ?? "incomplete")
        }
    }

    /// Responses usage counts cached tokens inside `input_tokens` and reasoning inside `output_tokens`,
    /// as Parley does.
    static func usage(in response: JSON) -> Usage? {
        guard let usage = response["usage"], usage["input_tokens"] != nil || usage["output_tokens"] != nil
        else { return nil }
        return Usage(
            inputTokens: usage["input_tokens"]?.int ?? 0,
            outputTokens: usage["output_tokens"]?.int ?? 0,
            reasoningTokens: usage["output_tokens_details"]?["reasoning_tokens"]?.int ?? 0,
            cachedTokens: usage["input_tokens_details"]?["cached_tokens"]?.int ?? 0)
    }
}

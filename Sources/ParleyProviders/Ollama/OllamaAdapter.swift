import ParleyCore

/// Ollama's native `/api/chat` stream: one JSON object per line, each a piece of the message
/// (`content`, `thinking`, whole `tool_calls`), the last with `done: true`, the finish reason and
/// the token counts. A failure is a line `{"error": "…"}`, after which Ollama sends nothing more.
/// Asked not to stream (or by a proxy that buffers), Ollama answers with the one last object.
struct OllamaAdapter: StreamAdapter {
    private var toolCallCount = 0
    private(set) var isFinished = false
    let provider: String

    init(provider: String) { self.provider = provider }

    mutating func adapt(_ record: WireRecord) -> [StreamEvent] {
        guard case .line(let bytes) = record else { return [] }
        let line: JSON
        do {
            line = try JSON.parse(bytes)
        } catch {
            isFinished = true
            return [.error(.malformed(provider, "\(error)"))]
        }
        return adapt(line: line)
    }

    mutating func adapt(document: JSON) -> [StreamEvent] {
        guard document["message"] != nil || document["error"] != nil || document["done"] != nil else {
            isFinished = true
            return [.error(.notAReply(provider, document))]
        }
        return adapt(line: document)
    }

    private mutating func adapt(line: JSON) -> [StreamEvent] {
        if let error = line["error"], !error.isNull {
            isFinished = true
            return [.error(failure(line))]
        }

        var events: [StreamEvent] = line["model"]?.string.map { [.start(model: $0)] } ?? []
        let message = line["message"] ?? .null
        if let thinking = message["thinking"]?.string { events.append(.thinking(thinking)) }
        if let content = message["content"]?.string { events.append(.text(content)) }
        for call in message["tool_calls"]?.array ?? [] { events.append(.toolCall(toolCall(call))) }
        if line["done"]?.bool == true {
            isFinished = true
            if let usage = Self.usage(in: line) { events.append(.usage(usage)) }
            events.append(.stop(stopReason(line["done_reason"]?.string)))
        }
        return events
    }

    /// Ollama writes arguments as a JSON object; they are kept as its text, like every provider's.
    /// Its calls carry no id, so each gets one by its place in the reply.
    private mutating func toolCall(_ call: JSON) -> ToolCall {
        defer { toolCallCount += 1 }
        let function = call["function"] ?? .null
        let arguments = function["arguments"].map { $0.string ?? $0.serialized() } ?? "{}"
        return ToolCall(
            id: call["id"]?.string ?? "call_\(toolCallCount)",
            name: function["name"]?.string ?? "",
            arguments: arguments)
    }

    private func stopReason(_ raw: String?) -> StopReason {
        switch raw {
        case "length": StopReason(.maxTokens, raw: raw)
        default: StopReason(toolCallCount > 0 ? .toolUse : .endTurn, raw: raw)
        }
    }

    /// Ollama's errors are bare sentences; the few whose meaning is plain get their kind.
    private func failure(_ line: JSON) -> ProviderError {
        var error = ProviderError(errorPayload: line, status: nil, provider: provider)
        let text = error.message.lowercased()
        if text.contains("not found") {
            error.kind = .notFound
        } else if text.contains("does not support") {
            error.kind = .invalidRequest
        }
        return error
    }

    static func usage(in line: JSON) -> Usage? {
        guard line["prompt_eval_count"] != nil || line["eval_count"] != nil else { return nil }
        return Usage(inputTokens: line["prompt_eval_count"]?.int ?? 0, outputTokens: line["eval_count"]?.int ?? 0)
    }
}

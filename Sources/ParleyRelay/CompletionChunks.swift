import ParleyCore

/// A reply's events as the server-sent events of a streamed Chat Completion, one event in, the
/// lines it makes out, so every delta goes to the client the moment it is decoded:
/// - the first chunk says the role; text is `content`, reasoning `reasoning_content` (as DeepSeek,
///   vLLM and llama.cpp send it, which OpenAI clients read), each tool call one `tool_calls`
///   delta, whole (Parley's decoders assemble a call before reporting it);
/// - the stop is a chunk with the finish reason; then, when the client asked for it
///   (`stream_options.include_usage`), a chunk with the usage and no choices; then `[DONE]`;
/// - a failure is one `{"error": …}` event and the end of the stream, never a `[DONE]`, so a
///   client cannot take a broken reply for a whole one.
public struct CompletionChunks: Sendable {
    public let id: String
    public let created: Int
    /// The model as the client named it.
    public let model: String
    public let includeUsage: Bool
    private var toolCalls = 0
    private var usage: Usage?
    private var roleSent = false
    /// A failure was sent: the stream ends without `[DONE]`.
    public private(set) var failed = false

    public init(id: String, created: Int, model: String, includeUsage: Bool) {
        self.id = id
        self.created = created
        self.model = model
        self.includeUsage = includeUsage
    }

    /// The server-sent events (`data: …` and a blank line each) `event` makes; none for events an
    /// OpenAI client has no field for (a thinking signature, withheld reasoning).
    public mutating func events(for event: StreamEvent) -> [String] {
        guard !failed else { return [] }
        switch event {
        case .start: return [delta([:])]
        case .text(let text): return [delta(["content": .string(text)])]
        case .thinking(let text): return [delta(["reasoning_content": .string(text)])]
        case .toolCall(let call):
            defer { toolCalls += 1 }
            return [
                delta([
                    "tool_calls": [
                        [
                            "index": .number(Double(toolCalls)), "id": .string(call.id), "type": "function",
                            "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                        ]
                    ]
                ])
            ]
        case .usage(let reported):
            usage = reported
            return []
        case .error(let failure): return fail(RelayError(upstream: failure))
        case .stop(let reason):
            guard let finish = reason.finishReason else {
                return reason.kind == .cancelled ? fail(.cancelled) : []
            }
            var chunks = [
                chunk([
                    "index": 0, "delta": .object(roleSent ? [:] : ["role": "assistant"]),
                    "finish_reason": .string(finish),
                ])
            ]
            if includeUsage, let usage {
                chunks.append(Self.line(base(choices: []).merging(["usage": usage.completionUsage])))
            }
            return chunks + ["data: [DONE]\n\n"]
        case .thinkingSignature, .redactedThinking, .reasoningRefused: return []
        }
    }

    /// The stream's last event when it failed at the relay rather than upstream.
    public mutating func fail(_ error: RelayError) -> [String] {
        guard !failed else { return [] }
        failed = true
        return [Self.line(error.object)]
    }

    private mutating func delta(_ members: JSONObject) -> String {
        var members = members
        if !roleSent {
            members["role"] = "assistant"
            if members["content"] == nil, members["tool_calls"] == nil { members["content"] = "" }
            roleSent = true
        }
        return chunk(["index": 0, "delta": .object(members), "finish_reason": .null])
    }

    private func chunk(_ choice: JSON) -> String {
        Self.line(base(choices: [choice]))
    }

    private func base(choices: [JSON]) -> JSON {
        [
            "id": .string(id), "object": "chat.completion.chunk", "created": .number(Double(created)),
            "model": .string(model), "choices": .array(choices),
        ]
    }

    static func line(_ payload: JSON) -> String { "data: \(payload.serialized())\n\n" }
}

extension RelayError {
    /// A reply stopped before its end by the relay: its client went away, or it is shutting down.
    static let cancelled = RelayError(
        status: 499, type: "server_error", code: "cancelled", message: "the reply was stopped before its end")
}

extension StopReason {
    /// OpenAI's `finish_reason`; nil for a reply that did not finish (cancelled, failed).
    var finishReason: String? {
        switch kind {
        case .endTurn, .stopSequence: "stop"
        case .maxTokens: "length"
        case .toolUse: "tool_calls"
        case .contentFilter: "content_filter"
        case .cancelled, .error: nil
        }
    }
}

extension Usage {
    /// OpenAI's `usage`: reasoning is part of the completion tokens and cached tokens part of the
    /// prompt's, as Parley counts them; cache writes and a stated cost as OpenRouter sends them.
    var completionUsage: JSON {
        var prompt: JSONObject = ["cached_tokens": .number(Double(cachedTokens))]
        if cacheWriteTokens > 0 { prompt["cache_write_tokens"] = .number(Double(cacheWriteTokens)) }
        var usage: JSONObject = [
            "prompt_tokens": .number(Double(inputTokens)), "completion_tokens": .number(Double(outputTokens)),
            "total_tokens": .number(Double(inputTokens + outputTokens)), "prompt_tokens_details": .object(prompt),
            "completion_tokens_details": ["reasoning_tokens": .number(Double(reasoningTokens))],
        ]
        if let statedCost { usage["cost"] = .number(statedCost) }
        return .object(usage)
    }
}

extension JSON {
    /// An object with `more`'s members added (replacing any of the same name).
    func merging(_ more: JSONObject) -> JSON {
        .object((object ?? [:]).merging(more) { _, new in new })
    }
}

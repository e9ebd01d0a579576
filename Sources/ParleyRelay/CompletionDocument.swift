import ParleyCore

/// A whole reply as one `chat.completion` (a request without `stream`): the message as the reply's
/// events make it (`ChatMessage(replyOf:)`, as Parley keeps a reply), its finish reason and usage.
/// A reply that failed is not a completion: its error is the response (`failure`).
public struct CompletionDocument: Sendable {
    public let id: String
    public let created: Int
    public let model: String
    private var events: [StreamEvent] = []
    private var stop: StopReason?
    /// The reply's usage, when it reported (or Parley estimated) one.
    public private(set) var usage: Usage?
    /// The first failure, which the response is instead of the document.
    public private(set) var failure: RelayError?

    public init(id: String, created: Int, model: String) {
        self.id = id
        self.created = created
        self.model = model
    }

    public mutating func add(_ event: StreamEvent) {
        switch event {
        case .usage(let reported): usage = reported
        case .stop(let reason):
            stop = reason
            if reason.kind == .cancelled { failure = failure ?? .cancelled }
        case .error(let error): failure = failure ?? RelayError(upstream: error)
        default: events.append(event)
        }
    }

    public var json: JSON {
        let reply = ChatMessage(replyOf: events)
        var message: JSONObject = [
            "role": "assistant",
            "content": reply.content.isEmpty && !reply.toolCalls.isEmpty ? .null : .string(reply.content),
        ]
        if !reply.thinking.isEmpty { message["reasoning_content"] = .string(reply.thinking) }
        if !reply.toolCalls.isEmpty {
            message["tool_calls"] = .array(
                reply.toolCalls.map { call in
                    [
                        "id": .string(call.id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                })
        }
        var document: JSONObject = [
            "id": .string(id), "object": "chat.completion", "created": .number(Double(created)),
            "model": .string(model),
            "choices": [
                [
                    "index": 0, "message": .object(message),
                    "finish_reason": stop?.finishReason.map(JSON.string) ?? .null,
                ]
            ],
        ]
        if let usage { document["usage"] = usage.completionUsage }
        return .object(document)
    }
}

import ParleyCore

/// Maps one provider's records (SSE events, or NDJSON lines) to `StreamEvent`s.
///
/// Adapters report what the provider said, as it said it: usage whenever it appears (the latest
/// report wins), `.stop` when the provider gives a finish reason, `.error` for in-band errors.
/// `ReplyNormalizer` turns that into the one-start, one-usage, one-stop sequence.
protocol StreamAdapter: Sendable {
    mutating func adapt(_ record: WireRecord) -> [StreamEvent]
    /// The whole reply as one JSON document, from a server that did not stream: the events its
    /// stream would have given. A document that is not a reply in the format is a protocol error.
    mutating func adapt(document: JSON) -> [StreamEvent]
    /// True once the provider has marked the end of the reply (`[DONE]`, `message_stop`,
    /// `response.completed`, `done: true`); later bytes are ignored.
    var isFinished: Bool { get }
    /// The body ended: report anything still being assembled (a tool call cut off mid-way).
    mutating func finish() -> [StreamEvent]
}

extension StreamAdapter {
    mutating func finish() -> [StreamEvent] { [] }
}

/// A unit of the stream as framed: SSE events for most providers, JSON lines for Ollama.
enum WireRecord: Sendable {
    case event(SSEEvent)
    case line([UInt8])
}

extension ProviderError {
    /// The provider sent something that is not the JSON its format promises.
    static func malformed(_ provider: String, _ detail: String) -> ProviderError {
        ProviderError(.protocol, "\(provider) sent a malformed stream: \(detail)")
    }
}

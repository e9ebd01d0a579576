import ParleyCore

/// Bytes of a streamed HTTP body in, normalized `StreamEvent`s out.
///
/// Pure and incremental: feed body chunks as they arrive (their boundaries mean nothing),
/// then call `finish()` when the body ends. Framing errors and malformed provider JSON become
/// `protocol` errors in the event sequence, never a crash or unbounded memory.
public struct ReplyDecoder: Sendable {
    private enum Framing: Sendable {
        case sse(SSEDecoder)
        case ndjson(NDJSONDecoder)
    }

    private var framing: Framing
    private var adapter: any StreamAdapter
    private var normalizer: ReplyNormalizer
    private let provider: String

    /// - Parameters:
    ///   - provider: the name errors use ("Groq", "Anthropic"), so the user knows who failed.
    ///   - estimatedInputTokens: the prompt's estimated size, used only if the provider reports no usage.
    public init(format: WireFormat, provider: String, estimatedInputTokens: Int = 0) {
        self.provider = provider
        switch format {
        case .openAIChat:
            framing = .sse(SSEDecoder())
            adapter = OpenAIChatAdapter(provider: provider)
        case .anthropic:
            framing = .sse(SSEDecoder())
            adapter = AnthropicAdapter(provider: provider)
        case .gemini:
            framing = .sse(SSEDecoder())
            adapter = GeminiAdapter(provider: provider)
        case .openAIResponses:
            framing = .sse(SSEDecoder())
            adapter = OpenAIResponsesAdapter(provider: provider)
        case .ollama:
            framing = .ndjson(NDJSONDecoder())
            adapter = OllamaAdapter(provider: provider)
        }
        let splitsThinkTags = format == .openAIChat || format == .ollama
        normalizer = ReplyNormalizer(estimatedInputTokens: estimatedInputTokens, splitsThinkTags: splitsThinkTags)
    }

    /// True once the reply is over (its end marker, an error, or `finish()`): the caller may
    /// close the connection, and further bytes are ignored.
    public var isEnded: Bool { normalizer.isEnded }

    public mutating func decode(_ bytes: some Collection<UInt8>) -> [StreamEvent] {
        guard !normalizer.isEnded else { return [] }
        var frames: [Frame] = []
        var broken: FramingError?
        // The decoder is moved out of `framing` while it works, so its buffers are not copied.
        switch framing {
        case .sse(var decoder):
            framing = .sse(SSEDecoder())
            var events: [SSEEvent] = []
            do { try decoder.decode(bytes, into: &events) } catch { broken = error }
            framing = .sse(decoder)
            frames = events.map(Frame.event)
        case .ndjson(var decoder):
            framing = .ndjson(NDJSONDecoder())
            var lines: [[UInt8]] = []
            do { try decoder.decode(bytes, into: &lines) } catch { broken = error }
            framing = .ndjson(decoder)
            frames = lines.map(Frame.line)
        }
        // What was framed before the break was said; the break ends the reply after it.
        let events = adapt(frames)
        guard let broken else { return events }
        return events + normalizer.fail(.malformed(provider, broken.description))
    }

    /// The body has ended.
    public mutating func finish() -> [StreamEvent] {
        guard !normalizer.isEnded else { return [] }
        var events: [StreamEvent] = []
        if case .ndjson(var decoder) = framing {
            // A last line without its newline is delivered when it is whole JSON; half a line
            // means the connection was cut, which `normalizer.finish()` reports as such.
            let lines = decoder.finish().filter { (try? JSON.parse($0)) != nil }
            framing = .ndjson(decoder)
            events = adapt(lines.map(Frame.line))
        }
        if !normalizer.isEnded { events += normalizer.accept(adapter.finish()) }
        return events + normalizer.finish()
    }

    /// The user cancelled: end the reply as cancelled, keeping what arrived.
    public mutating func cancel() -> [StreamEvent] { normalizer.cancel() }

    /// The transport failed mid-body (dropped connection, idle timeout).
    public mutating func fail(_ failure: ProviderError) -> [StreamEvent] { normalizer.fail(failure) }

    private mutating func adapt(_ frames: [Frame]) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for frame in frames {
            events += normalizer.accept(adapter.adapt(frame))
            if adapter.isFinished || normalizer.isEnded {
                events += normalizer.finish()
                break
            }
        }
        return events
    }
}

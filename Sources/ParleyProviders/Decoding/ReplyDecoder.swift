import ParleyCore

/// Bytes of a successful HTTP body in, normalized `StreamEvent`s out.
///
/// Pure and incremental: feed body chunks as they arrive (their boundaries mean nothing),
/// then call `finish()` when the body ends. Framing errors and malformed provider JSON become
/// `protocol` errors in the event sequence, never a crash or unbounded memory.
///
/// The body is the stream asked for, or, from a server that does not stream, the whole reply
/// as one JSON document, which gives the same events once it has arrived; anything else (an
/// HTML page) is a `protocol` error saying what came back. The first bytes tell which.
public struct ReplyDecoder: Sendable {
    private enum Framing: Sendable {
        /// The body has not shown yet what it is: its first bytes wait here.
        case undecided([UInt8])
        case sse(SSEDecoder)
        case ndjson(NDJSONDecoder)
        /// A whole reply, read when the body ends.
        case document([UInt8])
        /// Neither: its start is kept to say what it was.
        case unexpected([UInt8])
    }

    /// The most of a whole (non-streamed) reply that is held: far more than any model writes in one reply.
    static let documentLimit = 16 << 20
    /// How much of an unexpected body is read to say what it was.
    static let unexpectedExcerptBytes = 4096

    private var framing: Framing = .undecided([])
    private let streamFraming: BodyShape.Framing
    private var adapter: any StreamAdapter
    private var normalizer: ReplyNormalizer
    private let provider: String
    /// The response's Content-Type, when known: it tells a whole Ollama reply from an Ollama
    /// stream (both start with `{`), and names what came back when it is neither.
    public var contentType: String?

    /// - Parameters:
    ///   - provider: the name errors use ("Groq", "Anthropic"), so the user knows who failed.
    ///   - estimatedInputTokens: the prompt's estimated size, used only if the provider reports no usage.
    public init(format: WireFormat, provider: String, estimatedInputTokens: Int = 0) {
        self.provider = provider
        switch format {
        case .openAIChat: adapter = OpenAIChatAdapter(provider: provider)
        case .anthropic: adapter = AnthropicAdapter(provider: provider)
        case .gemini: adapter = GeminiAdapter(provider: provider)
        case .openAIResponses: adapter = OpenAIResponsesAdapter(provider: provider)
        case .ollama: adapter = OllamaAdapter(provider: provider)
        }
        streamFraming = format == .ollama ? .ndjson : .sse
        let splitsThinkTags = format == .openAIChat || format == .ollama
        normalizer = ReplyNormalizer(estimatedInputTokens: estimatedInputTokens, splitsThinkTags: splitsThinkTags)
    }

    /// True once the reply is over (its end marker, an error, or `finish()`): the caller may
    /// close the connection, and further bytes are ignored.
    public var isEnded: Bool { normalizer.isEnded }

    public mutating func decode(_ bytes: some Collection<UInt8>) -> [StreamEvent] {
        guard !normalizer.isEnded else { return [] }
        let adapted: [StreamEvent]
        var broken: FramingError?
        // Each state's buffer is moved out of `framing` while it grows, so it is not copied.
        switch framing {
        case .undecided(var held):
            framing = .undecided([])
            held.append(contentsOf: bytes)
            guard let shape = BodyShape.of(held, framing: streamFraming, contentType: contentType, ended: false)
            else {
                framing = .undecided(held)
                return []
            }
            begin(shape)
            return decode(held)
        case .sse(var decoder):
            framing = .sse(SSEDecoder())
            var events: [SSEEvent] = []
            do { try decoder.decode(bytes, into: &events) } catch { broken = error }
            framing = .sse(decoder)
            // Each event becomes a record as it is adapted: no second list of them.
            adapted = adapt(events.lazy.map(WireRecord.event))
        case .ndjson(var decoder):
            framing = .ndjson(NDJSONDecoder())
            var lines: [[UInt8]] = []
            do { try decoder.decode(bytes, into: &lines) } catch { broken = error }
            framing = .ndjson(decoder)
            adapted = adapt(lines.lazy.map(WireRecord.line))
        case .document(var held):
            framing = .document([])
            held.append(contentsOf: bytes)
            guard held.count <= Self.documentLimit else {
                return normalizer.fail(ProviderError(.protocol, "\(provider)'s whole reply is larger than 16 MiB"))
            }
            framing = .document(held)
            return []
        case .unexpected(var held):
            held.append(contentsOf: bytes.prefix(Self.unexpectedExcerptBytes - held.count))
            framing = .unexpected(held)
            // Enough to say what it is: the rest is not read.
            guard held.count < Self.unexpectedExcerptBytes else {
                return normalizer.fail(.unexpectedBody(held, contentType: contentType))
            }
            return []
        }
        // What was framed before the break was said; the break ends the reply after it.
        guard let broken else { return adapted }
        return adapted + normalizer.fail(.malformed(provider, broken.description))
    }

    /// The body has ended.
    public mutating func finish() -> [StreamEvent] {
        guard !normalizer.isEnded else { return [] }
        var events: [StreamEvent] = []
        switch framing {
        case .undecided(let held):
            // A body too short to tell before now: it is whatever it shows.
            begin(BodyShape.of(held, framing: streamFraming, contentType: contentType, ended: true) ?? .stream)
            events = decode(held)
            return events + finish()
        case .document(let held):
            return finishDocument(held)
        case .unexpected(let held):
            return normalizer.fail(.unexpectedBody(held, contentType: contentType))
        case .ndjson(var decoder):
            // A last line without its newline is delivered when it is whole JSON; half a line
            // means the connection was cut, which `normalizer.finish()` reports as such.
            let lines = decoder.finish().filter { (try? JSON.parse($0)) != nil }
            framing = .ndjson(decoder)
            events = adapt(lines.map(WireRecord.line))
        case .sse:
            break
        }
        if !normalizer.isEnded { normalizer.accept(adapter.finish(), into: &events) }
        return events + normalizer.finish()
    }

    /// The user cancelled: end the reply as cancelled, keeping what arrived.
    public mutating func cancel() -> [StreamEvent] { normalizer.cancel() }

    /// The transport failed mid-body (dropped connection, idle timeout).
    public mutating func fail(_ failure: ProviderError) -> [StreamEvent] { normalizer.fail(failure) }

    private mutating func begin(_ shape: BodyShape) {
        switch (shape, streamFraming) {
        case (.stream, .sse): framing = .sse(SSEDecoder())
        case (.stream, .ndjson): framing = .ndjson(NDJSONDecoder())
        case (.document, _): framing = .document([])
        case (.unexpected, _): framing = .unexpected([])
        }
    }

    /// A whole reply is over once it has arrived: one that names no finish reason ended its turn.
    private mutating func finishDocument(_ bytes: [UInt8]) -> [StreamEvent] {
        let document: JSON
        do {
            document = try JSON.parse(bytes)
        } catch {
            return normalizer.fail(
                ProviderError(.protocol, "\(provider) answered with JSON that could not be read: \(error)"))
        }
        var events: [StreamEvent] = []
        normalizer.accept(adapter.adapt(document: document) + [.stop(StopReason(.endTurn))], into: &events)
        return events + normalizer.finish()
    }

    private mutating func adapt(_ records: some Sequence<WireRecord>) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for record in records {
            normalizer.accept(adapter.adapt(record), into: &events)
            if adapter.isFinished || normalizer.isEnded {
                events += normalizer.finish()
                break
            }
        }
        return events
    }
}

/// A reply that may take several rounds (LM Studio's word): the model asks for tools, they are
/// run, their results go back, and the model goes on, until it answers or the rounds run out.
///
/// A value that `parley ask` and the app drive alike: it gathers each round's events, says what
/// the round's end means, and makes the next round's request from the round and its results.
public struct ToolRounds: Equatable, Sendable {
    /// The request of the round under way: the first, or the last with what came of the rounds.
    public private(set) var request: ChatRequest
    /// The round under way, from 1.
    public private(set) var round = 1
    public let maxRounds: Int
    /// The round's content so far, in the order it streamed.
    private var events: [StreamEvent] = []

    /// What a round's end asks for.
    public enum Next: Equatable, Sendable {
        /// The reply is over: the model answered (or stopped for a reason of its own).
        case finished
        /// Run these calls, all of them (the model may ask for several at once), then `answered`.
        case runTools([ToolCall])
        /// The model asked for tools again after the last round allowed.
        case roundLimitReached(Int)
    }

    /// The most rounds a reply takes unless told otherwise.
    public static let standardMaxRounds = 10

    public init(_ request: ChatRequest, maxRounds: Int = standardMaxRounds) {
        self.request = request
        self.maxRounds = max(1, maxRounds)
    }

    /// Gathers what the round streamed; only content is kept (text, thinking and its signatures,
    /// tool calls).
    public mutating func record(_ streamed: some Sequence<StreamEvent>) {
        for event in streamed {
            switch event {
            case .text, .thinking, .thinkingSignature, .toolCall: events.append(event)
            case .reasoningRefused, .start, .redactedThinking, .usage, .error, .stop: break
            }
        }
    }

    /// The calls the round asked for, so far.
    public var calls: [ToolCall] {
        events.compactMap { if case .toolCall(let call) = $0 { call } else { nil } }
    }

    /// The round ended, for `stop`. Its calls are run only when it ended as a model ends to have
    /// them run (Ollama says "stop" even then); one cut off (by the token limit, an error, a
    /// cancel) may hold calls written halfway, and nothing it asked for is run.
    public func roundEnded(_ stop: StopReason) -> Next {
        let calls = calls
        guard !calls.isEmpty, stop.kind == .toolUse || stop.kind == .endTurn else { return .finished }
        return round < maxRounds ? .runTools(calls) : .roundLimitReached(maxRounds)
    }

    /// The round's calls were answered (in any order; every call needs one result): the next
    /// round's request carries the round and the results, and the next round begins.
    public mutating func answered(_ results: [ToolResult]) -> ChatRequest {
        request.messages.append(ChatMessage(replyOf: events))
        request.messages.append(ChatMessage(.tool, parts: results.map(MessagePart.toolResult)))
        round += 1
        events = []
        return request
    }
}

extension ToolResult {
    /// The most of a tool's output sent back to the model by default: 64 KiB, about 16,000 tokens.
    public static let defaultLimit = 64 * 1024

    /// The result with its content cut to at most `limit` bytes of UTF-8 (at a character's edge),
    /// saying so at its end, so neither the model nor the user mistakes it for all there was.
    public func capped(at limit: Int = ToolResult.defaultLimit) -> ToolResult {
        let size = content.utf8.count
        guard size > limit else { return self }
        var end = content.startIndex
        var bytes = 0
        for index in content.indices {
            let next = content[index].utf8.count
            if bytes + next > limit { break }
            bytes += next
            end = content.index(after: index)
        }
        var capped = self
        capped.content = content[..<end] + "\n[output cut at \(limit) of \(size) bytes]"
        return capped
    }
}

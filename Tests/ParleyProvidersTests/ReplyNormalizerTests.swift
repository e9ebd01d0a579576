import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// An OpenAI-style SSE body: each chunk as a `data:` event, a chunk written over several lines
/// as several `data:` lines (which SSE joins with line feeds, whitespace to JSON).
func sseBody(_ chunks: [String], done: Bool = true) -> [UInt8] {
    let events = chunks.map { chunk in
        chunk.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)\n" }.joined() + "\n"
    }
    return Array((events.joined() + (done ? "data: [DONE]\n\n" : "")).utf8)
}

/// A chat.completion.chunk with the given delta (JSON text), finish reason and usage (JSON text).
func chunk(_ delta: String = "{}", finish: String? = nil, usage: String? = nil, model: String = "gpt-test") -> String {
    let reason = finish.map { "\"\($0)\"" } ?? "null"
    let usagePart = usage.map { ",\"usage\":\($0)" } ?? ""
    return #"{"object":"chat.completion.chunk","model":"\#(model)","choices":[{"index":0,"delta":\#(delta),"#
        + #""finish_reason":\#(reason)}]\#(usagePart)}"#
}

func content(_ text: String, finish: String? = nil) -> String {
    chunk(JSON.object(["content": .string(text)]).serialized(), finish: finish)
}

@Suite("Every reply comes out as one start, its content, one usage and one stop")
struct ReplyNormalizerTests {
    @Test("a plain reply: start with the model first, the text, then usage and the finish reason last")
    func plainReply() {
        let body = sseBody([
            content("Hel"), content("lo"), chunk(finish: "stop"),
            #"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}"#,
        ])
        #expect(
            decodeReply(body, format: .openAIChat) == [
                .start(model: "gpt-test"), .text("Hel"), .text("lo"),
                .usage(Usage(inputTokens: 5, outputTokens: 2)), .stop(StopReason(.endTurn, raw: "stop")),
            ])
    }

    @Test("start is sent once, however many chunks name the model")
    func oneStart() {
        let body = sseBody([chunk(#"{"content":"a"}"#, model: "first"), chunk(#"{"content":"b"}"#, model: "second")])
        let starts = decodeReply(body, format: .openAIChat).filter { if case .start = $0 { true } else { false } }
        #expect(starts == [.start(model: "first")])
    }

    @Test("usage reported on every chunk is given once, the latest report winning")
    func latestUsageWins() {
        let body = sseBody([
            chunk(#"{"content":"a"}"#, usage: #"{"prompt_tokens":9,"completion_tokens":1}"#),
            chunk(#"{"content":"b"}"#, usage: #"{"prompt_tokens":9,"completion_tokens":2}"#),
            chunk(finish: "stop", usage: #"{"prompt_tokens":9,"completion_tokens":3}"#),
        ])
        let usages = decodeReply(body, format: .openAIChat).compactMap { if case .usage(let u) = $0 { u } else { nil } }
        #expect(usages == [Usage(inputTokens: 9, outputTokens: 3)])
    }

    @Test("the finish reason is held until the stream ends, so later usage still comes before it")
    func stopHeldUntilDone() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
        let first = decoder.decode(sseBody([content("Hi", finish: "stop")], done: false))
        #expect(first == [.start(model: "gpt-test"), .text("Hi")], "no stop yet: usage may still come")
        #expect(!decoder.isEnded)
        let rest = decoder.decode(sseBody([#"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}"#]))
        #expect(rest == [.usage(Usage(inputTokens: 1, outputTokens: 1)), .stop(StopReason(.endTurn, raw: "stop"))])
        #expect(decoder.isEnded)
    }

    @Test("a finish reason and the end of the body, with no [DONE], is a complete reply")
    func stopWithoutDone() {
        let events = decodeReply(sseBody([content("Hi", finish: "length")], done: false), format: .openAIChat)
        #expect(events.last == .stop(StopReason(.maxTokens, raw: "length")))
        #expect(!events.contains { if case .error = $0 { true } else { false } })
    }

    @Test("with no usage from the provider, usage is estimated from the prompt and the reply, and marked so")
    func estimatedUsage() {
        let body = sseBody([content("12345678"), content("9", finish: "stop")])
        let events = decodeReply(body, format: .openAIChat, estimatedInputTokens: 40)
        #expect(
            events.suffix(2) == [
                .usage(Usage(inputTokens: 40, outputTokens: 3, estimated: true)),
                .stop(StopReason(.endTurn, raw: "stop")),
            ])
    }

    @Test("an empty reply estimates zero output tokens")
    func emptyReplyEstimate() {
        let events = decodeReply(sseBody([chunk(finish: "stop")]), format: .openAIChat)
        #expect(events.contains(.usage(Usage(outputTokens: 0, estimated: true))))
    }

    @Test("an in-band error ends the reply as error, keeping the partial text and the provider's finish reason")
    func errorMakesFinalStopError() {
        let body = sseBody([
            content("partial"), chunk(finish: "length"),
            #"{"error":{"code":400,"message":"Token limit reached"}}"#, content("ignored"),
        ])
        let events = decodeReply(body, format: .openAIChat, provider: "OpenRouter")
        #expect(events.count == 5)
        #expect(events.first == .start(model: "gpt-test"))
        #expect(events[1] == .text("partial"))
        guard case .error(let failure) = events[2] else {
            Issue.record("expected the error third, got \(events)")
            return
        }
        #expect(failure.kind == .invalidRequest)
        #expect(failure.message == "OpenRouter: Token limit reached")
        #expect(events.last == .stop(StopReason(.error, raw: "length")))
    }

    @Test("a body that ends with neither a finish reason nor [DONE] was cut off: a network error")
    func cutOff() {
        let events = decodeReply(sseBody([content("partial")], done: false), format: .openAIChat)
        #expect(events.prefix(2) == [.start(model: "gpt-test"), .text("partial")])
        guard case .error(let failure) = events[2] else {
            Issue.record("expected a network error, got \(events)")
            return
        }
        #expect(failure.kind == .network)
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("an empty body still gives start, an error, usage and stop")
    func emptyBody() {
        let events = decodeReply([], format: .openAIChat)
        #expect(events.count == 4)
        #expect(events.first == .start(model: nil))
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("cancelling ends the reply as cancelled and keeps what arrived")
    func cancel() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI", estimatedInputTokens: 3)
        let received = decoder.decode(sseBody([content("half a rep")], done: false))
        #expect(received == [.start(model: "gpt-test"), .text("half a rep")])
        #expect(
            decoder.cancel() == [
                .usage(Usage(inputTokens: 3, outputTokens: 3, estimated: true)), .stop(StopReason(.cancelled)),
            ])
        #expect(decoder.isEnded)
        #expect(decoder.decode(sseBody([content("more")])) == [], "nothing after the end")
        #expect(decoder.finish() == [])
        #expect(decoder.cancel() == [])
    }

    @Test("cancelling before any byte still gives start, usage and stop")
    func cancelBeforeAnything() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
        #expect(
            decoder.cancel() == [
                .start(model: nil), .usage(Usage(estimated: true)), .stop(StopReason(.cancelled)),
            ])
    }

    @Test("a transport failure mid-body ends the reply with that error")
    func transportFailure() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
        _ = decoder.decode(sseBody([content("Hi", finish: "stop")], done: false))
        let timeout = ProviderError(.timeout, "no byte for 60 s")
        #expect(
            decoder.fail(timeout) == [
                .error(timeout), .usage(Usage(outputTokens: 1, estimated: true)),
                .stop(StopReason(.error, raw: "stop")),
            ])
        #expect(decoder.fail(timeout) == [], "a reply ends once")
    }

    @Test("bytes after [DONE] are ignored, even in the same piece")
    func bytesAfterEnd() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
        let body = sseBody([content("a", finish: "stop")]) + sseBody([content("b")])
        let events = decoder.decode(body)
        #expect(
            events == [
                .start(model: "gpt-test"), .text("a"), .usage(Usage(outputTokens: 1, estimated: true)),
                .stop(StopReason(.endTurn, raw: "stop")),
            ])
        #expect(decoder.isEnded)
        #expect(decoder.decode(sseBody([content("c")])) == [])
        #expect(decoder.finish() == [])
    }

    @Test("empty text and thinking deltas are dropped")
    func emptyDeltas() {
        let body = sseBody([
            chunk(#"{"role":"assistant","content":"","reasoning_content":""}"#), content("x", finish: "stop"),
        ])
        #expect(
            decodeReply(body, format: .openAIChat).prefix(3) == [
                .start(model: "gpt-test"), .text("x"), .usage(Usage(outputTokens: 1, estimated: true)),
            ])
    }

    @Test("<think> in OpenAI-compatible content goes to thinking, also when the reply ends inside it")
    func thinkTags() {
        let body = sseBody([content("<thi"), content("nk>plan</think>\n\nDone"), chunk(finish: "stop")])
        #expect(
            decodeReply(body, format: .openAIChat).prefix(3) == [
                .start(model: "gpt-test"), .thinking("plan"), .text("Done"),
            ])
        let unfinished = decodeReply(sseBody([content("<think>still")], done: false), format: .openAIChat)
        #expect(unfinished.prefix(2) == [.start(model: "gpt-test"), .thinking("still")])
    }

    @Test("a line over 1 MiB ends the reply with a protocol error and no unbounded memory")
    func framingError() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
        var events = decoder.decode(sseBody([content("ok")], done: false) + Array("data: ".utf8))
        let piece = [UInt8](repeating: UInt8(ascii: "x"), count: 256 * 1024)
        for _ in 0..<5 where !decoder.isEnded { events += decoder.decode(piece) }
        #expect(decoder.isEnded)
        #expect(events.prefix(2) == [.start(model: "gpt-test"), .text("ok")])
        #expect(events.contains { if case .error(let failure) = $0 { failure.kind == .protocol } else { false } })
        #expect(events.last == .stop(StopReason(.error)))
    }

    @Test("events before a framing error in the same piece are kept, wherever the body is cut")
    func eventsBeforeFramingError() {
        let body =
            sseBody([content("kept")], done: false) + Array("data: ".utf8)
            + [UInt8](repeating: UInt8(ascii: "x"), count: (1 << 20) + 1)
        let whole = decodeReply(body, format: .openAIChat)
        #expect(whole.prefix(2) == [.start(model: "gpt-test"), .text("kept")])
        #expect(decodeReply(body, format: .openAIChat, cuts: [10, 60, 500_000]) == whole)
    }
}

@Suite("What kind of failure a provider's error is")
struct ErrorKindTests {
    func kind(_ body: String, status: Int?) throws -> ProviderError.Kind {
        ProviderError(errorPayload: try JSON.parse(Array(body.utf8)), status: status, provider: "Test").kind
    }

    @Test("a 503 is overloaded whatever its body calls it; a 500 that says overloaded is too")
    func overloaded() throws {
        let serverError = #"{"error":{"message":"The service is temporarily unavailable.","type":"server_error"}}"#
        #expect(try kind(serverError, status: 503) == .overloaded)
        let saysSo =
            #"{"error":{"message":"The engine is currently overloaded, please try again later","type":"server_error"}}"#
        #expect(try kind(saysSo, status: 500) == .overloaded)
        #expect(try kind(#"{"error":{"message":"Internal error","type":"server_error"}}"#, status: 500) == .server)
    }
}

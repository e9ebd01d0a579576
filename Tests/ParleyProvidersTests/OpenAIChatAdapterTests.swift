import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// What one decoded reply said, gathered for comparison.
private struct Reply: Equatable {
    var model: String?
    var text = ""
    var thinking = ""
    var toolCalls: [ToolCall] = []
    var usage: [Usage] = []
    var stop: [StopReason] = []
    var errors: [ProviderError] = []

    init(_ events: [StreamEvent]) {
        for event in events {
            switch event {
            case .start(let model): self.model = model
            case .text(let piece): text += piece
            case .thinking(let piece): thinking += piece
            case .redactedThinking: Issue.record("OpenAI-compatible streams have no redacted thinking")
            case .thinkingSignature: Issue.record("OpenAI-compatible streams sign no thinking")
            case .reasoningRefused: Issue.record("a stream never says this; only the transport does, between tries")
            case .toolCall(let call): toolCalls.append(call)
            case .usage(let reported): usage.append(reported)
            case .stop(let reason): stop.append(reason)
            case .error(let failure): errors.append(failure)
            }
        }
    }
}

private func reply(_ chunks: [String], done: Bool = true, provider: String = "Test") -> Reply {
    Reply(decodeReply(sseBody(chunks, done: done), format: .openAIChat, provider: provider))
}

private func ownFixture(_ name: String) throws -> [UInt8] {
    try Fixtures.own("openai-chat/\(name)", target: "ParleyProvidersTests")
}

@Suite("OpenAI Chat Completions and compatible servers")
struct OpenAIChatAdapterTests {
    // MARK: content

    @Test("content strings are the answer text, in order")
    func contentStrings() {
        let decoded = reply([content("Hello"), content(", world"), chunk(finish: "stop")])
        #expect(decoded.text == "Hello, world")
        #expect(decoded.thinking == "")
    }

    @Test("Mistral's content arrays: text parts are the answer, thinking parts are thinking, other parts skipped")
    func mistralContentArrays() {
        let parts = #"""
            {"content":[{"type":"thinking","thinking":[{"type":"text","text":"Plan"},{"type":"text","text":" it."}]},
            {"type":"text","text":"Done"},{"type":"reference","reference_ids":[1]},{"type":"image_url"}]}
            """#
        let decoded = reply([chunk(parts), content("!", finish: "stop")])
        #expect(decoded.thinking == "Plan it.")
        #expect(decoded.text == "Done!")
    }

    @Test("reasoning_content (DeepSeek, vLLM, xAI) and reasoning (OpenRouter, Groq) are both thinking")
    func reasoningFields() {
        #expect(reply([chunk(#"{"reasoning_content":"deep"}"#), chunk(finish: "stop")]).thinking == "deep")
        #expect(reply([chunk(#"{"reasoning":"route"}"#), chunk(finish: "stop")]).thinking == "route")
    }

    @Test("a delta carrying the same reasoning as reasoning_content and reasoning is counted once")
    func reasoningNotTwice() {
        let both = chunk(#"{"reasoning_content":"once","reasoning":"once","reasoning_details":[{"text":"once"}]}"#)
        #expect(reply([both, chunk(finish: "stop")]).thinking == "once")
        let emptyThenFull = chunk(#"{"reasoning_content":"","reasoning":"second field"}"#)
        #expect(
            reply([emptyThenFull, chunk(finish: "stop")]).thinking == "second field",
            "an empty field does not hide the other")
        let nullThenFull = chunk(#"{"reasoning_content":null,"reasoning":"r"}"#)
        #expect(reply([nullThenFull, chunk(finish: "stop")]).thinking == "r")
    }

    @Test("null content, role-only deltas and chunks without choices add nothing")
    func emptyShapes() {
        let decoded = reply([
            chunk(#"{"role":"assistant","content":null}"#), chunk("{}"), #"{"choices":[]}"#, #"{"choices":null}"#,
            #"{"choices":[{"index":0}]}"#, content("x", finish: "stop"),
        ])
        #expect(decoded.text == "x")
        #expect(decoded.errors == [])
    }

    @Test("a refusal streamed instead of content is shown as the answer")
    func refusal() {
        let decoded = reply([
            chunk(#"{"role":"assistant","content":null,"refusal":""}"#),
            chunk(#"{"refusal":"I can’t help"}"#), chunk(#"{"refusal":" with that."}"#), chunk(finish: "stop"),
        ])
        #expect(decoded.text == "I can’t help with that.")
    }

    @Test("only the first choice is the reply; other choices (n > 1) are not mixed into it")
    func firstChoiceOnly() {
        let twoChoices = #"""
            {"choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"mine"}}]}
            """#
        #expect(reply([twoChoices, chunk(finish: "stop")]).text == "mine")
    }

    // MARK: tool calls

    @Test("a tool call streamed over several chunks is reported once, with its arguments assembled")
    func toolCallAcrossChunks() {
        let decoded = reply([
            chunk(
                #"{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_","arguments":""}}]}"#
            ),
            chunk(#"{"tool_calls":[{"index":0,"function":{"name":"capital","arguments":"{\"coun"}}]}"#),
            chunk(#"{"tool_calls":[{"index":0,"function":{"arguments":"try\":\"UK\"}"}}]}"#),
            chunk(finish: "tool_calls"),
        ])
        #expect(decoded.toolCalls == [ToolCall(id: "call_1", name: "get_capital", arguments: #"{"country":"UK"}"#)])
        #expect(decoded.stop == [StopReason(.toolUse, raw: "tool_calls")])
    }

    @Test("parallel tool calls interleaved by index come out whole, in index order")
    func parallelToolCalls() throws {
        let decoded = Reply(decodeReply(try ownFixture("interleaved-parallel-tool-calls.sse"), format: .openAIChat))
        #expect(
            decoded.toolCalls == [
                ToolCall(id: "call_a", name: "get_weather", arguments: #"{"city":"Zürich"}"#),
                ToolCall(id: "call_b", name: "get_time", arguments: #"{"zone":"CET"}"#),
            ])
        #expect(decoded.usage == [Usage(inputTokens: 60, outputTokens: 30)])
    }

    @Test("complete calls without an index (Mistral) are told apart by their position and id")
    func callsWithoutIndex() {
        let oneChunk = #"""
            {"tool_calls":[{"id":"a","function":{"name":"plus","arguments":"{}"}},
            {"id":"b","function":{"name":"minus","arguments":"{}"}}]}
            """#
        #expect(
            reply([chunk(oneChunk), chunk(finish: "tool_calls")]).toolCalls == [
                ToolCall(id: "a", name: "plus", arguments: "{}"), ToolCall(id: "b", name: "minus", arguments: "{}"),
            ])
        let separateChunks = [
            chunk(#"{"tool_calls":[{"id":"a","function":{"name":"plus","arguments":"{}"}}]}"#),
            chunk(#"{"tool_calls":[{"id":"b","function":{"name":"minus","arguments":"{}"}}]}"#),
        ]
        #expect(
            reply(separateChunks + [chunk(finish: "tool_calls")]).toolCalls.map(\.id) == ["a", "b"],
            "a new id at the same place is a new call, not more of the old one")
    }

    @Test("tool calls still being assembled are reported at [DONE] or when the body ends")
    func toolCallsWithoutFinish() {
        let call = chunk(#"{"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":"{}"}}]}"#)
        #expect(reply([call]).toolCalls.count == 1)
        let cutOff = reply([call], done: false)
        #expect(cutOff.toolCalls.count == 1)
        #expect(cutOff.errors.map(\.kind) == [.network], "but a body with no end is still a cut-off reply")
    }

    @Test("a tool call reported with finish_reason stop (Ollama) still ends the turn as tool use")
    func toolCallWithStopReason() {
        let call = chunk(#"{"tool_calls":[{"id":"c","function":{"name":"f","arguments":"{}"}}]}"#)
        #expect(reply([call, chunk(finish: "stop")]).stop == [StopReason(.toolUse, raw: "stop")])
    }

    // MARK: usage

    @Test("include_usage: the choices:[] chunk after the finish reason gives the usage")
    func includeUsageChunk() {
        let usage = #"""
            {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":100,"total_tokens":112,
            "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":90}}}
            """#
        let decoded = reply([chunk("{}", finish: "length"), usage, #"{"choices":[],"moderation":{}}"#])
        #expect(decoded.usage == [Usage(inputTokens: 12, outputTokens: 100, reasoningTokens: 90, cachedTokens: 4)])
        #expect(decoded.stop == [StopReason(.maxTokens, raw: "length")])
    }

    @Test("usage:null on ordinary chunks is no report")
    func nullUsage() {
        let decoded = reply([chunk("{}", usage: "null"), content("abcd", finish: "stop")])
        #expect(decoded.usage == [Usage(outputTokens: 1, estimated: true)])
    }

    @Test("usage on every chunk (xAI): the last report is the reply's usage")
    func usageOnEveryChunk() throws {
        let decoded = Reply(decodeReply(try ownFixture("xai-usage-every-chunk-crlf.sse"), format: .openAIChat))
        #expect(decoded.text == "1, 2, 3")
        #expect(decoded.thinking == "Count up.")
        #expect(decoded.usage == [Usage(inputTokens: 7, outputTokens: 5, reasoningTokens: 2, cachedTokens: 6)])
    }

    @Test("when total_tokens shows the reasoning was left out of completion_tokens (xAI), it is added back")
    func reasoningOutsideCompletion() {
        let xai =
            #"{"choices":[],"usage":{"prompt_tokens":390,"completion_tokens":26,"total_tokens":493,"#
            + #""completion_tokens_details":{"reasoning_tokens":77}}}"#
        #expect(
            reply([chunk(finish: "stop"), xai]).usage == [
                Usage(inputTokens: 390, outputTokens: 103, reasoningTokens: 77)
            ])
        let openAI =
            #"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":100,"total_tokens":112,"#
            + #""completion_tokens_details":{"reasoning_tokens":100}}}"#
        #expect(
            reply([chunk(finish: "stop"), openAI]).usage == [
                Usage(inputTokens: 12, outputTokens: 100, reasoningTokens: 100)
            ])
    }

    @Test("Groq's x_groq.usage is usage; a top-level usage, when both are there, is the same report")
    func groqUsage() {
        let groq =
            #"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"#
            + #""x_groq":{"id":"req_1","usage":{"prompt_tokens":339,"completion_tokens":58,"total_tokens":397}}}"#
        #expect(reply([groq]).usage == [Usage(inputTokens: 339, outputTokens: 58)])
    }

    @Test("DeepSeek's prompt_cache_hit_tokens are cached tokens")
    func deepSeekCache() {
        let usage = #"{"choices":[],"usage":{"prompt_tokens":60,"completion_tokens":5,"prompt_cache_hit_tokens":32}}"#
        #expect(
            reply([chunk(finish: "stop"), usage]).usage == [Usage(inputTokens: 60, outputTokens: 5, cachedTokens: 32)])
    }

    // MARK: finish reasons

    @Test(
        "finish reasons normalize, keeping the provider's word",
        arguments: [
            ("stop", StopReason.Kind.endTurn), ("length", .maxTokens), ("tool_calls", .toolUse),
            ("function_call", .toolUse),
            ("content_filter", .contentFilter), ("eos", .endTurn), ("something_new", .endTurn),
        ])
    func finishReasons(_ raw: String, _ kind: StopReason.Kind) {
        #expect(reply([content("x", finish: raw)]).stop == [StopReason(kind, raw: raw)])
    }

    @Test("a repeated finish reason is one stop, the first")
    func repeatedFinish() {
        #expect(
            reply([chunk(finish: "length"), chunk(finish: "stop")]).stop == [StopReason(.maxTokens, raw: "length")])
    }

    // MARK: errors

    @Test("an in-band error member ends the reply with the provider's error, and usage sent with it counts")
    func errorMember() {
        let error =
            #"{"error":{"code":400,"message":"Token limit reached"},"choices":[],"#
            + #""usage":{"prompt_tokens":43,"completion_tokens":10}}"#
        let decoded = reply([content("partial"), error], provider: "OpenRouter")
        #expect(decoded.text == "partial")
        #expect(decoded.errors == [ProviderError(.invalidRequest, "OpenRouter: Token limit reached", status: 400)])
        #expect(decoded.usage == [Usage(inputTokens: 43, outputTokens: 10)])
        #expect(decoded.stop == [StopReason(.error)])
    }

    @Test("an error member that is null is no error")
    func nullError() {
        #expect(
            reply([#"{"error":null,"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}"#]).errors
                == [])
    }

    @Test("`event: error` after partial output: the partial reply is kept and the error classified")
    func errorEvent() throws {
        let events = decodeReply(try ownFixture("event-error-after-partial.sse"), format: .openAIChat, provider: "Groq")
        let decoded = Reply(events)
        #expect(decoded.thinking == "Call the tool.")
        #expect(decoded.text == "Partial")
        #expect(decoded.errors == [ProviderError(.rateLimited, "Groq: Rate limit reached for model")])
        #expect(decoded.stop == [StopReason(.error)])
    }

    @Test("an error is the end of the reply: the caller may close the connection at once")
    func errorEnds() {
        var decoder = ReplyDecoder(format: .openAIChat, provider: "Groq")
        _ = decoder.decode(Array("event: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\n".utf8))
        #expect(decoder.isEnded)
    }

    @Test(
        "malformed JSON is a protocol error naming the provider, and ends the reply",
        arguments: [
            #"{"choices":[{"delta":{"content":"cut"#, "not json", #"{"a":1} trailing"#, "",
        ])
    func malformed(_ data: String) {
        let decoded = reply([content("before"), data, content("after")], provider: "DeepSeek")
        #expect(decoded.text == "before")
        #expect(decoded.errors.map(\.kind) == [.protocol])
        #expect(decoded.errors.first?.message.contains("DeepSeek") == true)
        #expect(decoded.stop == [StopReason(.error)])
    }

    @Test(
        "a chunk that is JSON but not an object is a protocol error too", arguments: ["42", #""text""#, "[1]", "null"])
    func notAnObject(_ data: String) {
        #expect(reply([data], provider: "vLLM").errors.map(\.kind) == [.protocol])
    }

    @Test("unknown event types are skipped")
    func unknownEventTypes() {
        let body = Array("event: ping\ndata: hello\n\n".utf8) + sseBody([content("ok", finish: "stop")])
        let decoded = Reply(decodeReply(body, format: .openAIChat))
        #expect(decoded.text == "ok")
        #expect(decoded.errors == [])
    }

    // MARK: small fixtures, cut everywhere

    @Test("<think> tags split across deltas by a local server become thinking")
    func thinkTagFixture() throws {
        let decoded = Reply(decodeReply(try ownFixture("think-tags-split-across-deltas.sse"), format: .openAIChat))
        #expect(decoded.thinking == "\nThe user says hi 😊.\n")
        #expect(decoded.text == "Hello! 👋")
        #expect(decoded.model == "deepseek-r1:7b")
    }

    @Test("Mistral thinking parts, several in one delta, become thinking in order")
    func mistralFixture() throws {
        let decoded = Reply(decodeReply(try ownFixture("mistral-thinking-content-parts.sse"), format: .openAIChat))
        #expect(decoded.thinking == "Short answer. Yes.")
        #expect(decoded.text == "Yes.")
        #expect(decoded.usage == [Usage(inputTokens: 4, outputTokens: 10)])
    }

    @Test(
        "each small fixture decodes the same when cut at every byte offset",
        arguments: [
            "think-tags-split-across-deltas.sse", "xai-usage-every-chunk-crlf.sse",
            "interleaved-parallel-tool-calls.sse",
            "event-error-after-partial.sse", "mistral-thinking-content-parts.sse",
        ])
    func everyOffset(_ name: String) throws {
        let bytes = try ownFixture(name)
        #expect(firstSplitDisagreement(bytes, format: .openAIChat, exhaustiveLimit: 4096, randomSplits: 32) == nil)
    }

    // MARK: requests

    @Test("the request is a POST to {base}/chat/completions with JSON, SSE accepted, the key and extra headers")
    func request() {
        let chat = ChatRequest(
            model: "gpt-4o",
            messages: [ChatMessage(.user, "Hi"), ChatMessage(.assistant, "Hello"), ChatMessage(.user, "Bye")],
            system: "Be brief.", maxTokens: 100, temperature: 0.5)
        let endpoint = ProviderEndpoint(
            baseURL: "https://api.openai.com/v1/", apiKey: "sk-test", keyVariable: "OPENAI_API_KEY",
            extraHeaders: [HTTPHeader("HTTP-Referer", "https://parley.example")])
        let request = WireFormat.openAIChat.request(for: chat, endpoint: endpoint)
        #expect(request.url == "https://api.openai.com/v1/chat/completions")
        #expect(request.method == "POST")
        #expect(
            request.headers == [
                HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "text/event-stream"),
                HTTPHeader("Accept-Encoding", "identity"),
                HTTPHeader("Authorization", "Bearer sk-test"), HTTPHeader("HTTP-Referer", "https://parley.example"),
            ])
        let body = String(decoding: request.body, as: UTF8.self)
        #expect(
            body == #"{"max_tokens":100,"messages":[{"content":"Be brief.","role":"system"},"#
                + #"{"content":"Hi","role":"user"},{"content":"Hello","role":"assistant"},{"content":"Bye","role":"user"}],"#
                + #""model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"temperature":0.5}"#)
    }

    @Test(
        "reasoning models get their token limit as max_completion_tokens, others as max_tokens",
        arguments: [
            ("o3-mini", true), ("o1", true), ("openai/o4-mini", true), ("gpt-5", true), ("gpt-5-nano", true),
            ("gpt-5.1", true), ("gpt-4o", false), ("gpt-4.1-mini", false), ("o3xyz", false), ("llama3.1", false),
        ])
    func tokenLimitName(model: String, completionTokens: Bool) {
        let chat = ChatRequest(model: model, messages: [ChatMessage(.user, "Hi")], maxTokens: 50)
        let body = String(
            decoding: WireFormat.openAIChat.request(for: chat, endpoint: ProviderEndpoint(baseURL: "http://x")).body,
            as: UTF8.self)
        #expect(body.contains(#""max_completion_tokens":50"#) == completionTokens)
        #expect(body.contains(#""max_tokens":50"#) == !completionTokens)
    }

    @Test("a local server with no key gets no Authorization header, and optional settings are left out")
    func requestWithoutKey() {
        let chat = ChatRequest(model: "llama3.1", messages: [ChatMessage(.user, "Hi \"there\"\n")])
        let request = WireFormat.openAIChat.request(
            for: chat, endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:8080/v1"))
        #expect(request.url == "http://127.0.0.1:8080/v1/chat/completions")
        #expect(!request.headers.contains { $0.name == "Authorization" })
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == #"{"messages":[{"content":"Hi \"there\"\n","role":"user"}],"#
                + #""model":"llama3.1","stream":true,"stream_options":{"include_usage":true}}"#)
    }
}

import ParleyCore
import ParleyProviders
import ParleyStreaming

/// The JSON lines of `parley ask --events` (PRODUCT.md §4), one per event, `type` first.
enum EventLine {
    /// The reply begins: from whom, and the files the prompt carries (`attachments`, only when
    /// there are some: name, type and size in bytes).
    static func start(provider: String, model: String, attachments: [Attachment] = []) -> String {
        let files: JSON = .array(
            attachments.map { file in
                ["name": .string(file.name), "type": .string(file.kind.mediaType), "bytes": .number(Double(file.size))]
            })
        return line(
            [("type", "start"), ("provider", .string(provider)), ("model", .string(model))]
                + (attachments.isEmpty ? [] : [("attachments", files)]))
    }

    /// nil for `.start`, which is written from the request (`start(provider:model:)`), and for a
    /// thinking signature, which is opaque bookkeeping for the provider.
    static func make(_ event: StreamEvent) -> String? {
        switch event {
        case .start, .thinkingSignature:
            return nil
        case .text(let text):
            return line([("type", "text"), ("text", .string(text))])
        case .thinking(let text):
            return line([("type", "thinking"), ("text", .string(text))])
        case .redactedThinking:
            return line([("type", "thinking"), ("redacted", true)])
        case .toolCall(let call):
            return line([
                ("type", "tool_call"), ("id", .string(call.id)), ("name", .string(call.name)),
                ("arguments", .string(call.arguments)),
            ])
        case .usage(let usage):
            return self.usage(usage, cost: nil)
        case .reasoningRefused(let error):
            var members: [(String, JSON)] = [("type", "reasoning_refused")]
            if let status = error.status { members.append(("status", number(status))) }
            members.append(("message", .string(error.message)))
            return line(members)
        case .error(let error):
            var members: [(String, JSON)] = [("type", "error"), ("kind", .string(error.kind.rawValue))]
            if let status = error.status { members.append(("status", number(status))) }
            members.append(("message", .string(error.message)))
            if let retryAfter = error.retryAfter { members.append(("retry_after", .number(retryAfter))) }
            return line(members)
        case .stop(let reason):
            var members: [(String, JSON)] = [("type", "stop"), ("reason", .string(reason.kind.rawValue))]
            if let raw = reason.raw { members.append(("raw", .string(raw))) }
            return line(members)
        }
    }

    static func roundStart(_ round: Int) -> String {
        line([("type", "round_start"), ("round", number(round))])
    }

    /// A round's end: why (`tool_use` when its calls were run), and its own usage when known.
    /// The reply's usage, with its cost when known.
    static func usage(_ usage: Usage, cost: Cost?) -> String {
        line([("type", "usage")] + usageMembers(usage, cost: cost))
    }

    static func roundEnd(_ round: Int, reason: StopReason?, usage: Usage?, cost: Cost? = nil) -> String {
        var members: [(String, JSON)] = [
            ("type", "round_end"), ("round", number(round)),
            ("reason", reason.map { .string($0.kind.rawValue) } ?? .null),
        ]
        if let usage {
            members.append(("usage", .object(JSONObject(usageMembers(usage, cost: cost)))))
        }
        return line(members)
    }

    /// A call run (or refused): what went back to the model.
    static func toolResult(_ result: ToolResult) -> String {
        var members: [(String, JSON)] = [
            ("type", "tool_result"), ("id", .string(result.callID)), ("name", .string(result.name)),
            ("ok", .bool(!result.isError)),
            (result.isError ? "error" : "content", .string(result.content)),
        ]
        if let duration = result.duration { members.append(("duration_ms", number(Int(duration.wholeMilliseconds)))) }
        return line(members)
    }

    /// The counts; cache reads and writes when there were some; the cost and who says so when it
    /// is known (absent, never 0, when it is not).
    private static func usageMembers(_ usage: Usage, cost: Cost?) -> [(String, JSON)] {
        var members: [(String, JSON)] = [
            ("input_tokens", number(usage.inputTokens)), ("output_tokens", number(usage.outputTokens)),
            ("reasoning_tokens", number(usage.reasoningTokens)), ("estimated", .bool(usage.estimated)),
        ]
        if usage.cachedTokens > 0 { members.append(("cached_input_tokens", number(usage.cachedTokens))) }
        if usage.cacheWriteTokens > 0 { members.append(("cache_write_tokens", number(usage.cacheWriteTokens))) }
        if let cost {
            members += [("cost_usd", .number(cost.dollars)), ("cost_source", .string(cost.source.rawValue))]
        }
        return members
    }

    static func metrics(_ metrics: SessionMetrics) -> String {
        line([
            ("type", "metrics"),
            ("ttft_ms", metrics.timeToFirstToken.map { number(Int($0.wholeMilliseconds)) } ?? .null),
            ("duration_ms", number(Int(metrics.duration.wholeMilliseconds))), ("chunks", number(metrics.chunks)),
            ("bytes", number(metrics.bytes)),
        ])
    }

    private static func number(_ value: Int) -> JSON { .number(Double(value)) }

    /// `line` (one of this type's) with the model it came from as its last member: compared replies
    /// stream at once, and their lines interleave.
    static func tagged(_ line: String, model: String) -> String {
        guard line.hasSuffix("}\n") else { return line }
        return line.dropLast(2) + "," + JSON.string("model").serialized() + ":" + JSON.string(model).serialized()
            + "}\n"
    }

    private static func line(_ members: [(String, JSON)]) -> String {
        "{" + members.map { JSON.string($0.0).serialized() + ":" + $0.1.serialized() }.joined(separator: ",") + "}\n"
    }
}

import GRDB
import ParleyCore

/// One row of `messages`: a message of a conversation, or (with `versionOf` set) an earlier
/// version of a regenerated reply. Texts are bound and read with every byte (`StoredText`).
struct MessageRecord: FetchableRecord, Equatable {
    var id: String
    var conversationID: String
    var versionOf: String?
    var position: Int64
    var role: String
    var status: String
    var text: String
    var thinking: String
    var redactedThinking: Int
    var toolCalls: String
    var createdAt: Int64
    var provider: String?
    var model: String?
    var inputTokens: Int?
    var outputTokens: Int?
    var reasoningTokens: Int?
    var cachedTokens: Int?
    var usageEstimated: Bool?
    var stopReason: String?
    var stopRaw: String?
    var errorKind: String?
    var errorMessage: String?
    var errorStatus: Int?
    var errorRetryAfter: Double?
    var ttftMilliseconds: Int64?
    var durationMilliseconds: Int64?
    var thinkingMilliseconds: Int64?
    var reasoning: String?

    init(row: Row) {
        id = row["id"]
        conversationID = row["conversation_id"]
        versionOf = row["version_of"]
        position = row["position"]
        role = row["role"]
        status = row["status"]
        text = row.text("text")
        thinking = row.text("thinking")
        redactedThinking = row["redacted_thinking"]
        toolCalls = row.text("tool_calls")
        createdAt = row["created_at"]
        provider = row.optionalText("provider")
        model = row.optionalText("model")
        inputTokens = row["input_tokens"]
        outputTokens = row["output_tokens"]
        reasoningTokens = row["reasoning_tokens"]
        cachedTokens = row["cached_tokens"]
        usageEstimated = row["usage_estimated"]
        stopReason = row["stop_reason"]
        stopRaw = row.optionalText("stop_raw")
        errorKind = row["error_kind"]
        errorMessage = row.optionalText("error_message")
        errorStatus = row["error_status"]
        errorRetryAfter = row["error_retry_after"]
        ttftMilliseconds = row["ttft_ms"]
        durationMilliseconds = row["duration_ms"]
        thinkingMilliseconds = row["thinking_ms"]
        reasoning = row["reasoning"]
    }

    /// The row for `message`; its position is decided by the store.
    init(_ message: Message, versionOf: MessageID?, position: Int64) {
        id = message.id.rawValue
        conversationID = message.conversationID.rawValue
        self.versionOf = versionOf?.rawValue
        self.position = position
        role = message.role.rawValue
        status = message.status.rawValue
        text = message.text
        thinking = message.thinking
        redactedThinking = message.redactedThinking
        toolCalls = Self.encode(message.toolCalls)
        createdAt = message.createdAt.millisecondsSince1970
        provider = message.provider
        model = message.model
        inputTokens = message.usage?.inputTokens
        outputTokens = message.usage?.outputTokens
        reasoningTokens = message.usage?.reasoningTokens
        cachedTokens = message.usage?.cachedTokens
        usageEstimated = message.usage?.estimated
        stopReason = message.stopReason?.kind.rawValue
        stopRaw = message.stopReason?.raw
        errorKind = message.error?.kind.rawValue
        errorMessage = message.error?.message
        errorStatus = message.error?.status
        errorRetryAfter = message.error?.retryAfter
        ttftMilliseconds = message.timeToFirstToken.map(\.wholeMilliseconds)
        durationMilliseconds = message.duration.map(\.wholeMilliseconds)
        thinkingMilliseconds = message.thinkingDuration.map(\.wholeMilliseconds)
        reasoning = message.reasoning.isExplicit ? message.reasoning.name : nil
    }

    /// Inserts the row or updates it in place (never delete-and-insert, which would cascade).
    func upsert(_ db: Database) throws {
        // Cached: checkpoints and the benchmark seed run this statement over and over.
        try db.cachedStatement(
            sql: """
                INSERT INTO messages (
                    id, conversation_id, version_of, position, role, status, text, thinking, redacted_thinking,
                    tool_calls, created_at, provider, model, input_tokens, output_tokens, reasoning_tokens,
                    cached_tokens, usage_estimated, stop_reason, stop_raw, error_kind, error_message, error_status,
                    error_retry_after, ttft_ms, duration_ms, thinking_ms, reasoning)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    conversation_id = excluded.conversation_id, version_of = excluded.version_of,
                    position = excluded.position, role = excluded.role, status = excluded.status, text = excluded.text,
                    thinking = excluded.thinking, redacted_thinking = excluded.redacted_thinking,
                    tool_calls = excluded.tool_calls, created_at = excluded.created_at,
                    provider = excluded.provider, model = excluded.model, input_tokens = excluded.input_tokens,
                    output_tokens = excluded.output_tokens, reasoning_tokens = excluded.reasoning_tokens,
                    cached_tokens = excluded.cached_tokens, usage_estimated = excluded.usage_estimated,
                    stop_reason = excluded.stop_reason, stop_raw = excluded.stop_raw,
                    error_kind = excluded.error_kind, error_message = excluded.error_message,
                    error_status = excluded.error_status, error_retry_after = excluded.error_retry_after,
                    ttft_ms = excluded.ttft_ms, duration_ms = excluded.duration_ms, thinking_ms = excluded.thinking_ms,
                    reasoning = excluded.reasoning
                """
        ).execute(arguments: [
            id, conversationID, versionOf, position, role, status, text.stored, thinking.stored, redactedThinking,
            toolCalls.stored, createdAt, provider.stored, model.stored, inputTokens, outputTokens, reasoningTokens,
            cachedTokens, usageEstimated, stopReason, stopRaw.stored, errorKind, errorMessage.stored, errorStatus,
            errorRetryAfter, ttftMilliseconds, durationMilliseconds, thinkingMilliseconds, reasoning,
        ])
    }

    /// The domain message, or nil when a column holds a value no Parley writes.
    func message(previousVersions: [Message]) -> Message? {
        guard let role = ChatMessage.Role(rawValue: role), let status = Message.Status(rawValue: status),
            let toolCalls = Self.decodeToolCalls(toolCalls)
        else { return nil }
        var usage: Usage?
        if let inputTokens, let outputTokens, let reasoningTokens, let cachedTokens, let usageEstimated {
            usage = Usage(
                inputTokens: inputTokens, outputTokens: outputTokens, reasoningTokens: reasoningTokens,
                cachedTokens: cachedTokens, estimated: usageEstimated)
        }
        var stop: StopReason?
        if let stopReason {
            guard let kind = StopReason.Kind(rawValue: stopReason) else { return nil }
            stop = StopReason(kind, raw: stopRaw)
        }
        var error: ProviderError?
        if let errorKind {
            guard let kind = ProviderError.Kind(rawValue: errorKind) else { return nil }
            error = ProviderError(kind, errorMessage ?? "", status: errorStatus, retryAfter: errorRetryAfter)
        }
        return Message(
            id: MessageID(id), conversationID: ConversationID(conversationID), role: role, status: status,
            text: text, thinking: thinking, redactedThinking: redactedThinking, toolCalls: toolCalls,
            createdAt: Timestamp(millisecondsSince1970: createdAt), provider: provider, model: model,
            reasoning: reasoning.flatMap(Reasoning.init(parsing:)) ?? .standard, usage: usage,
            stopReason: stop, error: error, timeToFirstToken: ttftMilliseconds.map { .milliseconds($0) },
            duration: durationMilliseconds.map { .milliseconds($0) },
            thinkingDuration: thinkingMilliseconds.map { .milliseconds($0) }, previousVersions: previousVersions)
    }

    private static func encode(_ toolCalls: [ToolCall]) -> String {
        JSON.array(
            toolCalls.map {
                .object(["id": .string($0.id), "name": .string($0.name), "arguments": .string($0.arguments)])
            }
        ).serialized()
    }

    private static func decodeToolCalls(_ text: String) -> [ToolCall]? {
        guard let calls = (try? JSON.parse(text))?.array else { return nil }
        var result: [ToolCall] = []
        for call in calls {
            guard let id = call["id"]?.string, let name = call["name"]?.string,
                let arguments = call["arguments"]?.string
            else { return nil }
            result.append(ToolCall(id: id, name: name, arguments: arguments))
        }
        return result
    }
}

import GRDB
import ParleyCore

/// One row of `messages`: a message of a conversation, on whichever branch. A Codable record; texts are bound and read with every byte
/// (`StoredText`).
struct MessageRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "messages"

    /// The table's primary key (the search index points at it): nil for a message not yet
    /// written, which the insert numbers; a saved one is updated by it.
    var rowID: Int64?
    var id: String
    var conversationID: String
    var parentID: String?
    var chosenAt: Int64?
    var position: Int64
    var role: String
    var status: String
    var text: StoredText
    var thinking: StoredText
    var redactedThinking: Int
    var toolCalls: StoredText
    var toolResults: StoredText?
    var createdAt: Int64
    var provider: StoredText?
    var model: StoredText?
    var inputTokens: Int?
    var outputTokens: Int?
    var reasoningTokens: Int?
    var cachedTokens: Int?
    var cacheWriteTokens: Int?
    var statedCost: Double?
    var usageEstimated: Bool?
    var stopReason: String?
    var stopRaw: StoredText?
    var errorKind: String?
    var errorMessage: StoredText?
    var errorStatus: Int?
    var errorRetryAfter: Double?
    var ttftMilliseconds: Int64?
    var durationMilliseconds: Int64?
    var thinkingMilliseconds: Int64?
    var reasoning: String?
    var compaction: String?

    /// The columns, as the schema (`StoreSchema`) names them.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, position, role, status, text, thinking, provider, model, reasoning, compaction
        case rowID = "row_id"
        case conversationID = "conversation_id", parentID = "parent_id", chosenAt = "chosen_at"
        case redactedThinking = "redacted_thinking"
        case toolCalls = "tool_calls", toolResults = "tool_results", createdAt = "created_at", inputTokens =
            "input_tokens"
        case outputTokens = "output_tokens", reasoningTokens = "reasoning_tokens", cachedTokens = "cached_tokens"
        case cacheWriteTokens = "cache_write_tokens", statedCost = "stated_cost"
        case usageEstimated = "usage_estimated", stopReason = "stop_reason", stopRaw = "stop_raw"
        case errorKind = "error_kind", errorMessage = "error_message", errorStatus = "error_status"
        case errorRetryAfter = "error_retry_after", ttftMilliseconds = "ttft_ms", durationMilliseconds = "duration_ms"
        case thinkingMilliseconds = "thinking_ms"
    }

    /// What is read of a saved message before it is updated: its row, its place, and the columns
    /// an index covers that a save could change.
    static let savedIndexedColumns = "row_id, position, conversation_id, parent_id, status"

    /// The columns an update of the saved row (`saved`, its `savedIndexedColumns`) writes: all but
    /// the indexed ones that hold their values already. SQLite rewrites an index's entry for each of
    /// its columns an UPDATE names, changed or not: a 2,000-token reply's checkpoints wrote 9 to 11
    /// pages each, its indexes' and the conversation's among them; now 6 the first (its status
    /// becomes `streaming`), then 3 to 5, its row and its text. A column an index may gain later
    /// and this list lacks is written every time, as before: slower, never wrong.
    func columnsToUpdate(over saved: Row) -> [String] {
        var kept: Set<CodingKeys> = [.rowID, .id, .position]  // found by its id, the row keeps its place
        if saved[CodingKeys.conversationID.rawValue] == conversationID { kept.insert(.conversationID) }
        if saved[CodingKeys.parentID.rawValue] == parentID { kept.insert(.parentID) }
        if saved[CodingKeys.status.rawValue] == status { kept.insert(.status) }
        return CodingKeys.allCases.filter { !kept.contains($0) }.map(\.rawValue)
    }

    /// The row for `message`; where it stands (its row and position) is decided by the store.
    init(_ message: Message, rowID: Int64?, position: Int64) {
        self.rowID = rowID
        id = message.id.rawValue
        conversationID = message.conversationID.rawValue
        parentID = message.parentID?.rawValue
        chosenAt = message.chosenAt?.millisecondsSince1970
        self.position = position
        role = message.role.rawValue
        status = message.status.rawValue
        text = StoredText(message.text)
        thinking = StoredText(message.thinking)
        redactedThinking = message.redactedThinking
        toolCalls = StoredText(Self.encode(message.toolCalls))
        toolResults = message.toolResults.isEmpty ? nil : StoredText(Self.encode(message.toolResults))
        createdAt = message.createdAt.millisecondsSince1970
        provider = message.provider.stored
        model = message.model.stored
        inputTokens = message.usage?.inputTokens
        outputTokens = message.usage?.outputTokens
        reasoningTokens = message.usage?.reasoningTokens
        cachedTokens = message.usage?.cachedTokens
        cacheWriteTokens = message.usage.map(\.cacheWriteTokens).flatMap { $0 > 0 ? $0 : nil }
        statedCost = message.usage?.statedCost
        usageEstimated = message.usage?.estimated
        stopReason = message.stopReason?.kind.rawValue
        stopRaw = message.stopReason?.raw.stored
        errorKind = message.error?.kind.rawValue
        errorMessage = message.error?.message.stored
        errorStatus = message.error?.status
        errorRetryAfter = message.error?.retryAfter
        ttftMilliseconds = message.timeToFirstToken.map(\.wholeMilliseconds)
        durationMilliseconds = message.duration.map(\.wholeMilliseconds)
        thinkingMilliseconds = message.thinkingDuration.map(\.wholeMilliseconds)
        reasoning = message.reasoning.isExplicit ? message.reasoning.name : nil
        compaction = message.compaction?.rawValue
    }

    /// The domain message, or nil when a column holds a value no Parley writes.
    func message() -> Message? {
        guard let role = ChatMessage.Role(rawValue: role), let status = Message.Status(rawValue: status),
            let toolCalls = Self.decodeToolCalls(toolCalls.string),
            let toolResults = toolResults.map({ Self.decodeToolResults($0.string) }) ?? []
        else { return nil }
        let part = compaction.map(Compaction.init(rawValue:))
        if case .some(nil) = part { return nil }
        var usage: Usage?
        if let inputTokens, let outputTokens, let reasoningTokens, let cachedTokens, let usageEstimated {
            usage = Usage(
                inputTokens: inputTokens, outputTokens: outputTokens, reasoningTokens: reasoningTokens,
                cachedTokens: cachedTokens, cacheWriteTokens: cacheWriteTokens ?? 0, statedCost: statedCost,
                estimated: usageEstimated)
        }
        var stop: StopReason?
        if let stopReason {
            guard let kind = StopReason.Kind(rawValue: stopReason) else { return nil }
            stop = StopReason(kind, raw: stopRaw?.string)
        }
        var error: ProviderError?
        if let errorKind {
            guard let kind = ProviderError.Kind(rawValue: errorKind) else { return nil }
            error = ProviderError(kind, errorMessage?.string ?? "", status: errorStatus, retryAfter: errorRetryAfter)
        }
        return Message(
            id: MessageID(id), conversationID: ConversationID(conversationID), role: role, status: status,
            text: text.string, thinking: thinking.string, redactedThinking: redactedThinking, toolCalls: toolCalls,
            toolResults: toolResults, createdAt: Timestamp(millisecondsSince1970: createdAt),
            provider: provider?.string, model: model?.string,
            reasoning: reasoning.flatMap(Reasoning.init(parsing:)) ?? .standard, usage: usage,
            stopReason: stop, error: error, timeToFirstToken: ttftMilliseconds.map { .milliseconds($0) },
            duration: durationMilliseconds.map { .milliseconds($0) },
            thinkingDuration: thinkingMilliseconds.map { .milliseconds($0) }, parentID: parentID.map(MessageID.init),
            chosenAt: chosenAt.map(Timestamp.init(millisecondsSince1970:)), compaction: part ?? nil)
    }

    private static func encode(_ toolCalls: [ToolCall]) -> String {
        JSON.array(
            toolCalls.map { call in
                var fields: JSONObject = [
                    "id": .string(call.id), "name": .string(call.name), "arguments": .string(call.arguments),
                ]
                if let signature = call.signature { fields["signature"] = .string(signature) }
                return .object(fields)
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
            result.append(ToolCall(id: id, name: name, arguments: arguments, signature: call["signature"]?.string))
        }
        return result
    }

    private static func encode(_ toolResults: [ToolResult]) -> String {
        JSON.array(
            toolResults.map {
                var result: JSONObject = [
                    "call_id": .string($0.callID), "name": .string($0.name), "content": .string($0.content),
                    "is_error": .bool($0.isError),
                ]
                if let duration = $0.duration { result["duration_ms"] = .number(Double(duration.wholeMilliseconds)) }
                return JSON.object(result)
            }
        ).serialized()
    }

    private static func decodeToolResults(_ text: String) -> [ToolResult]? {
        guard let results = (try? JSON.parse(text))?.array else { return nil }
        var decoded: [ToolResult] = []
        for result in results {
            guard let callID = result["call_id"]?.string, let name = result["name"]?.string,
                let content = result["content"]?.string, let isError = result["is_error"]?.bool
            else { return nil }
            let duration = result["duration_ms"]?.int.map { Duration.milliseconds($0) }
            decoded.append(
                ToolResult(callID: callID, name: name, content: content, isError: isError, duration: duration))
        }
        return decoded
    }
}

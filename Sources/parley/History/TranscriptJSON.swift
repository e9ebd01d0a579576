import Foundation
import ParleyCore
import ParleyStore

/// `parley export --format json`: the conversation with every field of every message, for
/// scripts. Keys are never part of a conversation, so none can appear here. Attachments are
/// named, typed, sized and hashed; their bytes (base64 `data`) only `withFiles`. `messages` is the
/// current path; `tree` (only `withTree`) is every message on every branch, each naming its parent.
enum TranscriptJSON {
    static func make(
        _ transcript: Transcript, withFiles: Bool, withTree: Bool = false, pricing: PricingRules = .presets(.bundled)
    ) -> JSON {
        let conversation = transcript.conversation
        let pricing = pricing.pricing(provider: conversation.provider, baseURL: conversation.baseURL)
        var object: JSONObject = [
            "id": .string(conversation.id.rawValue),
            "title": .string(conversation.title),
            "provider": .string(conversation.provider),
            "model": .string(conversation.model),
            "system_prompt": conversation.systemPrompt.map(JSON.string) ?? .null,
            "base_url": conversation.baseURL.map(JSON.string) ?? .null,
            "created_at_ms": number(conversation.createdAt.millisecondsSince1970),
            "updated_at_ms": number(conversation.updatedAt.millisecondsSince1970),
            "messages": .array(transcript.path.map { message($0, withFiles: withFiles, pricing: pricing) }),
        ]
        if withTree {
            object["tree"] = .array(transcript.messages.map { message($0, withFiles: withFiles, pricing: pricing) })
        }
        return .object(object)
    }

    /// A message; a reply's usage with its cache figures and, when known, its cost and who says so.
    static func message(_ message: Message, withFiles: Bool, pricing: Pricing) -> JSON {
        var object: JSONObject = [
            "id": .string(message.id.rawValue),
            "role": .string(message.role.rawValue),
            "status": .string(message.status.rawValue),
            "compaction": message.compaction.map { .string($0.rawValue) } ?? .null,
            "text": .string(message.text),
            "thinking": .string(message.thinking),
            "redacted_thinking": number(Int64(message.redactedThinking)),
            "tool_calls": .array(
                message.toolCalls.map {
                    ["id": .string($0.id), "name": .string($0.name), "arguments": .string($0.arguments)]
                }),
            "tool_results": .array(
                message.toolResults.map {
                    [
                        "call_id": .string($0.callID), "name": .string($0.name), "content": .string($0.content),
                        "is_error": .bool($0.isError),
                        "duration_ms": $0.duration.map { number($0.wholeMilliseconds) } ?? .null,
                    ]
                }),
            "created_at_ms": number(message.createdAt.millisecondsSince1970),
            "provider": message.provider.map(JSON.string) ?? .null,
            "model": message.model.map(JSON.string) ?? .null,
            "ttft_ms": message.timeToFirstToken.map { number($0.wholeMilliseconds) } ?? .null,
            "duration_ms": message.duration.map { number($0.wholeMilliseconds) } ?? .null,
            "attachments": .array(message.attachments.map { attachment($0, withFiles: withFiles) }),
            "parent_id": message.parentID.map { .string($0.rawValue) } ?? .null,
        ]
        if let usage = message.usage {
            var counts: JSONObject = [
                "input_tokens": number(Int64(usage.inputTokens)), "output_tokens": number(Int64(usage.outputTokens)),
                "reasoning_tokens": number(Int64(usage.reasoningTokens)),
                "cached_tokens": number(Int64(usage.cachedTokens)),
                "cache_write_tokens": number(Int64(usage.cacheWriteTokens)), "estimated": .bool(usage.estimated),
            ]
            if let provider = message.provider, let model = message.model,
                let cost = pricing.cost(of: usage, provider: provider, model: model)
            {
                counts["cost_usd"] = .number(cost.dollars)
                counts["cost_source"] = .string(cost.source.rawValue)
            }
            object["usage"] = .object(counts)
        }
        if let stop = message.stopReason {
            object["stop"] = ["reason": .string(stop.kind.rawValue), "raw": stop.raw.map(JSON.string) ?? .null]
        }
        if let error = message.error {
            object["error"] = [
                "kind": .string(error.kind.rawValue), "message": .string(error.message),
                "status": error.status.map { number(Int64($0)) } ?? .null,
            ]
        }
        return .object(object)
    }

    private static func attachment(_ attachment: Attachment, withFiles: Bool) -> JSON {
        var object: JSONObject = [
            "name": .string(attachment.name), "type": .string(attachment.kind.mediaType),
            "bytes": number(Int64(attachment.size)), "sha256": .string(attachment.sha256),
        ]
        if withFiles { object["data"] = .string(Data(attachment.bytes).base64EncodedString()) }
        return .object(object)
    }

    private static func number(_ value: Int64) -> JSON { .number(Double(value)) }

}

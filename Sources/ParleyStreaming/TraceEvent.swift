import ParleyCore

/// What `PARLEY_TRACE` records about sessions: sizes and times only, never message text or
/// keys. Times are since the service started, on its clock.
public enum TraceEvent: Equatable, Sendable {
    case sessionStarted(SessionID, conversation: ConversationID, time: Duration)
    /// A batch went to the consumer: `deltas` stream events merged into it, `bytes` of text and thinking.
    case batchDelivered(SessionID, time: Duration, deltas: Int, bytes: Int)
    case sessionEnded(SessionID, time: Duration, end: SessionEnd)
    /// The full-screen app drew a frame: how long laying it out and drawing took, cells written.
    case frameDrawn(time: Duration, duration: Duration, cells: Int)

    /// One JSON object for a JSON-lines trace.
    public var json: JSON {
        switch self {
        case .sessionStarted(let session, let conversation, let time):
            return [
                "type": "session_start", "time_ms": .number(time.fractionalSeconds * 1000),
                "session": .string(session.rawValue),
                "conversation": .string(conversation.rawValue),
            ]
        case .batchDelivered(let session, let time, let deltas, let bytes):
            return [
                "type": "batch", "time_ms": .number(time.fractionalSeconds * 1000),
                "session": .string(session.rawValue),
                "deltas": .number(Double(deltas)), "bytes": .number(Double(bytes)),
            ]
        case .sessionEnded(let session, let time, let end):
            var members: JSONObject = [
                "type": "session_end", "time_ms": .number(time.fractionalSeconds * 1000),
                "session": .string(session.rawValue),
            ]
            members.merge(end.traceMembers) { _, new in new }
            return .object(members)
        case .frameDrawn(let time, let duration, let cells):
            return [
                "type": "frame", "time_ms": .number(time.fractionalSeconds * 1000),
                "duration_ms": .number(duration.fractionalSeconds * 1000), "cells": .number(Double(cells)),
            ]
        }
    }
}

extension SessionEnd {
    /// How it ended and its metrics. An error is named by its kind and status, not its message,
    /// which may quote what was sent.
    fileprivate var traceMembers: JSONObject {
        var members: JSONObject = [:]
        switch outcome {
        case .finished: members["outcome"] = "finished"
        case .cancelled: members["outcome"] = "cancelled"
        case .failed(let error):
            members["outcome"] = "failed"
            members["error"] = .string(error.kind.rawValue)
            members["status"] = error.status.map { .number(Double($0)) } ?? .null
        case .timedOut:
            members["outcome"] = "timed_out"
        }
        let metrics = self.metrics
        func milliseconds(_ duration: Duration?) -> JSON {
            duration.map { .number($0.fractionalSeconds * 1000) } ?? .null
        }
        members["duration_ms"] = milliseconds(metrics.duration)
        members["ttft_ms"] = milliseconds(metrics.timeToFirstToken)
        members["max_gap_ms"] = milliseconds(metrics.maxGap)
        members["p95_gap_ms"] = milliseconds(metrics.p95Gap)
        members["bytes"] = .number(Double(metrics.bytes))
        members["chunks"] = .number(Double(metrics.chunks))
        members["events"] = .number(Double(metrics.events))
        members["text_bytes"] = .number(Double(metrics.textBytes))
        members["attempts"] = .number(Double(metrics.attempts))
        members["tokens_per_second"] = metrics.tokensPerSecond.map { .number($0) } ?? .null
        if let usage = metrics.usage {
            members["input_tokens"] = .number(Double(usage.inputTokens))
            members["output_tokens"] = .number(Double(usage.outputTokens))
            members["usage_estimated"] = .bool(usage.estimated)
        }
        return members
    }
}

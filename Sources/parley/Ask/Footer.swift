import ParleyCore
import ParleyStreaming

/// `[gpt-4o · openai | in 12 (8 cached) / out 40 tok | $0.0004 | TTFT 310 ms | 52 tok/s | saved 7kq2m9xa4d]`,
/// with `~` on estimated counts; the cost only when it is known.
enum Footer {
    static func make(
        model: String, provider: String, usage: Usage?, cost: Cost? = nil, metrics: SessionMetrics,
        savedAs: ConversationID? = nil
    ) -> String {
        var parts = ["\(model) · \(provider)"]
        if let usage {
            let mark = usage.estimated ? "~" : ""
            let cached = usage.cachedTokens > 0 ? " (\(usage.cachedTokens) cached)" : ""
            parts.append("in \(mark)\(usage.inputTokens)\(cached) / out \(mark)\(usage.outputTokens) tok")
        }
        if let cost { parts.append(cost.text) }
        if let ttft = metrics.timeToFirstToken {
            parts.append("TTFT \(ttft.wholeMilliseconds) ms")
            if let usage, let speed = Usage.tokensPerSecond(usage.outputTokens, generating: metrics.duration - ttft) {
                parts.append("\(Int(speed.rounded())) tok/s")
            }
        }
        if let savedAs { parts.append("saved \(savedAs)") }
        return "[" + parts.joined(separator: " | ") + "]"
    }
}

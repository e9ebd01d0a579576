import ParleyCore

/// Numbers (and model names) as the screen writes them.
public enum Figures {
    /// A model name short enough for a header: a router's or a server's path is left out
    /// ("accounts/fireworks/models/llama-v3p1-405b-instruct" → "llama-v3p1-405b-instruct"), and
    /// what is still too long ends in "…".
    static func modelName(_ model: String) -> String {
        let name = model.split(separator: "/").last.map(String.init) ?? model
        return name.count <= 32 ? name : String(name.prefix(31)) + "…"
    }

    static func usage(_ usage: Usage) -> String {
        let mark = usage.estimated ? "~" : ""
        return "in \(mark)\(grouped(usage.inputTokens)) / out \(mark)\(grouped(usage.outputTokens)) tok"
    }

    static func thinkingTokens(_ message: Message) -> String {
        if let reasoning = message.usage?.reasoningTokens, reasoning > 0 { return "\(grouped(reasoning)) tokens" }
        return "~\(grouped(Usage.estimatedTokens(in: message.thinking))) tokens"
    }

    /// "0.8 s", "12 s", "3 min 5 s".
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = max(0, duration.wholeMilliseconds)
        if milliseconds < 10_000 {
            return "\(milliseconds / 1000).\(milliseconds % 1000 / 100) s"
        }
        let seconds = milliseconds / 1000
        return seconds < 60 ? "\(seconds) s" : "\(seconds / 60) min \(seconds % 60) s"
    }

    static func milliseconds(_ duration: Duration) -> String { "\(grouped(Int(duration.wholeMilliseconds))) ms" }

    /// 1204 → "1,204".
    public static func grouped(_ number: Int) -> String {
        let digits = String(abs(number))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return number < 0 ? "-" + result : result
    }
}

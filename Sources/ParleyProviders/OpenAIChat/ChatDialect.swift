import ParleyCore

/// OpenAI-compatible services answer in one shape but take reasoning settings in fields of their
/// own; everything else about a Chat Completions request is the same.
public enum ChatDialect: String, Equatable, Sendable, CaseIterable {
    /// OpenAI's `reasoning_effort`, which compatible servers (vLLM, LM Studio, llama.cpp, Mistral)
    /// take too or ignore.
    case openAI = "openai"
    /// `reasoning: {effort | max_tokens}`; its thoughts come by default.
    case openRouter = "openrouter"
    /// `reasoning_effort` of low or high (grok-3-mini; later Groks refuse it).
    case xAI = "xai"
    /// `reasoning_effort`: none for Qwen 3, low to high for gpt-oss.
    case groq
    /// `thinking: {type}` and `reasoning_effort` of low or high.
    case deepSeek = "deepseek"

    /// The request fields for `reasoning`. The default (`.standard`) asks for nothing: these
    /// services send the thoughts of a reasoning model unasked (OpenRouter's `reasoning`, xAI's and
    /// DeepSeek's `reasoning_content`, Groq's `<think>` tags), and OpenAI's Chat API sends none at all.
    func reasoningFields(_ reasoning: Reasoning) -> JSONObject {
        switch (self, reasoning) {
        case (_, .standard): [:]
        case (.openAI, .off), (.xAI, .off): [:]
        case (.openAI, _): reasoning.effort.map { ["reasoning_effort": .string($0.rawValue)] } ?? [:]
        case (.openRouter, .off): ["reasoning": ["effort": "none"]]
        case (.openRouter, .budget(let tokens)): ["reasoning": ["max_tokens": .number(Double(tokens))]]
        case (.openRouter, _): reasoning.effort.map { ["reasoning": ["effort": .string($0.rawValue)]] } ?? [:]
        case (.xAI, _): ["reasoning_effort": reasoning.effort == .low ? "low" : "high"]
        case (.groq, .off): ["reasoning_effort": "none"]
        case (.groq, _): reasoning.effort.map { ["reasoning_effort": .string($0.rawValue)] } ?? [:]
        case (.deepSeek, .off): ["thinking": ["type": "disabled"]]
        case (.deepSeek, _):
            ["thinking": ["type": "enabled"], "reasoning_effort": reasoning.effort == .low ? "low" : "high"]
        }
    }

    /// Whether a reply's reasoning goes back with the tool calls it led to, as `reasoning_content`:
    /// DeepSeek's thinking mode refuses (HTTP 400) any later request where a reply that called
    /// tools comes without it. Other services are not sent a field they may refuse.
    var sendsReasoningWithToolCalls: Bool { self == .deepSeek }
}

import ParleyCore
import ParleyProviders

extension Conformance {
    /// Only the native NDJSON stream: `ollama/llama3.1-v1-openai-compat-tool-call.sse` is Ollama's
    /// OpenAI-compatible endpoint and is stated with the OpenAI Chat expectations.
    static let ollamaExpectations: [FixtureExpectation] = [
        FixtureExpectation(
            file: "ollama/llama3.1-api-chat-text.ndjson",
            format: .ollama,
            model: "llama3.1",
            text: .exact("Hello! How are you today? Is there something I can help you with or would you like to chat?"),
            usage: Usage(inputTokens: 13, outputTokens: 23),
            stop: StopReason(.endTurn, raw: "stop"))
    ]
}

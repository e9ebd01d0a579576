/// The shapes of streamed reply a provider can speak.
public enum WireFormat: String, Sendable, CaseIterable {
    /// OpenAI Chat Completions and every compatible server (OpenRouter, Groq, xAI, DeepSeek,
    /// Mistral, LM Studio, llama.cpp, vLLM, Ollama's /v1).
    case openAIChat = "openai"
    case openAIResponses = "openai-responses"
    case anthropic
    case gemini
    /// Ollama's native /api/chat: NDJSON.
    case ollama
}

import ParleyCore
import Testing

/// How full a conversation's context is: what its last reply took, against the model's window
/// when Parley knows it; unknown windows stay unknown.
@Suite("Context windows and how full they are")
struct ContextWindowTests {
    @Test("well-known models by name, dated snapshot or router prefix; local and unknown models have none")
    func windows() {
        #expect(ContextWindow.listed(for: "gpt-4o-2024-08-06") == ContextWindow(tokens: 128_000, source: .table))
        #expect(ContextWindow.listed(for: "openai/gpt-4.1")?.tokens == 1_047_576)
        #expect(ContextWindow.listed(for: "claude-sonnet-4-5-20250929")?.tokens == 200_000)
        #expect(ContextWindow.listed(for: "gemini-2.5-pro")?.tokens == 1_048_576)
        #expect(ContextWindow.listed(for: "llama3.2") == nil)
        #expect(ContextWindow.listed(for: "gpt-4o-audio-preview") == nil)
    }

    private static let gpt4o = ContextWindow.listed(for: "gpt-4o")

    @Test("the fill in short figures; nearly full from nine tenths on; estimated counts marked")
    func fill() {
        let fill = ContextWindow.Fill(after: Usage(inputTokens: 12_000, outputTokens: 400), window: Self.gpt4o)
        #expect(fill.text == "ctx 12.4k/128k")
        #expect(!fill.isNearlyFull)
        let full = ContextWindow.Fill(after: Usage(inputTokens: 115_000, outputTokens: 200), window: Self.gpt4o)
        #expect(full.isNearlyFull)
        #expect(full.text == "ctx 115k/128k")
        let local = ContextWindow.Fill(after: Usage(inputTokens: 900, outputTokens: 50, estimated: true), window: nil)
        #expect(local.text == "ctx ~950")
        #expect(!local.isNearlyFull)
        #expect(
            ContextWindow.Fill(
                after: Usage(inputTokens: 1_000_000, outputTokens: 0), window: ContextWindow.listed(for: "gpt-4.1")
            ).text == "ctx 1.0M/1.0M")
        #expect(ContextWindow.Fill(after: Usage(inputTokens: 5_000, outputTokens: 0), window: nil).text == "ctx 5k")
    }

    @Test(
        "a prompt is estimated from its text: the system prompt and every message, a newline between, 4 bytes a token")
    func estimatedPrompt() {
        let chat = ChatRequest(
            model: "m", messages: [ChatMessage(.user, "hello"), ChatMessage(.assistant, "日本")], system: "abcd")
        // 4 + 5 + 6 bytes and two newlines: 17 bytes, 5 tokens rounded up.
        #expect(chat.estimatedInputTokens == 5)
        #expect(ChatRequest(model: "m", messages: []).estimatedInputTokens == 0)
        #expect(ChatRequest(model: "m", messages: [ChatMessage(.user, "abcdefgh")]).estimatedInputTokens == 2)
    }

    @Test("a message that would not fit is told with what the provider does then; unknown windows warn of nothing")
    func warnings() {
        let counted = ContextWindow.Fill(after: Usage(inputTokens: 120_000, outputTokens: 1_000), window: Self.gpt4o)
        #expect(counted.warning("OpenAI") == nil)
        let more = counted.adding(9_000)
        #expect(more.overflows)
        #expect(
            more.warning("OpenAI")
                == "This message may not fit: ~130k tokens with the conversation, and the model's window is 128k; OpenAI will refuse it."
        )
        let ollama = ContextWindow.Fill(
            used: 40_000, window: ContextWindow(tokens: 32_768, source: .provider, overflow: .truncated),
            estimated: true)
        #expect(
            ollama.warning("Ollama")
                == "This message may not fit: ~40k tokens with the conversation, and the model's window is 32.8k; "
                + "Ollama will drop the start of the conversation without saying so.")
        #expect(ContextWindow.Fill(used: 10_000_000, window: nil, estimated: true).warning("Ollama") == nil)
    }

    @Test(
        "the context asked of a server that sizes it per request: room for the prompt and reply, in few sizes, capped")
    func requested() {
        #expect(ContextWindow.requested(promptTokens: 100, replyTokens: nil, most: nil) == 8_192)
        // 10,000 estimated and a quarter more, with 2,048 for the reply: 14,548 → 16,384.
        #expect(ContextWindow.requested(promptTokens: 10_000, replyTokens: nil, most: nil) == 16_384)
        #expect(ContextWindow.requested(promptTokens: 10_000, replyTokens: 8_000, most: nil) == 32_768)
        #expect(ContextWindow.requested(promptTokens: 100_000, replyTokens: nil, most: 32_768) == 32_768)
        #expect(ContextWindow.requested(promptTokens: 100, replyTokens: nil, most: 4_096) == 4_096)
    }
}

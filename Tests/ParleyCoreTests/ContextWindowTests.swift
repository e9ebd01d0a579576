import ParleyCore
import Testing

/// How full a conversation's context is: what its last reply took, against the model's window
/// when Parley knows it; unknown windows stay unknown.
@Suite("Context windows and how full they are")
struct ContextWindowTests {
    @Test("well-known models by name, dated snapshot or router prefix; local and unknown models have none")
    func windows() {
        #expect(ContextWindow.tokens(for: "gpt-4o-2024-08-06") == 128_000)
        #expect(ContextWindow.tokens(for: "openai/gpt-4.1") == 1_047_576)
        #expect(ContextWindow.tokens(for: "claude-sonnet-4-5-20250929") == 200_000)
        #expect(ContextWindow.tokens(for: "gemini-2.5-pro") == 1_048_576)
        #expect(ContextWindow.tokens(for: "llama3.2") == nil)
        #expect(ContextWindow.tokens(for: "gpt-4o-audio-preview") == nil)
    }

    @Test("the fill in short figures; nearly full from nine tenths on; estimated counts marked")
    func fill() {
        let gpt4o = ContextWindow.fill(after: Usage(inputTokens: 12_000, outputTokens: 400), model: "gpt-4o")
        #expect(gpt4o.text == "ctx 12.4k/128k")
        #expect(!gpt4o.isNearlyFull)
        let full = ContextWindow.fill(after: Usage(inputTokens: 115_000, outputTokens: 200), model: "gpt-4o")
        #expect(full.isNearlyFull)
        #expect(full.text == "ctx 115k/128k")
        let local = ContextWindow.fill(
            after: Usage(inputTokens: 900, outputTokens: 50, estimated: true), model: "llama3.2")
        #expect(local.text == "ctx ~950")
        #expect(!local.isNearlyFull)
        #expect(
            ContextWindow.fill(after: Usage(inputTokens: 1_000_000, outputTokens: 0), model: "gpt-4.1").text
                == "ctx 1.0M/1.0M")
        #expect(ContextWindow.fill(after: Usage(inputTokens: 5_000, outputTokens: 0), model: "x").text == "ctx 5k")
    }
}

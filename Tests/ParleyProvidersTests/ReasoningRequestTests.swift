import ParleyCore
import ParleyProviders
import Testing

/// Each API is asked for reasoning in its own documented fields; by default only for what costs
/// nothing extra. The shapes are those of each API's reference (see the comments on each adapter).
@Suite("--reasoning: each API is asked in its own fields")
struct ReasoningRequestTests {
    func body(
        _ format: WireFormat, model: String, _ reasoning: Reasoning, dialect: ChatDialect = .openAI,
        maxTokens: Int? = nil, temperature: Double? = nil
    ) throws -> JSON {
        let chat = ChatRequest(
            model: model, messages: [ChatMessage(.user, "Why is the sky blue?")], maxTokens: maxTokens,
            temperature: temperature, reasoning: reasoning)
        let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1", apiKey: "k", dialect: dialect)
        return try JSON.parse(format.request(for: chat, endpoint: endpoint).body)
    }

    @Test("reading the setting: words, budgets and what is refused")
    func parsing() {
        #expect(Reasoning(parsing: "auto") == .standard)
        #expect(Reasoning(parsing: " OFF ") == .off)
        #expect(Reasoning(parsing: "none") == .off)
        #expect(Reasoning(parsing: "High") == .effort(.high))
        #expect(Reasoning(parsing: "8000") == .budget(8000))
        #expect(Reasoning(parsing: "16k") == .budget(16000))
        for wrong in ["", "max", "-5", "0", "1000", "k", "99999999999999999k", "8 000"] {
            #expect(Reasoning(parsing: wrong) == nil, "\(wrong)")
        }
        for setting in [Reasoning.standard, .off, .effort(.low), .effort(.medium), .effort(.high), .budget(4096)] {
            #expect(Reasoning(parsing: setting.name) == setting)
        }
        #expect(Reasoning.budget(2000).effort == .low)
        #expect(Reasoning.budget(8000).effort == .medium)
        #expect(Reasoning.budget(20000).effort == .high)
        #expect(Reasoning.effort(.high).budget == 24576)
    }

    @Test("Anthropic: extended thinking only when asked, its budget added to max_tokens, no temperature")
    func anthropic() throws {
        let standard = try body(.anthropic, model: "claude-sonnet-4-5", .standard, temperature: 0.2)
        #expect(standard["thinking"] == nil)
        #expect(standard["max_tokens"] == 8192)
        #expect(standard["temperature"] == 0.2)
        #expect(try body(.anthropic, model: "claude-sonnet-4-5", .off)["thinking"] == nil)

        let high = try body(.anthropic, model: "claude-sonnet-4-5", .effort(.high), temperature: 0.2)
        #expect(high["thinking"] == ["type": "enabled", "budget_tokens": 24576])
        #expect(high["max_tokens"] == .number(Double(8192 + 24576)))
        #expect(high["temperature"] == nil, "the API refuses any temperature but 1 with thinking")

        let budget = try body(.anthropic, model: "claude-sonnet-4-5", .budget(5000), maxTokens: 1000)
        #expect(budget["thinking"] == ["type": "enabled", "budget_tokens": 5000])
        #expect(budget["max_tokens"] == 6000, "above the budget, with the asked-for room for the answer")
    }

    @Test("OpenAI Chat: reasoning_effort when asked, nothing by default (the Chat API sends no reasoning)")
    func openAIChat() throws {
        #expect(try body(.openAIChat, model: "o3", .standard)["reasoning_effort"] == nil)
        #expect(try body(.openAIChat, model: "o3", .off)["reasoning_effort"] == nil)
        #expect(try body(.openAIChat, model: "o3", .effort(.low))["reasoning_effort"] == "low")
        #expect(try body(.openAIChat, model: "gpt-5", .budget(10000))["reasoning_effort"] == "medium")
    }

    @Test("OpenRouter: reasoning.effort or reasoning.max_tokens; its thoughts come by default")
    func openRouter() throws {
        let model = "anthropic/claude-sonnet-4.5"
        #expect(try body(.openAIChat, model: model, .standard, dialect: .openRouter)["reasoning"] == nil)
        #expect(try body(.openAIChat, model: model, .off, dialect: .openRouter)["reasoning"] == ["effort": "none"])
        #expect(
            try body(.openAIChat, model: model, .effort(.high), dialect: .openRouter)["reasoning"] == ["effort": "high"]
        )
        let budget = try body(.openAIChat, model: model, .budget(3000), dialect: .openRouter)
        #expect(budget["reasoning"] == ["max_tokens": 3000])
        #expect(budget["reasoning_effort"] == nil)
    }

    @Test("xAI: reasoning_effort low or high")
    func xAI() throws {
        #expect(try body(.openAIChat, model: "grok-3-mini", .standard, dialect: .xAI)["reasoning_effort"] == nil)
        #expect(try body(.openAIChat, model: "grok-3-mini", .effort(.low), dialect: .xAI)["reasoning_effort"] == "low")
        #expect(
            try body(.openAIChat, model: "grok-3-mini", .effort(.medium), dialect: .xAI)["reasoning_effort"] == "high")
    }

    @Test("Groq: reasoning_effort, none for off (Qwen 3)")
    func groq() throws {
        #expect(try body(.openAIChat, model: "qwen/qwen3-32b", .standard, dialect: .groq)["reasoning_effort"] == nil)
        #expect(try body(.openAIChat, model: "qwen/qwen3-32b", .off, dialect: .groq)["reasoning_effort"] == "none")
        #expect(
            try body(.openAIChat, model: "openai/gpt-oss-120b", .effort(.medium), dialect: .groq)["reasoning_effort"]
                == "medium")
    }

    @Test("DeepSeek: thinking enabled or disabled, with reasoning_effort low or high")
    func deepSeek() throws {
        #expect(try body(.openAIChat, model: "deepseek-chat", .standard, dialect: .deepSeek)["thinking"] == nil)
        #expect(
            try body(.openAIChat, model: "deepseek-chat", .off, dialect: .deepSeek)["thinking"] == ["type": "disabled"])
        let high = try body(.openAIChat, model: "deepseek-chat", .effort(.high), dialect: .deepSeek)
        #expect(high["thinking"] == ["type": "enabled"])
        #expect(high["reasoning_effort"] == "high")
    }

    @Test("Responses: a summary of reasoning models' thinking by default; effort with a summary when asked")
    func responses() throws {
        #expect(try body(.openAIResponses, model: "o4-mini", .standard)["reasoning"] == ["summary": "auto"])
        #expect(try body(.openAIResponses, model: "gpt-4.1", .standard)["reasoning"] == nil)
        #expect(try body(.openAIResponses, model: "o4-mini", .off)["reasoning"] == nil)
        #expect(
            try body(.openAIResponses, model: "gpt-5", .effort(.high))["reasoning"]
                == ["effort": "high", "summary": "auto"])
        #expect(
            try body(.openAIResponses, model: "gpt-5", .budget(2000))["reasoning"]
                == ["effort": "low", "summary": "auto"])
    }

    @Test("Gemini: thoughts of thinking models by default; a budget when asked; off is budget 0, or low on Gemini 3")
    func gemini() throws {
        func thinking(_ model: String, _ reasoning: Reasoning) throws -> JSON? {
            try body(.gemini, model: model, reasoning)["generationConfig"]?["thinkingConfig"]
        }
        #expect(try thinking("gemini-2.5-flash", .standard) == ["includeThoughts": true])
        #expect(try thinking("gemini-2.0-flash", .standard) == nil)
        #expect(try thinking("gemini-2.5-flash", .off) == ["thinkingBudget": 0])
        #expect(try thinking("gemini-3-pro-preview", .off) == ["thinkingLevel": "low"])
        #expect(try thinking("gemini-2.5-pro", .effort(.medium)) == ["thinkingBudget": 8192, "includeThoughts": true])
        #expect(try thinking("gemini-2.5-pro", .budget(12000)) == ["thinkingBudget": 12000, "includeThoughts": true])
    }

    @Test(
        "Ollama: think false for off, true (or gpt-oss's level) when asked, nothing by default before the model is known to think"
    )
    func ollama() throws {
        #expect(try body(.ollama, model: "qwen3:8b", .standard)["think"] == nil)
        #expect(try body(.ollama, model: "llama3.2", .off)["think"] == false)
        #expect(try body(.ollama, model: "qwen3:8b", .effort(.high))["think"] == true)
        #expect(try body(.ollama, model: "gpt-oss:20b", .effort(.low))["think"] == "low")
    }
}

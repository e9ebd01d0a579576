import ParleyCore
import ParleyProviders
import Testing

@testable import ParleyRelay

@Suite("Where a model name sends a request")
struct RelayDirectoryTests {
    static let directory = RelayDirectory(
        configuration: ProviderConfiguration(
            provider: "ollama", model: "llama3.2",
            providers: ["ollama": ProviderSettings(baseURL: "http://127.0.0.1:11434")]),
        presets: ["reviewer": SystemPreset(name: "reviewer", system: "Review the code.", reasoning: .effort(.high))],
        environment: ["ANTHROPIC_API_KEY": "sk-ant-secret", "OPENROUTER_API_KEY": "sk-or-secret"])

    @Test("PROVIDER/MODEL: the provider with the relay's own key, the model as written after the first slash")
    func providerAndModel() async throws {
        let anthropic = try await Self.directory.route("anthropic/claude-sonnet-4-5").choice
        #expect(anthropic.preset.name == "anthropic")
        #expect(anthropic.model == "claude-sonnet-4-5")
        #expect(anthropic.endpoint.apiKey == "sk-ant-secret")

        let routed = try await Self.directory.route("openrouter/openai/gpt-4o").choice
        #expect(routed.preset.name == "openrouter")
        #expect(routed.model == "openai/gpt-4o")
    }

    @Test("a preset's name: the config's provider and model, with its system prompt before the client's")
    func preset() async throws {
        let route = try await Self.directory.route("reviewer")
        #expect(route.choice.preset.name == "ollama")
        #expect(route.choice.model == "llama3.2")
        let chat = route.request(
            for: ChatRequest(model: "reviewer", messages: [ChatMessage(.user, "diff")], system: "Be short."))
        #expect(chat.model == "llama3.2")
        #expect(chat.system == "Review the code.\n\nBe short.")
        #expect(chat.reasoning == .effort(.high))
    }

    @Test(
        "an unknown name, or a provider without a key on the relay, is a 404 that names no key",
        arguments: ["gpt-4o", "wizard/gpt-4o", "openai/gpt-4o", "anthropic/"])
    func unknown(model: String) async {
        do {
            _ = try await Self.directory.route(model)
            Issue.record("\(model) was routed")
        } catch {
            #expect(error.status == 404)
            #expect(error.code == "model_not_found")
            #expect(error.message.contains(model))
            #expect(!error.message.contains("secret"))
        }
    }
}

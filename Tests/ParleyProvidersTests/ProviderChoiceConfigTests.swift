import ParleyProviders
import Testing

@Suite("Choosing the provider with a config file: flags > environment > config > defaults")
struct ProviderChoiceConfigTests {
    let configuration = ProviderConfiguration(
        provider: "openai", model: "gpt-4o",
        providers: [
            "openai": ProviderSettings(
                baseURL: "http://config.local/v1", model: "gpt-4.1", headers: [HTTPHeader("X-Title", "Parley")]),
            "groq": ProviderSettings(model: "openai/gpt-oss-20b", keyVariable: "WORK_GROQ_KEY"),
            "mistral": ProviderSettings(keyCommand: "pass show mistral"),
        ])

    func resolve(
        provider: String? = nil, model: String? = nil, baseURL: String? = nil, environment: [String: String] = [:]
    ) throws(ProviderChoice.Problem) -> ProviderChoice {
        try ProviderChoice.resolve(
            provider: provider, model: model, baseURL: baseURL, environment: environment,
            configuration: configuration)
    }

    @Test("the provider: --provider, else the config's, else the demo")
    func provider() throws {
        #expect(try resolve(environment: ["OPENAI_API_KEY": "k"]).preset.name == "openai")
        #expect(try resolve(provider: "ollama").preset.name == "ollama")
        #expect(try ProviderChoice.resolve(provider: nil, model: nil, baseURL: nil, environment: [:]).preset.isDemo)
        // A bare --base-url still means an OpenAI-compatible server, as it does without a config.
        let custom = try resolve(baseURL: "http://127.0.0.1:8080/v1")
        #expect(custom.preset.name == "openai")
        #expect(custom.endpoint.baseURL == "http://127.0.0.1:8080/v1")
    }

    @Test(
        "the model: --model, else the config's top-level model for its provider, else the section's, else the preset's")
    func model() throws {
        #expect(try resolve(model: "o3").model == "o3")
        #expect(try resolve().model == "gpt-4o")
        #expect(try resolve(provider: "openai").model == "gpt-4o", "the same provider named by a flag")
        #expect(try resolve(provider: "groq", environment: ["WORK_GROQ_KEY": "g"]).model == "openai/gpt-oss-20b")
        #expect(try resolve(provider: "ollama").model == "llama3.2")
    }

    @Test("the base URL: --base-url, else the *_BASE_URL variable, else the config's, else the preset's")
    func baseURL() throws {
        let environment = ["OPENAI_API_KEY": "k"]
        #expect(
            try resolve(baseURL: "http://flag.local/v1", environment: environment).endpoint.baseURL
                == "http://flag.local/v1")
        #expect(
            try resolve(environment: environment.merging(["OPENAI_BASE_URL": "http://env.local/v1"]) { $1 }).endpoint
                .baseURL
                == "http://env.local/v1")
        #expect(try resolve(environment: environment).endpoint.baseURL == "http://config.local/v1")
        #expect(
            try resolve(provider: "xai", environment: ["XAI_API_KEY": "x"]).endpoint.baseURL == "https://api.x.ai/v1")
    }

    @Test("extra headers go with the endpoint")
    func headers() throws {
        #expect(try resolve().endpoint.extraHeaders == [HTTPHeader("X-Title", "Parley")])
    }

    @Test("key_env names the variable read, and the one a missing key error names")
    func keyVariable() throws {
        let choice = try resolve(
            provider: "groq", environment: ["WORK_GROQ_KEY": "gsk-work", "GROQ_API_KEY": "gsk-home"])
        #expect(choice.endpoint.apiKey == "gsk-work")
        #expect(choice.endpoint.keyVariable == "WORK_GROQ_KEY")
        do {
            _ = try resolve(provider: "groq", environment: ["GROQ_API_KEY": "gsk-home"])
            Issue.record("expected a missing key")
        } catch {
            #expect(error.description.contains("set WORK_GROQ_KEY"))
        }
    }

    @Test("key_command is noted, never run, by resolving: it is pending only when no variable holds the key")
    func keyCommand() throws {
        let fromCommand = try resolve(provider: "mistral")
        #expect(fromCommand.endpoint.apiKey == nil)
        #expect(fromCommand.pendingKeyCommand == "pass show mistral")
        #expect(fromCommand.endpoint.keyVariable == "key_command `pass show mistral`")

        let fromVariable = try resolve(provider: "mistral", environment: ["MISTRAL_API_KEY": "m"])
        #expect(fromVariable.endpoint.apiKey == "m")
        #expect(fromVariable.pendingKeyCommand == nil)
        #expect(try resolve(provider: "openai", environment: ["OPENAI_API_KEY": "k"]).pendingKeyCommand == nil)
        #expect(try resolve(provider: "demo").pendingKeyCommand == nil)

        let failure = KeyCommandFailure(command: "pass show mistral", reason: "exited with status 1")
        #expect(
            ProviderChoice.Problem.keyCommandFailed(failure).description
                == "the key command `pass show mistral` exited with status 1. Check key_command in the config file "
                + "(`parley config edit`).")
    }
}

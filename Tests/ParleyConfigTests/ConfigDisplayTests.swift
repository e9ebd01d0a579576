import ParleyConfig
import ParleyCore
import ParleyProviders
import Testing

@Suite("parley config show: the settings in effect, secrets masked")
struct ConfigDisplayTests {
    let loaded = LoadedConfig(
        path: "/h/.config/parley/config.toml", exists: true,
        config: Config(
            provider: "openai",
            providers: [
                "openai": ProviderSettings(
                    keyCommand: "pass show openai",
                    headers: [
                        HTTPHeader("Authorization", "Bearer sk-secret"), HTTPHeader("X-Api-Key", "k-secret"),
                        HTTPHeader("X-Title", "Parley"),
                    ])
            ], presets: ["short": SystemPreset(name: "short", system: "Be \"brief\".", reasoning: .effort(.low))],
            timeouts: Config.Timeouts(connect: .milliseconds(2500))))

    @Test("keys are set or missing by name, key commands shown but not run, credential headers masked")
    func masking() throws {
        let text = ConfigDisplay.render(loaded, environment: ["OPENAI_API_KEY": "sk-env-secret"])
        #expect(!text.contains("secret"))
        #expect(text.contains(#"key_env = "OPENAI_API_KEY"  # set, default"#))
        #expect(text.contains(#"key_command = "pass show openai""#))
        #expect(text.contains(#""Authorization" = "********""#))
        #expect(text.contains(#""X-Api-Key" = "********""#))
        #expect(text.contains(#""X-Title" = "Parley""#))
    }

    @Test("defaults are filled in and marked, and the output is itself valid config")
    func effective() throws {
        let text = ConfigDisplay.render(loaded, environment: ["OPENAI_BASE_URL": "http://proxy.local/v1"])
        #expect(text.hasPrefix("# /h/.config/parley/config.toml\n"))
        #expect(text.contains(#"model = "gpt-4o-mini"  # default"#))
        #expect(text.contains(#"base_url = "http://proxy.local/v1"  # from OPENAI_BASE_URL"#))
        #expect(text.contains("connect = 2.5\n"))
        #expect(text.contains("first_byte = 30  # default"))
        #expect(text.contains("mouse = false  # default"))
        #expect(text.contains(#"system = "Be \"brief\".""#))
        let reread = try ConfigParser.parse(text, vocabulary: vocabulary)
        #expect(reread.presets == loaded.config.presets)
        #expect(reread.timeouts.connect == .milliseconds(2500))
    }

    @Test("MCP servers: each with its settings, defaults marked, tokens masked; re-read, the same servers")
    func mcpServers() throws {
        var config = Config()
        config.mcpServers = [
            "time": ToolServerSettings(
                name: "time",
                connection: .stdio(
                    command: "mcp-server-time", arguments: ["--local-timezone", "UTC"],
                    environment: ["TZ": "UTC", "GITHUB_TOKEN": "ghp-secret"])),
            "docs": ToolServerSettings(
                name: "docs",
                connection: .http(url: "http://127.0.0.1:8000/mcp", headers: ["Authorization": "Bearer secret"]),
                trust: .always, timeout: .seconds(5), enabled: false),
            "bare": ToolServerSettings(
                name: "bare", connection: .stdio(command: "/opt/x", arguments: [], environment: [:])),
        ]
        let text = ConfigDisplay.render(LoadedConfig(path: nil, exists: false, config: config), environment: [:])
        #expect(!text.contains("secret"))
        #expect(
            text.hasSuffix(
                """

                [mcp.servers.bare]
                command = "/opt/x"
                env = {}  # the server gets no environment variables at all
                trust = "ask"  # default
                timeout = 30  # default
                enabled = true  # default

                [mcp.servers.docs]
                url = "http://127.0.0.1:8000/mcp"
                headers = { Authorization = "********" }
                trust = "always"
                timeout = 5
                enabled = false

                [mcp.servers.time]
                command = "mcp-server-time"
                args = ["--local-timezone", "UTC"]
                env = { GITHUB_TOKEN = "********", TZ = "UTC" }  # all the environment the server gets
                trust = "ask"  # default
                timeout = 30  # default
                enabled = true  # default

                """))
        let reread = try ConfigParser.parse(text, vocabulary: vocabulary).mcpServers
        #expect(reread["bare"] == config.mcpServers["bare"])
        #expect(reread["docs"]?.trust == .always)
        #expect(
            reread["time"]?.connection
                == .stdio(
                    command: "mcp-server-time", arguments: ["--local-timezone", "UTC"],
                    environment: ["TZ": "UTC", "GITHUB_TOKEN": "********"]))
    }
}

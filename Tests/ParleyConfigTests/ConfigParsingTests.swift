import ParleyConfig
import ParleyCore
import ParleyProviders
import Testing

@Suite("Reading a config file: text in, settings or located problems out")
struct ConfigParsingTests {
    @Test("an empty file (or one of comments) is the defaults")
    func empty() throws {
        #expect(try parse("") == .empty)
        #expect(try parse("# nothing yet\n\n") == .empty)
    }

    @Test("every setting is read into its field")
    func everySetting() throws {
        let config = try parse(
            """
            provider = "anthropic"
            model = "claude-opus-4-1"
            reasoning = "high"

            [providers.openai]
            base_url = "http://127.0.0.1:9000/v1"
            model = "gpt-4o"
            key_env = "WORK_KEY"
            key_command = "pass show openai"
            headers = { "X-Title" = "Parley", "OpenAI-Organization" = "org-1" }

            [presets.short]
            system = "Be brief."

            [presets.deep]
            system = "Take your time."
            reasoning = 16000

            [timeouts]
            connect = 2.5
            first_byte = 20
            idle = 45
            total = 300

            [streaming]
            batch_window_ms = 16

            [tools]
            max_rounds = 4
            max_output_kb = 8

            [attachments]
            max_file_mb = 5
            max_message_mb = 10

            [prices."gpt-4o"]
            input = 2.5
            cached_input = 1.25
            output = 10

            [app]
            thinking_pane = false
            clipboard = "command"
            clipboard_command = "xclip  -selection clipboard"
            mouse = true

            [theme]
            accent = "Magenta"
            focused-border = "bright-cyan"

            [keys]
            toggle-thinking = ["ctrl-t", "f2"]
            quit = "ctrl-q"
            """)
        #expect(config.provider == "anthropic")
        #expect(config.maxToolRounds == 4)
        #expect(config.toolOutputLimit == 8 << 10)
        #expect(config.attachmentFileLimit == 5 << 20)
        #expect(config.attachmentMessageLimit == 10 << 20)
        #expect(config.prices == ["gpt-4o": Price(input: 2.5, cachedInput: 1.25, output: 10)])
        #expect(config.model == "claude-opus-4-1")
        #expect(config.reasoning == .effort(.high))
        #expect(
            config.providers == [
                "openai": ProviderSettings(
                    baseURL: "http://127.0.0.1:9000/v1", model: "gpt-4o", keyVariable: "WORK_KEY",
                    keyCommand: "pass show openai",
                    headers: [HTTPHeader("OpenAI-Organization", "org-1"), HTTPHeader("X-Title", "Parley")])
            ])
        #expect(
            config.presets == [
                "short": SystemPreset(name: "short", system: "Be brief."),
                "deep": SystemPreset(name: "deep", system: "Take your time.", reasoning: .budget(16000)),
            ])
        #expect(
            config.timeouts
                == Config.Timeouts(
                    connect: .milliseconds(2500), firstByte: .seconds(20), idle: .seconds(45), total: .seconds(300)))
        #expect(
            config.transportTimeouts
                == TransportTimeouts(connect: .milliseconds(2500), firstByte: .seconds(20), idle: .seconds(45)))
        #expect(config.batchWindow == .milliseconds(16))
        #expect(config.thinkingPane == false)
        #expect(config.clipboard == "command")
        #expect(config.clipboardCommand == ["xclip", "-selection", "clipboard"])
        #expect(config.mouse == true)
        #expect(config.theme == ["accent": "magenta", "focused-border": "bright-cyan"])
        #expect(config.keys == ["toggle-thinking": ["ctrl-t", "f2"], "quit": ["ctrl-q"]])
        #expect(config.providerConfiguration.provider == "anthropic")
    }

    @Test("a syntax error gives the parser's line and column")
    func syntax() throws {
        let found = try #require(problem("provider = \"openai\"\nmodel = \n"))
        #expect(found.line == 2)
        #expect(found.column != nil)
        #expect(found.message.hasPrefix("not valid TOML: "))
    }

    @Test(
        "a table header that does not begin with a name is an error at its place, not a crash of the parser",
        arguments: [
            ("[.providers.openai]\nmodel = \"x\"\n", 1, 2), ("provider = \"openai\"\n[[[x]]]\n", 2, 3),
            ("[ [x]]\n", 1, 3), ("  [=]\n", 1, 4), ("[[  #]]\n", 1, 5), ("\u{FEFF}[\u{FFFD}]\n", 1, 3),
        ])
    func headerWithoutName(text: String, line: Int, column: Int) throws {
        let found = try #require(problem(text))
        #expect(found.line == line)
        #expect(found.column == column)
        #expect(found.message.contains("a table header must begin with a name"))
    }

    @Test(
        "a list with a '}' where a value belongs is an error at its place, not a crash of the parser",
        arguments: [("[keys]\nquit = [ }\n", 2, 10), ("[keys]\nquit = [\"ctrl-q\",\n  }]\n", 3, 3)])
    func braceInList(text: String, line: Int, column: Int) throws {
        let found = try #require(problem(text))
        #expect(found.line == line)
        #expect(found.column == column)
        #expect(found.message.contains("a list holds a '}' where a value or ']' belongs"))
    }

    @Test("brackets that are not headers: arrays over several lines, strings and comments holding brackets")
    func notHeaders() throws {
        let text = #"""
            [presets.a]
            system = """
            [.not a header]
            """
            [keys]
            quit = [
              "ctrl-q",
            ] # [=] in a comment
            ["theme"]
            accent = 'cyan'
            [providers.openai]
            headers = { "X-A" = "1", "X-B" = "2" }
            """#
        #expect(problem(text) == nil)
    }

    @Test("the whole message is path:line:column: problem")
    func messageShape() {
        #expect(throws: ConfigError.self) { try parse("[providers.openai]\nmodle = \"x\"\n") }
        do {
            _ = try parse("[providers.openai]\nmodle = \"x\"\n")
        } catch {
            #expect(
                error.description
                    == "/home/u/.config/parley/config.toml:2:1: unknown key 'modle' in [providers.openai] (did you mean 'model'?)"
            )
        }
    }

    @Test(
        "each kind of mistake is named where it is",
        arguments: [
            // An unknown key, with the nearest valid one.
            (
                "[providers.openai]\n  modle = \"gpt-4o\"\n", 2, 3,
                "unknown key 'modle' in [providers.openai] (did you mean 'model'?)"
            ),
            ("modle = \"x\"\n", 1, 1, "unknown key 'modle' at the top level (did you mean 'model'?)"),
            (
                "[timeouts]\nfrist_byte = 3\n", 2, 1,
                "unknown key 'frist_byte' in [timeouts] (did you mean 'first_byte'?)"
            ),
            // …and with no near one, the list of what is allowed.
            (
                "[app]\ncolour = 1\n", 2, 1,
                "unknown key 'colour' in [app]; expected one of: thinking_pane, notify, clipboard, clipboard_command, mouse"
            ),
            (
                "[app]\nnotify = \"loud\"\n", 2, 1,
                "'notify' in [app]: must be one of off, bell, osc9, osc777, not \"loud\""
            ),
            (
                "[app]\nclipboard = \"x11\"\n", 2, 1,
                "'clipboard' in [app]: must be one of auto, osc52, command, off, not \"x11\""
            ),
            (
                "[app]\nclipboard_command = \"  \"\n", 2, 1,
                "'clipboard_command' in [app]: must name a command, such as \"xclip -selection clipboard\""
            ),
            // A wrong type.
            (
                "[timeouts]\nconnect = \"10\"\n", 2, 1,
                "'connect' in [timeouts] must be a number of seconds, not a string"
            ),
            ("[app]\nthinking_pane = \"yes\"\n", 2, 1, "'thinking_pane' in [app] must be true or false, not a string"),
            ("provider = \"demo\"\nmodel = 4\n", 2, 1, "'model' at the top level must be a string, not an integer"),
            (
                "model = \"gpt-4o\"\n", 1, 1,
                "'model' at the top level: names the model of 'provider', which is not set; add provider = \"…\""
            ),
            ("providers = \"openai\"\n", 1, 1, "'providers' at the top level must be a table, not a string"),
            (
                "[streaming]\nbatch_window_ms = 2.5\n", 2, 1,
                "'batch_window_ms' in [streaming] must be a whole number, not a number"
            ),
            // An unknown provider, as a section or as the default.
            (
                "\n[providers.opneai]\nmodel = \"x\"\n", 2, 1,
                "unknown provider 'opneai' in [providers.opneai] (did you mean 'openai'?)"
            ),
            (
                "provider = \"antropic\"\n", 1, 1,
                "unknown provider 'antropic' for 'provider' (did you mean 'anthropic'?)"
            ),
            // A provider of one's own: which API it speaks, by a built-in provider's name; a name that
            // can be typed; kind only where it means something.
            (
                "[providers.company]\nbase_url = \"https://llm.example.com/v1\"\n", 1, 1,
                "'kind' in [providers.company]: is missing: 'company' is not a built-in provider, so say which API it speaks, like kind = \"openai\" (one of: openai, openai-responses, anthropic, gemini, openrouter, xai, deepseek, groq, mistral, ollama, lmstudio, llamacpp, vllm)"
            ),
            (
                "[providers.company]\nkind = \"openia\"\n", 2, 1,
                "unknown kind 'openia' in [providers.company] (did you mean 'openai'?)"
            ),
            (
                "[providers.openai]\nkind = \"anthropic\"\n", 2, 1,
                "'kind' in [providers.openai]: is for a provider of your own; openai is built in"
            ),
            (
                "[providers.\"my server\"]\nkind = \"openai\"\n", 1, 1,
                "'my server' in [providers]: a provider's name is typed as --provider NAME: use letters, digits, - and _"
            ),
            // A bad URL.
            (
                "[providers.vllm]\nbase_url = \"localhost:8000\"\n", 2, 1,
                "'base_url' in [providers.vllm]: \"localhost:8000\" is not an http:// or https:// URL with a host"
            ),
            // A bad key variable name, never repeated (it may be the key itself).
            (
                "[providers.groq]\nkey_env = \"gsk_abc-123\"\n", 2, 1,
                "'key_env' in [providers.groq]: must be the name of an environment variable (letters, digits and _, like OPENAI_API_KEY), never the key itself"
            ),
            // Values out of range.
            ("[timeouts]\nidle = 0\n", 2, 1, "'idle' in [timeouts]: must be more than 0 and at most 86400 seconds"),
            (
                "[streaming]\nbatch_window_ms = 5000\n", 2, 1,
                "'batch_window_ms' in [streaming]: must be between 1 and 1000 milliseconds"
            ),
            ("[tools]\nmax_rounds = 0\n", 2, 1, "'max_rounds' in [tools]: must be between 1 and 100"),
            (
                "[prices.m]\ninput = 1\n", 1, 1,
                "'output' in [prices.m]: is needed to price the model"
            ),
            (
                "[prices.m]\ninput = -1\noutput = 1\n", 2, 1,
                "'input' in [prices.m]: must be a number of dollars per million tokens, 0 or more"
            ),
            (
                "[attachments]\nmax_message_mb = 0\n", 2, 1,
                "'max_message_mb' in [attachments]: must be between 1 and 1024 megabytes"
            ),
            (
                "[tools]\nmax_output_kb = 100000\n", 2, 1,
                "'max_output_kb' in [tools]: must be between 1 and 16384 kilobytes"
            ),
            // Headers.
            (
                "[providers.openrouter]\nheaders = { \"X Title\" = \"a\" }\n", 2, 1,
                "'X Title' in [providers.openrouter.headers]: is not an HTTP header name"
            ),
            (
                "[providers.openrouter]\nheaders = { \"X-Count\" = 3 }\n", 2, 1,
                "'X-Count' in [providers.openrouter.headers] must be a string, not an integer"
            ),
            // Reasoning.
            (
                "reasoning = \"hgih\"\n", 1, 1,
                "'reasoning' at the top level: must be auto, off, low, medium, high, or a token budget such as 8000 or 8k (at least 1024)"
            ),
            (
                "[presets.deep]\nsystem = \"Think.\"\nreasoning = 10\n", 3, 1,
                "'reasoning' in [presets.deep]: must be auto, off, low, medium, high, or a token budget such as 8000 or 8k (at least 1024)"
            ),
            // Presets.
            ("[presets.short]\n", 1, 1, "'system' in [presets.short]: is missing: a preset is its system prompt"),
            ("[presets.short]\nsystem = \"  \"\n", 2, 1, "'system' in [presets.short]: is empty"),
            (
                "[presets.short]\nsytem = \"Be brief\"\n", 2, 1,
                "unknown key 'sytem' in [presets.short] (did you mean 'system'?)"
            ),
            // The app's own names: colour roles, colours, commands, keys.
            ("[theme]\naccnet = \"red\"\n", 2, 1, "unknown colour role 'accnet' in [theme] (did you mean 'accent'?)"),
            (
                "[theme]\naccent = \"cyna\"\n", 2, 1,
                "unknown colour 'cyna' for 'accent' in [theme] (did you mean 'cyan'?)"
            ),
            (
                "[keys]\ntoggle-thinkng = [\"f2\"]\n", 2, 1,
                "unknown command 'toggle-thinkng' in [keys] (did you mean 'toggle-thinking'?)"
            ),
            (
                "[keys]\nquit = [\"ctlr-q\"]\n", 2, 1,
                "'quit' in [keys]: \"ctlr-q\" is not a key; write keys like \"ctrl-t\", \"alt-enter\", \"f1\", \"pgup\", \"j\""
            ),
            ("[keys]\nquit = 17\n", 2, 1, "'quit' in [keys] must be a list of key names, not an integer"),
        ])
    func mistakes(text: String, line: Int, column: Int, message: String) throws {
        try expectProblem(text, at: line, column, message)
    }

    @Test("a provider of one's own is read, and may be the default provider")
    func ownProvider() throws {
        let config = try parse(
            """
            provider = "Work"
            model = "gpt-4o"
            [providers.Work]
            kind = "OpenAI"
            base_url = "https://llm.example.com/v1"
            key_env = "WORK_KEY"
            """)
        #expect(config.provider == "work")
        #expect(
            config.providers["work"]
                == ProviderSettings(kind: "openai", baseURL: "https://llm.example.com/v1", keyVariable: "WORK_KEY"))
        #expect(config.providerConfiguration.preset(named: "work")?.defaultBaseURL == "https://llm.example.com/v1")
    }

    @Test("every problem is reported, in file order, not only the first")
    func allProblems() throws {
        do {
            _ = try parse("[timeouts]\nconect = 1\n\n[app]\nthinking_pane = 1\n\nmodel = 2\n")
            Issue.record("expected an error")
        } catch {
            // `model = 2` follows [app], so it is [app]'s.
            #expect(error.issues.map(\.line) == [2, 5, 7])
            #expect(error.lines.count == 3)
            #expect(
                error.lines[2].hasSuffix(
                    "unknown key 'model' in [app]; expected one of: thinking_pane, notify, clipboard, clipboard_command, mouse"
                ))
            #expect(error.lines[0].hasPrefix("/home/u/.config/parley/config.toml:2:1: unknown key 'conect'"))
        }
    }

    @Test("keys inside multi-line strings and arrays are not mistaken for settings when locating")
    func locatingSkipsValues() throws {
        let text = """
            [presets.long]
            system = \"\"\"
            model = this line is prompt text
            \"\"\"

            [keys]
            quit = [
              "ctrl-q",
            ]
            regenerate = ["nope"]
            """
        let found = try #require(problem(text))
        #expect(found.line == 10)
        #expect(found.message.hasPrefix("'regenerate' in [keys]: \"nope\" is not a key"))
    }

    @Test("a multi-line preset keeps its text")
    func multiLinePreset() throws {
        let config = try parse("[presets.poet]\nsystem = \"\"\"\nWrite verse.\nShort verse.\"\"\"\n")
        #expect(config.presets["poet"]?.system == "Write verse.\nShort verse.")
    }

    @Test("the nearest name: an adjacent swap is one edit; far-off names get no suggestion")
    func nearestName() throws {
        let found = try #require(problem("[providers.openai]\nbase_ulr = \"http://x\"\n"))
        #expect(found.message.hasSuffix("(did you mean 'base_url'?)"))
        let far = try #require(problem("[providers.openai]\nendpoint = \"http://x\"\n"))
        #expect(
            far.message.hasSuffix("expected one of: base_url, model, key_env, key_command, headers, context_tokens"))
    }
}

@Suite("Where the config file is")
struct ConfigLocationTests {
    @Test(
        "PARLEY_HOME, else XDG_CONFIG_HOME (absolute only), else ~/.config",
        arguments: [
            (["PARLEY_HOME": "/p", "XDG_CONFIG_HOME": "/x", "HOME": "/h"], "/p/config.toml"),
            (["XDG_CONFIG_HOME": "/x/", "HOME": "/h"], "/x/parley/config.toml"),
            (["XDG_CONFIG_HOME": "relative", "HOME": "/h"], "/h/.config/parley/config.toml"),
            (["PARLEY_HOME": "", "HOME": "/h"], "/h/.config/parley/config.toml"),
        ])
    func location(environment: [String: String], path: String) {
        #expect(ConfigLocation.path(environment: environment) == path)
    }

    @Test("no home folder at all: no path, and loading gives the defaults")
    func noHome() throws {
        #expect(ConfigLocation.path(environment: [:]) == nil)
        let loaded = try LoadedConfig.load(environment: [:], vocabulary: vocabulary)
        #expect(loaded == LoadedConfig(path: nil, exists: false, config: .empty))
    }
}

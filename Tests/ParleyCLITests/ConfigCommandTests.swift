import Foundation
import ParleyConfig
import ParleyCore
import ParleyTUI
import ParleyTestSupport
import Testing

@testable import parley

@Suite("parley config path|show|edit")
struct ConfigCommandTests {
    @Test("path prints where the file is, and says on stderr when it does not exist yet")
    func path() async throws {
        let home = try ConfigHome()
        let missing = try await ParleyProcess.run(["config", "path"], environment: home.environment())
        #expect(missing.status == 0)
        #expect(missing.stdout == home.configPath + "\n")
        #expect(missing.stderr.contains("does not exist yet"))

        try home.write("provider = \"demo\"\n")
        let present = try await ParleyProcess.run(["config", "path"], environment: home.environment())
        #expect(present.stdout == home.configPath + "\n")
        #expect(present.stderr.isEmpty)
    }

    @Test("path follows XDG_CONFIG_HOME when PARLEY_HOME is not set")
    func xdgPath() async throws {
        let result = try await ParleyProcess.run(
            ["config", "path"], environment: ["PARLEY_HOME": "", "XDG_CONFIG_HOME": "/tmp/xdg-config"])
        #expect(result.stdout == "/tmp/xdg-config/parley/config.toml\n")
    }

    @Test("show prints the settings in effect and never a key, whether from a variable or a command")
    func show() async throws {
        let home = try ConfigHome()
        try home.write(
            """
            provider = "openai"
            [providers.openai]
            key_command = "touch \(home.folder)/key-command-ran; echo sk-from-command"
            headers = { Authorization = "Bearer sk-header-secret", "X-Title" = "Parley" }
            """)
        let result = try await ParleyProcess.run(
            ["config", "show"], environment: home.environment(["OPENAI_API_KEY": "sk-env-secret"]))
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: home.folder + "/key-command-ran"), "the command is not run")
        #expect(!result.stdout.contains("sk-env-secret"))
        #expect(!result.stdout.contains("sk-header-secret"))
        #expect(result.stdout.contains(#"key_env = "OPENAI_API_KEY"  # set"#))
        #expect(result.stdout.contains(#""Authorization" = "********""#))
        #expect(result.stdout.contains("first_byte = 30  # default"))
    }

    @Test("edit creates a missing file from the example, opens $EDITOR on it, and checks it afterwards")
    func editCreates() async throws {
        let home = try ConfigHome()
        let editor = try home.script(
            "editor", #"grep -q "^# provider = " "$1" && echo 'edited' > "$(dirname "$1")/seen""#)
        let result = try await ParleyProcess.run(["config", "edit"], environment: home.environment(["EDITOR": editor]))
        #expect(result.status == 0)
        #expect(try home.read() == ConfigExample.startingFile)
        let mode = try FileManager.default.attributesOfItem(atPath: home.configPath)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600, "private: it may come to hold header secrets")
        #expect(FileManager.default.fileExists(atPath: home.folder + "/seen"), "the editor ran on the file")
        #expect(result.stderr.contains("created \(home.configPath) from the example, every setting commented out"))
        #expect(result.stderr.contains("\(home.configPath): ok"))
    }

    @Test("a file config edit created and the user saved unchanged changes nothing: every command behaves as before")
    func editUnchangedChangesNothing() async throws {
        let home = try ConfigHome()
        #expect(
            try await ParleyProcess.run(["config", "edit"], environment: home.environment(["EDITOR": "true"])).status
                == 0)
        #expect(try ConfigParser.parse(try home.read(), vocabulary: AppConfiguration.vocabulary) == .empty)
        let shown = try await ParleyProcess.run(["config", "show"], environment: home.environment())
        #expect(shown.stdout.contains("provider = \"demo\"  # default"))
        let asked = try await ParleyProcess.run(["ask", "--no-save", "Hello"], environment: home.environment())
        #expect(asked.status == 0)
        #expect(asked.stdout.contains("Parley's demo provider"))
        let doctor = try await ParleyProcess.run(["doctor", "--timeout", "5"], environment: home.environment())
        #expect(!doctor.stdout.contains("FAIL"), "\(doctor.stdout)")
    }

    @Test("edit uses VISUAL when EDITOR is not set, and reports a file left broken (exit 2)")
    func editBroken() async throws {
        let home = try ConfigHome("provider = \"demo\"\n")
        let editor = try home.script("visual", #"printf '[providers.openai]\nmodle = "gpt-4o"\n' > "$1""#)
        let result = try await ParleyProcess.run(["config", "edit"], environment: home.environment(["VISUAL": editor]))
        #expect(result.status == 2)
        #expect(
            result.stderr.contains(
                "error: \(home.configPath):2:1: unknown key 'modle' in [providers.openai] (did you mean 'model'?)"))
        #expect(try home.read().contains("modle"), "the file is kept as the editor left it")
    }

    @Test("an editor that fails leaves the file unchecked, exit 1")
    func editorFails() async throws {
        let home = try ConfigHome("provider = \"demo\"\n")
        let result = try await ParleyProcess.run(
            ["config", "edit"], environment: home.environment(["EDITOR": "false"]))
        #expect(result.status == 1)
        #expect(result.stderr.contains("the editor `false` exited with status 1"))
    }
}

@Suite("A broken config file stops every command that reads it, exit 2")
struct BrokenConfigTests {
    static let broken = "[providers.openai]\nmodle = \"gpt-4o\"\n"

    @Test(
        "ask, models, config show and the app refuse, naming path, line, column and the problem",
        arguments: [["ask", "hi"], ["models"], ["config", "show"], ["chat"], ["ask", "--events", "hi"]])
    func refused(arguments: [String]) async throws {
        let home = try ConfigHome(Self.broken)
        let result = try await ParleyProcess.run(arguments, environment: home.environment())
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "error: \(home.configPath):2:1: unknown key 'modle' in [providers.openai] (did you mean 'model'?)\n")
        #expect(result.stdout.isEmpty)
    }

    @Test("a file that is not TOML at all gives the parser's line and column")
    func syntax() async throws {
        let home = try ConfigHome("provider = \"openai\"\n[timeouts\nconnect = 3\n")
        let result = try await ParleyProcess.run(["ask", "hi"], environment: home.environment())
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: \(home.configPath):2:"))
        #expect(result.stderr.contains("not valid TOML"))
    }

    @Test("a config path that is a folder, or a file that is not UTF-8, cannot be read: exit 2")
    func unreadable() async throws {
        let home = try ConfigHome()
        try FileManager.default.createDirectory(atPath: home.configPath, withIntermediateDirectories: true)
        let folder = try await ParleyProcess.run(["ask", "hi"], environment: home.environment())
        #expect(folder.status == 2)
        #expect(folder.stderr == "error: \(home.configPath): cannot be read: it is a folder, not a file\n")

        let other = try ConfigHome()
        try Data([0x6D, 0x6F, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: other.configPath))
        let binary = try await ParleyProcess.run(["models"], environment: other.environment())
        #expect(binary.status == 2)
        #expect(binary.stderr.contains("cannot be read: it is not UTF-8 text"))
    }

    @Test("the history commands do not read it, so they still work")
    func historyUnaffected() async throws {
        let home = try ConfigHome(Self.broken)
        let result = try await ParleyProcess.run(["list"], environment: home.environment())
        #expect(result.status == 0)
    }
}

@Suite("The example config and the app's names")
struct ExampleConfigTests {
    static var examplePath: URL { Fixtures.packageRoot.appendingPathComponent("Resources/config.example.toml") }

    @Test("Resources/config.example.toml is the example the binary carries, byte for byte")
    func sameAsEmbedded() throws {
        let file = try String(contentsOf: Self.examplePath, encoding: .utf8)
        #expect(file == ConfigExample.text, "update Sources/ParleyConfig/ConfigExample.swift from the file")
    }

    @Test("it parses with the app's names, and every value is what its comments say")
    func values() throws {
        let config = try ConfigParser.parse(ConfigExample.text, vocabulary: AppConfiguration.vocabulary)
        #expect(config.attachmentFileLimit == AttachmentLimits.standard.fileBytes)
        #expect(config.attachmentMessageLimit == AttachmentLimits.standard.messageBytes)
        #expect(config.provider == "openai")
        #expect(config.model == "gpt-4o")
        #expect(config.providers["openai"]?.model == "gpt-4o-mini")
        #expect(config.providers["openai"]?.keyVariable == "WORK_OPENAI_KEY")
        #expect(config.providers["openai"]?.keyCommand == "pass show openai")
        #expect(config.providers["ollama"]?.contextTokens == 32_768)
        #expect(config.notify == "off")
        #expect(config.clipboard == "auto")
        #expect(config.clipboardCommand == nil)
        #expect(config.mouse == false)
        #expect(config.providers["openrouter"]?.headers.map(\.name) == ["HTTP-Referer", "X-Title"])
        #expect(config.providers["llamacpp"]?.baseURL == "http://127.0.0.1:8081/v1")
        #expect(config.providers["llamacpp"]?.model == "qwen3-8b")
        #expect(config.presets.keys.sorted() == ["reviewer", "thorough", "translator"])
        #expect(config.reasoning == .standard)
        #expect(config.presets["thorough"]?.reasoning == .effort(.high))
        #expect(
            config.timeouts
                == Config.Timeouts(
                    connect: .seconds(5), firstByte: .seconds(45), idle: .seconds(90), total: .seconds(600),
                    keyCommand: .seconds(30)))
        #expect(config.batchWindow == .milliseconds(50))
        #expect(config.thinkingPane == true)
        #expect(config.theme == ["accent": "magenta", "thinking": "bright-black"])
        #expect(config.keys == ["toggle-thinking": ["ctrl-t", "f2"], "regenerate": ["ctrl-r"]])
        // The defaults its comments name are the code's.
        let standard = TransportTimeoutsDefaults()
        #expect(
            ConfigExample.text.contains(
                "Defaults: connect \(standard.connect), first_byte \(standard.firstByte), idle \(standard.idle)"))
        #expect(
            ConfigExample.text.contains(
                "in milliseconds (default \(Int(Config.standardBatchWindow / .milliseconds(1))))"))
    }

    @Test("the roles and commands it lists are exactly the app's")
    func vocabulary() throws {
        let roles = AppConfiguration.vocabulary.colourRoles.joined(separator: ", ")
        let comment = ConfigExample.text.split(separator: "\n").filter { $0.hasPrefix("# ") }.joined(separator: " ")
            .replacingOccurrences(of: "# ", with: "")
        #expect(comment.contains("Colours per role: \(roles)."))
        #expect(AppConfiguration.vocabulary.colourRoles.count == Style.Role.allCases.count)
        // Each role is named after its case, in kebab case (the names are spelled out, so a
        // typo in the table would otherwise go unnoticed).
        for role in Style.Role.allCases {
            let kebab = String(describing: role).reduce(into: "") { name, character in
                if character.isUppercase { name += "-" + character.lowercased() } else { name.append(character) }
            }
            #expect(AppConfiguration.roleName(role) == kebab)
        }
        #expect(AppConfiguration.vocabulary.commands.contains("toggle-thinking"))
        #expect(AppConfiguration.vocabulary.isKeyName("alt-enter"))
        #expect(!AppConfiguration.vocabulary.isKeyName("ctlr-t"))
    }

    @Test("[keys] that clash, or make a letter untypeable, are errors placed at their line")
    func keyClashes() throws {
        for (text, message) in [
            (
                "[keys]\nregenerate = \"ctrl-t\"\n",
                "config:2:1: 'regenerate' in [keys]: \"ctrl-t\" would be both regenerate and toggle-thinking; give one of them other keys"
            ),
            (
                "[keys]\nquit = \"ctrl-q\"\nsend = [\"s\"]\n",
                "config:3:1: 'send' in [keys]: \"s\" for send could no longer be typed in a message; use a key with ctrl or alt"
            ),
        ] {
            let error = #expect(throws: ConfigError.self) {
                try ConfigParser.parse(text, vocabulary: AppConfiguration.vocabulary)
            }
            #expect(error?.lines == [message])
        }
    }

    @Test("loaded, its keys and colours are what the app takes")
    func forTheApp() throws {
        let loaded = LoadedConfig(
            path: nil, exists: true,
            config: try ConfigParser.parse(ConfigExample.text, vocabulary: AppConfiguration.vocabulary))
        #expect(loaded.keyBindings.global[.function(2)] == .toggleThinking)
        #expect(loaded.keyBindings.global[.control("t")] == .toggleThinking)
        #expect(loaded.themeRoles == [.accent: "magenta", .thinking: "bright-black"])
        #expect(loaded.systemPresets.map(\.name) == ["reviewer", "thorough", "translator"])
        #expect(loaded.timeLimit == .seconds(600))
    }
}

/// The transport's default timeouts in whole seconds, as the example's comment writes them.
struct TransportTimeoutsDefaults {
    let connect: Int
    let firstByte: Int
    let idle: Int

    init() {
        let standard = Config.empty.transportTimeouts
        connect = Int(standard.connect.components.seconds)
        firstByte = Int(standard.firstByte.components.seconds)
        idle = Int(standard.idle.components.seconds)
    }
}

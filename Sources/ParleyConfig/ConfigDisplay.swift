import Foundation
import ParleyCore
import ParleyProviders

/// `parley config show`: the settings in effect, as TOML with comments saying where each came
/// from. Secrets are never shown: keys are "set" or "missing" by variable name, a key command is
/// shown but not run, and a header whose name looks like a credential shows as "********".
public enum ConfigDisplay {
    public static func render(_ loaded: LoadedConfig, environment: [String: String]) -> String {
        let config = loaded.config
        var lines: [String] = []
        switch (loaded.path, loaded.exists) {
        case (let path?, true): lines.append("# \(path)")
        case (let path?, false): lines.append("# \(path) does not exist: every setting is the default")
        case (nil, _): lines.append("# no home folder: every setting is the default")
        }
        lines.append("")
        let configuration = config.providerConfiguration
        let provider = config.provider.flatMap(configuration.preset(named:)) ?? .demo
        lines.append("provider = \(quoted(provider.name))" + (config.provider == nil ? "  # default" : ""))
        lines.append(
            "model = \(quoted(config.model ?? config.providers[provider.name]?.model ?? provider.defaultModel))"
                + (config.model == nil ? "  # default" : ""))
        lines.append(
            "reasoning = \(quoted(loaded.defaultReasoning.name))" + (config.reasoning == nil ? "  # default" : ""))

        let shown = configuration.presets.filter { config.providers[$0.name] != nil || $0 == provider }.filter {
            !$0.isDemo
        }
        for preset in shown {
            lines += providerSection(preset, config.providers[preset.name] ?? ProviderSettings(), environment)
        }
        for preset in loaded.systemPresets {
            lines += ["", "[presets.\(key(preset.name))]", "system = \(quoted(preset.system))"]
            if let reasoning = preset.reasoning { lines.append("reasoning = \(quoted(reasoning.name))") }
        }

        let timeouts = loaded.timeouts
        lines += [
            "", "[timeouts]  # seconds",
            "connect = \(seconds(timeouts.connect))" + (config.timeouts.connect == nil ? "  # default" : ""),
            "first_byte = \(seconds(timeouts.firstByte))" + (config.timeouts.firstByte == nil ? "  # default" : ""),
            "idle = \(seconds(timeouts.idle))" + (config.timeouts.idle == nil ? "  # default" : ""),
            config.timeouts.total.map { "total = \(seconds($0))" } ?? "# total: no limit (default)",
            "key_command = \(seconds(loaded.keyCommandTimeout))"
                + (config.timeouts.keyCommand == nil ? "  # default" : ""),
            "", "[streaming]",
            "batch_window_ms = \(Int(loaded.batchWindow / .milliseconds(1)))"
                + (config.batchWindow == nil ? "  # default" : ""),
            "max_reply_mb = \(loaded.maxReplyBytes >> 20)" + (config.maxReplyBytes == nil ? "  # default" : ""),
            "", "[app]",
            config.thinkingPane.map { "thinking_pane = \($0)  # wins over the last Ctrl-T" }
                ?? "# thinking_pane: as the last Ctrl-T left it, else true (default)",
            "clipboard = \(quoted(loaded.clipboard))" + (config.clipboard == nil ? "  # default" : ""),
            config.clipboardCommand.map { "clipboard_command = \(quoted($0.joined(separator: " ")))" }
                ?? "# clipboard_command: the first found of wl-copy, xclip, xsel, pbcopy (default)",
            "mouse = \(loaded.mouse)" + (config.mouse == nil ? "  # default" : ""),
            "", "[tools]",
            "max_rounds = \(loaded.maxToolRounds)" + (config.maxToolRounds == nil ? "  # default" : ""),
            "max_output_kb = \(loaded.toolOutputLimit >> 10)" + (config.toolOutputLimit == nil ? "  # default" : ""),
            "", "[attachments]",
            "max_file_mb = \(loaded.attachmentLimits.fileBytes >> 20)"
                + (config.attachmentFileLimit == nil ? "  # default" : ""),
            "max_message_mb = \(loaded.attachmentLimits.messageBytes >> 20)"
                + (config.attachmentMessageLimit == nil ? "  # default" : ""),
        ]
        if !config.theme.isEmpty {
            lines +=
                ["", "[theme]"] + config.theme.sorted { $0.key < $1.key }.map { "\(key($0.key)) = \(quoted($0.value))" }
        }
        if !config.keys.isEmpty {
            lines +=
                ["", "[keys]"]
                + config.keys.sorted { $0.key < $1.key }.map {
                    "\(key($0.key)) = [\($0.value.map(quoted).joined(separator: ", "))]"
                }
        }
        for server in config.mcpServers.values.sorted(by: { $0.name < $1.name }) { lines += mcpServerSection(server) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A server's section. An environment variable or header that looks like a credential (a
    /// token for the server, more often than not) is masked as a provider's header is.
    private static func mcpServerSection(_ server: ToolServerSettings) -> [String] {
        var lines = ["", "[mcp.servers.\(key(server.name))]"]
        switch server.connection {
        case .stdio(let command, let arguments, let environment):
            lines.append("command = \(quoted(command))")
            if !arguments.isEmpty { lines.append("args = [\(arguments.map(quoted).joined(separator: ", "))]") }
            lines.append(
                environment.isEmpty
                    ? "env = {}  # the server gets no environment variables at all"
                    : "env = \(maskedTable(environment))  # all the environment the server gets")
        case .http(let url, let headers):
            lines.append("url = \(quoted(url))")
            if !headers.isEmpty { lines.append("headers = \(maskedTable(headers))") }
        }
        let standard = ToolServerSettings(name: server.name, connection: server.connection)
        lines += [
            "trust = \(quoted(server.trust.rawValue))" + (server.trust == standard.trust ? "  # default" : ""),
            "timeout = \(seconds(server.timeout))" + (server.timeout == standard.timeout ? "  # default" : ""),
            "enabled = \(server.enabled)" + (server.enabled == standard.enabled ? "  # default" : ""),
        ]
        return lines
    }

    private static func maskedTable(_ table: [String: String]) -> String {
        let pairs = table.sorted { $0.key < $1.key }.map {
            "\(key($0.key)) = \(quoted(HTTPHeader.isCredential($0.key) ? "********" : $0.value))"
        }
        return "{ \(pairs.joined(separator: ", ")) }"
    }

    private static func providerSection(
        _ preset: ProviderPreset, _ settings: ProviderSettings, _ environment: [String: String]
    ) -> [String] {
        var lines = ["", "[providers.\(key(preset.name))]"]
        if let kind = settings.kind { lines.append("kind = \(quoted(kind))") }
        if let variable = preset.baseURLVariable, let value = environment[variable], !value.isEmpty {
            lines.append("base_url = \(quoted(value))  # from \(variable)")
        } else if let url = settings.baseURL {
            lines.append("base_url = \(quoted(url))")
        } else {
            lines.append("base_url = \(quoted(preset.defaultBaseURL))  # default")
        }
        if let model = settings.model {
            lines.append("model = \(quoted(model))")
        } else {
            lines.append("model = \(quoted(preset.defaultModel))  # default")
        }
        let variables = settings.keyVariable.map { [$0] } ?? preset.keyVariables
        for (index, variable) in variables.enumerated() {
            let state = environment[variable]?.isEmpty == false ? "set" : "missing"
            let name = index == 0 ? "key_env" : "# or key_env"
            lines.append("\(name) = \(quoted(variable))  # \(state)" + (settings.keyVariable == nil ? ", default" : ""))
        }
        if let command = settings.keyCommand {
            lines.append("key_command = \(quoted(command))  # run only when the key is needed; never shown")
        }
        if !settings.headers.isEmpty {
            let pairs = settings.headers.map {
                "\(quoted($0.name)) = \(quoted(HTTPHeader.isCredential($0.name) ? "********" : $0.value))"
            }
            lines.append("headers = { \(pairs.joined(separator: ", ")) }")
        }
        return lines
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value.rounded() == value ? String(Int(value)) : String(value)
    }

    /// A TOML basic string.
    static func quoted(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\r": escaped += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                escaped += String(format: "\\u%04X", scalar.value)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// A bare key when it can be one, else a quoted one.
    static func key(_ name: String) -> String {
        let bare =
            !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            }
        return bare ? name : quoted(name)
    }
}

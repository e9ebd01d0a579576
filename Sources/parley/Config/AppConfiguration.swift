import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyTUI
import Synchronization

/// The config file as every command reads it, with the app's own names (commands, keys, colour
/// roles) to check it against.
enum AppConfiguration {
    /// The names `[keys]` and `[theme]` may use, from the app's tables themselves.
    static let vocabulary = ConfigVocabulary(
        colourRoles: Style.Role.allCases.map(roleName), commands: Command.allCases.map(\.rawValue),
        isKeyName: { Key(name: $0) != nil },
        checkBindings: { overrides in
            guard case .failure(let problem) = KeyBindings.standard.overriding(overrides) else { return nil }
            return (problem.command, problem.description)
        })

    /// The file at `ConfigLocation.path(environment:)`, validated; no file means the defaults.
    static func load(environment: [String: String]) throws(ConfigError) -> LoadedConfig {
        try LoadedConfig.load(environment: environment, vocabulary: vocabulary)
    }

    /// `load` for a command: a broken file stops it with every problem and exit code 2, before
    /// anything else happens (Parley never runs half-configured).
    static func loadForCommand(environment: [String: String]) throws(CommandFailure) -> LoadedConfig {
        do {
            return try load(environment: environment)
        } catch {
            throw CommandFailure.usage(error.lines.joined(separator: "\nerror: "))
        }
    }

    /// How `[theme]` names a role. Spelled out rather than read from the case names at run time:
    /// they are the file's words, which renaming a case must not change, and reading a case's
    /// name costs the first use a search through every protocol conformance in the program.
    static func roleName(_ role: Style.Role) -> String {
        switch role {
        case .normal: "normal"
        case .muted: "muted"
        case .accent: "accent"
        case .user: "user"
        case .heading: "heading"
        case .code: "code"
        case .quote: "quote"
        case .thinking: "thinking"
        case .error: "error"
        case .warning: "warning"
        case .success: "success"
        case .border: "border"
        case .focusedBorder: "focused-border"
        case .selection: "selection"
        case .placeholder: "placeholder"
        case .keyword: "keyword"
        case .string: "string"
        case .number: "number"
        case .comment: "comment"
        case .typeName: "type-name"
        case .added: "added"
        case .removed: "removed"
        case .hunk: "hunk"
        }
    }
}

extension LoadedConfig {
    /// The provider a command talks to, from its flags, the environment and this file. A missing
    /// key is the provider's problem (exit 1); a wrong name or URL is the user's (exit 2). A key
    /// command is not run here (see `unlocked`).
    func provider(_ provider: String?, model: String?, baseURL: String?, environment: [String: String])
        throws(CommandFailure) -> ProviderChoice
    {
        do {
            return try ProviderChoice.resolve(
                provider: provider, model: model, baseURL: baseURL, environment: environment,
                configuration: providerConfiguration)
        } catch .missingKey(let preset) {
            throw .failed(ProviderChoice.Problem.missingKey(preset).description)
        } catch {
            throw .usage(error.description)
        }
    }

    /// `choice` with its key, its key command run first when it has one, within `[timeouts]
    /// key_command`. Ctrl-C meanwhile stops the command and everything it started (exit 130):
    /// it runs in a process group of its own, which the terminal's Ctrl-C does not reach.
    func unlocked(_ choice: ProviderChoice) async throws(CommandFailure) -> ProviderChoice {
        try await unlockedResult(choice).get()
    }

    /// `unlocked`, its failure as a value.
    func unlockedResult(_ choice: ProviderChoice) async -> Result<ProviderChoice, CommandFailure> {
        guard choice.pendingKeyCommand != nil else { return .success(choice) }
        let timeout = keyCommandTimeout
        let unlocking = Task { try await KeyCommand.unlock(choice, timeout: timeout) }
        let interrupted = Atomic(false)
        let watcher = InterruptWatcher {
            interrupted.store(true, ordering: .relaxed)
            unlocking.cancel()
        }
        let result = await unlocking.result
        watcher.stop()
        switch result {
        case .success(let unlocked):
            return .success(unlocked)
        case .failure(let failure as KeyCommandFailure) where interrupted.load(ordering: .relaxed):
            return .failure(CommandFailure(message: failure.description + ".", exitCode: 130))
        case .failure(let failure as KeyCommandFailure):
            return .failure(.failed(ProviderChoice.Problem.keyCommandFailed(failure).description))
        case .failure(let error):
            return .failure(.failed("\(error)"))
        }
    }

    /// The key table with `[keys]` applied (already checked against it when the file was read).
    var keyBindings: KeyBindings {
        (try? KeyBindings.standard.overriding(keyBindingOverrides).get()) ?? .standard
    }

    /// `[theme]` by role, for the curses palette.
    var themeRoles: [Style.Role: String] {
        var roles: [Style.Role: String] = [:]
        for role in Style.Role.allCases {
            if let colour = themeColours[AppConfiguration.roleName(role)] { roles[role] = colour }
        }
        return roles
    }
}

extension AppConfiguration {
    /// How replies are priced for the history commands: the config's `[prices]` over Parley's
    /// table. A config file that cannot be read does not keep a saved conversation from being
    /// shown: its prices are then Parley's own.
    static func pricingForHistory(environment: [String: String]) -> PricingRules {
        .presets((try? load(environment: environment))?.prices ?? .bundled)
    }
}

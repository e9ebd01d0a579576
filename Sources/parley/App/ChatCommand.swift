import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming
import ParleyTUI

/// `parley` with no subcommand: the full-screen app.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "The full-screen app (what `parley` runs with no subcommand).",
        discussion: """
            Conversations on the left, the open one on the right with the model's thinking in its own \
            pane, and the message editor below. F1 lists every key; Ctrl-P picks the provider and \
            model, Ctrl-O the system prompt preset. New conversations use --provider and --model \
            (default: the config file's, else a local server found at start-up — Ollama, LM Studio, \
            llama.cpp on their usual ports — else the offline demo). Needs a terminal; from a script \
            use `parley ask`.
            """)

    @Option(
        help:
            "The provider new conversations use: \(ProviderNames.list). Default: the config file's, else a local server found at start-up, else the offline demo."
    )
    var provider: String?

    @Option(help: "The model new conversations use. Default: the provider's usual model.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "The provider's base URL (overrides its *_BASE_URL variable).")
    var baseURL: String?

    @Option(
        help: ArgumentHelp(
            "How much new conversations' models reason: \(Reasoning.spelling). Default: the config file's, else auto. "
                + "Ctrl-G changes it in the app.",
            valueName: "SETTING"))
    var reasoning: Reasoning?

    func run() async throws {
        // First of all: a broken config file stops the app before anything else (exit 2).
        let settings = try AppConfiguration.loadForCommand(environment: ProcessEnvironment.variables)
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CommandFailure.usage(
                "the full-screen app needs a terminal. From a script or a pipe, use `parley ask \"…\"` "
                    + "(see `parley ask --help`).")
        }
        let environment = ProcessEnvironment.variables
        let (choice, launchProblem) = try launchProvider(settings, environment: environment)
        log.info("the app started", metadata: ["provider": "\(choice.preset.name)", "model": "\(choice.model)"])
        let preferences = UIPreferences(environment: environment)
        let wiring = AppWiring(
            launch: choice, launchProblem: launchProblem, settings: settings, preferences: preferences,
            environment: environment)
        var labels = Dictionary(
            uniqueKeysWithValues: settings.providerConfiguration.presets.map { ($0.name, $0.displayName) })
        // A server given by its address alone is shown by its address.
        labels[choice.preset.name] = choice.label
        // Nothing named a provider: a local server found at start-up may stand in for the demo.
        let followsDiscovery = provider == nil && baseURL == nil && settings.defaultProvider == nil
        let state = AppState(
            size: Size(width: 80, height: 24),
            defaults: AppState.Defaults(
                provider: choice.preset.name, model: choice.model,
                reasoning: reasoning ?? settings.defaultReasoning, providerLabels: labels,
                baseURLs: choice.savedBaseURL.map { [choice.preset.name: $0] } ?? [:],
                followsDiscovery: followsDiscovery, modelIsAGuess: choice.modelIsAGuess,
                attachmentLimits: settings.attachmentLimits, pricing: PricingRules.presets(settings.prices),
                notify: Notify(rawValue: settings.notify) ?? .off,
                clipboard: ClipboardCommand.way(
                    settings.clipboard, command: settings.config.clipboardCommand, environment: environment),
                mouse: settings.mouse),
            choices: Self.choices(launch: choice, settings: settings, environment: environment),
            showThinking: preferences.startsWithThinking(configured: settings.thinkingPane),
            bindings: settings.keyBindings,
            now: AppWiring.now,
            seed: UInt64.random(in: 0...UInt64.max))
        let world = wiring.environment(
            theme: Self.theme(settings: settings, environment: environment), variables: environment)
        let startUp = await wiring.startUpEvents()
        let outcome = await Self.runOnOwnThread { [runtime = wiring.runtime] in
            try runtime.run(state, environment: world, startUp: startUp)
        }
        await wiring.stop()
        if case .failure(let error) = outcome { throw CommandFailure.usage("\(error)") }
    }

    /// The provider new conversations use. One without its key does not keep the app shut: old
    /// conversations can be read and another provider picked; the status bar says what is missing
    /// (and sending with it says so again). A wrong name or address is still a usage error.
    private func launchProvider(_ settings: LoadedConfig, environment: [String: String]) throws(CommandFailure)
        -> (ProviderChoice, problem: String?)
    {
        do {
            return (
                try ProviderChoice.resolve(
                    provider: provider, model: model, baseURL: baseURL, environment: environment,
                    configuration: settings.providerConfiguration), nil
            )
        } catch .missingKey(let preset) {
            let configuration = settings.providerConfiguration
            let keyless = ProviderChoice(
                preset: preset, model: model ?? configuration.defaultModel(for: preset),
                endpoint: ProviderEndpoint(baseURL: baseURL ?? preset.defaultBaseURL))
            let pick = settings.keyBindings.label(.pickModel) ?? "F1"
            let variables = preset.keyVariables.joined(separator: " or ")
            return (
                keyless,
                "\(preset.displayName) needs an API key: set \(variables) and restart, or \(pick) picks another provider."
            )
        } catch {
            throw .usage(error.description)
        }
    }

    /// What the pickers offer at start-up: the launch provider, then those usable now (configured,
    /// or with a key set), each with the model it uses by default; the config's presets.
    static func choices(launch: ProviderChoice, settings: LoadedConfig, environment: [String: String])
        -> ModelChoices
    {
        let configuration = settings.providerConfiguration
        let usable = configuration.usableProviders(environment: environment).filter { $0 != launch.preset }
        let providers =
            [ModelChoices.Provider(name: launch.preset.name, model: launch.model)]
            + usable.map { ModelChoices.Provider(name: $0.name, model: configuration.defaultModel(for: $0)) }
        return ModelChoices(
            providers: providers,
            // The demo's one model needs no asking.
            listings: [ProviderPreset.demo.name: .listed([ProviderPreset.demo.defaultModel])],
            presets: settings.systemPresets)
    }

    /// The config file's colours, or none at all when `NO_COLOR` is set (and not empty).
    static func theme(settings: LoadedConfig, environment: [String: String]) -> Theme {
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return .noColour }
        return Theme.standard.overriding(settings.themeRoles)
    }

    /// The run loop blocks in poll(); it gets a thread of its own so Swift's cooperative pool,
    /// where streams and the database work, keeps all its threads.
    private static func runOnOwnThread(_ body: @escaping @Sendable () throws -> AppState) async
        -> Result<AppState, any Error>
    {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: Result { try body() })
            }
            thread.stackSize = 8 << 20
            thread.name = "parley-ui"
            thread.start()
        }
    }
}

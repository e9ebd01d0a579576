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
            pane, and the message editor below. F1 lists every key. New conversations use --provider \
            and --model (default: the offline demo). Needs a terminal; from a script use `parley ask`.
            """)

    @Option(help: "The provider new conversations use: \(ProviderNames.list). Default: the offline demo.")
    var provider: String?

    @Option(help: "The model new conversations use. Default: the provider's usual model.")
    var model: String?

    @Option(name: .customLong("base-url"), help: "The provider's base URL (overrides its *_BASE_URL variable).")
    var baseURL: String?

    func run() async throws {
        // First of all: a broken config file stops the app before anything else (exit 2).
        let settings = try AppConfiguration.loadForCommand(environment: ProcessInfo.processInfo.environment)
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CommandFailure.usage(
                "the full-screen app needs a terminal. From a script or a pipe, use `parley ask \"…\"` "
                    + "(see `parley ask --help`).")
        }
        let environment = ProcessInfo.processInfo.environment
        let choice = try settings.provider(provider, model: model, baseURL: baseURL, environment: environment)
        let preferences = UIPreferences(environment: environment)
        let wiring = await AppWiring(launch: choice, settings: settings, environment: environment)
        let labels = Dictionary(uniqueKeysWithValues: ProviderPreset.all.map { ($0.name, $0.displayName) })
        let state = AppState(
            size: Size(width: 80, height: 24),
            defaults: AppState.Defaults(provider: choice.preset.name, model: choice.model, providerLabels: labels),
            // The last Ctrl-T wins over the config file's default.
            showThinking: preferences.showThinking ?? settings.thinkingPane ?? true, bindings: settings.keyBindings,
            now: AppWiring.now,
            seed: UInt64.random(in: 0...UInt64.max))
        let runtime = AppRuntime(
            environment: wiring.environment(
                preferences: preferences, theme: Theme.standard.overriding(settings.themeRoles)))
        wiring.connect(runtime)
        let startUp = await wiring.startUpEvents()
        let outcome = await Self.runOnOwnThread { try runtime.run(state, startUp: startUp) }
        await wiring.stop()
        if case .failure(let error) = outcome { throw CommandFailure.usage("\(error)") }
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

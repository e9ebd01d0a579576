import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyStreaming
import ParleyTUI

/// The full-screen app's composition root: opens the database (to write, else to read), takes the
/// streaming lease, makes the streaming service and the effects' interpreter (`AppEffects`), and
/// gives the run loop its environment.
final class AppWiring: Sendable {
    let runtime = AppRuntime()
    private let effects: AppEffects
    /// Tells other Parley processes that our replies are alive, for as long as the app runs.
    private let lease: StreamingLease?
    private let trace: TraceWriter?
    private let started = ContinuousClock.now

    init(
        launch: ProviderChoice, launchProblem: String? = nil, settings: LoadedConfig, preferences: UIPreferences,
        environment: [String: String]
    ) {
        var store: ConversationStore?
        var savingProblem: String?
        do {
            store = try ConversationStore.open()
            lease = store.flatMap { StreamingLease.take(forDatabaseAt: $0.path) }
        } catch {
            // A database that cannot be written (a read-only folder, a full disk) is still shown.
            store = try? ConversationStore.openForReading()
            savingProblem = error.message
            log.error("conversations cannot be saved", metadata: ["reason": "\(error.message)"])
            lease = nil
        }
        trace = environment["PARLEY_TRACE"].flatMap { $0.isEmpty ? nil : try? TraceWriter(path: $0) }
        let service = StreamingService(
            window: settings.batchWindow, timeLimit: settings.timeLimit, replyLimit: settings.maxReplyBytes,
            trace: trace?.hook)
        effects = AppEffects(
            providers: ConversationProviders(
                launch: launch, launchProblem: launchProblem, environment: environment,
                configuration: settings.providerConfiguration),
            service: service, transport: ProviderTransport(timeouts: settings.timeouts),
            keys: AppKeys(timeout: settings.keyCommandTimeout), preferences: preferences, store: store,
            savingProblem: savingProblem,
            tools: AppEffects.ToolSettings(
                servers: settings.config.mcpServers.values.filter(\.enabled).sorted { $0.name < $1.name },
                maxRounds: settings.maxToolRounds, outputLimit: settings.toolOutputLimit,
                searchPath: environment["PATH"]),
            attachments: AttachmentEffects(limits: settings.attachmentLimits, environment: environment),
            listingTimeout: settings.timeouts.firstByte, now: { Self.now },
            post: runtime.post)
        // Stream updates are not posted: the run loop takes them when woken (`arrivals`), so a
        // session whose batch the loop has not taken yet holds its reply back.
        service.updates.onArrival { [runtime] in runtime.wake() }
    }

    static var now: Timestamp { .current }

    /// The saved conversations and what cannot be used, for the first frame; the rest of the
    /// start-up goes on in the background.
    func startUpEvents() async -> [AppEvent] {
        await effects.startUp()
    }

    /// `variables`: the process's environment, for the editor and pager the user chose.
    func environment(theme: Theme, variables: [String: String]) -> AppEnvironment {
        var traceFrame: (@Sendable (FrameRecord) -> Void)?
        if let trace {
            let origin = started
            traceFrame = { record in
                trace.write(
                    .frameDrawn(time: origin.duration(to: .now), duration: record.duration, cells: record.cellsWritten))
            }
        }
        return AppEnvironment(
            perform: effects.perform, arrivals: effects.arrivals, now: { Self.now }, traceFrame: traceFrame,
            theme: theme, editor: Self.named(["VISUAL", "EDITOR"], in: variables) ?? "vi",
            pager: Self.named(["PAGER"], in: variables) ?? "less -R")
    }

    /// The first of `variables` that is set and not blank.
    static func named(_ variables: [String], in environment: [String: String]) -> String? {
        variables.lazy.compactMap { environment[$0] }.first { !$0.allSatisfy(\.isWhitespace) }
    }

    /// Ends every stream and task, and writes the last saves.
    func stop() async {
        await effects.stop()
    }
}

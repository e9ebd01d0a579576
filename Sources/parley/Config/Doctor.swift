import ArgumentParser
import Foundation
import ParleyConfig
import ParleyCore
import ParleyProviders
import ParleyStore
import ParleyTools
import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the config file, keys, providers, data folder and terminal.",
        discussion: """
            One line per check: "ok", "FAIL", or "--" for something worth knowing that is not a \
            failure. Checks: the config file is found and valid; which key variables are set (their \
            values are never printed); each provider in use (the config's default, those with a \
            [providers.NAME] section, hosted ones whose key is set) answers its models endpoint, \
            with the HTTP status or the error; local servers (Ollama, LM Studio, llama.cpp, vLLM) \
            that are not running are noted, not failed; the data folder is writable; the terminal \
            (TERM, colours) and a UTF-8 locale.

            Exit codes: 0 every required check passed, 1 one failed, 2 the config file is broken.
            """)

    @Option(help: "How long each provider has to answer, in seconds.")
    var timeout: Double = 3

    func validate() throws {
        guard timeout > 0, timeout <= 60 else { throw ValidationError("--timeout must be between 0 and 60 seconds.") }
    }

    func run() async throws {
        let environment = ProcessEnvironment.variables
        var report = DoctorReport()
        var loaded: LoadedConfig?
        do {
            loaded = try AppConfiguration.load(environment: environment)
            switch (loaded?.path, loaded?.exists) {
            case (let path?, true): report.add(.ok, "config", "\(path) is valid")
            case (let path?, _): report.add(.note, "config", "\(path) does not exist: the defaults apply")
            default: report.add(.note, "config", "no home folder, so no config file: the defaults apply")
            }
        } catch {
            for line in error.lines { report.add(.fail, "config", line) }
        }
        if let loaded {
            report.add(keys: Self.keyStates(loaded, environment))
            // Key commands run in process groups of their own, out of the terminal's reach: Ctrl-C
            // stops them (cancelling the checks) before Parley exits.
            let limit = Duration.milliseconds(Int64(timeout * 1000))
            let checking = Task { await Self.providerChecks(loaded, environment, timeout: limit) }
            let watcher = InterruptWatcher { checking.cancel() }
            let checks = await checking.value
            watcher.stop()
            if checking.isCancelled { throw ExitCode(130) }
            for check in checks { report.add(check.status, "provider", check.message) }
        }
        let data = await Self.dataFolderCheck(environment)
        report.add(data.status, "data", data.message)
        for check in await Self.terminalChecks(environment) { report.add(check.status, check.area, check.message) }

        Console.output(report.text)
        if loaded == nil {
            Console.output("The config file is broken: fix it with `parley config edit`.\n")
            throw ExitCode(2)
        }
        let failures = report.failures
        Console.output(
            failures == 0
                ? "All required checks passed.\n" : "\(failures) required check\(failures == 1 ? "" : "s") failed.\n")
        throw ExitCode(failures == 0 ? 0 : 1)
    }

    struct Check: Equatable {
        var status: DoctorReport.Status
        var message: String
    }

    // MARK: Keys

    /// Every key variable a provider may read, set or missing, and whether a missing one matters.
    static func keyStates(_ loaded: LoadedConfig, _ environment: [String: String]) -> [(String, Check)] {
        var seen: Set<String> = []
        var states: [(String, Check)] = []
        for preset in loaded.providerConfiguration.presets where preset.requiresKey {
            let settings = loaded.config.providers[preset.name]
            let variables = settings?.keyVariable.map { [$0] } ?? preset.keyVariables
            // Of a provider's alternatives (GEMINI_API_KEY or GOOGLE_API_KEY), the one set is enough.
            let set = variables.filter { environment[$0]?.isEmpty == false }
            for variable in set.isEmpty ? variables : set where seen.insert(variable).inserted {
                if environment[variable]?.isEmpty == false {
                    states.append((variable, Check(status: .ok, message: "\(variable) is set")))
                } else if let command = settings?.keyCommand {
                    states.append(
                        (
                            variable,
                            Check(
                                status: .note,
                                message: "\(variable) is missing; \(preset.name) uses key_command `\(command)`")
                        ))
                } else {
                    let needed =
                        isRequired(preset, loaded) && variables.allSatisfy { environment[$0]?.isEmpty != false }
                    let message =
                        "\(variable) is missing" + (needed ? " (\(preset.name) is configured and needs it)" : "")
                    states.append((variable, Check(status: needed ? .fail : .note, message: message)))
                }
            }
        }
        return states
    }

    // MARK: Providers

    /// Whether `preset` is one the user set up: the default provider, or a section of its own.
    static func isRequired(_ preset: ProviderPreset, _ loaded: LoadedConfig) -> Bool {
        loaded.defaultProvider == preset.name || (preset.requiresKey && loaded.config.providers[preset.name] != nil)
    }

    /// The providers worth checking: those configured or with a key set, and the local servers.
    static func providersToCheck(_ loaded: LoadedConfig, _ environment: [String: String]) -> [ProviderPreset] {
        loaded.providerConfiguration.presets.filter { preset in
            guard !preset.isDemo, preset.name != "openai-responses" || isRequired(preset, loaded) else { return false }
            let keySet = preset.keyVariables.contains { environment[$0]?.isEmpty == false }
            return isRequired(preset, loaded) || loaded.config.providers[preset.name] != nil || keySet
                || !preset.requiresKey
        }
    }

    static func providerChecks(
        _ loaded: LoadedConfig, _ environment: [String: String], timeout: Duration
    ) async -> [Check] {
        let presets = providersToCheck(loaded, environment)
        return await withTaskGroup(of: (Int, Check).self) { group in
            for (index, preset) in presets.enumerated() {
                group.addTask {
                    (
                        index,
                        await check(preset, required: isRequired(preset, loaded), loaded, environment, timeout: timeout)
                    )
                }
            }
            var checks: [(Int, Check)] = []
            for await check in group { checks.append(check) }
            return checks.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func check(
        _ preset: ProviderPreset, required: Bool, _ loaded: LoadedConfig, _ environment: [String: String],
        timeout: Duration
    ) async -> Check {
        let fail: DoctorReport.Status = required || preset.requiresKey ? .fail : .note
        let choice: ProviderChoice
        do {
            choice = try await KeyCommand.unlock(
                try ProviderChoice.resolve(
                    provider: preset.name, model: nil, baseURL: nil, environment: environment,
                    configuration: loaded.providerConfiguration),
                timeout: loaded.keyCommandTimeout)
        } catch let failure as KeyCommandFailure {
            return Check(
                status: fail, message: "\(preset.name): \(ProviderChoice.Problem.keyCommandFailed(failure).description)"
            )
        } catch {
            return Check(status: fail, message: "\(preset.name): \(error)")
        }
        let base = choice.endpoint.baseURL
        do {
            let listing = try await ModelCatalog.models(of: choice, timeout: timeout)
            let count = listing.models.count
            return Check(
                status: .ok,
                message:
                    "\(preset.name): \(base) answered \(listing.status ?? 200) (\(count) model\(count == 1 ? "" : "s"))"
            )
        } catch {
            // Refused (or unreachable) is a server that is not running; a timeout after connecting
            // is one that is running but did not answer, which is worth telling apart.
            let silent = error.kind == .timeout && !error.message.hasPrefix("could not connect")
            if !required, !preset.requiresKey, error.kind == .network || error.kind == .timeout {
                let state = silent ? "running but did not answer: \(error.message)" : "not running"
                return Check(status: .note, message: "\(preset.name): \(state) (\(base))")
            }
            return Check(status: fail, message: "\(preset.name): \(base): \(error.message)")
        }
    }

    // MARK: Data and terminal

    static func dataFolderCheck(_ environment: [String: String]) async -> Check {
        let path: String
        do {
            path = try StoreLocation.databasePath(environment: environment)
        } catch {
            return Check(status: .fail, message: error.description)
        }
        let folder = (path as NSString).deletingLastPathComponent
        let probe = folder + "/.parley-doctor-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try Data("ok".utf8).write(to: URL(fileURLWithPath: probe))
            try FileManager.default.removeItem(atPath: probe)
        } catch {
            return Check(status: .fail, message: "\(folder) is not writable: \(error.localizedDescription)")
        }
        guard FileManager.default.fileExists(atPath: path) else {
            return Check(status: .ok, message: "\(folder) is writable (\(StoreLocation.fileName) will be created)")
        }
        // Read, never written: a damaged file (or one from a newer Parley) is reported as it is.
        // Every page is read, whatever the mark a Parley left says: this is the check.
        do {
            let count = try await ConversationStore.openForReading(at: path, trustingMark: false).conversations().count
            return Check(
                status: .ok,
                message:
                    "\(folder) is writable (\(StoreLocation.fileName): \(count) conversation\(count == 1 ? "" : "s"))")
        } catch {
            return Check(status: .fail, message: error.description)
        }
    }

    static func terminalChecks(_ environment: [String: String]) async -> [(
        area: String, status: DoctorReport.Status, message: String
    )] {
        var checks: [(String, DoctorReport.Status, String)] = []
        if let term = environment["TERM"], !term.isEmpty, term != "dumb" {
            let colours = await tputColours(term: term, environment: environment)
            let detail = colours.map { "\($0) colours" } ?? "colours unknown (tput colors gave nothing)"
            checks.append(("terminal", colours.map { $0 >= 8 } ?? false ? .ok : .note, "TERM=\(term), \(detail)"))
        } else {
            checks.append(
                (
                    "terminal", .note,
                    "TERM is \(environment["TERM"].map { "\"\($0)\"" } ?? "not set"): the full-screen app needs a terminal; `parley ask` does not"
                ))
        }
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { name in
            environment[name].flatMap { $0.isEmpty ? nil : (name, $0) }
        }.first
        if let (name, value) = locale, value.lowercased().replacingOccurrences(of: "-", with: "").contains("utf8") {
            checks.append(("locale", .ok, "UTF-8 (\(name)=\(value))"))
        } else {
            let current = locale.map { "\($0.0)=\($0.1)" } ?? "no LANG, LC_CTYPE or LC_ALL"
            checks.append(("locale", .note, "not UTF-8 (\(current)): wide characters may not show; set LANG=C.UTF-8"))
        }
        return checks
    }

    /// `tput colors` for `term`: what terminfo says the terminal can show.
    static func tputColours(term: String, environment: [String: String]) async -> Int? {
        guard case .executable(let tput) = CommandPath.resolve("tput", path: environment["PATH"]) else { return nil }
        let variables = environment.map { Array("\($0.key)=\($0.value)".utf8) }
        guard
            let result = try? await Subprocess.run(
                .path(FilePath(tput)), arguments: ["-T", term, "colors"], environment: .custom(variables),
                input: .none, output: .string(limit: 64), error: .discarded),
            result.terminationStatus.isSuccess
        else { return nil }
        return Int(result.standardOutput.trimmed)
    }
}

/// The doctor's lines: "ok    config    …", with a count of the failed ones.
struct DoctorReport {
    enum Status: String {
        case ok = "ok"
        case fail = "FAIL"
        case note = "--"
    }

    private(set) var lines: [String] = []
    private(set) var failures = 0

    mutating func add(_ status: Status, _ area: String, _ message: String) {
        if status == .fail { failures += 1 }
        lines.append(status.rawValue.rightPadded(to: 6) + area.rightPadded(to: 10) + message)
    }

    mutating func add(keys: [(String, Doctor.Check)]) {
        for (_, check) in keys { add(check.status, "key", check.message) }
    }

    var text: String { lines.map { $0 + "\n" }.joined() }
}

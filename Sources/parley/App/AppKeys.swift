import ParleyConfig
import ParleyProviders
import Synchronization

/// The keys the app's key commands gave, kept while the app runs: a command (perhaps a passphrase
/// prompt) runs once, when the first reply needs it, not for every reply nor at start-up. A failure
/// is not kept, so the next reply tries again; quitting stops commands still running.
final class AppKeys: Sendable {
    private let timeout: Duration
    private let commands = Mutex<[String: Task<String, any Error>]>([:])

    init(timeout: Duration) {
        self.timeout = timeout
    }

    /// `choice` with its key, running its key command unless an earlier reply already did.
    func unlock(_ choice: ProviderChoice) async throws(KeyCommandFailure) -> ProviderChoice {
        guard let command = choice.pendingKeyCommand else { return choice }
        let timeout = timeout
        let task = commands.withLock { commands in
            if let running = commands[command] { return running }
            let started = Task { try await KeyCommand.run(command, timeout: timeout) }
            commands[command] = started
            return started
        }
        do {
            var unlocked = choice
            unlocked.endpoint.apiKey = try await task.value
            return unlocked
        } catch {
            commands.withLock { commands in
                if commands[command] == task { commands[command] = nil }
            }
            throw error as? KeyCommandFailure ?? KeyCommandFailure(command: command, reason: "was stopped")
        }
    }

    /// `choice` with its key when its command already gave one; nil when the command has not run.
    func known(_ choice: ProviderChoice) async -> ProviderChoice? {
        guard let command = choice.pendingKeyCommand else { return choice }
        guard let task = commands.withLock({ $0[command] }), let key = try? await task.value else { return nil }
        var unlocked = choice
        unlocked.endpoint.apiKey = key
        return unlocked
    }

    /// Stops every key command still running (and whatever it started).
    func stop() {
        for task in commands.withLock({ Array($0.values) }) { task.cancel() }
    }
}

import Foundation
import ParleyCore
import ParleyProviders
import Subprocess
import Synchronization

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs a `key_command` (`pass show openai`) through `/bin/sh -c` and returns its first line of
/// output, trimmed — only when a request needs the key, never at start-up.
///
/// The command gets an empty standard input and a process group of its own, so that a timeout or
/// Ctrl-C (the task running it is cancelled) stops it and everything it started: nothing is left
/// running. What it writes to stderr explains a failure; only the end of it is kept, however
/// much it writes.
public enum KeyCommand {
    /// How long a key command may take, unless `[timeouts] key_command` says otherwise: long
    /// enough to type a passphrase into an agent's prompt.
    public static let standardTimeout: Duration = .seconds(30)

    /// The most of its output that is read for the key, and of its stderr that is kept.
    static let outputLimit = 64 * 1024
    static let errorTailLimit = 4 * 1024

    /// `choice` with its key, running its pending key command (if it has one) first.
    public static func unlock(_ choice: ProviderChoice, timeout: Duration = standardTimeout)
        async throws(KeyCommandFailure) -> ProviderChoice
    {
        guard let command = choice.pendingKeyCommand else { return choice }
        var unlocked = choice
        unlocked.endpoint.apiKey = try await run(command, timeout: timeout)
        return unlocked
    }

    /// `clock` measures the time limit (a test's clock drives it without waiting).
    public static func run(
        _ command: String, timeout: Duration = standardTimeout, clock: any Clock<Duration> = ContinuousClock()
    ) async throws(KeyCommandFailure) -> String {
        let outcome: Outcome?
        do {
            outcome = try await withThrowingTaskGroup(of: Outcome?.self) { group in
                group.addTask { try await execute(command) }
                group.addTask {
                    try await clock.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        } catch is CancellationError {
            throw KeyCommandFailure(command: command, reason: "was stopped")
        } catch let failure as KeyCommandFailure {
            throw failure
        } catch {
            throw KeyCommandFailure(command: command, reason: "could not be started: \(error)")
        }
        // Stopped from outside (Ctrl-C): the command may have ended of the signal that stopped it
        // before the cancel reached the group, and it was stopped all the same.
        if Task.isCancelled { throw KeyCommandFailure(command: command, reason: "was stopped") }
        guard let outcome else {
            throw KeyCommandFailure(command: command, reason: "did not finish within \(timeout.spoken); it was stopped")
        }
        return try outcome.key(of: command)
    }

    /// What the command did: how it ended, what it printed, the end of what it said on stderr.
    struct Outcome: Sendable {
        var status: TerminationStatus
        var output: [UInt8]
        var errorTail: [UInt8]

        func key(of command: String) throws(KeyCommandFailure) -> String {
            let said =
                String(decoding: errorTail, as: UTF8.self).split(whereSeparator: \.isNewline).last
                .map { ": " + $0.trimmed } ?? ""
            switch status {
            case .exited(0): break
            case .exited(let code):
                throw KeyCommandFailure(command: command, reason: "exited with status \(code)\(said)")
            case .signaled(let signal):
                throw KeyCommandFailure(command: command, reason: "was killed by signal \(signal)\(said)")
            }
            let key =
                String(decoding: output, as: UTF8.self).split(whereSeparator: \.isNewline).first
                .map { $0.trimmed } ?? ""
            guard !key.isEmpty else { throw KeyCommandFailure(command: command, reason: "printed no key") }
            return key
        }
    }

    private static func execute(_ command: String) async throws -> Outcome {
        var options = PlatformOptions()
        // A group of its own: stopping it reaches whatever it started, and our Ctrl-C does not.
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(1))]
        let group = Mutex<pid_t>(0)
        defer {
            // Anything it left running in the background goes too. The kernel never reuses the id
            // of a process group that still has members, so this reaches no stranger.
            let id = group.withLock { $0 }
            if id > 0 { kill(-id, SIGKILL) }
        }
        let result = try await Subprocess.run(
            .path(FilePath("/bin/sh")), arguments: ["-c", command], platformOptions: options, input: .none,
            output: .sequence, error: .sequence
        ) { execution in
            group.withLock { $0 = execution.processIdentifier.value }
            async let errorTail = tail(of: execution.standardError, limit: errorTailLimit)
            var output: [UInt8] = []
            for try await buffer in execution.standardOutput where output.count < outputLimit {
                buffer.withUnsafeBytes { output += $0.prefix(outputLimit - output.count) }
            }
            return (output, try await errorTail)
        }
        let (output, errorTail) = result.closureResult
        return Outcome(status: result.terminationStatus, output: output, errorTail: errorTail)
    }

    /// The last `limit` bytes of `stream`, read to its end.
    private static func tail(of stream: SubprocessOutputSequence, limit: Int) async throws -> [UInt8] {
        var kept: [UInt8] = []
        for try await buffer in stream {
            buffer.withUnsafeBytes { kept += $0 }
            if kept.count > limit { kept.removeFirst(kept.count - limit) }
        }
        return kept
    }
}

import Clocks
import Foundation
import ParleyConfig
import ParleyProviders
import ParleyTestSupport
import Testing

@Suite("key_command: the key from a command's output")
struct KeyCommandTests {
    /// These stories are about what a command gives, not how long it may take (that has its own
    /// story, on a test clock): a busy machine may be slow to run even `true`.
    static let patient: Duration = .seconds(600)

    @Test("its first line of output, trimmed, is the key")
    func success() async throws {
        #expect(
            try await KeyCommand.run("printf '  sk-from-pass  \\nuser: me\\n'", timeout: Self.patient) == "sk-from-pass"
        )
    }

    @Test("a failing command is named, with its status and the last thing it said")
    func failure() async {
        await #expect(
            throws: KeyCommandFailure(
                command: "echo 'openai is not in the password store' >&2; exit 3",
                reason: "exited with status 3: openai is not in the password store")
        ) {
            try await KeyCommand.run("echo 'openai is not in the password store' >&2; exit 3", timeout: Self.patient)
        }
    }

    @Test("a command that prints nothing gave no key")
    func empty() async {
        await #expect(throws: KeyCommandFailure(command: "true", reason: "printed no key")) {
            try await KeyCommand.run("true", timeout: Self.patient)
        }
    }

    @Test("a command that does not exist says so")
    func missing() async throws {
        do {
            _ = try await KeyCommand.run("no-such-parley-password-tool show openai", timeout: Self.patient)
            Issue.record("expected a failure")
        } catch {
            #expect(
                error.description.hasPrefix(
                    "the key command `no-such-parley-password-tool show openai` exited with status 127"))
        }
    }

    @Test("a command that hangs is stopped at its time limit, with whatever it started in the background")
    func timeout() async throws {
        let folder = try Scratch()
        let command = "sleep 1000 & echo $! > '\(folder.path)/child'; sleep 1000"
        let clock = TestClock()
        let running = Task { try await KeyCommand.run(command, timeout: .milliseconds(500), clock: clock) }
        // Time runs out only once the command is well under way, however slowly it started.
        #expect(await eventually { (try? folder.read("child")).flatMap { pid_t($0) } != nil })
        let stopped = Task {
            while !Task.isCancelled {
                await clock.advance(past: .milliseconds(500))
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        defer { stopped.cancel() }
        await #expect(
            throws: KeyCommandFailure(command: command, reason: "did not finish within 500 ms; it was stopped")
        ) {
            try await running.value
        }
        let child = try #require(pid_t(try folder.read("child")))
        #expect(await Scratch.ends(child), "the background child is gone")
    }

    @Test("cancelling the task that waits for it (Ctrl-C) stops the command and what it started")
    func cancelled() async throws {
        let folder = try Scratch()
        let command = "sleep 1000 & echo $! > '\(folder.path)/child'; wait"
        let running = Task { try await KeyCommand.run(command, timeout: .seconds(600)) }
        while (try? folder.read("child")).flatMap({ pid_t($0) }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        running.cancel()
        await #expect(throws: KeyCommandFailure(command: command, reason: "was stopped")) { try await running.value }
        let child = try #require(pid_t(try folder.read("child")))
        #expect(await Scratch.ends(child), "the background child is gone")
    }

    @Test("however much it writes to stderr, the failure keeps only the end, and says its last line")
    func chattyStderr() async {
        let command = "head -c 20000000 /dev/zero | tr '\\0' 'x' >&2; echo >&2; echo 'final word' >&2; exit 2"
        await #expect(throws: KeyCommandFailure(command: command, reason: "exited with status 2: final word")) {
            // 20 MB through a pipe is slow on a busy machine; this story is not about the time limit.
            try await KeyCommand.run(command, timeout: .seconds(600))
        }
    }

    @Test("unlocking runs a choice's pending command; a choice whose key is known is left alone")
    func unlock() async throws {
        let pending = try ProviderChoice.resolve(
            provider: "mistral", model: nil, baseURL: nil, environment: [:],
            configuration: ProviderConfiguration(providers: ["mistral": ProviderSettings(keyCommand: "echo sk-m")]))
        let unlocked = try await KeyCommand.unlock(pending, timeout: Self.patient)
        #expect(unlocked.endpoint.apiKey == "sk-m")
        #expect(unlocked.pendingKeyCommand == nil)
        #expect(try await KeyCommand.unlock(unlocked) == unlocked)
    }
}

/// A temporary folder a test's commands write into.
struct Scratch {
    let path: String

    init() throws {
        path = try ScratchFolders.folder("key").path
    }

    /// Whether `pid` is a live process: neither gone nor a zombie waiting to be reaped (an
    /// orphan's new parent, in a container, may never reap it).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return false }
        return state != "Z" && state != "X"
    }

    /// Waits for `pid` to end (a signal sent is delivered when the process next runs, which on a
    /// busy machine takes a moment); false if it still runs after a minute.
    static func ends(_ pid: pid_t) async -> Bool {
        let giveUp = ContinuousClock.now + .seconds(60)
        while isRunning(pid), ContinuousClock.now < giveUp { try? await Task.sleep(for: .milliseconds(10)) }
        return !isRunning(pid)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path + "/" + name, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

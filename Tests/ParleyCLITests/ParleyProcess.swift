import Foundation
import ParleyTestSupport
import Synchronization

/// The real `parley` binary run as a subprocess, as a user or a script runs it.
final class ParleyProcess: Sendable {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// `--events` output, one parsed object per line.
        var eventLines: [[String: Any]] {
            stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
        }

        var eventTypes: [String] { eventLines.compactMap { $0["type"] as? String } }
    }

    static var binary: URL {
        // The test runner sits beside the products it was built with.
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("parley")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/parley")
    }

    private let child: ChildProcess
    private let output = Mutex(Data())
    private let errors = Mutex(Data())
    /// Left by each pipe's reader when it has read to the end.
    private let readersDone = DispatchGroup()

    private func read(_ descriptor: Int32, append: @escaping @Sendable (ArraySlice<UInt8>) -> Void) {
        readersDone.enter()
        let thread = Thread { [readersDone] in
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = Foundation.read(descriptor, &chunk, chunk.count)
                if count > 0 {
                    append(chunk[0..<count])
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(descriptor)
            readersDone.leave()
        }
        thread.start()
    }

    /// A child that exits before reading its input must make the write fail, not kill the test
    /// process with SIGPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Starts `parley arguments…` with a clean environment plus `environment`, and `stdin` as input.
    /// `standardOutput` replaces the stdout pipe (a file such as /dev/full); `stdout` is then empty.
    /// `launcher` is a command that runs the binary (its path comes right after it), such as
    /// `Unprivileged.launcher`. `directory` is the folder it runs in (else the test's own).
    init(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        standardOutput: FileHandle? = nil, launcher: [String] = [], directory: URL? = nil
    ) throws {
        // Each run gets its own data folder unless the test shares one on purpose.
        let home = ScratchFolders.path("home")
        var base = ["PATH": "/usr/bin:/bin", "HOME": home, "PARLEY_HOME": home, "LANG": "C.UTF-8"]
        base.merge(environment) { _, new in new }

        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        var inPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0, pipe(&inPipe) == 0 else {
            throw ChildProcess.SpawnFailure(arguments: arguments, code: errno)
        }
        do {
            child = try ChildProcess(
                launcher + [Self.binary.path] + arguments, environment: base, directory: directory?.path,
                standardInput: inPipe[0], standardOutput: standardOutput?.fileDescriptor ?? outPipe[1],
                standardError: errPipe[1])
        } catch {
            for end in outPipe + errPipe + inPipe { close(end) }
            throw error
        }
        // The child's ends are the child's alone: the readers see the end when it exits.
        for end in [outPipe[1], errPipe[1], inPipe[0]] { close(end) }
        // A thread per pipe reading until the end, not `readabilityHandler`: libdispatch's read
        // sources crash its manager thread when many pipes come and go at once (SR-12079), as
        // they do when the whole suite runs its subprocesses in parallel.
        read(outPipe[0]) { [self] bytes in output.withLock { $0.append(contentsOf: bytes) } }
        read(errPipe[0]) { [self] bytes in errors.withLock { $0.append(contentsOf: bytes) } }
        if let stdin {
            _ = Self.ignoreBrokenPipes
            var bytes = Array(stdin.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Foundation.write(inPipe[1], $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { break }
                bytes = bytes.dropFirst(written)
            }
        }
        close(inPipe[1])
    }

    var stdoutSoFar: String { String(decoding: output.withLock { $0 }, as: UTF8.self) }

    var stderrSoFar: String { String(decoding: errors.withLock { $0 }, as: UTF8.self) }

    func interrupt() { child.send(SIGINT) }

    /// SIGTERM, as a service manager stops a server.
    func terminate() { child.send(SIGTERM) }

    /// Waits until `condition` holds on standard error so far (see `waitForOutput`).
    func waitForErrors(timeout: Duration = .seconds(120), _ condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !hasEnded {
            if condition(stderrSoFar) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(stderrSoFar)
    }

    /// kill -9: no handler runs, nothing is flushed — as when the machine loses power.
    func kill() { child.send(SIGKILL) }

    /// A data folder that several runs share, as one user's successive commands do.
    static func dataFolder() -> String {
        ScratchFolders.path("data")
    }

    /// Whether it has exited and both pipes have been read to their end: nothing more can come,
    /// so a wait for output stops there instead of at its timeout.
    private var hasEnded: Bool {
        child.hasExited && readersDone.wait(timeout: .now()) == .success
    }

    /// Waits until `condition` holds on the output so far, polling the pipes' progress, or until
    /// the process has ended. `timeout` only keeps a broken run from hanging: a loaded machine is
    /// slow, never that slow.
    func waitForOutput(timeout: Duration = .seconds(120), _ condition: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !hasEnded {
            if condition(stdoutSoFar) { return true }
            await Task.yield()
            try? await Task.sleep(for: .milliseconds(5))
        }
        return condition(stdoutSoFar)
    }

    /// Waits for the process to exit (killing it after `timeout`) and returns what it printed.
    func result(timeout: Duration = .seconds(300)) async -> Result {
        let watchdog = Task { [child] in
            try await Task.sleep(for: timeout)
            child.send(SIGTERM)
        }
        let status = await child.status()
        watchdog.cancel()
        // What the pipes still hold: the readers reach the end once the process is gone.
        _ = readersDone.wait(timeout: .now() + 10)
        return Result(
            status: status,
            stdout: String(decoding: output.withLock { $0 }, as: UTF8.self),
            stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self))
    }

    /// Runs `parley arguments…` to completion.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, launcher: [String] = [],
        directory: URL? = nil
    ) async throws -> Result {
        try await ParleyProcess(
            arguments, environment: environment, stdin: stdin, launcher: launcher, directory: directory
        ).result()
    }
}

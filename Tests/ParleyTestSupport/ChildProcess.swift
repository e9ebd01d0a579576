import Foundation
import Synchronization

/// A program a test runs, started with `posix_spawn` rather than Foundation's `Process`: in Swift
/// 6.3.1, `Process.run()` reads past the end of a buffer while it lists /proc/self/fd, and now and
/// then that crashes the whole test run (swift-corelibs-foundation #5472, fixed after 6.3.1; seen
/// here once in a loaded run of the whole suite).
///
/// The child gets the standard streams it is given, else /dev/null, and none of the test process's
/// other descriptors: a child that lives on (a tmux server, a parley) would hold other tests'
/// sockets and pipes open, so their servers never see a close and their readers never an end.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    private enum Exit {
        case running([CheckedContinuation<Int32, Never>])
        case exited(Int32)
    }

    private let exit = Mutex(Exit.running([]))

    /// Starts `argv` (its first word looked up on the PATH when it has no slash).
    /// - Parameters:
    ///   - environment: the child's whole environment; nil for the test process's own.
    ///   - directory: the folder it runs in; nil for the test's own.
    ///   - standardInput, standardOutput, standardError: descriptors of the test's to give the
    ///     child as its 0, 1 and 2; nil for /dev/null.
    public init(
        _ argv: [String], environment: [String: String]? = nil, directory: String? = nil,
        standardInput: Int32? = nil, standardOutput: Int32? = nil, standardError: Int32? = nil
    ) throws {
        pid = try Self.spawn(argv, environment: environment, directory: directory) { actions in
            for (descriptor, given) in [standardInput, standardOutput, standardError].enumerated() {
                if let given { posix_spawn_file_actions_adddup2(&actions, given, Int32(descriptor)) }
            }
        }
        // One thread blocked in waitpid per child: the status is there as soon as it exits.
        let thread = Thread { [self] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            // As Foundation's `terminationStatus`: the exit code, or the signal that ended it.
            let code = status & 0x7F == 0 ? (status >> 8) & 0xFF : status & 0x7F
            let waiters = self.exit.withLock { state -> [CheckedContinuation<Int32, Never>] in
                guard case .running(let waiters) = state else { return [] }
                state = .exited(code)
                return waiters
            }
            for waiter in waiters { waiter.resume(returning: code) }
        }
        thread.start()
    }

    public var hasExited: Bool {
        exit.withLock { if case .exited = $0 { true } else { false } }
    }

    /// Its exit code, or the number of the signal that ended it, once it has exited.
    public func status() async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let code = exit.withLock { state -> Int32? in
                switch state {
                case .exited(let code): return code
                case .running(let waiters):
                    state = .running(waiters + [continuation])
                    return nil
                }
            }
            if let code { continuation.resume(returning: code) }
        }
    }

    /// Sends it `signal` (SIGINT as Ctrl-C does, SIGTERM, SIGKILL), unless it has exited.
    public func send(_ signal: Int32) {
        if !hasExited { kill(pid, signal) }
    }

    /// Starts `argv` with its standard streams on /dev/null unless `streams` says otherwise, in a
    /// session of its own when `newSession`, with nothing else of the test process's descriptors.
    /// Nobody waits for it: that is the caller's to do (or not, for a server that lives on).
    public static func spawn(
        _ argv: [String], environment: [String: String]? = nil, directory: String? = nil, newSession: Bool = false,
        streams: (inout posix_spawn_file_actions_t) -> Void = { _ in }
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in Int32(0)...2 {
            posix_spawn_file_actions_addopen(
                &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        streams(&actions)
        guard Self.glibc(actions: &actions, closingFrom: 3, changingTo: directory) else {
            throw SpawnFailure(arguments: argv, code: ENOSYS)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // glibc's POSIX_SPAWN_SETSID, which Swift's Glibc module does not declare (_GNU_SOURCE).
        if newSession { posix_spawnattr_setflags(&attributes, 0x80) }
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var variables = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { for variable in variables ?? [] { free(variable) } }
        var pid: pid_t = 0
        let failure: Int32
        if variables != nil {
            failure = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, &variables!)
        } else {
            failure = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, environ)
        }
        guard failure == 0 else { throw SpawnFailure(arguments: argv, code: failure) }
        return pid
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34 and later) and
    /// posix_spawn_file_actions_addchdir_np (2.29), which Swift's Glibc module does not declare:
    /// found at run time. False when this C library has not got one that is needed.
    private static func glibc(
        actions: inout posix_spawn_file_actions_t, closingFrom first: Int32, changingTo directory: String?
    ) -> Bool {
        let library = dlopen(nil, RTLD_NOW)
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let closeFrom = dlsym(library, "posix_spawn_file_actions_addclosefrom_np") else { return false }
        _ = unsafeBitCast(closeFrom, to: AddCloseFrom.self)(&actions, first)
        guard let directory else { return true }
        typealias AddChdir =
            @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let chdir = dlsym(library, "posix_spawn_file_actions_addchdir_np") else { return false }
        _ = unsafeBitCast(chdir, to: AddChdir.self)(&actions, directory)
        return true
    }

    public struct SpawnFailure: Error, CustomStringConvertible {
        public var arguments: [String]
        public var code: Int32

        public init(arguments: [String], code: Int32) {
            self.arguments = arguments
            self.code = code
        }

        public var description: String {
            "could not start \(arguments.joined(separator: " ")): \(String(cString: strerror(code)))"
        }
    }
}

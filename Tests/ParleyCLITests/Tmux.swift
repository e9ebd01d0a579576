import Foundation
import ParleyTestSupport
import Testing

/// A terminal a person would use, for the full-screen app: a tmux session on a server of its own
/// (so a user's tmux is never touched), typed into with send-keys and read with capture-pane.
final class Tmux: Sendable {
    let name: String
    private let socket: String
    /// Kills the server after `lifetime` if the test process dies before it can (a crash, a kill):
    /// a failed run must not leave the app running in a terminal nobody sees.
    private let sentinel: pid_t
    private static let lifetime = 900

    static var isInstalled: Bool {
        ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Starts `command` (a shell command line) in a `width`×`height` terminal. Programs in it may
    /// set tmux's clipboard with OSC 52 (`set-clipboard on`), as a user's tmux often allows, so a
    /// test can see whether one did.
    init(width: Int, height: Int, command: String) throws {
        name = "parley"
        let socket = "parley-test-\(UUID().uuidString.prefix(8))"
        self.socket = socket
        sentinel = try ChildProcess.spawn(
            ["sh", "-c", "sleep \(Self.lifetime); exec tmux -L \(socket) kill-server"], newSession: true)
        // The server this starts outlives the command: it must not hold a pipe we wait on.
        try run(
            [
                "start-server", ";", "set", "-g", "set-clipboard", "on", ";",
                "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command,
            ], capture: false)
    }

    deinit {
        _ = try? run(["kill-server"])
        // tmux leaves its socket file behind when its server ends: a run of the suite would leave
        // hundreds in the user's tmux folder.
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
        kill(-sentinel, SIGKILL)  // its whole session: the shell and its sleep
        var status: Int32 = 0
        while waitpid(sentinel, &status, 0) < 0 && errno == EINTR {}
    }

    /// Keys by tmux's names: "Enter", "Escape", "Tab", "C-q", "Down".
    func press(_ keys: String...) throws { try run(["send-keys", "-t", name] + keys) }

    /// Text typed literally, character by character.
    func type(_ text: String) throws { try run(["send-keys", "-t", name, "-l", text]) }

    /// Bytes written to the app as the terminal would send them (a mouse report), exactly: no key
    /// names, nothing translated.
    func send(bytes text: String) throws {
        try run(["send-keys", "-t", name, "-H"] + text.utf8.map { String($0, radix: 16) })
    }

    /// Whether the app has set one of the terminal's modes, by tmux's name for it ("mouse_sgr_flag").
    func mode(_ flag: String) throws -> Bool {
        try run(["display-message", "-p", "-t", name, "#{\(flag)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
            == "1"
    }

    /// Pastes `text` as a terminal does, between bracketed-paste markers when the app asked for them.
    func paste(_ text: String) throws {
        try run(["set-buffer", "-b", "parley-test", text])
        try run(["paste-buffer", "-p", "-d", "-b", "parley-test", "-t", name])
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The processes the pane's shell started (the app, while it runs).
    func paneChildren() throws -> [pid_t] {
        let shell = try run(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0) }
    }

    /// What the terminal shows now, one string per row.
    func screen() throws -> String { try run(["capture-pane", "-p", "-t", name]) }

    /// What the terminal shows now with its colours and attributes, as SGR escape sequences.
    func styledScreen() throws -> String { try run(["capture-pane", "-p", "-e", "-t", name]) }

    /// Everything the pane has shown, scrolled-off lines included (a clear-screen erases them).
    func history() throws -> String { try run(["capture-pane", "-p", "-S", "-", "-t", name]) }

    /// The pane's title, which an OSC 0/2 sequence written to the terminal would change.
    func title() throws -> String {
        try run(["display-message", "-p", "-t", name, "#{pane_title}"]).trimmingCharacters(in: .newlines)
    }

    /// tmux's paste buffers: what OSC 52 sequences written to the terminal put on the clipboard.
    func clipboard() throws -> String { try run(["list-buffers"]) }

    /// The newest paste buffer whole: what the last OSC 52 sequence put on the clipboard.
    func lastCopy() throws -> String { try run(["show-buffer"]) }

    /// Waits until the screen satisfies `condition`, reading it as it changes; returns the last screen.
    /// `timeout` only keeps a broken run from hanging: a loaded machine is slow, never that slow.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Duration = .seconds(120), _ condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw Timeout(what: what, screen: last)
    }

    struct Timeout: Error, CustomStringConvertible {
        var what: String
        var screen: String
        var description: String { "timed out waiting for \(what); the screen was:\n\(screen)" }
    }

    /// Runs tmux and waits for it with waitpid (Foundation's `waitUntilExit` needs a run loop,
    /// which a test's task does not have). `capture` reads its output until it exits.
    @discardableResult
    private func run(_ arguments: [String], capture: Bool = true) throws -> String {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw ChildProcess.SpawnFailure(arguments: arguments, code: errno) }
        let spawned = Result {
            try ChildProcess.spawn(["tmux", "-L", socket, "-f", "/dev/null"] + arguments) { actions in
                if capture { posix_spawn_file_actions_adddup2(&actions, fds[1], 1) }
            }
        }
        close(fds[1])
        defer { close(fds[0]) }
        let pid = try spawned.get()
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fds[0], &buffer, buffer.count)
            if count > 0 {
                output += buffer[0..<count]
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: output, as: UTF8.self)
    }

}

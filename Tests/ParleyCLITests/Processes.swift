import Foundation

/// Other processes a test watches: the children a key command starts.
enum Processes {
    /// Whether `pid` is a live process: neither gone nor a zombie waiting to be reaped (an orphan's
    /// new parent, in a container, may never reap it).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let state = stat.split(separator: ")").last?.split(separator: " ").first
        else { return false }
        return state != "Z" && state != "X"
    }

    /// Waits for `pid` to end (a signal is delivered when the process next runs, which on a busy
    /// machine takes a moment); false if it still runs after a minute.
    static func ends(_ pid: pid_t) async -> Bool {
        let giveUp = ContinuousClock.now + .seconds(60)
        while isRunning(pid), ContinuousClock.now < giveUp { try? await Task.sleep(for: .milliseconds(10)) }
        return !isRunning(pid)
    }

    /// The process id a command writes to `path`, once it has (nil after a minute).
    static func written(to path: String) async -> pid_t? {
        let giveUp = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < giveUp {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if text.hasSuffix("\n"), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}

import Foundation
import ParleyTUI
import ParleyTestSupport
import Testing

@testable import parley

/// A copy given to a local clipboard command: the command found on the PATH the way the app finds
/// it gets the exact text on its input; one that fails is said.
@Suite("The clipboard command")
struct ClipboardCommandTests {
    /// A folder holding a stand-in `name` that writes what it reads to `copied.txt` beside it.
    static func fake(_ name: String, body: String = #"cat > "$(dirname "$0")/copied.txt""#) throws -> URL {
        let folder = try ScratchFolders.folder("clipboard")
        let script = folder.appendingPathComponent(name)
        try Executable.write("#!/bin/sh\n\(body)\n", to: script.path)
        return folder
    }

    @Test("wl-copy found on the PATH (a local Wayland session) receives the exact text, bytes and all")
    func exactText() async throws {
        let folder = try Self.fake("wl-copy")
        let way = ClipboardCommand.way(
            "auto", command: nil,
            environment: ["WAYLAND_DISPLAY": "wayland-0", "TERM": "xterm", "PATH": folder.path + ":/usr/bin:/bin"])
        guard case .command(let path, let arguments) = way else {
            Issue.record("no command chosen: \(way)")
            return
        }
        #expect(path == folder.path + "/wl-copy")
        let text = "fn main() {\n\tprintln!(\"héllo, 世界\");\n}\n\n"
        #expect(await ClipboardCommand.copy(text, path: path, arguments: arguments) == nil)
        let copied = try Data(contentsOf: folder.appendingPathComponent("copied.txt"))
        #expect(copied == Data(text.utf8))
    }

    @Test("clipboard_command is looked for on the PATH too; over SSH auto goes by OSC 52 without it")
    func configured() throws {
        let folder = try Self.fake("my-copy")
        let environment = ["SSH_TTY": "/dev/pts/3", "TERM": "xterm", "PATH": folder.path + ":/usr/bin:/bin"]
        #expect(
            ClipboardCommand.way("command", command: ["my-copy", "-n"], environment: environment)
                == .command(path: folder.path + "/my-copy", arguments: ["-n"]))
        #expect(ClipboardCommand.way("auto", command: nil, environment: environment) == .osc52(.none))
    }

    @Test("a command that fails is said, with its name")
    func failing() async throws {
        let folder = try Self.fake("xclip", body: "cat >/dev/null; exit 1")
        let failed = await ClipboardCommand.copy("x", path: folder.path + "/xclip", arguments: [])
        guard case .copyFailed(let reason) = failed else {
            Issue.record("a failed copy was not said")
            return
        }
        #expect(reason.hasPrefix("xclip failed"))
    }
}

import Testing

@testable import ParleyTUI

/// How a copy reaches the clipboard: which way Parley takes where it runs, and the exact bytes of
/// OSC 52 straight to the terminal, through tmux and through GNU screen.
@Suite("The clipboard's way")
struct ClipboardTests {
    /// Finds only the commands named here, at /usr/bin.
    static func on(_ names: String...) -> (String) -> String? {
        { name in names.contains(name) ? "/usr/bin/\(name)" : nil }
    }

    @Test("OSC 52 outside a multiplexer: ESC ] 52 ; c ; base64 BEL")
    func plain() {
        #expect(Clipboard.osc52("héllo", through: .none) == "\u{1B}]52;c;aMOpbGxv\u{07}")
    }

    @Test("inside tmux: the plain sequence (set-clipboard) and its passthrough copy, ESC doubled inside")
    func tmux() {
        #expect(
            Clipboard.osc52("hi", through: .tmux)
                == "\u{1B}]52;c;aGk=\u{07}" + "\u{1B}Ptmux;\u{1B}\u{1B}]52;c;aGk=\u{07}\u{1B}\\")
    }

    @Test("inside screen: DCS passthrough in pieces of 76 base64 characters, each closed")
    func screen() {
        let text = String(repeating: "a", count: 60)  // 80 base64 characters: two pieces
        let payload = String(repeating: "YWFh", count: 20)
        let expected =
            "\u{1B}P\u{1B}]52;c;\u{1B}\\" + "\u{1B}P" + payload.prefix(76) + "\u{1B}\\" + "\u{1B}P"
            + payload.dropFirst(76)
            + "\u{1B}\\" + "\u{1B}P\u{07}\u{1B}\\"
        #expect(Clipboard.osc52(text, through: .screen) == expected)
    }

    @Test("auto, on this machine: the display's clipboard command, when one is on the PATH")
    func localCommand() {
        #expect(
            Clipboard.choose(
                .auto, environment: ["WAYLAND_DISPLAY": "wayland-0", "TERM": "xterm"], locate: Self.on("wl-copy"))
                == .command(path: "/usr/bin/wl-copy", arguments: []))
        #expect(
            Clipboard.choose(.auto, environment: ["DISPLAY": ":0", "TERM": "xterm"], locate: Self.on("xsel"))
                == .command(path: "/usr/bin/xsel", arguments: ["--clipboard", "--input"]))
        #expect(
            Clipboard.choose(.auto, environment: ["DISPLAY": ":0"], locate: Self.on("xclip", "xsel"))
                == .command(path: "/usr/bin/xclip", arguments: ["-selection", "clipboard"]))
    }

    @Test("auto, over SSH: OSC 52 to the user's terminal (a command would fill the far machine's clipboard)")
    func overSSH() {
        let ssh = ["SSH_CONNECTION": "10.0.0.1 5000 10.0.0.2 22", "DISPLAY": ":10", "TERM": "xterm-256color"]
        #expect(Clipboard.choose(.auto, environment: ssh, locate: Self.on("xclip")) == .osc52(.none))
        #expect(
            Clipboard.choose(
                .auto, environment: ssh.merging(["TMUX": "/tmp/tmux-1/default,1,0"]) { $1 }, locate: Self.on())
                == .osc52(.tmux))
        #expect(
            Clipboard.choose(.auto, environment: ["SSH_TTY": "/dev/pts/1", "TERM": "screen"], locate: Self.on())
                == .osc52(.screen))
    }

    @Test("no way: off, a console with no command, or command asked for and none found, each said plainly")
    func noWay() {
        #expect(
            Clipboard.choose(.off, environment: ["TERM": "xterm"], locate: Self.on("pbcopy"))
                == .unavailable("Copying is off ([app] clipboard = \"off\")."))
        guard
            case .unavailable(let console) = Clipboard.choose(.auto, environment: ["TERM": "linux"], locate: Self.on())
        else {
            Issue.record("a console was taken to copy")
            return
        }
        #expect(console.hasPrefix("Nothing here can take a copy: TERM=linux knows no OSC 52"))
        #expect(
            Clipboard.choose(.command, environment: ["TERM": "xterm"], locate: Self.on())
                == .unavailable(
                    "No clipboard command found (wl-copy, xclip, xsel, pbcopy): set [app] clipboard_command."))
        #expect(Clipboard.choose(.osc52, environment: ["TERM": "dumb"], locate: Self.on("xclip")) == .osc52(.none))
    }

    @Test("clipboard_command is used as written, also over SSH, and said when it is not on the PATH")
    func configuredCommand() {
        let ssh = ["SSH_TTY": "/dev/pts/1", "TERM": "xterm"]
        #expect(
            Clipboard.choose(.auto, command: ["my-copy", "--all"], environment: ssh, locate: Self.on("my-copy"))
                == .command(path: "/usr/bin/my-copy", arguments: ["--all"]))
        #expect(
            Clipboard.choose(.command, command: ["my-copy"], environment: ssh, locate: Self.on())
                == .unavailable("The clipboard command my-copy is not on the PATH."))
    }
}

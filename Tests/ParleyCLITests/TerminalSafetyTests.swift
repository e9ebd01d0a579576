import Foundation
import ParleyCore
import ParleyTestSupport
import Synchronization
import Testing

/// Text from servers, models, saved titles and the config file is data: whatever `parley` writes
/// to a terminal, escape sequences in it are shown as pictures, never obeyed. Checked in a real
/// terminal (tmux), where an obeyed sequence would retitle the pane, fill the clipboard or clear
/// the screen.
@Suite("Untrusted text never drives the terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"))
struct TerminalSafetyTests {
    /// What a hostile server (or prompt, or config file) slips into its text: a new window title, a
    /// clipboard write, a cleared screen and scrollback, bidi controls and a line separator.
    static let hostile =
        "\u{1B}]0;PWNED-TITLE\u{07}\u{1B}]52;c;UFdORUQ=\u{07}\u{1B}[2J\u{1B}[3J\u{1B}[H\u{202E}\u{200F}\u{2028}"

    static func json(_ text: String) -> String { JSON.string(text).serialized() }

    /// A server that puts `hostile` in every text it sends: error bodies, a retried failure, and a
    /// stream whose model name, text and tool call carry it before an in-band error.
    static func hostileServer() async throws -> TestServer {
        let flakyTries = Mutex(0)
        let error = "{\"error\":{\"message\":\(json("bad key " + hostile)),\"type\":\"invalid_request_error\"}}"
        // No error type: the status decides, and a 503 is tried again.
        let overloaded = "{\"error\":{\"message\":\(json("busy " + hostile))}}"
        let model = json("gpt-" + hostile)
        let stream = [
            "{\"model\":\(model),\"choices\":[{\"index\":0,\"delta\":{\"content\":\(json("Hello " + hostile))}}]}",
            "{\"model\":\(model),\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\","
                + "\"type\":\"function\",\"function\":{\"name\":\(json("lookup" + hostile)),\"arguments\":\"{}\"}}]}}]}",
            "{\"error\":{\"message\":\(json("went wrong " + hostile))}}",
        ].map { "data: \($0)\n\n" }.joined()
        let fine =
            "data: {\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"fine\"},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n"
        return try await TestServer.start { request in
            switch request.target {
            case let target where target.hasPrefix("/a401/"):
                return .whole(error, status: 401)
            case "/flaky/chat/completions":
                let tries = flakyTries.withLock { tries in
                    tries += 1
                    return tries
                }
                return tries == 1 ? .whole(overloaded, status: 503) : .replay(Array(fine.utf8))
            default:
                return .replay(Array(stream.utf8))
            }
        }
    }

    @Test(
        "ask's error, retry, tool-call and mid-stream lines, models, doctor, show (paged), export, rm and config errors: shown as pictures"
    )
    func everyPathShowsPictures() async throws {
        let server = try await Self.hostileServer()
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try "provider = \"openai\"\n[providers.openai]\nbase_url = \"\(server.baseURL)/a401\"\n".write(
            toFile: home + "/config.toml", atomically: true, encoding: .utf8)
        let broken = "\"\\u001b]0;PWNED-TITLE\\u0007\\u001b[2J\" = 1\n"
        let prompt = "title" + Self.hostile
        try prompt.write(toFile: home + "/prompt.txt", atomically: true, encoding: .utf8)
        let url = server.baseURL
        let script = """
            parley() { \(ParleyProcess.binary.path) "$@"; }
            echo BEFORE-ALL
            echo '== http-error'; parley ask --base-url \(url)/a401 one
            echo '== retry'; parley ask --base-url \(url)/flaky two
            echo '== stream'; parley ask --base-url \(url)/hostile < prompt.txt
            echo '== models'; parley models --provider openai --base-url \(url)/a401
            echo '== doctor'; parley doctor --timeout 10
            id=$(parley list | head -n 1 | cut -d' ' -f1)
            echo '== show'; PAGER=cat parley show "$id"
            echo '== export'; parley export "$id" --format md
            echo '== rm'; parley rm "$id" > /dev/null
            printf '%s' '\(broken)' > config.toml
            echo '== config'; parley ask --provider demo three
            echo '== end'; echo ALL-DONE
            """
        try script.write(toFile: home + "/script.sh", atomically: true, encoding: .utf8)
        let tmux = try Tmux(
            width: 120, height: 40,
            command: "cd '\(home)' && env -i PATH=/usr/bin:/bin HOME='\(home)' PARLEY_HOME='\(home)' LANG=C.UTF-8 "
                + "TERM=xterm-256color sh script.sh; sleep 600")
        let titleBefore = try tmux.title()
        try await tmux.waitFor("the script to end") { $0.contains("ALL-DONE") }

        let history = try tmux.history()
        #expect(history.contains("BEFORE-ALL"), "the screen and its scrollback were not cleared")
        #expect(try tmux.title() == titleBefore)
        #expect(!(try tmux.clipboard()).contains("PWNED"))
        #expect(!(try tmux.title()).contains("PWNED"))
        var sections: [String: String] = [:]
        for piece in history.components(separatedBy: "== ").dropFirst() {
            let name = String(piece.prefix { !$0.isWhitespace })
            sections[name] = String(piece.dropFirst(name.count))
        }
        for name in ["http-error", "retry", "stream", "models", "doctor", "show", "export", "rm", "config"] {
            let shown = sections[name] ?? ""
            #expect(shown.contains("␛]0;PWNED-TITLE␇"), "\(name): \(shown)")
        }
        #expect(sections["stream"]?.contains("<U+202E><U+200F><U+2028>") == true)
        #expect(sections["stream"]?.contains("lookup␛]0;PWNED-TITLE") == true, "the tool call line")
        #expect(sections["retry"]?.contains("retrying in") == true, "the retry notice")
    }
}

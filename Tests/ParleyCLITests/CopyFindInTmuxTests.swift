import Foundation
import ParleyTestSupport
import Testing

/// Copying a code block out of a streamed reply and finding in the conversation, in a real
/// terminal: what reached tmux's clipboard (OSC 52) or a local clipboard command, and find's
/// count and highlight on screen.
@Suite("Copy mode and find, in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct CopyFindInTmuxTests {
    /// The demo reply's code block, for the prompt "Copy me", as written (its fences left out).
    static let code =
        "// Ask any provider the same way.\nlet reply = try await parley.ask(\"Copy me\", provider: \"ollama\")"

    /// The app with the demo's reply to "Copy me" finished on screen.
    static func replied(home: String, extra: [String: String] = [:]) async throws -> Tmux {
        let tmux = try Tmux(
            width: 120, height: 40,
            command: AppInTmuxTests.command(["--provider", "demo"], home: home, extra: extra))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.type("Copy me")
        try tmux.press("Enter")
        try await tmux.waitFor("the whole reply") { $0.contains(" · in ~") && $0.contains("To talk to a real model") }
        return tmux
    }

    @Test("Alt-C, Tab, Enter: the code block alone reaches tmux's clipboard through OSC 52")
    func codeBlockThroughOSC52() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try await Self.replied(home: home)
        try tmux.press("M-c")
        try await tmux.waitFor("copy mode") { $0.contains("Copy: message 2 of 2") }
        try tmux.press("Tab")
        try await tmux.waitFor("the code block chosen") {
            $0.contains("Copy: code block 1 of 1, swift in message 2 of 2")
        }
        try tmux.press("Enter")
        try await tmux.waitFor("the copy confirmed") {
            $0.contains("Copied \(Self.code.count) characters (code block, swift).")
        }
        #expect(try tmux.lastCopy() == Self.code)
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("in a local Wayland session the clipboard command on the PATH gets the code block")
    func codeBlockThroughCommand() async throws {
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        _ = try HandoverInTmuxTests.script("wl-copy", in: home, #"cat > "$(dirname "$0")/copied.txt""#)
        let tmux = try await Self.replied(
            home: home, extra: ["WAYLAND_DISPLAY": "wayland-0", "PATH": home + ":/usr/bin:/bin"])
        try tmux.press("M-c", "Tab", "Enter")
        try await tmux.waitFor("the copy confirmed") { $0.contains("(code block, swift).") }
        let copied = home + "/copied.txt"
        try await tmux.waitFor("the command to write its file") { _ in
            (try? String(contentsOfFile: copied, encoding: .utf8)) == Self.code
        }
        #expect(!(try tmux.clipboard()).contains("Ask any provider"), "no OSC 52 as well")
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("Alt-/ finds in the conversation: the count, the match highlighted, Enter to the next, Esc closes")
    func find() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try await Self.replied(home: home)
        try tmux.press("M-/")
        try await tmux.waitFor("the find prompt") { $0.contains("Find: ") && $0.contains("Enter finds") }
        try tmux.type("copy ME")
        try tmux.press("Enter")
        // The question once, and the reply's two mentions of it.
        try await tmux.waitFor("the first match") { $0.contains("/3 · Enter next") }
        // Every match in sight is in reverse video: the style codes just before the words include 7.
        let styled = try tmux.styledScreen().split(separator: "\n").filter {
            $0.contains("parley.ask(") || $0.contains("You asked about")
        }
        let before = try Regex("((?:\u{1B}\\[[0-9;]*m)+)[Cc]opy me")
        let highlighted = styled.contains { line in
            line.matches(of: before).contains { match in
                String(line[match.range]).split(whereSeparator: { !$0.isNumber }).contains("7")
            }
        }
        #expect(highlighted, "no match in reverse video:\n\(styled.joined(separator: "\n"))")
        let first = try tmux.screen()
        try tmux.press("Enter")
        try await tmux.waitFor("the next match") { $0 != first && $0.contains("/3 · Enter next") }
        try tmux.press("Escape")
        try await tmux.waitFor("find closed") { !$0.contains("Find: ") }
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }
}

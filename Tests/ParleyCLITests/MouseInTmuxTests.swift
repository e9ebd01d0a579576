import Foundation
import ParleyTestSupport
import Testing

/// `[app] mouse` in a real terminal: tmux sees the app ask for mouse reports only when it is on, and
/// takes the request back whenever the terminal is lent or given back; a click the terminal reports
/// opens the conversation under it, and with the mouse off a report never reaches the editor.
/// Both kinds of terminal are tried: xterm's terminfo names the report's prefix as the mouse key,
/// tmux's does not.
@Suite("The mouse, in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct MouseInTmuxTests {
    static let terminals = ["xterm-256color", "tmux-256color"]

    /// A home with two conversations, "First chat" and then "Second chat", and `config`.
    static func home(_ config: String) async throws -> ConfigHome {
        let home = try ConfigHome(config)
        for prompt in ["First chat", "Second chat"] {
            let asked = try await ParleyProcess.run(
                ["ask", "--provider", "demo", prompt], environment: home.environment())
            #expect(asked.status == 0)
        }
        return home
    }

    /// A left click's report (press and release) on the sidebar row showing `title`, 1-based as the
    /// terminal counts.
    static func click(on title: String, in screen: String) throws -> String {
        let row = try #require(screen.split(separator: "\n").firstIndex { $0.contains(title) }) + 1
        return "\u{1B}[<0;6;\(row)M\u{1B}[<0;6;\(row)m"
    }

    @Test(
        "mouse on: a click opens the conversation under it; the reports are off in the pager and after",
        arguments: terminals)
    func clickOpens(term: String) async throws {
        let home = try await Self.home("[app]\nmouse = true\n")
        let pager = try home.script("pager.sh", "printf 'PAGER OPEN\\n'; read line")
        let tmux = try Tmux(
            width: 100, height: 30,
            command: AppInTmuxTests.command(
                ["--provider", "demo"], home: home.folder, extra: ["TERM": term, "PAGER": pager]))
        let first = try await tmux.waitFor("both conversations listed") {
            $0.contains("First chat") && $0.contains("Second chat")
        }
        #expect(try tmux.mode("mouse_standard_flag") && tmux.mode("mouse_sgr_flag"))
        #expect(!first.contains("┌ First chat"))
        try tmux.send(bytes: Self.click(on: "First chat", in: first))
        try await tmux.waitFor("the clicked conversation open, its messages shown") {
            $0.contains("┌ First chat") && $0.contains("You asked about “First chat”")
        }

        try tmux.press("M-p")
        try await tmux.waitFor("the pager") { $0.contains("PAGER OPEN") }
        #expect(try !tmux.mode("mouse_standard_flag") && !tmux.mode("mouse_sgr_flag"), "the pager gets no reports")
        try tmux.press("Enter")
        try await tmux.waitFor("the app back") { $0.contains("┌ First chat") }
        #expect(try tmux.mode("mouse_standard_flag") && tmux.mode("mouse_sgr_flag"))

        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
        #expect(try !tmux.mode("mouse_standard_flag") && !tmux.mode("mouse_sgr_flag"), "the shell gets no reports")
    }

    @Test(
        "mouse off (the default): no reports asked for, and one sent anyway is swallowed, not typed",
        arguments: terminals)
    func offSwallows(term: String) async throws {
        let home = try await Self.home("")
        let tmux = try Tmux(
            width: 100, height: 30,
            command: AppInTmuxTests.command(["--provider", "demo"], home: home.folder, extra: ["TERM": term]))
        let first = try await tmux.waitFor("both conversations listed") {
            $0.contains("First chat") && $0.contains("Second chat")
        }
        #expect(try !tmux.mode("mouse_standard_flag") && !tmux.mode("mouse_sgr_flag"))
        try tmux.send(bytes: Self.click(on: "First chat", in: first))
        try tmux.type("x")
        let typed = try await tmux.waitFor("the x typed after it") { $0.contains("> x") }
        #expect(!typed.contains("[<") && !typed.contains("0;6;"), "nothing of the report in the editor")
        #expect(!typed.contains("┌ First chat"), "nothing opened")
        try tmux.press("BSpace", "C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }
}

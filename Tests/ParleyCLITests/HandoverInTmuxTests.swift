import Foundation
import ParleyTestSupport
import Testing

/// The terminal lent to the user's own programs and taken back: the message written in their
/// editor, the conversation read in their pager.
@Suite("The editor and the pager, in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct HandoverInTmuxTests {
    /// An executable script in `home`: stands in for the user's editor or pager.
    static func script(_ name: String, in home: String, _ body: String) throws -> String {
        let path = home + "/" + name
        try Executable.write("#!/bin/sh\n" + body + "\n", to: path)
        return path
    }

    @Test("Alt-E opens the message in $EDITOR and what it saved comes back; a failing editor changes nothing")
    func editor() async throws {
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        // The editor appends a line to what it was given, as a user would.
        let editor = try Self.script("editor.sh", in: home, #"printf ' and more from the editor\n' >> "$1""#)
        let failing = try Self.script("failing.sh", in: home, "exit 3")
        let tmux = try Tmux(
            width: 100, height: 30,
            command: AppInTmuxTests.command(["--provider", "demo"], home: home, extra: ["EDITOR": editor]))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.type("A draft")
        try tmux.press("M-e")
        try await tmux.waitFor("the edited message") { $0.contains("> A draft and more from the editor") }
        try tmux.press("C-q", "C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }

        let again = try Tmux(
            width: 100, height: 30,
            command: AppInTmuxTests.command(["--provider", "demo"], home: home, extra: ["VISUAL": failing]))
        try await again.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try again.type("Kept")
        try again.press("M-e")
        let screen = try await again.waitFor("the failure said") {
            $0.contains("`failing.sh` exited with status 3: the message is as it was.")
        }
        #expect(screen.contains("> Kept"))
        try again.press("C-q", "C-q")
        try await again.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("Alt-P shows the conversation in $PAGER, coloured, and the app is back as it was")
    func pager() async throws {
        let home = ParleyProcess.dataFolder()
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let pager = try Self.script("pager.sh", in: home, #"cp "$1" "$(dirname "$0")/paged.txt""#)
        let tmux = try Tmux(
            width: 100, height: 40,
            command: AppInTmuxTests.command(["--provider", "demo"], home: home, extra: ["PAGER": pager]))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.type("Hello pager")
        try tmux.press("Enter")
        try await tmux.waitFor("the whole reply") { $0.contains(" · in ~") }
        try tmux.press("M-p")
        let paged = home + "/paged.txt"
        try await tmux.waitFor("the app back after the pager") { _ in FileManager.default.fileExists(atPath: paged) }
        let text = try String(contentsOfFile: paged, encoding: .utf8)
        #expect(text.hasPrefix("\u{1B}[1;35mHello pager\u{1B}[0m\n"), "the title, in the heading's colour")
        #expect(text.contains("Hello pager"))
        #expect(text.contains("This is \u{1B}[1mParley's demo provider\u{1B}[0m"), "the reply, its Markdown styled")
        #expect(text.contains("\u{1B}[1;32myou\u{1B}[0m"), "who wrote each message, coloured")
        let back = try await tmux.waitFor("the screen restored") { $0.contains("┌ Conversations") }
        #expect(back.contains("Hello pager"))
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }

    @Test("parley show on a terminal pages the conversation through $PAGER; piped, it prints")
    func show() async throws {
        let home = ParleyProcess.dataFolder()
        let environment = ["PARLEY_HOME": home]
        #expect(
            try await ParleyProcess.run(["ask", "--provider", "demo", "Page me"], environment: environment).status == 0)
        let id = try #require(
            try await ParleyProcess.run(["list"], environment: environment).stdout.split(separator: " ").first
                .map(String.init))
        let pager = try Self.script("pager.sh", in: home, #"cp "$1" "$(dirname "$0")/paged.txt""#)
        let tmux = try Tmux(
            width: 100, height: 30,
            command:
                "env -i PATH=/usr/bin:/bin PARLEY_HOME='\(home)' PAGER='\(pager)' LANG=C.UTF-8 TERM=xterm-256color "
                + "\(ParleyProcess.binary.path) show \(id); echo \"EXITED $?\"; echo CHECKED; sleep 60")
        let after = try await tmux.waitFor("show to end") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
        #expect(!after.contains("Page me"), "nothing printed: it went to the pager")
        let paged = try String(contentsOfFile: home + "/paged.txt", encoding: .utf8)
        #expect(paged.contains("Page me"))
        let piped = try await ParleyProcess.run(["show", id], environment: environment)
        #expect(piped.stdout.contains("Page me"))
    }
}

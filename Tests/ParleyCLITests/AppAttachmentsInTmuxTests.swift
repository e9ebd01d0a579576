import Foundation
import Testing

/// Files in the full-screen app, as a person attaches them: the path prompt with Tab completion,
/// the chips above the editor, one taken back with Backspace, the message sent with the rest, and
/// the reply and the transcript showing what went.
@Suite("Attachments in the full-screen app", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AppAttachmentsInTmuxTests {
    @Test(
        "Ctrl-X, Tab completes the path, Enter attaches; Backspace takes the second back; the demo says what reached it"
    )
    func attachRemoveSend() async throws {
        let home = ParleyProcess.dataFolder()
        let folder = try AskAttachmentsTests.folder()
        let tmux = try Tmux(
            width: 110, height: 40, command: AppInTmuxTests.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }

        try tmux.press("C-x")
        try tmux.type(folder.path + "/no")
        try tmux.press("Tab")
        try await tmux.waitFor("the path completed") { $0.contains("Attach file: \(folder.path)/notes.md") }
        try tmux.press("Enter")
        try await tmux.waitFor("the first chip") { $0.contains("📎1 notes.md · text · 15 B") }

        try Self.attach(folder.path + "/shot.txt", in: tmux)
        try await tmux.waitFor("the second chip: a PNG, whatever its name says") {
            $0.contains("📎1 notes.md · text · 15 B  📎2 shot.txt · PNG · 12 B")
        }
        try tmux.press("BSpace")
        try await tmux.waitFor("the second chip taken back") {
            $0.contains("Removed shot.txt.") && !$0.contains("📎2")
        }

        try tmux.type("What is this?")
        try tmux.press("Enter")
        let replied = try await tmux.waitFor("the reply saying which file reached it") {
            $0.contains("You attached notes.md (text, 15 B, 3 lines)") && $0.contains("(offline) · in ~")
        }
        #expect(replied.contains("│ 📎 notes.md · text · 15 B"), "the chip in the sent message")
        #expect(!replied.contains("📎1"), "no chips left above the editor")

        try Self.attach(folder.path + "/a.out", in: tmux)
        try await tmux.waitFor("a binary refused, saying why") {
            $0.contains("Not attached: a.out is neither text, an image")
        }
        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
    }

    /// Ctrl-X, the path typed, Enter.
    static func attach(_ path: String, in tmux: Tmux) throws {
        try tmux.press("C-x")
        try tmux.type(path)
        try tmux.press("Enter")
    }
}

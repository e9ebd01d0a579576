import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// A conversation's branches in the real app: regenerating keeps the old reply beside the new
/// one, the header says where the shown one stands, and the keys move between them.
@Suite("A conversation's branches, in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AppBranchesInTmuxTests {
    @Test("regenerate with the demo: ◀ 2/2 ▶; [ shows the old reply again, and the choice is saved")
    func regenerateAndSwitch() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(
            width: 100, height: 50, command: AppInTmuxTests.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") && $0.contains("demo (offline)") }
        try await AppHabitsInTmuxTests.ask(tmux, "Branch me")
        try tmux.press("C-r")
        try await tmux.waitFor("the new reply beside the old one") {
            $0.contains("◀ 2/2 ▶") && $0.contains("To talk to a real model") && $0.contains(" · in ~")
        }
        try tmux.press("Tab", "[")
        try await tmux.waitFor("the old reply shown again") { $0.contains("◀ 1/2 ▶") && !$0.contains("◀ 2/2 ▶") }
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }

        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        let id = try #require(listed.stdout.split(separator: " ").first.map(String.init))
        let exported = try await ParleyProcess.run(
            ["export", id, "--format", "json", "--tree"], environment: ["PARLEY_HOME": home])
        let json = try JSON.parse(exported.stdout)
        let path = json["messages"]?.array ?? []
        let tree = json["tree"]?.array ?? []
        #expect(path.count == 2)
        #expect(tree.count == 3)
        // The reply shown is the first one made: the older of the two replies in the tree.
        let replies = tree.filter { $0["role"]?.string == "assistant" }
        let oldest = replies.min { ($0["created_at_ms"]?.double ?? 0) < ($1["created_at_ms"]?.double ?? 0) }
        #expect(path.last?["id"]?.string == oldest?["id"]?.string)
        #expect(replies.allSatisfy { $0["parent_id"]?.string == path.first?["id"]?.string })
    }
}

import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// Habits people bring from other tools, tried on the real app in a terminal: their own keys,
/// a draft per conversation, Ctrl-C, a model name no list offers, a thinking pane that stays put.
@Suite("The app's habits, in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AppHabitsInTmuxTests {
    static func command(_ arguments: [String], home: String) -> String {
        AppInTmuxTests.command(arguments, home: home)
    }

    /// Sends `text` and waits for the demo's whole reply to it.
    static func ask(_ tmux: Tmux, _ text: String) async throws {
        try tmux.type(text)
        try tmux.press("Enter")
        try await tmux.waitFor("the demo's reply to “\(text)”") {
            $0.contains("│ \(text)") && $0.contains("To talk to a real model") && $0.contains(" · in ~")
        }
    }

    @Test("keys from [keys] work where the editor has focus, the old ones are gone, the hints name the new ones")
    func rebinding() async throws {
        let home = try ConfigHome(
            """
            [keys]
            new = ["f5"]
            help = ["f2"]
            """)
        let tmux = try Tmux(width: 100, height: 50, command: Self.command(["--provider", "demo"], home: home.folder))
        try await tmux.waitFor("the first frame, its hints with the new key") {
            $0.contains("┌ Conversations") && $0.contains("F2 help")
        }
        try await Self.ask(tmux, "first question")
        try tmux.press("F1")
        try tmux.press("C-n")
        try tmux.type("x")
        try await tmux.waitFor("F1 and Ctrl-N doing nothing now: the x is typed in the same conversation") {
            $0.contains("│ first question") && $0.contains("> x") && !$0.contains("Keys")
        }
        try tmux.press("BSpace", "F5")
        try await tmux.waitFor("F5 starting a new conversation from the editor") { !$0.contains("│ first question") }
        try tmux.press("F2")
        let help = try await tmux.waitFor("F2 showing help, with each command's config name") {
            $0.contains("f5                    new conversation  [new]")
        }
        #expect(help.contains("f2                    show or hide this help  [help]"))
        try tmux.press("Escape", "C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }

        // Two commands on one key: the app does not start, and says where and why.
        try home.write("[keys]\nnew = [\"ctrl-q\"]\n")
        let clash = try await ParleyProcess.run(["chat"], environment: home.environment())
        #expect(clash.status == 2)
        #expect(
            clash.stderr.contains(
                "config.toml:2:1: 'new' in [keys]: \"ctrl-q\" would be both new and quit; give one of them other keys"))
    }

    @Test("each conversation keeps its draft; quitting with one says so, and a second Ctrl-Q quits all the same")
    func drafts() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(width: 100, height: 50, command: Self.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try await Self.ask(tmux, "older one")
        try tmux.press("C-n")
        try await Self.ask(tmux, "newer one")
        try tmux.type("half a thought")
        // To the sidebar (newest first), down to the older one, open it.
        try tmux.press("Tab", "Down", "Enter")
        let older = try await tmux.waitFor("the older conversation, its editor empty") {
            $0.contains("│ older one") && !$0.contains("│ newer one")
        }
        #expect(!older.contains("half a thought"))
        try tmux.press("Up", "Enter")
        try await tmux.waitFor("the newer one again, with its draft") {
            $0.contains("│ newer one") && $0.contains("half a thought")
        }
        try tmux.press("C-q")
        try await tmux.waitFor("the warning") {
            $0.contains("A message is not sent: press Ctrl-Q again to quit all the same.")
        }
        try tmux.press("C-q")
        let after = try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
        #expect(after.contains("EXITED 0"))
    }

    @Test("a Ctrl-C that stops a reply is only that: the next one says how to quit, and only a third quits")
    func interruptAfterStop() async throws {
        let held = Gate()
        let server = try await TestServer.start { request in
            guard request.target == "/v1/chat/completions" else { return .whole("{}", status: 404) }
            return .replay(StreamBodies.openAIChat(["The first part, ", "then the rest."])).held(at: [0.5], by: [held])
        }
        defer {
            held.open()
            Task { try await server.shutdown() }
        }
        let home = ParleyProcess.dataFolder()
        try ConfigHome.patient(home)
        let tmux = try Tmux(
            width: 100, height: 40,
            command: Self.command(
                ["--provider", "openai", "--base-url", server.baseURL + "/v1", "--model", "m"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try tmux.type("go")
        try tmux.press("Enter")
        try await tmux.waitFor("the reply under way") { $0.contains("The first part") }
        try tmux.press("C-c")
        try await tmux.waitFor("the reply stopped") { $0.contains("Stopped; what arrived is kept.") }
        try tmux.press("C-c")
        try await tmux.waitFor("how to quit, and the app still open") {
            $0.contains("Press Ctrl-C again to quit (or Ctrl-Q).") && $0.contains("┌ Conversations")
        }
        // The third quits. On a machine so loaded that it reached the app more than the quitting
        // window (2 s) after the second, it only says how to quit again, and the next one quits.
        var exited: String?
        for _ in 0..<5 where exited == nil {
            try tmux.press("C-c")
            exited = try? await tmux.waitFor("the app to exit", timeout: .seconds(10)) { $0.contains("CHECKED") }
        }
        #expect(try #require(exited).contains("EXITED 0"))
    }

    @Test("a model name no list offers can be typed in the picker; the pane stays put moving over messages")
    func typedModelAndSteadyPane() async throws {
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(width: 100, height: 50, command: Self.command(["--provider", "demo"], home: home))
        try await tmux.waitFor("the first frame") { $0.contains("┌ Conversations") }
        try await Self.ask(tmux, "think about it")

        // On the reply, then on the message before it, which has no reasoning: the pane stays (as
        // tall as what it has to say) and says so.
        try tmux.press("Tab", "Tab")
        let onReply = try await tmux.waitFor("the reply focused, its reasoning in the pane") {
            $0.contains("├ Thinking") && $0.contains("The user")
        }
        try tmux.press("Up")
        let onMessage = try await tmux.waitFor("the message focused") {
            $0.contains("No reasoning for this message.")
        }
        #expect(onMessage.contains("├ Thinking"))
        #expect(onReply.contains("├ Thinking"))

        try tmux.press("C-p")
        try await tmux.waitFor("the model picker") { $0.contains("Model for “think about it”") }
        try tmux.type("my-own-model")
        try await tmux.waitFor("the name offered as typed") { $0.contains("As typed") && $0.contains("my-own-model") }
        try tmux.press("Enter")
        try await tmux.waitFor("the typed model in use") { $0.contains("my-own-model · demo (offline)") }
        try tmux.press("C-q")
        try await tmux.waitFor("the app to exit") { $0.contains("CHECKED") }
    }
}

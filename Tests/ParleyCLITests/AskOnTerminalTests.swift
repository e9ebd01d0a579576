import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

/// `parley ask` as a person sees it in a terminal: not 30 silent seconds while the model thinks,
/// and a reply cut off by its token limit says so.
@Suite("parley ask in a terminal", .enabled(if: Tmux.isInstalled, "tmux is not installed"), .serialized)
struct AskOnTerminalTests {
    static func command(_ arguments: [String], home: String) -> String {
        let args = arguments.map { "'\($0)'" }.joined(separator: " ")
        return "env -i PATH=/usr/bin:/bin HOME='\(home)' PARLEY_HOME='\(home)' LANG=C.UTF-8 TERM=xterm-256color "
            + "OPENAI_API_KEY=sk-test \(ParleyProcess.binary.path) ask \(args); echo \"EXITED $?\"; sleep 60"
    }

    @Test("while the model thinks, a live “thinking… N tokens” line; the answer replaces it")
    func thinkingLine() async throws {
        let answer = Gate()
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [
                    .bytes(StreamBodies.openAIChatReasoningDelta("Let me weigh the options carefully. ")),
                    .bytes(StreamBodies.openAIChatReasoningDelta("Blue light scatters more than red light does.")),
                    .wait(answer), .bytes(StreamBodies.openAIChat(["Rayleigh scattering."])),
                ])
        }
        defer {
            answer.open()
            Task { try await server.shutdown() }
        }
        let home = ParleyProcess.dataFolder()
        try ConfigHome.patient(home)
        let tmux = try Tmux(
            width: 100, height: 20,
            command: Self.command(
                ["--provider", "openai", "--base-url", server.baseURL + "/v1", "Why blue?"], home: home))
        // Both pieces of reasoning counted (they may be shown one at a time on a busy machine).
        try await tmux.waitFor("the thinking line") { $0.contains("thinking… ~21 tokens") }
        answer.open()
        let done = try await tmux.waitFor("the answer") { $0.contains("EXITED") }
        #expect(done.contains("Rayleigh scattering."))
        #expect(!done.contains("thinking…"), "erased when the answer started")
        #expect(done.split(separator: "\n").first?.hasPrefix("Rayleigh scattering.") == true, "no blank line left")
    }

    @Test("on a terminal the reply's Markdown is made light; with --raw, or piped, it is as it came")
    func markdown() async throws {
        let reply = ["# Steps\n", "Run **this** with `make`:\n", "```sh\nmake ", "all\n```\n", "- done\n"]
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(reply)) }
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder()
        let arguments = ["--provider", "openai", "--base-url", server.baseURL + "/v1", "--no-save", "How?"]
        let light = try Tmux(width: 100, height: 20, command: Self.command(arguments, home: home))
        let done = try await light.waitFor("the reply") { $0.contains("EXITED") }
        #expect(done.hasPrefix("Steps\nRun this with make:\n```sh\nmake all\n```\n• done\n"))
        let styled = try light.styledScreen()
        #expect(styled.contains("\u{1B}[1mthis"), "bold, in the terminal's own bold")

        let raw = try Tmux(width: 100, height: 20, command: Self.command(arguments + ["--raw"], home: home))
        let asItCame = try await raw.waitFor("the raw reply") { $0.contains("EXITED") }
        #expect(asItCame.hasPrefix(reply.joined()))

        let piped = try await ParleyProcess.run(
            ["ask"] + arguments, environment: ["OPENAI_API_KEY": "sk-test", "PARLEY_HOME": home])
        #expect(piped.stdout == reply.joined())
    }

    @Test("a reply cut off at its token limit ends with “stopped: max tokens”")
    func maxTokens() async throws {
        let finish: JSON = ["model": "test-model", "choices": [["index": 0, "delta": [:], "finish_reason": "length"]]]
        let server = try await TestServer.start { _ in
            .replay(
                StreamBodies.openAIChatDelta("The answer is long and")
                    + Array("data: \(finish.serialized())\n\ndata: [DONE]\n\n".utf8))
        }
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder()
        let tmux = try Tmux(
            width: 120, height: 20,
            command: Self.command(
                ["--provider", "openai", "--base-url", server.baseURL + "/v1", "--max-tokens", "5", "Tell me"],
                home: home))
        let done = try await tmux.waitFor("the end") { $0.contains("EXITED") }
        #expect(done.contains("The answer is long and\nstopped: max tokens"))
        #expect(done.contains("EXITED 0"))
    }
}

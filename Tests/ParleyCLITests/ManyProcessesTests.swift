import Foundation
import ParleyProviders
import ParleyTestSupport
import Testing

/// Several Parleys on one database at once, as a user with many terminals (or a script running
/// `parley ask` in parallel) has them: every turn is saved, nothing is called damaged, and every
/// warning is true.
@Suite("Many Parleys on one database")
struct ManyProcessesTests {
    /// Starts `count` demo turns at once on the data folder `home` and waits for them all. They
    /// run at the lowest CPU priority: a hundred at once would otherwise starve the suite's other
    /// tests, whose timeouts assume a loaded machine, not a saturated one.
    static func askAtOnce(_ count: Int, home: String) async throws -> [ParleyProcess.Result] {
        let processes = try (0..<count).map { number in
            try ParleyProcess(
                ["ask", "--provider", "demo", "Question \(number)"], environment: ["PARLEY_HOME": home],
                launcher: ["/usr/bin/nice", "-n", "19"])
        }
        var results: [ParleyProcess.Result] = []
        // A guard against a hang, not a measure of speed: a loaded machine may take long.
        for process in processes { results.append(await process.result(timeout: .seconds(1800))) }
        return results
    }

    /// Every turn exited 0 without a warning, and `parley list` holds each one whole.
    static func expectEveryTurnSaved(_ results: [ParleyProcess.Result], home: String) async throws {
        for (number, result) in results.enumerated() {
            #expect(result.status == 0, "turn \(number): \(result.stderr)")
            #expect(!result.stderr.contains("warning"), "turn \(number): \(result.stderr)")
            #expect(!result.stderr.contains("error"), "turn \(number): \(result.stderr)")
            #expect(result.stderr.contains("saved "), "turn \(number) names the conversation it saved")
        }
        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        let lines = listed.stdout.split(separator: "\n")
        #expect(lines.count == results.count)
        #expect(lines.allSatisfy { $0.contains("2 msgs") && !$0.contains("✗") && !$0.contains("interrupted") })
        let titles = Set(
            lines.compactMap { $0.split(separator: "  ").last?.trimmingCharacters(in: .whitespaces) })
        #expect(titles == Set(results.indices.map { "Question \($0)" }))
    }

    @Test("Parleys started at once on a fresh data folder create the database once: every turn saved, no warning")
    func freshFolderRace() async throws {
        for _ in 1...5 {
            let home = ParleyProcess.dataFolder()
            let results = try await Self.askAtOnce(6, home: home)
            try await Self.expectEveryTurnSaved(results, home: home)
        }
    }

    @Test("a hundred turns at once on one database: a hundred conversations, every turn complete, no warning")
    func hundredAtOnce() async throws {
        let home = ParleyProcess.dataFolder()
        let started = ContinuousClock.now
        let results = try await Self.askAtOnce(100, home: home)
        print("100 concurrent parley ask took \(ContinuousClock.now - started)")
        try await Self.expectEveryTurnSaved(results, home: home)
    }

    @Test(
        "parley rm while another Parley streams into that conversation: the delete wins and the streaming side says so")
    func deleteWhileStreaming() async throws {
        let home = ParleyProcess.dataFolder()
        let gate = Gate()
        let more: [ScriptedResponse.Step] = (1...30).flatMap {
            [.pause(.milliseconds(50)), .bytes(StreamBodies.openAIChatDelta("more\($0) "))]
        }
        let server = try await TestServer.start { _ in
            ScriptedResponse(
                headers: [HTTPHeader("Content-Type", "text/event-stream")],
                body: [.bytes(StreamBodies.openAIChatDelta("First words. ")), .wait(gate)] + more
                    + [.bytes(StreamBodies.openAIChatEnd())])
        }
        try ConfigHome.patient(home)
        let asking = try ParleyProcess(
            ["ask", "--provider", "llamacpp", "--base-url", server.baseURL + "/v1", "Tell me slowly"],
            environment: ["PARLEY_HOME": home])
        #expect(await asking.waitForOutput(timeout: .seconds(600)) { $0.contains("First words.") })
        let listed = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        let id = try #require(listed.stdout.split(separator: " ").first.map(String.init))
        let removed = try await ParleyProcess.run(["rm", id], environment: ["PARLEY_HOME": home])
        gate.open()
        let result = await asking.result(timeout: .seconds(600))
        try await server.shutdown()

        #expect(removed.status == 0)
        #expect(result.status == 0)
        #expect(result.stdout.contains("more30"), "the user still sees the whole reply")
        #expect(result.stderr.contains("this conversation was deleted by another Parley; the reply was not saved"))
        #expect(!result.stderr.contains("saved \(id)"))
        let after = try await ParleyProcess.run(["list"], environment: ["PARLEY_HOME": home])
        #expect(after.stdout.isEmpty, "no ghost conversation holding only the reply")
    }
}

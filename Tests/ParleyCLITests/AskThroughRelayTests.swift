import Foundation
import ParleyCore
import ParleyProviders
import ParleyRelay
import ParleyTestSupport
import Synchronization
import Testing

@testable import parley

@Suite("parley ask through parley serve", .timeLimit(.minutes(5)))
struct AskThroughRelayTests {
    /// Every recorded reply but the one that fails (its error is the provider's own words, which a
    /// relay passes on in its own error object).
    static let replies = RecordedReply.all.filter { $0.provider != "groq" }

    @Test(
        "asking through the relay gives the events of asking the provider directly",
        arguments: replies)
    func sameEvents(_ reply: RecordedReply) async throws {
        let bytes = try Fixtures.stream(reply.fixture)
        let server = try await TestServer.start { _ in .replay(bytes, pieces: 1...700, pause: .zero, seed: 7) }
        defer { Task { try await server.shutdown() } }
        let direct = try await ParleyProcess.run(
            reply.arguments(server: server, ["--events", "--no-save", "Say hello"]), environment: reply.environment)

        let directory = RelayDirectory(
            configuration: ProviderConfiguration(
                providers: [reply.provider: ProviderSettings(baseURL: server.baseURL + reply.basePath)]),
            environment: reply.environment)
        let relay = RelayServer(settings: RelaySettings(port: 0, keepAlive: .seconds(86_400)), directory: directory) {
            _ in
        }
        let (ports, listening) = AsyncStream<Int>.makeStream()
        let running = Task { try await relay.run(signals: []) { listening.yield($0) } }
        defer { running.cancel() }
        var next = ports.makeAsyncIterator()
        let port = try #require(await next.next())
        let through = try await ParleyProcess.run([
            "ask", "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "\(reply.provider)/\(reply.model)",
            "--events",
            "--no-save", "Say hello",
        ])

        #expect(through.status == direct.status)
        #expect(Self.comparable(through.stdout) == Self.comparable(direct.stdout))
        #expect(Self.comparable(direct.stdout).count > 3)
    }

    /// The lines both ways must share: not `start` (it names the provider asked, here the relay)
    /// nor `metrics` (times); text and thinking joined (50 ms batches cut them anywhere); without
    /// the provider's own stop word, nor the cost (a relay on loopback is priced as a local
    /// server), nor whether the usage was estimated (an OpenAI client has no word for it).
    static func comparable(_ output: String) -> [String] {
        let lines = output.split(separator: "\n").map { String($0) + "\n" }
        return AskRecordedStreamTests.joiningDeltas(lines).compactMap { line in
            guard var object = (try? JSON.parse(line))?.object, let type = object["type"]?.string,
                type != "start", type != "metrics"
            else { return nil }
            for field in ["raw", "cost_usd", "cost_source", "estimated"] { object[field] = nil }
            if var usage = object["usage"]?.object {
                for field in ["cost_usd", "cost_source", "estimated"] { usage[field] = nil }
                object["usage"] = .object(usage)
            }
            return JSON.object(object).serialized()
        }
    }
}

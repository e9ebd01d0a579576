import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

@testable import parley

@Suite("parley serve as an operator runs it", .timeLimit(.minutes(5)))
struct ServeCommandTests {
    @Test("off loopback it will not start without a token, nor with a token variable that is empty")
    func tokenRequired() async throws {
        let open = try await ParleyProcess.run(["serve", "--host", "0.0.0.0", "--port", "0"])
        #expect(open.status == 2)
        #expect(open.stderr.contains("--token-env NAME"))
        let empty = try await ParleyProcess.run(
            ["serve", "--host", "0.0.0.0", "--port", "0", "--token-env", "RELAY_TOKEN"],
            environment: ["RELAY_TOKEN": ""])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("RELAY_TOKEN is not set, or empty"))
    }

    /// `parley serve` on a free port in front of `server` as OpenAI, and that port once it listens.
    static func serve(
        _ server: TestServer, grace: String, environment: [String: String] = [:]
    ) async throws -> (ParleyProcess, Int) {
        var settings = environment
        settings["OPENAI_API_KEY"] = "sk-relay-secret"
        settings["OPENAI_BASE_URL"] = server.baseURL
        let relay = try ParleyProcess(["serve", "--port", "0", "--grace", grace], environment: settings)
        #expect(await relay.waitForErrors { $0.contains("listening on") })
        let line = relay.stderrSoFar.split(separator: "\n").first { $0.contains("listening on") } ?? ""
        let port = Int(line.split(separator: ":").last?.split(separator: "/").first ?? "") ?? 0
        return (relay, port)
    }

    static func ask(through port: Int, environment: [String: String] = [:]) throws -> ParleyProcess {
        try ParleyProcess(
            ["ask", "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "openai/gpt-4o", "--no-save", "Go on"],
            environment: environment)
    }

    @Test("SIGTERM: a reply under way finishes within the grace period; then the relay exits, having logged it")
    func graceful() async throws {
        let gate = Gate()
        let reply = ScriptedResponse(
            headers: [HTTPHeader("Content-Type", "text/event-stream")],
            body: [
                .bytes(StreamBodies.openAIChatDelta("Before")), .wait(gate),
                .bytes(StreamBodies.openAIChatDelta(" after") + StreamBodies.openAIChatEnd()),
            ])
        let server = try await TestServer.start { _ in reply }
        defer { Task { try await server.shutdown() } }
        // The reply held at the gate must not reach its idle limit first, however long a busy
        // machine keeps this test from its next turn.
        let home = try ConfigHome(ConfigHome.patientTimeouts)
        let (relay, port) = try await Self.serve(server, grace: "600", environment: home.environment())
        let asking = try Self.ask(through: port, environment: home.environment())
        #expect(await asking.waitForOutput { $0.contains("Before") })

        relay.terminate()
        #expect(await Self.eventuallyRefused(port))
        gate.open()

        let answered = await asking.result()
        #expect(answered.status == 0)
        #expect(answered.stdout == "Before after\n")
        let stopped = await relay.result()
        #expect(stopped.status == 0)
        #expect(stopped.stderr.contains("POST /v1/chat/completions openai/gpt-4o 200 "))
        #expect(!stopped.stderr.contains("sk-relay-secret"))
    }

    @Test("SIGTERM with the grace period over: the reply still running ends with an error, not as if whole")
    func graceOver() async throws {
        let stalled = ScriptedResponse(
            headers: [HTTPHeader("Content-Type", "text/event-stream")],
            body: [.bytes(StreamBodies.openAIChatDelta("Before")), .stall])
        let server = try await TestServer.start { _ in stalled }
        defer { Task { try await server.shutdown() } }
        // Neither the relay's reply nor the client's may reach its idle limit before the SIGTERM
        // does, however long a busy machine keeps this test from its next turn.
        let home = try ConfigHome(ConfigHome.patientTimeouts)
        let (relay, port) = try await Self.serve(server, grace: "0", environment: home.environment())
        let asking = try Self.ask(through: port, environment: home.environment())
        #expect(await asking.waitForOutput { $0.contains("Before") })

        relay.terminate()

        let answered = await asking.result()
        #expect(answered.status == 1)
        #expect(answered.stderr.contains("the relay is shutting down"))
        #expect(await relay.result().status == 0)
        #expect(await server.waitForConnectionsClosed(1))
    }

    /// Waits until connecting to `port` on loopback is refused: the relay no longer listens.
    static func eventuallyRefused(_ port: Int) async -> Bool {
        await eventually {
            let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(socket) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            return connected != 0
        }
    }
}

@Suite("parley serve --save", .timeLimit(.minutes(5)))
struct ServeSavingTests {
    @Test("a relayed reply is saved as a conversation that parley list shows")
    func saved() async throws {
        let server = try await TestServer.start { _ in .replay(StreamBodies.openAIChat(["Saved", " reply"])) }
        defer { Task { try await server.shutdown() } }
        let folder = ParleyProcess.dataFolder()
        let home = ["HOME": folder, "PARLEY_HOME": folder]
        let relay = try ParleyProcess(
            ["serve", "--port", "0", "--save"],
            environment: home.merging(["OPENAI_API_KEY": "sk-relay-secret", "OPENAI_BASE_URL": server.baseURL]) { $1 })
        #expect(await relay.waitForErrors { $0.contains("listening on") })
        let line = relay.stderrSoFar.split(separator: "\n").first { $0.contains("listening on") } ?? ""
        let port = Int(line.split(separator: ":").last?.split(separator: "/").first ?? "") ?? 0

        let asked = try await ParleyProcess.run([
            "ask", "--base-url", "http://127.0.0.1:\(port)/v1", "--model", "openai/gpt-4o", "--no-save",
            "Remember this",
        ])
        #expect(asked.stdout == "Saved reply\n")
        relay.terminate()
        #expect(await relay.result().status == 0)
        #expect(
            FileManager.default.fileExists(atPath: folder + "/parley.sqlite-checked"),
            "stopped, the relay closed the database and left the mark that spares the next Parley a check")

        let listed = try await ParleyProcess.run(["list"], environment: home)
        #expect(listed.stdout.contains("2 msgs"))
        #expect(listed.stdout.contains("Remember this"))
    }
}

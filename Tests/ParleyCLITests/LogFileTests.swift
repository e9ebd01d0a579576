import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@Suite("The log file: what went wrong, for later")
struct LogFileTests {
    @Test("a failed reply is logged by kind and status with the provider's words, never the key")
    func failedReply() async throws {
        let body = #"{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error"}}"#
        let server = try await TestServer.start { _ in .whole(body, status: 401) }
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder()
        let key = "sk-secret-never-logged-1234"
        let result = try await ParleyProcess.run(
            ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "hi"],
            environment: ["PARLEY_HOME": home, "OPENAI_API_KEY": key])
        #expect(result.status == 1)
        let log = try String(contentsOfFile: home + "/parley.log", encoding: .utf8)
        let line = try #require(log.split(separator: "\n").first { $0.contains("the reply failed") })
        #expect(line.contains("warning"))
        #expect(line.contains("kind=auth"))
        #expect(line.contains("status=401"))
        #expect(line.contains("Incorrect API key provided"))
        #expect(!log.contains(key))
        #expect(!log.contains("hi\n"))
    }

    @Test("the first run makes the log's folder, for the user alone; the next appends to the same log")
    func folderMadeOnce() async throws {
        let server = try await TestServer.start { _ in
            .whole(#"{"error":{"message":"Incorrect API key provided."}}"#, status: 401)
        }
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder() + "/nested/home"
        for _ in 0..<2 {
            let result = try await ParleyProcess.run(
                ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "hi"],
                environment: ["PARLEY_HOME": home, "OPENAI_API_KEY": "sk-test"])
            #expect(result.status == 1)
        }
        let log = try String(contentsOfFile: home + "/parley.log", encoding: .utf8)
        #expect(log.split(separator: "\n").filter { $0.contains("the reply failed") }.count == 2)
        let folder = try FileManager.default.attributesOfItem(atPath: home)
        #expect((folder[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: home + "/parley.log")
        #expect((file[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test("a provider's words with escape sequences and line breaks stay one harmless line")
    func hostileWords() async throws {
        let message = "bad\u{1B}]0;PWNED\u{07}\n2026-01-01T00:00:00Z info parley: forged"
        let body = #"{"error":{"message":"# + JSON.string(message).serialized() + #"}}"#
        let server = try await TestServer.start { _ in .whole(body, status: 500) }
        defer { Task { try await server.shutdown() } }
        let home = ParleyProcess.dataFolder()
        let result = try await ParleyProcess.run(
            ["ask", "--provider", "openai", "--base-url", server.baseURL + "/v1", "hi"],
            environment: ["PARLEY_HOME": home])
        #expect(result.status == 1)
        let log = try String(contentsOfFile: home + "/parley.log", encoding: .utf8)
        #expect(!log.contains("\u{1B}"))
        #expect(log.contains("bad␛]0;PWNED␇␊2026-01-01T00:00:00Z info parley: forged"))
        #expect(!log.split(separator: "\n").contains { $0.hasPrefix("2026-01-01") })
    }

    @Test("a turn that went well writes nothing")
    func quietWhenWell() async throws {
        let home = ParleyProcess.dataFolder()
        let result = try await ParleyProcess.run(["ask", "hello"], environment: ["PARLEY_HOME": home])
        #expect(result.status == 0)
        let log = (try? String(contentsOfFile: home + "/parley.log", encoding: .utf8)) ?? ""
        #expect(log.isEmpty)
    }
}

import Foundation
import ParleyProviders
import ParleyTestSupport
import Testing

/// A key and a config header secret, and the config file that sets the provider at a server.
private enum Keys {
    static let key = "sk-live-0123456789abcdef"
    static let secret = "pk-config-secret-4567"

    static func home(_ provider: String, at baseURL: String, isDefault: Bool = false) throws -> ConfigHome {
        try ConfigHome(
            (isDefault ? "provider = \"\(provider)\"\n" : "") + """
                [providers.\(provider)]
                base_url = "\(baseURL)"
                headers = { "X-Portkey-Api-Key" = "\(secret)" }

                """)
    }

    /// Whether `text` holds the key or the secret, whole or in part that matters.
    static func leaks(_ text: String) -> Bool { text.contains(key) || text.contains(secret) }
}

@Suite("parley never sends a key to a server it was redirected to", .timeLimit(.minutes(10)))
struct RedirectCommandTests {
    /// `elsewhere` must never hear from Parley; `server` sends every request there.
    func withRedirect(
        _ status: Int, _ body: (_ server: TestServer, _ elsewhere: TestServer) async throws -> Void
    ) async throws {
        try await TestServer.serving({ _ in .whole(#"{"data":[]}"#) }) { elsewhere in
            try await TestServer.serving({ .redirect(status, to: elsewhere.baseURL + $0.target) }) { server in
                try await body(server, elsewhere)
                #expect(
                    elsewhere.requests.isEmpty,
                    "no request, so no Authorization, x-api-key, x-goog-api-key or config header")
            }
        }
    }

    @Test("ask: a 307 to another server is an error naming it and saying what to do; exit 1")
    func ask() async throws {
        try await withRedirect(307) { server, elsewhere in
            let home = try Keys.home("anthropic", at: server.baseURL)
            let result = try await ParleyProcess.run(
                ["ask", "--provider", "anthropic", "hi"], environment: home.environment(["ANTHROPIC_API_KEY": Keys.key])
            )
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "307 from Anthropic: the request was redirected to \(elsewhere.baseURL)/v1/messages"))
            #expect(result.stderr.contains("make it the base URL (--base-url, or base_url in the config file)"))
            #expect(server.requests.count == 1)
        }
    }

    @Test("models: a 308 to another server is not followed; exit 1")
    func models() async throws {
        try await withRedirect(308) { server, elsewhere in
            let home = try Keys.home("gemini", at: server.baseURL)
            let result = try await ParleyProcess.run(
                ["models", "--provider", "gemini"], environment: home.environment(["GEMINI_API_KEY": Keys.key]))
            #expect(result.status == 1)
            #expect(
                result.stderr.contains(
                    "308 from Gemini: the request was redirected to \(elsewhere.baseURL)/v1beta/models"))
        }
    }

    @Test("doctor: a 301 to another server fails the provider's check")
    func doctor() async throws {
        try await withRedirect(301) { server, elsewhere in
            let home = try Keys.home("openai", at: server.baseURL + "/v1", isDefault: true)
            let result = try await ParleyProcess.run(
                ["doctor", "--timeout", "30"], environment: home.environment(["OPENAI_API_KEY": Keys.key]))
            #expect(result.status == 1)
            #expect(
                result.stdout.contains(
                    "FAIL  provider  openai: \(server.baseURL)/v1: 301 from OpenAI: the request was redirected to \(elsewhere.baseURL)/v1/models"
                ))
        }
    }
}

@Suite("A key a server echoes back is never shown, logged or saved", .timeLimit(.minutes(10)))
struct EchoedKeyTests {
    static let refusal =
        #"{"error":{"message":"Incorrect API key provided: Bearer \#(Keys.key). Header \#(Keys.secret) ignored.","type":"invalid_request_error","code":"invalid_api_key"}}"#

    /// The config folder and environment of a user with the key and the secret header set for
    /// OpenAI at `server`.
    static func user(of server: TestServer, isDefault: Bool = false) throws -> (
        home: ConfigHome, environment: [String: String]
    ) {
        let home = try Keys.home("openai", at: server.baseURL + "/v1", isDefault: isDefault)
        return (home, home.environment(["OPENAI_API_KEY": Keys.key]))
    }

    /// Runs `parley arguments…`, whose output must not hold the key or the secret.
    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> ParleyProcess.Result {
        let result = try await ParleyProcess.run(arguments, environment: environment)
        #expect(!Keys.leaks(result.stdout + result.stderr), "parley \(arguments.joined(separator: " "))")
        return result
    }

    @Test("ask: a 401 echoing the key, in plain output, --events, the log, show and export")
    func unauthorized() async throws {
        try await TestServer.serving({ _ in .whole(Self.refusal, status: 401) }) { server in
            let (home, environment) = try Self.user(of: server)
            let plain = try await Self.run(["ask", "--provider", "openai", "hi"], environment)
            #expect(plain.status == 1)
            #expect(
                plain.stderr.contains(
                    "401 from OpenAI: Incorrect API key provided: [redacted]. Header [redacted] ignored."))
            let events = try await Self.run(["ask", "--provider", "openai", "--events", "hi"], environment)
            #expect(events.stdout.contains("Incorrect API key provided: [redacted]."))
            try await Self.expectSavedWithoutKey(
                environment, home: home.folder, expecting: "Incorrect API key provided: [redacted].")
        }
    }

    @Test("ask: an error in the stream echoing the key, after some text")
    func inStream() async throws {
        let body =
            StreamBodies.openAIChatDelta("Partial")
            + Array(#"data: {"error":{"message":"quota for key \#(Keys.key) exceeded","type":"server_error"}}"#.utf8)
            + Array("\n\n".utf8)
        try await TestServer.serving({ _ in .replay(body) }) { server in
            let (home, environment) = try Self.user(of: server)
            let result = try await Self.run(["ask", "--provider", "openai", "hi"], environment)
            #expect(result.status == 1)
            #expect(result.stdout.hasPrefix("Partial"))
            #expect(result.stderr.contains("quota for key [redacted] exceeded"))
            try await Self.expectSavedWithoutKey(
                environment, home: home.folder, expecting: "quota for key [redacted] exceeded")
        }
    }

    @Test("models and doctor: a 401 echoing the key is said without it")
    func modelsAndDoctor() async throws {
        try await TestServer.serving({ _ in .whole(Self.refusal, status: 401) }) { server in
            let environment = try Self.user(of: server, isDefault: true).environment
            let models = try await Self.run(["models", "--provider", "openai"], environment)
            #expect(models.status == 1)
            #expect(models.stderr.contains("Incorrect API key provided: [redacted]."))
            let doctor = try await Self.run(["doctor", "--timeout", "30"], environment)
            #expect(
                doctor.stdout.contains(
                    "FAIL  provider  openai: \(server.baseURL)/v1: 401 from OpenAI: Incorrect API key provided: [redacted]."
                ))
        }
    }

    /// The log file, `show` and `export --format json` of the saved turn hold `expected` and no secret.
    static func expectSavedWithoutKey(
        _ environment: [String: String], home: String, expecting expected: String
    ) async throws {
        let log = try String(contentsOfFile: home + "/parley.log", encoding: .utf8)
        let listed = try await ParleyProcess.run(["list"], environment: environment)
        let id = try #require(listed.stdout.split(separator: " ").first.map(String.init))
        let shown = try await ParleyProcess.run(["show", id], environment: environment)
        let exported = try await ParleyProcess.run(["export", id, "--format", "json"], environment: environment)
        for output in [log, shown.stdout, exported.stdout] {
            #expect(output.contains(expected))
            #expect(!Keys.leaks(output))
        }
    }
}

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

@Suite("parley never sends a key to a server it was redirected to", .timeLimit(.minutes(2)))
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

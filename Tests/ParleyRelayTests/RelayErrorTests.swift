import ParleyCore
import Testing

@testable import ParleyRelay

@Suite("A provider's failure as the relay's client sees it")
struct RelayErrorTests {
    @Test(
        "what the client can act on keeps its status; the relay's own trouble with its provider is a 502 or 504",
        arguments: [
            (ProviderError(.rateLimited, "slow down", status: 429, retryAfter: 7.2), 429, "8"),
            (ProviderError(.overloaded, "overloaded", status: 503, retryAfter: 30), 503, "30"),
            (ProviderError(.overloaded, "Anthropic is overloaded", status: 529), 503, nil),
            (ProviderError(.invalidRequest, "bad", status: 400), 400, nil),
            (ProviderError(.notFound, "no such model", status: 404), 404, nil),
            (ProviderError(.auth, "401 from OpenAI: Incorrect API key. Check OPENAI_API_KEY.", status: 401), 502, nil),
            (ProviderError(.server, "500 from Gemini", status: 500), 502, nil),
            (ProviderError(.network, "connection refused"), 502, nil),
            (ProviderError(.timeout, "no first byte in 60 s"), 504, nil),
        ] as [(ProviderError, Int, String?)])
    func statuses(failure: ProviderError, status: Int, retryAfter: String?) {
        let error = RelayError(upstream: failure)
        #expect(error.status == status)
        #expect(error.retryAfterHeader == retryAfter)
        #expect(error.message == failure.message)
        #expect(error.object["error"]?["code"]?.string == failure.kind.rawValue)
    }

    @Test("the log line says who asked for what and how it went; a model name cannot forge a line")
    func logLine() {
        let line = RequestLog(
            method: "POST", path: "/v1/chat/completions", model: "x\n200 fake\u{1B}[2J", status: 200,
            duration: .milliseconds(1834), usage: Usage(inputTokens: 1200, outputTokens: 342), ended: "network"
        ).line
        #expect(line == "POST /v1/chat/completions x␊200␠fake␛[2J 200 1834ms in=1200 out=342 ended=network")
    }
}

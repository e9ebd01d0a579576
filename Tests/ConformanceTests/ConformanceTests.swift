import Foundation
import ParleyCore
import ParleyProviders
import ParleyTestSupport
import Testing

enum Conformance {
    static let expectations: [FixtureExpectation] =
        openAIChatExpectations + anthropicExpectations + geminiExpectations + responsesExpectations
        + ollamaExpectations

    /// Recorded bodies that are not streams, checked on their own below.
    static let nonStreamFiles: Set<String> = ["openai-chat/http-404-model-not-found-error-body.json"]
}

extension ToolCall {
    /// The call as an expectation states it: signatures are checked apart, by count.
    var unsigned: ToolCall { ToolCall(id: id, name: name, arguments: arguments) }
}

@Suite("Recorded provider streams decode to what they say")
struct ConformanceTests {
    @Test("every recorded stream has a stated expectation")
    func everyFixtureIsCovered() {
        let covered = Set(Conformance.expectations.map(\.file)).union(Conformance.nonStreamFiles)
        let missing = Fixtures.streamFiles().filter { !covered.contains($0) }
        #expect(missing.isEmpty, "no expectation for: \(missing)")
        #expect(Conformance.expectations.count == Set(Conformance.expectations.map(\.file)).count)
    }

    @Test(
        "decoded whole, the stream gives the stated text, thinking, tool calls, usage and stop",
        arguments: Conformance.expectations)
    func decodesWhole(_ expected: FixtureExpectation) throws {
        let bytes = try Fixtures.stream(expected.file)
        let events = decodeReply(bytes, format: expected.format)
        let reply = DecodedReply(events)

        #expect(events.first.map { if case .start = $0 { true } else { false } } == true, "start comes first")
        #expect(events.last == .stop(expected.stop), "stop comes last, exactly once")
        #expect(reply.model == expected.model)
        #expect(expected.text.matches(reply.text), "text was \(reply.text.debugDescription)")
        #expect(expected.thinking.matches(reply.thinking), "thinking was \(reply.thinking.debugDescription)")
        #expect(reply.redactedThinking == expected.redactedThinking)
        #expect(reply.toolCalls.map(\.unsigned) == expected.toolCalls)
        let signatures = reply.thinkingSignatures + reply.toolCalls.compactMap(\.signature)
        #expect(signatures.count == expected.signatures)
        let body = String(decoding: bytes, as: UTF8.self)
        #expect(signatures.allSatisfy { !$0.isEmpty && body.contains($0) }, "every signature arrives whole")
        #expect(reply.usage == [expected.usage])
        #expect(reply.stops == [expected.stop])
        #expect(reply.errors.map(\.kind) == (expected.error.map { [$0] } ?? []))
    }

    @Test(
        "cut at random offsets and one byte at a time, the stream decodes the same",
        arguments: Conformance.expectations)
    func decodesSplit(_ expected: FixtureExpectation) throws {
        let bytes = try Fixtures.stream(expected.file)
        let disagreement = firstSplitDisagreement(bytes, format: expected.format, exhaustiveLimit: 0, randomSplits: 24)
        #expect(disagreement == nil)
    }

    @Test("OpenAI's 404 error body names the missing model as not_found")
    func notFoundErrorBody() throws {
        let bytes = try Fixtures.stream("openai-chat/http-404-model-not-found-error-body.json")
        let error = ProviderError(errorPayload: try JSON.parse(bytes), status: 404, provider: "OpenAI")
        #expect(error.kind == .notFound)
        #expect(error.status == 404)
        #expect(error.message.contains("does not exist"))
    }
}

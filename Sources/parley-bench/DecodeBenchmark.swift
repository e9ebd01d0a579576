import Foundation
import ParleyCore
import ParleyProviders

/// Decoding throughput: bytes of an OpenAI Chat Completions stream through `ReplyDecoder`
/// (SSE framing, JSON, the adapter and the normalizer) on one core, fed in network-sized pieces.
/// The product budget is over 100,000 chunks a second.
enum DecodeBenchmark {
    static let benchmark = Benchmark(
        name: "decode", summary: "OpenAI chat.completion.chunk stream through ReplyDecoder, one core"
    ) { run() }

    static let budget = 100_000.0
    static let fixture = "openai-chat/gpt-5-nano-text-no-usage-chunk.sse"

    static func run() {
        let (body, source) = streamBody()
        let chunks = chunkCount(body)
        let pieces = cut(body)
        print("stream: \(source), \(body.count) bytes, \(chunks) chunks, fed in \(pieces.count) pieces of 1–4 KB")

        var delivered = 0
        let (rounds, seconds) = measure(cpuSeconds: 2) {
            var decoder = ReplyDecoder(format: .openAIChat, provider: "OpenAI")
            for piece in pieces { delivered &+= decoder.decode(piece).count }
            delivered &+= decoder.finish().count
        }
        let chunksPerSecond = Double(rounds * chunks) / seconds
        let megabytesPerSecond = Double(rounds * body.count) / seconds / 1e6
        let events = delivered / max(rounds, 1)
        let cpu = String(format: "%.2f", seconds)
        print("rounds: \(rounds) in \(cpu) s of one thread's CPU time (\(events) events a round)")
        print("throughput: \(grouped(chunksPerSecond)) chunks/s, \(String(format: "%.1f", megabytesPerSecond)) MB/s")
        let verdict = chunksPerSecond > budget ? "met" : "MISSED"
        print("budget: over \(grouped(budget)) chunks/s — \(verdict)")
    }

    /// The recorded gpt-5-nano stream when `../shared` is beside the checkout, else a generated
    /// stream of the same shape.
    static func streamBody() -> (bytes: [UInt8], source: String) {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = packageRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/fixtures/streams/\(fixture)")
        if let data = try? Data(contentsOf: file) { return ([UInt8](data), fixture) }
        return (generatedStream(chunks: 50), "generated (\(fixture) not found)")
    }

    /// Typical gpt-5-nano chunks: one word of content each, then a finish chunk and [DONE].
    static func generatedStream(chunks: Int) -> [UInt8] {
        let words = ["Hi", " there", "!", " How", " can", " I", " help", " today", "?", " I’d", " like"]
        func chunk(_ delta: String, finish: String) -> String {
            """
            data: {"id":"chatcmpl-C4HqFyVw6sg6C1m1DDa0FqI6b5n6A","object":"chat.completion.chunk",\
            "created":1755137931,"model":"gpt-5-nano-2025-08-07","service_tier":"default",\
            "system_fingerprint":null,"choices":[{"index":0,"delta":\(delta),"logprobs":null,\
            "finish_reason":\(finish)}],"obfuscation":"vKk8Ns"}\n\n
            """
        }
        var text = chunk(#"{"role":"assistant","content":"","refusal":null}"#, finish: "null")
        for index in 0..<max(chunks - 2, 0) {
            text += chunk(#"{"content":"\#(words[index % words.count])"}"#, finish: "null")
        }
        text += chunk("{}", finish: #""stop""#) + "data: [DONE]\n\n"
        return Array(text.utf8)
    }

    /// Data events that carry a chunk (not the `[DONE]` marker).
    static func chunkCount(_ body: [UInt8]) -> Int {
        var decoder = SSEDecoder()
        let events = (try? decoder.decode(body)) ?? []
        return events.filter { $0.data != "[DONE]" }.count
    }

    /// The body in pieces of 1–4 KB, as a socket delivers it; the same pieces every run.
    static func cut(_ body: [UInt8]) -> [ArraySlice<UInt8>] {
        var generator = SeededRandom(seed: 42)
        var pieces: [ArraySlice<UInt8>] = []
        var start = 0
        while start < body.count {
            let end = min(body.count, start + Int.random(in: 1024...4096, using: &generator))
            pieces.append(body[start..<end])
            start = end
        }
        return pieces
    }
}

import ParleyCore
import ParleyProviders

/// What a send costs before the first byte leaves: the request body of the whole conversation,
/// built on the app's UI thread when the user presses Enter (and by `parley ask --conversation`).
/// A long conversation is sent whole at every turn, so its cost grows with the conversation.
enum RequestBenchmark {
    static let benchmark = Benchmark(
        name: "request", summary: "a send's request body for a long conversation, each wire format, one core"
    ) { run() }

    static func run() {
        let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1/v1", apiKey: "sk-benchmark")
        let conversations = [
            ("20 turns", conversation(turns: 20)), ("200 turns", conversation(turns: 200)),
            ("20 turns and a 4 MB image", conversation(turns: 20, image: 4_000_000)),
        ]
        for (label, chat) in conversations {
            let bytes = chat.messages.reduce(0) { $0 + $1.content.utf8.count }
            print("conversation of \(label): \(chat.messages.count) messages, \(grouped(Double(bytes))) bytes of text")
            for format in WireFormat.allCases {
                var body = 0
                let (rounds, seconds) = measure(cpuSeconds: 0.5) {
                    body = format.request(for: chat, endpoint: endpoint).body.count
                }
                let milliseconds = seconds / Double(rounds) * 1_000
                let megabytesPerSecond = Double(rounds * body) / seconds / 1e6
                print(
                    "  \(format): \(String(format: "%.3f", milliseconds)) ms a body of \(grouped(Double(body))) bytes"
                        + " (\(String(format: "%.0f", megabytesPerSecond)) MB/s)")
            }
            var tokens = 0
            let (rounds, seconds) = measure(cpuSeconds: 0.5) { tokens = chat.estimatedInputTokens }
            print(
                "  its input tokens estimated (\(grouped(Double(tokens)))): \(String(format: "%.3f", seconds / Double(rounds) * 1_000)) ms"
            )
        }
    }

    /// Turns of a question and a Markdown reply of about 5 KB (paragraphs, a list, a quoted line and
    /// a code block: newlines, quotes and backslashes to escape, some non-ASCII text).
    /// With `image` bytes of PNG attached to the first question (sent again, in base64, with every turn).
    static func conversation(turns: Int, image: Int = 0) -> ChatRequest {
        let paragraph =
            "A lifetime is the region of code in which a reference is valid; the borrow checker "
            + "compares them so that no reference outlives what it borrows. Ça marche — 参照は有効です.\n\n"
        let code =
            "```rust\nfn longest<'a>(x: &'a str, y: &'a str) -> &'a str {\n    if x.len() > y.len() { x } else { y }\n}\n"
            + "println!(\"{}\\n\", longest(\"a\", \"bc\"));\n```\n"
        let reply = String(repeating: paragraph, count: 20) + "- one\n- two\n> \"quoted\"\n\n" + code
        var messages: [ChatMessage] = []
        for turn in 0..<turns {
            messages.append(ChatMessage(.user, "Question \(turn): how do lifetimes work with \"structs\"?"))
            messages.append(ChatMessage(.assistant, reply))
        }
        if image > 0 {
            var generator = SeededRandom(seed: 1)
            let bytes = (0..<image).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let picture = Attachment(name: "photo.png", kind: .image(.png), bytes: bytes)
            messages[0].parts.append(.attachment(picture))
        }
        messages.append(ChatMessage(.user, "And one more thing?"))
        return ChatRequest(model: "gpt-4o", messages: messages, system: "You are a helpful assistant.")
    }
}

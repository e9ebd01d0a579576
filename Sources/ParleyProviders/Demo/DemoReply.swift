import Foundation
import ParleyCore

/// The offline demo's reply to a prompt: a short piece of reasoning, then Markdown with a list
/// and a code block, cut into the small deltas a real model streams. Deterministic, so tests
/// can state what the user sees.
public enum DemoReply {
    public static let model = "demo"

    /// - Parameter json: the reply is one JSON object instead (`parley ask --json`), as a real
    ///   model in JSON mode would give.
    public static func events(for prompt: String, json: Bool = false) -> [StreamEvent] {
        let topic = summary(of: prompt)
        let thinking = """
            The user wrote “\(topic)”. I am Parley's built-in demo: there is no model behind me and \
            no network, so rather than pretend to answer I should show what a streamed reply looks \
            like — reasoning here, then Markdown with a list and a code block — and say how to \
            connect a real model.
            """
        let prose = """
            Hello! This is **Parley's demo provider**, running *offline* — no key, no network, no \
            model. You asked about “\(topic)”, which a real model would answer here.

            What you are seeing is how every reply arrives:

            - the text streams in as it is written, a few words at a time;
            - reasoning goes to its own place (`--thinking` shows it);
            - usage and timing are reported when the reply ends.

            ```swift
            // Ask any provider the same way.
            let reply = try await parley.ask("\(topic)", provider: "ollama")
            ```

            To talk to a real model, set a key such as `OPENAI_API_KEY` and pass \
            `--provider openai`, or start Ollama and pass `--provider ollama`.
            """
        let text = json ? jsonText(topic: topic) : prose
        let deltas = pieces(of: thinking).map(StreamEvent.thinking) + pieces(of: text).map(StreamEvent.text)
        let output = Usage.estimatedTokens(in: thinking + text)
        let usage = Usage(
            inputTokens: Usage.estimatedTokens(in: prompt), outputTokens: output,
            reasoningTokens: Usage.estimatedTokens(in: thinking), estimated: true)
        return [.start(model: model)] + deltas + [.usage(usage), .stop(StopReason(.endTurn, raw: "stop"))]
    }

    static func jsonText(topic: String) -> String {
        let reply: JSON = [
            "provider": "demo", "offline": true, "prompt": .string(topic),
            "note": "A real model would answer here, in JSON.",
        ]
        return reply.serialized()
    }

    /// The prompt as a short quotable phrase: its first line, at most 60 characters.
    static func summary(of prompt: String) -> String {
        let firstLine = prompt.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = firstLine.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "nothing in particular" }
        return trimmed.count <= 60 ? trimmed : String(trimmed.prefix(59)) + "…"
    }

    /// Two or three words per delta, as models stream them; whitespace stays with the word before.
    static func pieces(of text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var words = 0
        for character in text {
            current.append(character)
            if character == " " || character == "\n" {
                words += 1
                if words == 3 || character == "\n" {
                    pieces.append(current)
                    current = ""
                    words = 0
                }
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

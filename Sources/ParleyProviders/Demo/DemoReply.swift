import Foundation
import ParleyCore

/// The offline demo's reply to a prompt: a short piece of reasoning, then Markdown with a list
/// and a code block, cut into the small deltas a real model streams. Deterministic, so tests
/// can state what the user sees.
public enum DemoReply {
    public static let model = "demo"
    /// Parley's built-in clock, which the demo calls to show a tool round when it is offered.
    static let clock = "clock"

    /// The reply to `chat`: when the clock is offered and the prompt asks for the time (or the
    /// clock, or tools), a round that calls it first, then the answer with what it said.
    public static func events(for chat: ChatRequest) -> [StreamEvent] {
        let prompt = chat.messages.last { $0.role == .user }?.content ?? ""
        let json = chat.responseFormat == .json
        if let last = chat.messages.last, last.role == .tool {
            let said = last.toolResults.map { result in
                result.isError
                    ? "The \(result.name) tool did not answer (“\(summary(of: result.content))”), so I go on without it."
                    : "The \(result.name) tool says it is **\(summary(of: result.content))**: that was a tool round — "
                        + "the call was allowed, Parley ran it, and its result came back to me."
            }.joined(separator: " ")
            return events(for: prompt, json: json, preface: json ? "" : said + "\n\n")
        }
        let offered = chat.tools.contains { $0.name == clock }
        let asks = ["time", "clock", "tool"].contains { prompt.lowercased().contains($0) }
        let files = chat.messages.last { $0.role == .user }?.attachments ?? []
        if !files.isEmpty, !json { return events(for: prompt, preface: received(files) + "\n\n") }
        guard offered, !json, asks else { return events(for: prompt, json: json) }
        return toolRound(for: prompt, callID: "call_clock_\(chat.messages.count)")
    }

    /// What the demo says of the files it was sent, as a model that read them would start.
    static func received(_ files: [Attachment]) -> String {
        let named = files.map { file in
            let lines =
                file.kind == .text
                ? ", \(file.text.split(separator: "\n", omittingEmptySubsequences: false).count) lines" : ""
            return "**\(file.name)** (\(file.kind.name), \(Attachment.sizeText(file.size))\(lines))"
        }
        return "You attached \(named.joined(separator: ", ")): they reached me with your message, as they would reach "
            + "a real model, which would read them here."
    }

    /// A round that asks for the clock, as a model that wants a tool streams it.
    static func toolRound(for prompt: String, callID: String) -> [StreamEvent] {
        let thinking = """
            The user wrote “\(summary(of: prompt))”. Parley offers me its clock tool: calling it shows \
            a tool round, which asks the user first.
            """
        let text = "Let me ask Parley's clock what time it is.\n"
        let usage = Usage(
            inputTokens: Usage.estimatedTokens(in: prompt), outputTokens: Usage.estimatedTokens(in: thinking + text),
            reasoningTokens: Usage.estimatedTokens(in: thinking), estimated: true)
        return [.start(model: model)] + pieces(of: thinking).map(StreamEvent.thinking)
            + pieces(of: text).map(StreamEvent.text)
            + [
                .toolCall(ToolCall(id: callID, name: clock, arguments: "{}")), .usage(usage),
                .stop(StopReason(.toolUse, raw: "tool_calls")),
            ]
    }

    /// - Parameter json: the reply is one JSON object instead (`parley ask --json`), as a real
    ///   model in JSON mode would give.
    public static func events(for prompt: String, json: Bool = false, preface: String = "") -> [StreamEvent] {
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
            - reasoning goes to its own place (the thinking pane; `parley ask --thinking`);
            - usage and timing are reported when the reply ends.

            ```swift
            // Ask any provider the same way.
            let reply = try await parley.ask("\(topic)", provider: "ollama")
            ```

            To talk to a real model, set a key such as `OPENAI_API_KEY` (or start Ollama) and \
            pick it: Ctrl-P in the app, `--provider openai` (or `ollama`) on the command line.
            """
        let text = json ? jsonText(topic: topic) : preface + prose
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
        let trimmed = firstLine.trimmed
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

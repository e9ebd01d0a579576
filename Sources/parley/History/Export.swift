import ArgumentParser
import ParleyStore

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a saved conversation to standard output as Markdown or JSON.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @Argument(help: "The conversation's id, or a unique prefix of it.")
    var id: String

    @Option(help: "md (readable, with thinking folded away) or json (every field, for scripts).")
    var format: Format = .md

    func run() async throws {
        let transcript = try await ConversationStore.openForReading().transcript(matching: id)
        switch format {
        case .md: Console.output(TranscriptText.markdown(transcript))
        case .json: Console.output(TranscriptJSON.make(transcript).serialized() + "\n")
        }
    }
}

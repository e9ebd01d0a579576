import ArgumentParser
import Foundation
import ParleyCore
import ParleyStore
import ParleyTUI

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a saved conversation.")

    @Argument(help: "The conversation's id, or a unique prefix of it.")
    var id: String

    @Flag(help: "Also print each reply's reasoning.")
    var thinking = false

    @Flag(name: .customLong("no-pager"), help: "Print to the terminal even there, not through $PAGER.")
    var noPager = false

    func run() async throws {
        let transcript = try await ConversationStore.openForReading().transcript(matching: id)
        let environment = ProcessEnvironment.variables
        let pricing = AppConfiguration.pricingForHistory(environment: environment)
        let text = TranscriptText.plain(transcript, showThinking: thinking, pricing: pricing)
        // On a terminal, a conversation longer than a screen is read in the pager, as git does.
        if !noPager, isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1,
            // The pager writes to the terminal: the text is made safe as Console makes it.
            Pager.show(ControlPicture.safe(text), with: AppWiring.named(["PAGER"], in: environment) ?? "less -FRX")
        {
            return
        }
        Console.output(text)
    }
}

struct Remove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Delete a saved conversation and all its messages.")

    @Argument(help: "The conversation's id, or a unique prefix of it.")
    var id: String

    func run() async throws {
        let store = try ConversationStore.open()
        // Closed when done: the database is left with the mark that spares the next Parley a check
        // of every page.
        defer { store.close() }
        do {
            let conversation = try await store.findConversation(prefix: id)
            try await store.delete(conversation.id)
            Console.error("Deleted “\(conversation.title)” (\(conversation.id)).\n")
        } catch {
            throw CommandFailure(error)
        }
    }
}

struct Search: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find conversations by title or message text.",
        discussion: "Words are matched as whole words or prefixes, in any order; matches are shown in [brackets].")

    @Argument(help: "What to look for.")
    var text: [String]

    func run() async throws {
        let query = text.joined(separator: " ")
        guard !query.allSatisfy(\.isWhitespace) else { throw CommandFailure.usage("give something to search for.") }
        let store = try ConversationStore.openForReading()
        let hits: [SearchHit]
        do {
            hits = try await store.search(query)
        } catch {
            throw CommandFailure(error)
        }
        guard !hits.isEmpty else {
            Console.error("Nothing found for “\(query)”.\n")
            return
        }
        for hit in hits {
            let conversation = hit.conversation
            Console.output("\(conversation.id)  \(conversation.title)\n")
            Console.output("    \(hit.snippet.marked())\n")
        }
    }
}

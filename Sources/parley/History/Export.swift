import ArgumentParser
import Foundation
import ParleyStore

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a saved conversation to standard output as Markdown or JSON.",
        discussion: """
            Attached files are named in both formats; --with-files adds them. Markdown goes to standard \
            output, so its files go to a folder (--files-dir, else ID-files in the current folder) and are \
            linked by the folder's path as given: save the Markdown where that path leads from, as in \
            `parley export ID --with-files > chat.md`.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case md, json
    }

    @Argument(help: "The conversation's id, or a unique prefix of it.")
    var id: String

    @Option(help: "md (readable, with thinking folded away) or json (every field, for scripts).")
    var format: Format = .md

    @Flag(
        help: """
            Include the attached files: for md, written to a folder and linked (images shown); for json, \
            as base64 "data".
            """)
    var withFiles = false

    @Flag(
        help: """
            For json: add "tree", every message on every branch (each naming its "parent_id"); "messages" \
            is always the current path.
            """)
    var tree = false

    @Option(
        help: ArgumentHelp(
            "Where md's files go (implies --with-files; default ID-files). A file there by the same name is replaced.",
            valueName: "dir"))
    var filesDir: String?

    func validate() throws {
        if filesDir != nil, format == .json {
            throw ValidationError("--files-dir is for --format md: JSON carries the files inside it (--with-files).")
        }
        if tree, format != .json {
            throw ValidationError("--tree is for --format json: Markdown shows the current path.")
        }
    }

    func run() async throws {
        let transcript = try await ConversationStore.openForReading().transcript(matching: id)
        let pricing = AppConfiguration.pricingForHistory(environment: ProcessEnvironment.variables)
        switch format {
        case .md:
            var files: ExportFiles?
            if withFiles || filesDir != nil {
                let written = ExportFiles(
                    folder: filesDir ?? "\(transcript.conversation.id)-files", transcript: transcript)
                try written.write()
                files = written
            }
            Console.output(TranscriptText.markdown(transcript, files: files, pricing: pricing))
        case .json:
            Console.output(
                TranscriptJSON.make(transcript, withFiles: withFiles, withTree: tree, pricing: pricing).serialized()
                    + "\n")
        }
    }
}

import Foundation
import ParleyCore
import ParleyStore
import ParleyTestSupport
import Testing

/// Files attached with `parley ask -a` are saved with the conversation: `show` lists them as chips,
/// `export` names them, and with `--with-files` writes them beside the Markdown or into the JSON.
@Suite("Saved attachments in show and export")
struct SavedAttachmentsTests {
    let home = ParleyProcess.dataFolder()

    /// The SHA-256 of notes.md ("# Plan\nship it\n"), as `sha256sum` gives it.
    static let notesHash = "bd8eb8b5213a0213883c12289057364161d6b6f5037fce35eb9394f611ad0bd1"

    func parley(_ arguments: [String], in directory: URL? = nil) async throws -> ParleyProcess.Result {
        try await ParleyProcess.run(arguments, environment: ["PARLEY_HOME": home], directory: directory)
    }

    /// Asks the offline demo with notes.md and a PNG named shot.txt attached; returns the saved id.
    func askWithFiles() async throws -> String {
        let files = try AskAttachmentsTests.folder()
        let asked = try await parley(
            [
                "ask", "-a", files.appendingPathComponent("notes.md").path, "-a",
                files.appendingPathComponent("shot.txt").path, "What is this?",
            ])
        #expect(asked.status == 0, "\(asked.stderr)")
        return try #require(try await parley(["list"]).stdout.split(separator: " ").first.map(String.init))
    }

    @Test("show lists each file as a chip in the user's message: name, type, size")
    func showChips() async throws {
        let id = try await askWithFiles()
        let shown = try await parley(["show", id])
        #expect(shown.status == 0)
        #expect(
            shown.stdout.contains(
                "you\nWhat is this?\n[attached: notes.md · text · 15 B]\n[attached: shot.txt · PNG · 12 B]\n"))
    }

    @Test("export md names each file; --with-files writes them to ID-files here and links them, the image shown")
    func markdown() async throws {
        let id = try await askWithFiles()
        let here = try ScratchFolders.folder("export")

        let named = try await parley(["export", id, "--format", "md"], in: here)
        #expect(named.status == 0)
        #expect(named.stdout.contains("- attached: notes.md · text · 15 B\n- attached: shot.txt · PNG · 12 B\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: here.path).isEmpty, "no files without asking")

        let linked = try await parley(["export", id, "--with-files"], in: here)
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(
            linked.stdout.contains(
                "- attached: [notes.md](\(id)-files/notes.md) · text · 15 B\n"
                    + "- attached: ![shot.txt](\(id)-files/shot.txt) · PNG · 12 B\n"))
        let written = here.appendingPathComponent("\(id)-files")
        #expect(try Data(contentsOf: written.appendingPathComponent("notes.md")) == Data("# Plan\nship it\n".utf8))
        #expect(
            try Data(contentsOf: written.appendingPathComponent("shot.txt")) == Data(AskAttachmentsTests.pngBytes))

        let again = try await parley(["export", id, "--files-dir", "chat files"], in: here)
        #expect(again.stdout.contains("[notes.md](chat%20files/notes.md)"))
        #expect(FileManager.default.fileExists(atPath: here.appendingPathComponent("chat files/notes.md").path))
    }

    @Test("export json lists each file with its type, size and SHA-256; --with-files adds the bytes as base64")
    func json() async throws {
        let id = try await askWithFiles()

        func attachments(_ arguments: [String]) async throws -> [[String: Any]] {
            let exported = try await parley(["export", id, "--format", "json"] + arguments)
            #expect(exported.status == 0, "\(exported.stderr)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(exported.stdout.utf8)) as? [String: Any])
            let messages = try #require(object["messages"] as? [[String: Any]])
            #expect((messages[1]["attachments"] as? [Any])?.isEmpty == true, "the reply has none")
            return try #require(messages[0]["attachments"] as? [[String: Any]])
        }

        let references = try await attachments([])
        #expect(references.map { $0["name"] as? String } == ["notes.md", "shot.txt"])
        #expect(references.map { $0["type"] as? String } == ["text/plain", "image/png"])
        #expect(references.map { $0["bytes"] as? Int } == [15, 12])
        #expect(references.first?["sha256"] as? String == Self.notesHash)
        #expect(references.allSatisfy { $0["data"] == nil })

        let withData = try await attachments(["--with-files"])
        #expect(withData.map { $0["data"] as? String } == ["IyBQbGFuCnNoaXAgaXQK", "iVBORw0KGgoAAAAN"])

        let refused = try await parley(["export", id, "--format", "json", "--files-dir", "x"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--files-dir is for --format md"))
    }

    @Test("names from the database stay inside the export folder, on one line, and never overwrite each other")
    func hostileNames() async throws {
        let escape = "escaped-\(UUID().uuidString)"
        let names = [
            "../../\(escape)", "/etc/passwd", "red\u{1B}[31m\nfake line.txt", "..", "notes.md", "Notes.md",
            String(repeating: "long ", count: 200) + ".txt",
        ]
        let attachments = names.enumerated().map { index, name in
            Attachment(name: name, kind: .text, bytes: Array("file \(index)\n".utf8))
        }
        let store = try ConversationStore.open(at: home + "/parley.sqlite")
        let conversation = Conversation(
            id: ConversationID("hostile01"), title: "Hostile", createdAt: Timestamp(millisecondsSince1970: 1_000),
            provider: "demo", model: "demo")
        try await store.createConversation(
            conversation,
            messages: [
                Message(
                    id: MessageID("h-u"), conversationID: conversation.id, role: .user, status: .sent, text: "Look",
                    attachments: attachments, createdAt: Timestamp(millisecondsSince1970: 1_000))
            ])

        let shown = try await parley(["show", "hostile01"])
        #expect(shown.stdout.contains("[attached: red␛[31m␊fake line.txt · text · 7 B]\n"))
        #expect(!shown.stdout.contains("\u{1B}"))

        let parent = try ScratchFolders.folder("export")
        let folder = parent.appendingPathComponent("files")
        let exported = try await parley(["export", "hostile01", "--files-dir", folder.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(
            written
                == [
                    escape, "Notes-2.md", "attachment", "notes.md", "passwd", "red_[31m_fake line.txt",
                    String(String(repeating: "long ", count: 40).prefix(196)) + ".txt",
                ].sorted())
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["files"])
        #expect(
            !FileManager.default.fileExists(
                atPath: parent.deletingLastPathComponent().appendingPathComponent(escape).path))
        #expect(try String(contentsOf: folder.appendingPathComponent("passwd"), encoding: .utf8) == "file 1\n")
        #expect(try String(contentsOf: folder.appendingPathComponent("Notes-2.md"), encoding: .utf8) == "file 5\n")
        #expect(exported.stdout.contains("- attached: [../../\(escape)](\(folder.path)/\(escape)) · text · 7 B\n"))
        #expect(
            exported.stdout.contains(
                "- attached: [red␛\\[31m␊fake line.txt](\(folder.path)/red_%5B31m_fake%20line.txt)"))
    }
}

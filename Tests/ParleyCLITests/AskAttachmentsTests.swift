import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Parley's attachments, not Swift Testing's (one name for the whole test module).
typealias Attachment = ParleyCore.Attachment

/// `parley ask -a FILE` and piped input with a prompt: the files reach the server in the request's
/// own parts, the `--events` start line lists them, and a file that cannot go stops the command
/// before anything is sent.
@Suite("parley ask with attachments: -a files and piped input, checked by the bytes the server got")
struct AskAttachmentsTests {
    static let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    /// A folder with a Markdown file, a PNG named `.txt`, a binary and a PDF.
    static func folder() throws -> URL {
        let folder = try ScratchFolders.folder("attach")
        try Data("# Plan\nship it\n".utf8).write(to: folder.appendingPathComponent("notes.md"))
        try Data(pngBytes).write(to: folder.appendingPathComponent("shot.txt"))
        try Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2]).write(to: folder.appendingPathComponent("a.out"))
        try Data("%PDF-1.7\n".utf8).write(to: folder.appendingPathComponent("paper.pdf"))
        return folder
    }

    static func server() async throws -> TestServer {
        let bytes = try Fixtures.stream("openai-chat/gpt-4o-parallel-tool-calls-include-usage.sse")
        return try await TestServer.start { _ in .replay(bytes, pieces: 1...700, pause: .zero, seed: 7) }
    }

    static func ask(_ server: TestServer, provider: String = "openai", _ extra: [String], stdin: String? = nil)
        async throws -> ParleyProcess.Result
    {
        let base = provider == "openai" ? server.baseURL + "/v1" : server.baseURL
        return try await ParleyProcess.run(
            [
                "ask", "--no-save", "--provider", provider, "--model", provider == "openai" ? "gpt-4o" : "llava",
                "--base-url", base,
            ] + extra,
            environment: ["OPENAI_API_KEY": "test-key"], stdin: stdin)
    }

    @Test("-a a Markdown file and a PNG named .txt: the text fenced and named, the image as an image_url data URL")
    func filesReachTheServer() async throws {
        let folder = try Self.folder()
        let server = try await Self.server()
        defer { Task { try await server.shutdown() } }

        let result = try await Self.ask(
            server,
            [
                "--events", "-a", folder.appendingPathComponent("notes.md").path, "--attach",
                folder.appendingPathComponent("shot.txt").path, "What is this?",
            ])

        #expect(result.status == 0, "\(result.stderr)")
        let body = try JSON.parse(try #require(server.requests.first).body)
        #expect(
            body["messages"]?.array?.last == [
                "role": "user",
                "content": [
                    ["type": "text", "text": "notes.md:\n```\n# Plan\nship it\n```\n\nWhat is this?"],
                    ["type": "image_url", "image_url": ["url": "data:image/png;base64,iVBORw0KGgoAAAAN"]],
                ],
            ])
        let start = try #require(result.eventLines.first)
        let listed = try #require(start["attachments"] as? [[String: Any]])
        #expect(listed.map { $0["name"] as? String } == ["notes.md", "shot.txt"])
        #expect(listed.map { $0["type"] as? String } == ["text/plain", "image/png"])
        #expect(listed.map { $0["bytes"] as? Int } == [15, 12])
    }

    @Test("piped input with a prompt is attached as standard input; piped input alone stays the prompt")
    func pipedInput() async throws {
        let server = try await Self.server()
        defer { Task { try await server.shutdown() } }

        let diff = "diff --git a/x b/x\n+new line\n"
        let reviewed = try await Self.ask(server, ["review this"], stdin: diff)
        #expect(reviewed.status == 0, "\(reviewed.stderr)")
        let first = try JSON.parse(server.requests[0].body)
        #expect(
            first["messages"]?.array?.last?["content"]?.string
                == "standard input:\n```\n\(diff)```\n\nreview this")

        let alone = try await Self.ask(server, [], stdin: "Just the prompt\n")
        #expect(alone.status == 0, "\(alone.stderr)")
        let second = try JSON.parse(server.requests[1].body)
        #expect(second["messages"]?.array?.last?["content"]?.string == "Just the prompt\n")
    }

    @Test("a missing file, a binary, a folder: exit 2 with the reason, and nothing sent")
    func refusedBeforeSending() async throws {
        let folder = try Self.folder()
        let server = try await Self.server()
        defer { Task { try await server.shutdown() } }

        let missing = try await Self.ask(server, ["-a", folder.appendingPathComponent("gone.txt").path, "hi"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot attach: \(folder.path)/gone.txt: no such file"))

        let binary = try await Self.ask(server, ["-a", folder.appendingPathComponent("a.out").path, "hi"])
        #expect(binary.status == 2)
        #expect(binary.stderr.contains("a.out is neither text, an image (PNG, JPEG, GIF, WebP) nor a PDF"))

        let directory = try await Self.ask(server, ["-a", folder.path, "hi"])
        #expect(directory.status == 2)
        #expect(directory.stderr.contains("is a folder"))
        #expect(server.requests.isEmpty)
    }

    @Test("a file over [attachments] max_file_mb is refused by its size before it is read")
    func overTheLimit() async throws {
        let folder = try Self.folder()
        let big = folder.appendingPathComponent("big.log")
        try Data(repeating: 0x61, count: 1024 * 1024 + 1).write(to: big)
        let home = try ConfigHome("[attachments]\nmax_file_mb = 1\n")

        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "-a", big.path, "hi"], environment: home.environment())
        #expect(result.status == 2)
        #expect(result.stderr.contains("big.log is 1.0 MB, over the 1.0 MB a file may be"))
    }

    @Test("a 50 MB file (sparse: nothing is written) is refused by its size at the default limit; an empty one too")
    func fiftyMegabytes() async throws {
        let folder = try Self.folder()
        let big = folder.appendingPathComponent("huge.log")
        _ = FileManager.default.createFile(atPath: big.path, contents: nil)
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 50 * 1024 * 1024)
        try handle.close()
        let empty = folder.appendingPathComponent("empty.txt")
        _ = FileManager.default.createFile(atPath: empty.path, contents: nil)

        let result = try await ParleyProcess.run(["ask", "--no-save", "-a", big.path, "hi"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("huge.log is 50 MB, over the 20 MB a file may be"))
        let nothing = try await ParleyProcess.run(["ask", "--no-save", "-a", empty.path, "hi"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("empty.txt is empty: there is nothing to attach"))
    }

    @Test("a PDF to Ollama fails the reply with the reason, before any request")
    func pdfToOllama() async throws {
        let folder = try Self.folder()
        let server = try await Self.server()
        defer { Task { try await server.shutdown() } }

        let result = try await Self.ask(
            server, provider: "ollama", ["-a", folder.appendingPathComponent("paper.pdf").path, "hi"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Ollama cannot read PDF files (paper.pdf)"))
        #expect(server.requests.isEmpty)
    }

    @Test("the offline demo says which files reached it")
    func demo() async throws {
        let folder = try Self.folder()
        let result = try await ParleyProcess.run(
            ["ask", "--no-save", "--raw", "-a", folder.appendingPathComponent("notes.md").path, "read this"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("You attached **notes.md** (text, 15 B, 3 lines)"))
    }
}

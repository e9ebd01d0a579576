import ParleyCore
import Testing

/// Parley's attachments, not Swift Testing's (one name for the whole test module).
typealias Attachment = ParleyCore.Attachment

/// Files told by their content, not their names; limits said before anything is sent; and a
/// message that carries files keeps them in its context for every later reply.
@Suite("Attachments: kinds by content, limits, and messages that carry files")
struct AttachmentTests {
    static let pngBytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]

    @Test("a PNG named .txt is an image; a text file named .png is text; each image format and PDFs by signature")
    func kindByContent() throws {
        #expect(try Attachment.checked(name: "notes.txt", bytes: Self.pngBytes).kind == .image(.png))
        #expect(try Attachment.checked(name: "logo.png", bytes: Array("just words\n".utf8)).kind == .text)
        #expect(Attachment.Kind(sniffing: [0xFF, 0xD8, 0xFF, 0xE0, 1]) == .image(.jpeg))
        #expect(Attachment.Kind(sniffing: Array("GIF89a…".utf8)) == .image(.gif))
        #expect(Attachment.Kind(sniffing: Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .image(.webp))
        #expect(Attachment.Kind(sniffing: Array("%PDF-1.4\n%âãÏÓ".utf8)) == .pdf)
        #expect(Attachment.Kind(sniffing: Array("naïve café — 日本語\n".utf8)) == .text)
    }

    @Test("an empty file, a binary file and invalid UTF-8 are refused with the file's name")
    func refusals() {
        #expect(throws: AttachmentProblem.empty("empty.txt")) { try Attachment.checked(name: "empty.txt", bytes: []) }
        #expect(throws: AttachmentProblem.binary("a.out")) {
            try Attachment.checked(name: "a.out", bytes: [0x7F, 0x45, 0x4C, 0x46, 0, 1])
        }
        #expect(throws: AttachmentProblem.binary("latin1.txt")) {
            try Attachment.checked(name: "latin1.txt", bytes: [0x63, 0x61, 0x66, 0xE9])
        }
        #expect(
            AttachmentProblem.binary("a.out").description
                == "a.out is neither text, an image (PNG, JPEG, GIF, WebP) nor a PDF: models cannot read it")
    }

    @Test("a file over the per-file limit, and files over the per-message limit together, are refused")
    func limits() throws {
        let limits = AttachmentLimits(fileBytes: 10, messageBytes: 15)
        #expect(throws: AttachmentProblem.fileTooLarge("big.txt", size: 11, limit: 10)) {
            try Attachment.checked(name: "big.txt", bytes: Array(repeating: 0x61, count: 11), limits: limits)
        }
        let eight = try Attachment.checked(name: "a.txt", bytes: Array(repeating: 0x61, count: 8), limits: limits)
        #expect(throws: AttachmentProblem.messageTooLarge(size: 16, limit: 15)) {
            try Attachment.checkTogether([eight, eight], limits: limits)
        }
        #expect(
            AttachmentProblem.fileTooLarge("scan.pdf", size: 52_428_800, limit: 20_971_520).description
                == "scan.pdf is 50 MB, over the 20 MB a file may be (max_file_mb under [attachments] in the config)")
    }

    @Test("sizes for people, and a chip's label")
    func sizes() {
        #expect(Attachment.sizeText(0) == "0 B")
        #expect(Attachment.sizeText(1023) == "1023 B")
        #expect(Attachment.sizeText(12_800) == "13 KB")
        #expect(Attachment.sizeText(3_565_158) == "3.4 MB")
        #expect(Attachment.sizeText(200 * 1024 * 1024) == "200 MB")
        let shot = Attachment(name: "shot.png", kind: .image(.png), bytes: Self.pngBytes)
        #expect(shot.label == "shot.png · PNG · 12 B")
    }

    @Test("a message sent with files shows them at once, names an untitled conversation, and sends them as context")
    func sendWithFiles() {
        var state = ChatState()
        let shot = Attachment(name: "shot.png", kind: .image(.png), bytes: Self.pngBytes)
        state.run(Chat.newConversation(c1, now: at(1_000)))
        let effects = state.run(
            .sendRequested(
                c1, text: " ", attachments: [shot], userMessageID: user(1), replyMessageID: reply(1),
                sessionID: session(1), now: at(2_000)))
        #expect(state.transcripts[c1]?.first?.attachments == [shot])
        #expect(state.conversations[c1]?.title == "shot.png")
        let request = effects.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(request?.messages == [ChatMessage(.user, parts: [.attachment(shot)])], "no blank text goes with it")

        state.run(Chat.replied(1, "A screenshot.", now: at(3_000)))
        let next = state.run(Chat.send("And now?", in: c1, 2, now: at(4_000)))
        let context = next.compactMap { if case .startStream(let start) = $0 { start.request } else { nil } }.first
        #expect(context?.messages.first?.attachments == [shot], "the file stays in the context of later replies")
    }

    @Test("a message with neither text nor files is refused")
    func emptyRefused() {
        var state = ChatState()
        state.run(Chat.newConversation(c1, now: at(1_000)))
        #expect(state.run(Chat.send("  ", in: c1, 1, now: at(2_000))) == [])
        #expect(state.transcripts[c1]?.isEmpty == true)
    }
}

import ParleyCore
import ParleyProviders
import Testing

/// Parley's attachments, not Swift Testing's (one name for the whole test module).
typealias Attachment = ParleyCore.Attachment

/// A user message carrying a text file, an image and a PDF, in every format: the text file named
/// and fenced in the text, the image and the PDF as each API's own base64 part, field by field as
/// the API documents it; and the attachments an API cannot take refused before anything is sent.
@Suite("Attachment requests: text, image and PDF parts in each API's own shape, and refusals")
struct AttachmentRequestTests {
    /// The PNG signature and a few bytes: enough for a part, and its base64 is known.
    static let png = Attachment(
        name: "shot.png", kind: .image(.png), bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    static let pngURL: JSON = .string("data:image/png;base64,iVBORw0KGgo=")
    static let pdfURL: JSON = .string("data:application/pdf;base64,JVBERi0xLjcK")
    static let pngData: JSON = .string("iVBORw0KGgo=")
    static let pdfData: JSON = .string("JVBERi0xLjcK")
    static let pdf = Attachment(name: "paper.pdf", kind: .pdf, bytes: Array("%PDF-1.7\n".utf8))
    static let notes = Attachment(name: "notes.md", kind: .text, bytes: Array("# Plan\nship it\n".utf8))
    static let fencedNotes = "notes.md:\n```\n# Plan\nship it\n```"

    let endpoint = ProviderEndpoint(baseURL: "http://127.0.0.1:1", apiKey: "k")

    func chat(_ files: [Attachment], model: String = "m") -> ChatRequest {
        ChatRequest(
            model: model,
            messages: [ChatMessage(.user, parts: files.map(MessagePart.attachment) + [.text("What is in these?")])])
    }

    func firstMessage(_ format: WireFormat, _ chat: ChatRequest, list: String = "messages") throws -> JSON {
        let body = try JSON.parse(format.request(for: chat, endpoint: endpoint).body)
        return try #require(body[list]?.array?.first)
    }

    @Test("a text file is named and fenced before the message's text; a fence inside it gets a longer one")
    func textFiles() {
        let message = ChatMessage(.user, parts: [.attachment(Self.notes), .text("Review")])
        #expect(message.contentWithTextFiles == Self.fencedNotes + "\n\nReview")
        let fenced = Attachment(name: "a.md", kind: .text, bytes: Array("x\n````\ny".utf8))
        #expect(fenced.fencedText == "a.md:\n`````\nx\n````\ny\n`````")
    }

    @Test("OpenAI Chat: a text part, then image_url with a data URL, then a file part naming the PDF")
    func openAIChat() throws {
        let message = try firstMessage(.openAIChat, chat([Self.notes, Self.png, Self.pdf]))
        let text: JSON = .string(Self.fencedNotes + "\n\nWhat is in these?")
        let file: JSON = ["filename": "paper.pdf", "file_data": Self.pdfURL]
        let content: JSON = [
            ["type": "text", "text": text],
            ["type": "image_url", "image_url": ["url": Self.pngURL]],
            ["type": "file", "file": file],
        ]
        #expect(message == ["role": "user", "content": content])
    }

    @Test("OpenAI Chat: text files only keep the content a plain string")
    func openAIChatTextOnly() throws {
        let message = try firstMessage(.openAIChat, chat([Self.notes]))
        let text: JSON = .string(Self.fencedNotes + "\n\nWhat is in these?")
        #expect(message == ["role": "user", "content": text])
    }

    @Test("Responses: input_text, input_image with a data URL, input_file with filename and file_data")
    func responses() throws {
        let message = try firstMessage(.openAIResponses, chat([Self.png, Self.pdf]), list: "input")
        let content: JSON = [
            ["type": "input_text", "text": "What is in these?"],
            ["type": "input_image", "image_url": Self.pngURL],
            ["type": "input_file", "filename": "paper.pdf", "file_data": Self.pdfURL],
        ]
        #expect(message == ["role": "user", "content": content])
    }

    @Test("Anthropic: image and document blocks with a base64 source come first, then the text")
    func anthropic() throws {
        let message = try firstMessage(.anthropic, chat([Self.png, Self.pdf]))
        let image: JSON = ["type": "base64", "media_type": "image/png", "data": Self.pngData]
        let document: JSON = ["type": "base64", "media_type": "application/pdf", "data": Self.pdfData]
        let content: JSON = [
            ["type": "image", "source": image],
            ["type": "document", "source": document],
            ["type": "text", "text": "What is in these?"],
        ]
        #expect(message == ["role": "user", "content": content])
    }

    @Test("Gemini: inline_data parts with mime_type and data, then the text")
    func gemini() throws {
        let message = try firstMessage(.gemini, chat([Self.png, Self.pdf]), list: "contents")
        let image: JSON = ["mime_type": "image/png", "data": Self.pngData]
        let document: JSON = ["mime_type": "application/pdf", "data": Self.pdfData]
        let parts: JSON = [["inline_data": image], ["inline_data": document], ["text": "What is in these?"]]
        #expect(message == ["role": "user", "parts": parts])
    }

    @Test("Ollama: the images in base64 without a data-URL prefix beside the content; text files in the content")
    func ollama() throws {
        let message = try firstMessage(.ollama, chat([Self.notes, Self.png]))
        let text: JSON = .string(Self.fencedNotes + "\n\nWhat is in these?")
        #expect(message == ["role": "user", "content": text, "images": [Self.pngData]])
    }

    @Test(
        "refused before sending: a PDF to Ollama, an image to a text-only model or DeepSeek, a large image to Anthropic"
    )
    func refusals() throws {
        let invalid = ProviderError.Kind.invalidRequest
        let pdfToOllama = try #require(WireFormat.ollama.refusal(of: chat([Self.pdf])))
        #expect(pdfToOllama.kind == invalid)
        #expect(pdfToOllama.message.contains("Ollama cannot read PDF files (paper.pdf)"))
        #expect(WireFormat.ollama.refusal(of: chat([Self.png, Self.notes])) == nil)

        let textOnly = try #require(WireFormat.openAIChat.refusal(of: chat([Self.png], model: "openai/o3-mini")))
        #expect(textOnly.message == "openai/o3-mini does not see images (shot.png): choose a model that does")
        #expect(WireFormat.openAIChat.refusal(of: chat([Self.png], model: "gpt-4o")) == nil)
        #expect(WireFormat.openAIChat.refusal(of: chat([Self.png]), dialect: .deepSeek) != nil)
        #expect(WireFormat.openAIChat.refusal(of: chat([Self.pdf]), dialect: .groq) != nil)

        let large = Attachment(name: "big.png", kind: .image(.png), bytes: Array(repeating: 0, count: 6 * 1024 * 1024))
        let tooLarge = try #require(WireFormat.anthropic.refusal(of: chat([large])))
        #expect(tooLarge.message == "Anthropic takes images up to 5.0 MB; big.png is 6.0 MB")
        #expect(WireFormat.openAIChat.refusal(of: chat([large])) == nil)
        #expect(WireFormat.anthropic.refusal(of: chat([Self.notes])) == nil)
    }

    @Test("a refused attachment ends the reply with its reason and sends nothing")
    func refusedReplySendsNothing() async throws {
        // Port 1 refuses connections: a request sent would fail as a network error instead.
        let choice = try ProviderChoice.resolve(
            provider: "ollama", model: "llava", baseURL: "http://127.0.0.1:1", environment: [:], configuration: .none)
        let updates = await choice.startReply(chat([Self.pdf])).collect()
        #expect(updates.error?.kind == .invalidRequest)
        #expect(updates.error?.message.contains("Ollama cannot read PDF files") == true)
        #expect(updates.finalMetrics?.attempts == 0)
    }
}

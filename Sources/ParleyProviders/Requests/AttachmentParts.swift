import Foundation
import ParleyCore

/// Attachments in each API's own shape. Text files go as text (named and fenced,
/// `ChatMessage.contentWithTextFiles`) everywhere; images and PDFs as parts of their own, base64
/// in the request, since no file is uploaded beforehand.
extension Attachment {
    var base64: String { Data(bytes).base64EncodedString() }

    /// `data:image/png;base64,…`, as OpenAI's APIs take files inline.
    var dataURL: String { "data:\(kind.mediaType);base64,\(base64)" }
}

extension ChatMessage {
    /// A user message's content for OpenAI Chat: a string when it is only text, else its text then
    /// `image_url` parts (data URLs) and `file` parts (PDFs, with their file names).
    var openAIChatContent: JSON {
        let files = fileParts
        guard !files.isEmpty else { return .string(contentWithTextFiles) }
        let text: [JSON] =
            contentWithTextFiles.isEmpty ? [] : [["type": "text", "text": .string(contentWithTextFiles)]]
        return .array(
            text
                + files.map { file in
                    file.kind == .pdf
                        ? [
                            "type": "file",
                            "file": ["filename": .string(file.name), "file_data": .string(file.dataURL)],
                        ]
                        : ["type": "image_url", "image_url": ["url": .string(file.dataURL)]]
                })
    }

    /// A user message's content for the Responses API: `input_text`, then `input_image` and
    /// `input_file` items.
    var responsesContent: JSON {
        let files = fileParts
        guard !files.isEmpty else { return .string(contentWithTextFiles) }
        let text: [JSON] =
            contentWithTextFiles.isEmpty ? [] : [["type": "input_text", "text": .string(contentWithTextFiles)]]
        return .array(
            text
                + files.map { file in
                    file.kind == .pdf
                        ? ["type": "input_file", "filename": .string(file.name), "file_data": .string(file.dataURL)]
                        : ["type": "input_image", "image_url": .string(file.dataURL)]
                })
    }

    /// A user message's blocks for Anthropic's Messages API: `image` and `document` blocks with a
    /// base64 source first (Anthropic asks for images before the text about them), then the text.
    var anthropicContent: JSON {
        let files = fileParts
        guard !files.isEmpty else { return .string(contentWithTextFiles) }
        let blocks: [JSON] = files.map { file in
            [
                "type": file.kind == .pdf ? "document" : "image",
                "source": ["type": "base64", "media_type": .string(file.kind.mediaType), "data": .string(file.base64)],
            ]
        }
        return .array(
            blocks + (contentWithTextFiles.isEmpty ? [] : [["type": "text", "text": .string(contentWithTextFiles)]]))
    }

    /// A user message's parts for Gemini: `inline_data` parts, then the text.
    var geminiParts: JSON {
        let files: [JSON] = fileParts.map { file in
            ["inline_data": ["mime_type": .string(file.kind.mediaType), "data": .string(file.base64)]]
        }
        let text: [JSON] =
            contentWithTextFiles.isEmpty && !files.isEmpty ? [] : [["text": .string(contentWithTextFiles)]]
        return .array(files + text)
    }

    /// Ollama's `images`: the images' bytes in base64, with no data-URL prefix.
    var ollamaImages: JSON? {
        let images = fileParts.filter { $0.kind != .pdf }
        return images.isEmpty ? nil : .array(images.map { .string($0.base64) })
    }
}

extension WireFormat {
    /// Why this API cannot take the request's attachments, said before anything is sent; nil when it
    /// can (or when only the server can tell, which then says so itself).
    public func refusal(of chat: ChatRequest, dialect: ChatDialect = .openAI) -> ProviderError? {
        let files = chat.messages.filter { $0.role == .user }.flatMap(\.fileParts)
        guard !files.isEmpty else { return nil }
        let pdf = files.first { $0.kind == .pdf }
        let image = files.first { $0.kind != .pdf }
        func refused(_ message: String) -> ProviderError { ProviderError(.invalidRequest, message) }
        if let pdf, self == .ollama {
            return refused(
                "Ollama cannot read PDF files (\(pdf.name)): attach its text instead, or use another provider")
        }
        if let image, self == .openAIChat, dialect == .deepSeek {
            return refused("DeepSeek's API takes no images (\(image.name)): use a model that sees images")
        }
        if let pdf, self == .openAIChat, dialect == .deepSeek || dialect == .groq || dialect == .xAI {
            return refused(
                "this provider's API takes no PDF files (\(pdf.name)): attach its text instead, or use another provider"
            )
        }
        if let image, Self.textOnlyModel(chat.model) {
            return refused("\(chat.model) does not see images (\(image.name)): choose a model that does")
        }
        if self == .anthropic, let large = files.first(where: { $0.kind != .pdf && $0.size > Self.anthropicImageLimit })
        {
            return refused(
                "Anthropic takes images up to \(Attachment.sizeText(Self.anthropicImageLimit)); \(large.name) is "
                    + Attachment.sizeText(large.size))
        }
        return nil
    }

    /// Anthropic's limit for one image sent inline.
    static let anthropicImageLimit = 5 * 1024 * 1024

    /// Models known to read text only, by name (a router's vendor prefix ignored): sending them an
    /// image only earns a 400 after the upload.
    static func textOnlyModel(_ model: String) -> Bool {
        let name = model.split(separator: "/").last.map { $0.lowercased() } ?? ""
        return ["gpt-3.5", "o1-mini", "o3-mini", "deepseek-chat", "deepseek-reasoner", "deepseek-r1", "deepseek-coder"]
            .contains { name.hasPrefix($0) }
    }
}
